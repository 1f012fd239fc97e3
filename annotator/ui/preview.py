"""What the window shows in its first paint, read with the standard library only.

Opening the ``Store`` imports sqlite-utils, which imports numpy: a few hundred milliseconds.
The first paint does not wait for it: the text of the article the window will open is read
read-only with ``sqlite3`` (or, for a new database, the bundled sample), and the full store
is attached on the next turn of the event loop.
"""
from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..core.paths import default_db_path


@dataclass(frozen=True)
class Preview:
    title: str
    text: str


def database_path(db: str | os.PathLike | None) -> Path:
    """``db``, else the store's default (ANNOTATOR_DB or annotations.db in the data folder)."""
    return Path(db) if db else default_db_path()


def read_preview(db_path: Path) -> Preview | None:
    """The article the window opens first (first to do, else first), or the sample for a
    new database; None if the file cannot be read this way (the store will say why)."""
    if not db_path.exists():
        return sample_preview()
    try:
        conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True, timeout=1.0)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT title, text FROM articles WHERE status = 'todo' ORDER BY id LIMIT 1").fetchone() \
            or conn.execute("SELECT title, text FROM articles ORDER BY id LIMIT 1").fetchone()
    except sqlite3.Error:  # not created yet, or not our file
        row = None
    finally:
        conn.close()
    if row is None:
        return sample_preview() if _is_empty(db_path) else None
    return Preview(row[0] or "", row[1] or "")


def _is_empty(db_path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True, timeout=1.0)
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
        finally:
            conn.close()
    except sqlite3.Error:
        return db_path.stat().st_size == 0


def sample_preview() -> Preview:
    from .firstrun import sample_article

    article = sample_article()
    return Preview(article.title, article.text)
