"""Views of the open article follow one ArticleEditor at a time."""
from __future__ import annotations


class FollowsEditor:
    """Mixin: ``set_editor`` moves the ``changed`` connection to the new editor.

    Subclasses implement ``editor_replaced`` (a whole new article, or none) and
    ``_on_changed(change, owners)`` (an edit on the current one).
    """

    editor = None

    def set_editor(self, editor) -> None:
        if self.editor is not None:
            self.editor.changed.disconnect(self._on_changed)
        self.editor = editor
        if editor is not None:
            editor.changed.connect(self._on_changed)
        self.editor_replaced()

    def editor_replaced(self) -> None:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def _on_changed(self, change, owners) -> None:  # pragma: no cover
        raise NotImplementedError
