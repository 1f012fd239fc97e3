"""Settings for bulk work (imports and exports of thousands of articles)."""
from __future__ import annotations

import gc
from contextlib import contextmanager

YOUNG_OBJECTS = 50_000


@contextmanager
def frozen_heap():
    """Leave the objects alive before a bulk job out of the garbage collector's full passes.

    An export or import allocates millions of short-lived objects, and every few thousand
    the collector also walks everything long-lived (spaCy's vocabulary, the modules): a
    quarter of an export's time. Freezing that heap skips those walks; objects made during
    the job are collected as usual, the young ones every YOUNG_OBJECTS allocations instead of
    700 (a bounded number, so memory stays flat). Undone on exit.
    """
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(threshold[0], YOUNG_OBJECTS), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()
