"""The article queue as the window walks it: a filter, a position, previous/next/accept."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .observable import Event

if TYPE_CHECKING:
    from ..store.store import ArticleRow, Store


@dataclass(frozen=True)
class QueueFilter:
    status: str | None = None
    label: str | None = None
    search: str | None = None

    def query(self) -> dict:
        return {"status": self.status or None, "label": self.label or None,
                "search": (self.search or "").strip() or None}


class Navigator:
    """Which article is open, within the filtered queue.

    Events: ``filter_changed(filter)``, ``current_changed(article_id | None)``.
    """

    def __init__(self, store: Store):
        self.store = store
        self.filter = QueueFilter()
        self.current_id: int | None = None
        self.row: int | None = None
        self.filter_changed = Event()
        self.current_changed = Event()

    def count(self) -> int:
        return self.store.count_articles(**self.filter.query())

    def page(self, offset: int, limit: int) -> list[ArticleRow]:
        return self.store.list_articles(offset=offset, limit=limit, **self.filter.query())

    def set_filter(self, **changes) -> None:
        new = replace(self.filter, **changes)
        if new == self.filter:
            return
        self.filter = new
        self.row = self._find_row(self.current_id)
        self.filter_changed.emit(new)

    def open_row(self, row: int) -> int | None:
        rows = self.page(row, 1)
        if not rows:
            return None
        self._set_current(rows[0].id, row)
        return rows[0].id

    def open_first(self) -> int | None:
        """The first article to do, else the first one in the queue."""
        todo = self.store.list_articles(limit=1, status="todo", **_without_status(self.filter))
        if todo and self.filter.status in (None, "todo"):
            self._set_current(todo[0].id, self._find_row(todo[0].id))
            return todo[0].id
        return self.open_row(0)

    def next(self) -> int | None:
        return self._step(+1)

    def previous(self) -> int | None:
        return self._step(-1)

    def after_status_change(self) -> int | None:
        """Move on after accept/skip/reject: the current article may have left the filter."""
        row = self.row if self.row is not None else -1
        here = self.page(row, 1) if row >= 0 else []
        if here and here[0].id == self.current_id:
            return self._step(+1)
        return self.open_row(max(row, 0)) if self.count() > max(row, 0) else None

    def _step(self, step: int) -> int | None:
        if self.row is None:
            self.row = self._find_row(self.current_id)
        row = (self.row if self.row is not None else -1) + step
        if row < 0 or row >= self.count():
            return None
        return self.open_row(row)

    def _set_current(self, article_id: int | None, row: int | None) -> None:
        self.row = row
        if article_id != self.current_id:
            self.current_id = article_id
            self.current_changed.emit(article_id)

    def _find_row(self, article_id: int | None) -> int | None:
        """Row of ``article_id`` under the filter (rows are ordered by id), or None."""
        if article_id is None:
            return None
        query = self.filter.query()
        below = count_below(self.store, article_id, query)
        rows = self.store.list_articles(offset=below, limit=1, **query)
        return below if rows and rows[0].id == article_id else None


def _without_status(f: QueueFilter) -> dict:
    q = f.query()
    q.pop("status")
    return q


def count_below(store: Store, article_id: int, query: dict) -> int:
    """How many matching articles come before ``article_id`` (the queue is ordered by id)."""
    return store.count_articles(before_id=article_id, **query)
