"""The article queue as a Qt table, paged from SQLite on demand (fetchMore)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from .icons import IconRegistry
from .navigator import Navigator

if TYPE_CHECKING:
    from ..store.store import ArticleRow

PAGE = 200
COLUMNS = ("", "Title", "Date", "Ent.", "Quotes")
STATUS_TEXT = {"todo": "To do", "done": "Done", "skipped": "Skipped", "rejected": "Rejected"}


class QueueModel(QAbstractTableModel):
    """Rows come from ``Navigator.page``; only the pages the view scrolls to are read."""

    def __init__(self, navigator: Navigator, icons: IconRegistry, parent=None):
        super().__init__(parent)
        self.navigator = navigator
        self.icons = icons
        self._rows: list[ArticleRow] = []
        self._total: int | None = None
        self._more = False
        self.reload()

    # --- loading ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Back to the first page; no count: a full page means there may be more."""
        self.beginResetModel()
        self._total = None
        self._rows = self.navigator.page(0, PAGE)
        self._more = len(self._rows) == PAGE
        self.endResetModel()

    def total(self) -> int:
        """Articles in the filtered queue (counted once per filter, when first asked)."""
        if self._total is None:
            self._total = self.navigator.count() if self._more else len(self._rows)
        return self._total

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and self._more

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid() or not self._more:
            return
        more = self.navigator.page(len(self._rows), PAGE)
        self._more = len(more) == PAGE
        if not more:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def refresh_articles(self, ids) -> None:
        """Re-read the loaded pages holding ``ids`` (after annotation or an edit)."""
        wanted = set(ids)
        pages = sorted({i // PAGE for i, row in enumerate(self._rows) if row.id in wanted})
        for page in pages:
            fresh = self.navigator.page(page * PAGE, PAGE)
            for i, row in enumerate(fresh):
                index = page * PAGE + i
                if index < len(self._rows):
                    self._rows[index] = row
            last = min(len(self._rows), page * PAGE + PAGE) - 1
            self.dataChanged.emit(self.index(page * PAGE, 0), self.index(last, len(COLUMNS) - 1))

    def ensure_row(self, row: int) -> None:
        while row >= len(self._rows) and self.canFetchMore():
            self.fetchMore()

    def row_at(self, row: int) -> ArticleRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # --- Qt model ------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.DisplayRole:
            if col == 1:
                return row.title or "(untitled)"
            if col == 2:
                return article_date(row)
            if col == 3:
                return row.n_entities
            if col == 4:
                return row.n_quotes
        elif role == Qt.DecorationRole and col == 0:
            return self.icons.get(f"status-{row.status}")
        elif role == Qt.ToolTipRole:
            return f"{row.title}\n{STATUS_TEXT.get(row.status, row.status)} \u00b7 " \
                   f"{row.n_entities} entities \u00b7 {row.n_quotes} quotes"
        elif role == Qt.TextAlignmentRole and col in (3, 4):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        elif role == Qt.AccessibleTextRole and col == 0:
            return STATUS_TEXT.get(row.status, row.status)
        elif role == Qt.UserRole:
            return row.id
        return None


def article_date(row: ArticleRow) -> str:
    for key in ("date", "published", "published_at"):
        value = row.meta.get(key)
        if value:
            return str(value)[:10]
    return (row.updated_at or "")[:10]
