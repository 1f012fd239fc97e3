"""One window per database: an OS lock on ``<db>.lock`` next to the database file.

The operating system drops the lock when the process ends, however it ends, so a crash
never leaves a stale lock behind. The file holds the owner's pid and host for the message.
"""
from __future__ import annotations

import os
import socket
import sys
from pathlib import Path


class DatabaseLocked(RuntimeError):
    """Another Annotator window has this database open."""


class DatabaseLock:
    def __init__(self, db_path: str | Path):
        self.db_path = Path(db_path)
        self.path = self.db_path.with_name(self.db_path.name + ".lock")
        self._fh = None

    def acquire(self) -> "DatabaseLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        fh = os.fdopen(fd, "r+", encoding="utf-8")
        try:
            _lock(fh)
        except OSError:
            owner = _owner(fh)
            fh.close()
            raise DatabaseLocked(
                f"{self.db_path} is already open in another Annotator window ({owner}). "
                "Close that window first, or open a different database with --db.") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} on {socket.gethostname()}")
        fh.flush()
        self._fh = fh
        return self

    def release(self) -> None:
        if self._fh is not None:
            try:
                _unlock(self._fh)
            finally:
                self._fh.close()
                self._fh = None

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()


def _owner(fh) -> str:
    """Who holds the lock, as written in the file (unreadable while locked on Windows)."""
    try:
        fh.seek(0)
        return fh.read().strip() or "another process"
    except OSError:
        return "another process"


if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds only
    import msvcrt

    def _lock(fh):
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(fh):
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock(fh):
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fh):
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
