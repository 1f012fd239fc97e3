"""Where the analyst's database lives by default (plain Python: the window reads it before
anything heavy is imported)."""
from __future__ import annotations

import os
import sys
from pathlib import Path


def default_db_path() -> Path:
    """``ANNOTATOR_DB`` if set, else ``annotations.db`` in the user's data folder."""
    env = os.environ.get("ANNOTATOR_DB")
    if env:
        return Path(env)
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
        folder = base / "Annotator"
    elif sys.platform == "darwin":
        folder = Path.home() / "Library" / "Application Support" / "Annotator"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
        folder = base / "annotator"
    return folder / "annotations.db"
