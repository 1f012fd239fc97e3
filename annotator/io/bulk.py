"""Settings for bulk work (imports and exports of thousands of articles)."""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def frozen_heap():
    """Leave the objects alive before a bulk job out of the garbage collector's full passes.

    An export or import allocates millions of short-lived objects, and every few thousand
    the collector also walks everything long-lived (spaCy's vocabulary, the modules): a
    quarter of an export's time. Freezing that heap skips those walks; objects made during
    the job are collected as usual, so memory behaves the same. Undone on exit.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
