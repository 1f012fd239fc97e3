"""Right dock: the article's entities as a table; the label column is edited in place."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QHeaderView, QStyledItemDelegate

from .follow import EditorTableModel, EditorTablePanel
from .icons import IconRegistry

if TYPE_CHECKING:  # the editing logic loads with the first article, not before
    from .editor import ArticleEditor

COLUMNS = ("Text", "Label", "Source")


class EntityModel(EditorTableModel):
    columns = COLUMNS
    editable_columns = frozenset({1})

    def __init__(self, icons: IconRegistry, parent=None):
        super().__init__(parent)
        self.icons = icons
        self.editor: ArticleEditor | None = None
        self._row_of: dict[int, int] = {}

    def editor_replaced(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self.beginResetModel()
        ents = self.editor.article.entities if self.editor else []
        self._row_of = {e.id: i for i, e in enumerate(ents)}
        self.endResetModel()

    def _on_changed(self, change, _owners) -> None:
        if not change.entities:
            return
        ents = self.editor.article.entities
        rows = [self._row_of.get(i) for i in change.entities]
        same_rows = (len(ents) == len(self._row_of) and None not in rows
                     and all(ents[r].id == i for r, i in zip(rows, change.entities)))
        if not same_rows:
            self._reset()
            return
        for r in rows:
            self.dataChanged.emit(self.index(r, 0), self.index(r, len(COLUMNS) - 1))

    def items(self) -> list:
        return self.editor.article.entities if self.editor else []

    def entity_id(self, row: int) -> int | None:
        return self.item_id(row)

    def row_of(self, entity_id) -> int | None:
        return self._row_of.get(entity_id)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or self.editor is None:
            return None
        ent = self.editor.article.entities[index.row()]
        col = index.column()
        if role in (Qt.DisplayRole, Qt.EditRole):
            if col == 0:
                return " ".join(ent.text(self.editor.article.text).split())
            if col == 1:
                return ent.label
            return ent.source
        if role == Qt.BackgroundRole and col == 1:
            label = self.editor.scheme.get(ent.label)
            return QColor(label.color) if label else None
        if role == Qt.ForegroundRole and col == 1:
            return QColor("#1b1f23")
        if role == Qt.DecorationRole and col == 2:
            return self.icons.get("analyst" if ent.source == "analyst" else "model")
        if role == Qt.ToolTipRole:
            return f"{ent.label} \u00b7 {ent.source}{' ' + ent.model if ent.model else ''}"
        return None

    def setData(self, index, value, role=Qt.EditRole):
        if role != Qt.EditRole or index.column() != 1 or self.editor is None:
            return False
        ent = self.editor.article.entities[index.row()]
        return self.editor.relabel(ent.id, str(value))


class LabelDelegate(QStyledItemDelegate):
    """A drop-down of the scheme's labels for the label column."""

    def __init__(self, model: EntityModel, parent=None):
        super().__init__(parent)
        self.model = model

    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        combo.addItems(self.model.editor.scheme.names)
        combo.activated.connect(lambda _i, c=combo: self.commitData.emit(c))
        return combo

    def setEditorData(self, editor, index):
        editor.setCurrentText(index.data(Qt.EditRole))

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentText(), Qt.EditRole)


class EntityPanel(EditorTablePanel):
    def __init__(self, icons: IconRegistry, parent=None):
        super().__init__(EntityModel(icons), "entity", parent)
        self.table.setItemDelegateForColumn(1, LabelDelegate(self.model, self.table))
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeToContents)

    def selected_id(self, selection) -> int | None:
        return selection.entity

    def select_id(self, editor: ArticleEditor, item_id: int | None) -> None:
        editor.select(item_id, editor.selection.quote)
