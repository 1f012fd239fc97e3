"""Editing one article: commands applied in memory, persisted at once, undoable."""
from __future__ import annotations

from ..core.commands import Change, Command, UndoStack
from ..core.model import Article
from .store import Store


class EditSession:
    """The Python API (and the window's) for correcting an article.

    Every ``do``, ``undo`` and ``redo`` is one SQLite transaction with a history row naming
    ``who``. If the write fails the in-memory change is reverted, so the model never shows
    something that is not stored.
    """

    def __init__(self, store: Store, article: Article | int, who: str = "analyst"):
        self.store = store
        self.article = store.get_article(article) if isinstance(article, int) else article
        self.who = who
        self.stack = UndoStack(self.article)

    def do(self, command: Command) -> Change:
        change = self.stack.push(command)
        self._persist(command, change, "do", rollback=self.stack.discard_last)
        return change

    def undo(self) -> Change | None:
        done = self.stack.undo()
        if done is not None:
            self._persist(*done, "undo", rollback=self.stack.redo)
        return done and done[1]

    def redo(self) -> Change | None:
        done = self.stack.redo()
        if done is not None:
            self._persist(*done, "redo", rollback=self.stack.undo)
        return done and done[1]

    def _persist(self, command: Command, change: Change, action: str, rollback) -> None:
        """Store what the command changed; if that fails, undo it in memory too."""
        try:
            self.store.record(self.article, command, change, who=self.who, action=action)
        except BaseException:
            rollback()
            raise
