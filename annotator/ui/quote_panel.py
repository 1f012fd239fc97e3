"""Right dock: the article's quotes with speaker, cue and kind, edited in place."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHeaderView, QStyledItemDelegate

from ..core.model import QUOTE_KINDS
from .highlight import speaker_label
from .follow import EditorTableModel, EditorTablePanel

if TYPE_CHECKING:  # the editing logic loads with the first article, not before
    from .editor import ArticleEditor

COLUMNS = ("Quote", "Speaker", "Cue", "Kind")


class QuoteModel(EditorTableModel):
    columns = COLUMNS
    editable_columns = frozenset({1, 3})

    def __init__(self, parent=None):
        super().__init__(parent)
        self.editor: ArticleEditor | None = None

    def editor_replaced(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def _on_changed(self, change, _owners) -> None:
        if change.quotes:
            self.beginResetModel()
            self.endResetModel()

    def items(self) -> list:
        return self.editor.article.quotes if self.editor else []


    def quote_id(self, row: int) -> int | None:
        return self.item_id(row)

    def row_of(self, quote_id) -> int | None:
        return next((i for i, q in enumerate(self.items()) if q.id == quote_id), None)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or self.editor is None:
            return None
        article = self.editor.article
        quote = article.quotes[index.row()]
        col = index.column()
        if role in (Qt.DisplayRole, Qt.EditRole):
            if col == 0:
                return " ".join(quote.text(article.text).split())
            if col == 1:
                return speaker_label(article, quote)
            if col == 2:
                return quote.cue.text(article.text) if quote.cue else ""
            return quote.kind
        if role == Qt.ToolTipRole:
            who = speaker_label(article, quote) or "no speaker yet"
            return f"\u201c{quote.text(article.text)}\u201d\n\u2014 {who} ({quote.source})"
        return None

    def setData(self, index, value, role=Qt.EditRole):
        if role != Qt.EditRole or self.editor is None:
            return False
        quote = self.editor.article.quotes[index.row()]
        if index.column() == 1:
            return self._set_speaker(quote, str(value).strip())
        if index.column() == 3:
            return self.editor.set_kind(quote.id, str(value))
        return False

    def _set_speaker(self, quote, name: str) -> bool:
        """A name from the chooser: link the nearest mention of it, else keep it as free text."""
        editor = self.editor
        if name == speaker_label(editor.article, quote):
            return False
        mention = nearest_mention(editor, quote, name)
        if mention is not None:
            return editor.set_speaker(quote.id, mention.start, mention.end, name=name)
        return editor.set_speaker(quote.id, name=name or None)


def nearest_mention(editor: ArticleEditor, quote, name: str):
    """The entity reading ``name`` closest to the quote (speakers sit next to their words)."""
    if not name:
        return None
    text = editor.article.text
    hits = [e for e in editor.article.entities
            if " ".join(e.text(text).split()).removesuffix("'s").removesuffix("\u2019s") == name
            and not (quote.start <= e.start < quote.end)]
    if not hits:
        return None
    return min(hits, key=lambda e: min(abs(e.start - quote.end), abs(e.end - quote.start)))


class SpeakerDelegate(QStyledItemDelegate):
    """An editable drop-down: the article's people and organisations, or any name typed in."""

    def __init__(self, model: QuoteModel, parent=None):
        super().__init__(parent)
        self.model = model

    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.NoInsert)
        combo.addItems(self.model.editor.speaker_candidates())
        combo.activated.connect(lambda _i, c=combo: self.commitData.emit(c))
        return combo

    def setEditorData(self, editor, index):
        editor.setCurrentText(index.data(Qt.EditRole) or "")

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentText(), Qt.EditRole)


class KindDelegate(QStyledItemDelegate):
    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        combo.addItems(QUOTE_KINDS)
        combo.activated.connect(lambda _i, c=combo: self.commitData.emit(c))
        return combo

    def setEditorData(self, editor, index):
        editor.setCurrentText(index.data(Qt.EditRole))

    def setModelData(self, editor, model, index):
        model.setData(index, editor.currentText(), Qt.EditRole)


class QuotePanel(EditorTablePanel):
    def __init__(self, parent=None):
        super().__init__(QuoteModel(), "quote", parent)
        self.table.setItemDelegateForColumn(1, SpeakerDelegate(self.model, self.table))
        self.table.setItemDelegateForColumn(3, KindDelegate(self.table))
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.Interactive)
        self.table.setColumnWidth(1, 118)
        self.table.setColumnWidth(2, 64)
        self.table.setColumnWidth(3, 62)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.table.setTextElideMode(Qt.ElideRight)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(48)

    def selected_id(self, selection) -> int | None:
        return selection.quote

    def select_id(self, editor: ArticleEditor, item_id: int | None) -> None:
        editor.select(None, item_id)
