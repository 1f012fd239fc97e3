"""The open database as the window sees it: queue navigation and one editor per article.

Editors (and so their undo histories) are kept per article for the whole session, so going
back to an article still lets the analyst undo what they did there.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.labels import LabelScheme
from .editor import ArticleEditor
from .navigator import Navigator
from .observable import Event

if TYPE_CHECKING:
    from ..store.store import Store


class Workspace:
    """Events: ``opened(editor | None)`` when another article is shown."""

    def __init__(self, store: Store, scheme: LabelScheme, who: str):
        self.store = store
        self.scheme = scheme
        self.who = who
        self.navigator = Navigator(store)
        self.opened = Event()
        self.editor: ArticleEditor | None = None
        self._editors: dict[int, ArticleEditor] = {}
        self.navigator.current_changed.connect(self._open)

    # --- articles ----------------------------------------------------------------------
    def editor_for(self, article_id: int) -> ArticleEditor:
        editor = self._editors.get(article_id)
        if editor is None:
            from ..store.session import EditSession

            session = EditSession(self.store, article_id, who=self.who)
            editor = self._editors[article_id] = ArticleEditor(session, self.scheme)
        return editor

    def _open(self, article_id: int | None) -> None:
        self.editor = self.editor_for(article_id) if article_id is not None else None
        self._forget_untouched()
        self.opened.emit(self.editor)

    def _forget_untouched(self) -> None:
        """Keep in memory only the open article and those with undo history: memory stays
        proportional to what the analyst worked on, not to what they looked at."""
        for article_id, editor in list(self._editors.items()):
            if editor is not self.editor and not (editor.can_undo or editor.can_redo):
                del self._editors[article_id]

    def start(self) -> None:
        """Open the first article to do."""
        if self.navigator.open_first() is None:
            self.opened.emit(None)

    def reload(self, article_id: int) -> bool:
        """Re-read an article that changed underneath (pre-annotation finished).

        The editor (and its undo history) is kept; it adopts the fresh article. True if the
        open article was reloaded (and shown again).
        """
        editor = self._editors.get(article_id)
        if editor is None:
            return False
        editor.adopt(self.store.get_article(article_id))
        if self.editor is editor:
            self.opened.emit(editor)
            return True
        return False

    # --- decisions ---------------------------------------------------------------------
    def decide(self, status: str) -> int | None:
        """Accept/skip/reject the open article and move on; the next article's id."""
        if self.editor is None:
            return None
        self.editor.set_status(status)
        return self.navigator.after_status_change()

    def set_who(self, who: str) -> None:
        self.who = who
        for editor in self._editors.values():
            editor.session.who = who

    def set_scheme(self, scheme: LabelScheme) -> None:
        self.scheme = scheme
        for editor in self._editors.values():
            editor.scheme = scheme

    def progress(self) -> tuple[int, int]:
        """(articles done, articles in all)."""
        return self.store.count_articles(status="done"), self.store.count_articles()

    def unannotated(self) -> list[int]:
        """Articles without model annotations, the open one first."""
        ids = self.store.article_ids(unannotated=True)
        current = self.navigator.current_id
        if current in ids:
            ids.remove(current)
            ids.insert(0, current)
        return ids
