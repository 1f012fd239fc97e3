"""Views of the open article follow one ArticleEditor at a time."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QTableView, QVBoxLayout, QWidget


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


class EditorTablePanel(QWidget):
    """Base of the article docks: one kind of annotation as a table whose selected row and
    the editor's selection follow each other. Delete/Backspace removes the selected one.

    Subclasses give the model and ``name``, then set up their columns, and implement
    ``selected_id(selection)`` and ``select_id(editor, item_id)``.
    """

    def __init__(self, model: EditorTableModel, name: str, parent=None):
        super().__init__(parent)
        self.setObjectName(f"{name}Panel")
        self.model = model
        model.setParent(self)
        self.table = QTableView()
        self.table.setObjectName(f"{name}Table")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.SelectedClicked
                                   | QAbstractItemView.EditKeyPressed)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.table)
        self.table.selectionModel().currentRowChanged.connect(self._on_row)
        self._syncing = False
        add_delete_key(self.table, lambda: self.model.editor)

    def selected_id(self, selection) -> int | None:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def select_id(self, editor, item_id: int | None) -> None:  # pragma: no cover
        raise NotImplementedError

    def set_editor(self, editor) -> None:
        old = self.model.editor
        if old is not None:
            old.selection_changed.disconnect(self._on_selection)
            old.changed.disconnect(self._on_changed)
        self.model.set_editor(editor)  # first: the model follows an edit before the selection does
        if editor is not None:
            editor.selection_changed.connect(self._on_selection)
            editor.changed.connect(self._on_changed)

    def _on_changed(self, _change, _owners) -> None:
        self._on_selection(None, self.model.editor.selection)  # rows may have moved

    def _on_row(self, current, _previous) -> None:
        if self._syncing or self.model.editor is None or not current.isValid():
            return
        self.select_id(self.model.editor, self.model.item_id(current.row()))

    def _on_selection(self, _old, new) -> None:
        row = self.model.row_of(self.selected_id(new))
        self._syncing = True
        try:
            if row is None:
                self.table.clearSelection()
            elif self.table.currentIndex().row() != row or not self.table.selectionModel().hasSelection():
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
        finally:
            self._syncing = False


def add_delete_key(table: QTableView, editor_of) -> QAction:
    """Delete/Backspace in a panel's table removes its selected row's annotation."""
    action = QAction("Remove", table)
    action.setShortcuts([QKeySequence(QKeySequence.Delete), QKeySequence(Qt.Key_Backspace)])
    action.setShortcutContext(Qt.WidgetShortcut)
    action.triggered.connect(lambda: editor_of() and editor_of().remove_selected())
    table.addAction(action)
    return action
