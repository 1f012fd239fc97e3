"""Left dock: search, filters and the paged article list."""
from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QStyle, QStyledItemDelegate, QTableView, QVBoxLayout,
                               QWidget)

from ..core.labels import LabelScheme
from .navigator import Navigator
from .queue_model import STATUS_TEXT, QueueModel, article_date


class TitleDelegate(QStyledItemDelegate):
    """Title on the first line; date and counts, smaller and muted, on the second."""

    def paint(self, painter, option, index):
        self.initStyleOption(option, index)
        option.text = ""
        option.widget.style().drawControl(QStyle.CE_ItemViewItem, option, painter, option.widget)
        row = index.model().row_at(index.row())
        if row is None:
            return
        rect = option.rect.adjusted(6, 4, -6, -4)
        painter.save()
        title_font = QFont(option.font)
        title_font.setWeight(QFont.DemiBold if row.status == "todo" else QFont.Normal)
        painter.setFont(title_font)
        colour = option.palette.highlightedText().color() if option.state & QStyle.State_Selected \
            else option.palette.text().color()
        painter.setPen(colour)
        metrics = painter.fontMetrics()
        top = QRect(rect.left(), rect.top(), rect.width(), metrics.height())
        painter.drawText(top, Qt.AlignLeft | Qt.AlignVCenter,
                         metrics.elidedText(row.title or "(untitled)", Qt.ElideRight, rect.width()))
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, option.font.pointSizeF() - 1.2))
        painter.setFont(small)
        painter.setPen(QColor("#7d858d"))
        sub = f"{article_date(row)}  \u00b7  {STATUS_TEXT.get(row.status, row.status)}  \u00b7  " \
              f"{row.n_entities} entities  \u00b7  {row.n_quotes} quotes"
        bottom = QRect(rect.left(), top.bottom() + 2, rect.width(), rect.bottom() - top.bottom() - 2)
        painter.drawText(bottom, Qt.AlignLeft | Qt.AlignVCenter,
                         painter.fontMetrics().elidedText(sub, Qt.ElideRight, rect.width()))
        painter.restore()

    def sizeHint(self, option, index):
        return QSize(200, 46)


class QueuePanel(QWidget):
    open_row = Signal(int)

    def __init__(self, navigator: Navigator, model: QueueModel, scheme: LabelScheme, parent=None):
        super().__init__(parent)
        self.setObjectName("queuePanel")
        self.navigator = navigator
        self.model = model
        self.search = QLineEdit(placeholderText="Search all articles\u2026")
        self.search.setClearButtonEnabled(True)
        self.search.setObjectName("queueSearch")
        self.status = QComboBox()
        self.status.addItem("All statuses", "")
        for key, text in STATUS_TEXT.items():
            self.status.addItem(text, key)
        self.label = QComboBox()
        self.set_labels(scheme)
        self.table = QTableView()
        self.table.setObjectName("queueTable")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.hide()
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        header.setSectionResizeMode(0, QHeaderView.Fixed)
        self.table.setColumnWidth(0, 30)
        for col in (2, 3, 4):  # shown on the title's second line instead
            self.table.setColumnHidden(col, True)
        self.table.setItemDelegateForColumn(1, TitleDelegate(self.table))
        self.table.verticalHeader().setDefaultSectionSize(48)
        self.summary = QLabel()
        self.summary.setObjectName("queueSummary")

        filters = QHBoxLayout()
        filters.addWidget(self.status)
        filters.addWidget(self.label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)

        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._apply_search)
        self.status.currentIndexChanged.connect(
            lambda _i: navigator.set_filter(status=self.status.currentData() or None))
        self.label.currentIndexChanged.connect(
            lambda _i: navigator.set_filter(label=self.label.currentData() or None))
        self.table.clicked.connect(lambda index: self.open_row.emit(index.row()))
        self.table.activated.connect(lambda index: self.open_row.emit(index.row()))
        navigator.filter_changed.connect(self._on_filter)
        self.update_summary()

    def set_labels(self, scheme: LabelScheme) -> None:
        self.label.blockSignals(True)
        self.label.clear()
        self.label.addItem("Any label", "")
        for label in scheme.labels:
            self.label.addItem(label.name, label.name)
        self.label.blockSignals(False)

    def _apply_search(self) -> None:
        self._search_timer.stop()
        self.navigator.set_filter(search=self.search.text().strip() or None)

    def _on_filter(self, _filter) -> None:
        self.model.reload()
        self.show_current()
        self.update_summary()

    def show_current(self) -> None:
        row = self.navigator.row
        if row is None:
            self.table.clearSelection()
            return
        self.model.ensure_row(row)
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 1))

    def update_summary(self) -> None:
        total = self.model.total()
        self.summary.setText(f"{total:,} article{'s' if total != 1 else ''} in this view")
