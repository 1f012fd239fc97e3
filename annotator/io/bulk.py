"""Settings for bulk work (imports and exports of thousands of articles)."""
from __future__ import annotations

import gc
import sys
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


@contextmanager
def quick_gil_turns(seconds: float = 0.0001):
    """Shorter turns for the GIL while a writer thread stores what the main thread parses.

    SQLite works without the GIL, but each statement must take it back to return, and by
    default waits up to 5 ms for it while the parser runs: the two threads then take turns
    instead of working at the same time. Undone on exit.
    """
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, seconds))
    try:
        yield
    finally:
        sys.setswitchinterval(before)
