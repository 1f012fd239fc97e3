"""Views of the open article follow one ArticleEditor at a time."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt


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


class EditorTableModel(FollowsEditor, QAbstractTableModel):
    """Subclasses set ``columns`` and ``editable_columns`` and implement ``items()``."""

    columns: tuple[str, ...] = ()
    editable_columns: frozenset[int] = frozenset()

    def items(self) -> list:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def item_id(self, row: int) -> int | None:
        items = self.items()
        return items[row].id if 0 <= row < len(items) else None

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.items())

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.columns[section]
        return None

    def flags(self, index):
        flags = super().flags(index)
        return flags | Qt.ItemIsEditable if index.column() in self.editable_columns else flags
