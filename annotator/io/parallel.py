"""Bulk work spread over worker processes, results handed back in input order.

Imports and exports of thousands of articles are CPU work in Python (JSON, token lists,
spaCy docs), which threads cannot share out. Worker processes are started with "spawn":
no copy of the parent's threads or Qt state (a fork from the window's process is unsafe),
and the frozen application starts them through ``multiprocessing.freeze_support``.

Only a bounded number of chunks is in flight at a time, so memory does not grow with the
number of articles. Closing the iterator early (an error, a cancel from the progress
callback) cancels what has not started and waits for the workers to stop.
"""
from __future__ import annotations

import atexit
import multiprocessing
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")
JOBS_ENV = "ANNOTATOR_JOBS"
MAX_DEFAULT_WORKERS = 4


def default_workers() -> int:
    """``ANNOTATOR_JOBS`` if set, else the processors this process may use (at most 4)."""
    value = os.environ.get(JOBS_ENV, "").strip()
    if value:
        try:
            return max(1, int(value))
        except ValueError:
            raise ValueError(f"{JOBS_ENV}={value!r}: expected a whole number of worker processes") from None
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        available = os.cpu_count() or 1
    return max(1, min(available, MAX_DEFAULT_WORKERS))


def workers_for(requested: int | None, chunks: int) -> int:
    """How many processes a job of ``chunks`` chunks gets: never more than it can keep busy,
    and none (0: run in this process) for a job too small to repay starting them."""
    workers = default_workers() if requested is None else max(1, requested)
    workers = min(workers, chunks)
    return workers if workers > 1 else 0


def ordered_map(func: Callable[[T], R], items: Iterable[T], *, workers: int,
                initializer: Callable | None = None, initargs: tuple = ()) -> Iterator[R]:
    """``map(func, items)`` over ``workers`` processes (0: in this process), in input order.

    ``func`` and ``initializer`` must be module-level functions (they are pickled by name).
    """
    if workers <= 0:
        if initializer is not None:
            initializer(*initargs)
        yield from map(func, items)
        return
    window = 2 * workers  # enough to keep every worker busy while the parent takes a result
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker,
                               initargs=(initializer, initargs))
    pending: deque[Future] = deque()
    try:
        for item in items:
            pending.append(_submit(pool, func, item))
            if len(pending) >= window:
                yield _result(pending.popleft())
        while pending:
            yield _result(pending.popleft())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _start_worker(initializer: Callable | None, initargs: tuple) -> None:
    # A worker holds nothing that needs tearing down when the pool lets it go: its results
    # are sent, its files closed, and multiprocessing has done its own clean-up by the time
    # exit handlers run. Leaving at once skips the interpreter's teardown of every module
    # (spaCy, numpy): 0.1 to 0.2 s at the end of each import or export. (The pool does not
    # read a worker's exit status.)
    atexit.register(os._exit, 0)
    keep_freed_memory()
    if initializer is not None:
        initializer(*initargs)


# glibc's mallopt parameters, and the values a worker sets.
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
KEEP_FREED_BYTES = 256 << 20
HEAP_ALLOCATIONS_UP_TO = 32 << 20  # the most glibc accepts


def keep_freed_memory() -> bool:
    """Make this process's C allocator reuse the memory it frees (glibc only; False elsewhere).

    A worker builds arrays of tens of MB for every chunk (a .spacy chunk's tokens are 15 MB).
    By default glibc maps each afresh and unmaps it when freed, so every chunk faults its
    pages in again, zeroed by the kernel: a third of a million page faults in an export of
    10,000 articles, costly on a virtual machine. Served from the heap and kept there, the
    same pages are reused; the worker's peak memory is what it was.
    """
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):  # not glibc (macOS, Windows, musl without it)
        return False
    return bool(mallopt(M_TRIM_THRESHOLD, KEEP_FREED_BYTES)) and bool(mallopt(M_MMAP_THRESHOLD, HEAP_ALLOCATIONS_UP_TO))


class WorkerFailed(RuntimeError):
    """A worker process ended without finishing its work (killed, or out of memory)."""


WORKER_FAILED = (f"a worker process stopped unexpectedly (out of memory, or killed); nothing was left "
                 f"half-written. Run again with --jobs 1 (or {JOBS_ENV}=1) to work in one process")


def _submit(pool: ProcessPoolExecutor, func: Callable, item) -> Future:
    try:
        return pool.submit(func, item)
    except BrokenProcessPool:  # a worker died before this item was handed out
        raise WorkerFailed(WORKER_FAILED) from None


def _result(future: Future):
    try:
        return future.result()
    except BrokenProcessPool:
        raise WorkerFailed(WORKER_FAILED) from None


def chunked(items: list[T], size: int) -> list[list[T]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def worker_pid(_item=None) -> int:
    """The process a chunk ran in: lets the self-test see worker processes start in a build."""
    return os.getpid()
