"""Long work off the UI thread: pre-annotation, import, export.

Each job runs in a QThread with its own Store connection (SQLite connections are not shared
across threads) and reports through Qt signals, which Qt delivers on the UI thread.
"""
from __future__ import annotations

import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal


class Job(QObject):
    """Base: ``run`` in a worker thread; ``progress(done, total, text)``, ``finished(result)``,
    ``failed(message)``; ``cancel()`` asks it to stop at the next safe point."""

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self):
        super().__init__()
        self._stop = threading.Event()
        self.thread: QThread | None = None

    def cancel(self) -> None:
        self._stop.set()

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def start(self) -> "Job":
        self.thread = QThread()
        self.thread.setObjectName(type(self).__name__)
        self.moveToThread(self.thread)
        self.thread.started.connect(self._run_safely)
        self.thread.start()
        return self

    def wait(self, ms: int = 30000) -> bool:
        return self.thread.wait(ms) if self.thread is not None else True

    def reporter(self, template: str, unit: int = 1):
        """A progress callback for the io layer: reports ``template`` (with {done} and
        {total}, counted in ``unit``s: 1_000_000 shows bytes as MB) and stops the job at that
        point once it is cancelled."""
        def progress(done, total, *_):
            # The bar counts KiB for byte counts: Qt's progress bar holds 32-bit values.
            bar = 1024 if unit > 1 else 1
            self.progress.emit(done // bar, total // bar, template.format(done=done / unit if unit > 1 else done,
                                                                          total=total / unit if unit > 1 else total))
            if self.cancelled:
                raise JobCancelled()
        return progress

    def _run_safely(self) -> None:
        try:
            result = self.run()
        except JobCancelled:  # a cancelled job finishes with nothing
            self.finished.emit(None)
        except Exception as exc:  # reported to the window, never lost in a thread
            self.failed.emit(str(exc) or traceback.format_exc(limit=3))
        else:
            self.finished.emit(result)
        finally:
            # quit() is thread-safe; called here, not through a queued slot, so a UI thread
            # waiting on the worker can never deadlock with it.
            QThread.currentThread().quit()

    def run(self):  # pragma: no cover - subclasses implement
        raise NotImplementedError


class AnnotateJob(Job):
    """Pre-annotate ``ids`` (in this order) a few at a time; ``annotated(ids)`` after each batch."""

    annotated = Signal(list)
    pipeline_ready = Signal(str)

    def __init__(self, db_path: str | Path, ids: list[int], pipeline: str | None = None, batch: int = 4):
        super().__init__()
        self.db_path = str(db_path)
        self.ids = list(ids)
        self.pipeline = pipeline or None
        self.batch = batch

    def run(self):
        # Imported here: spaCy must never be on the window's start-up path.
        from ..nlp.annotate import annotate_store
        from ..nlp.pipeline import load_pipeline, pipeline_id
        from ..store.store import Store

        total = len(self.ids)
        self.progress.emit(0, total, "Loading the language pipeline\u2026")
        nlp = load_pipeline(self.pipeline)
        name = pipeline_id(nlp)
        self.pipeline_ready.emit(name)
        done = 0
        with Store(self.db_path) as store:
            for i in range(0, total, self.batch):
                if self.cancelled:
                    break
                chunk = self.ids[i:i + self.batch]
                annotate_store(store, ids=chunk, nlp=nlp, rerun=True, batch_size=self.batch)
                done += len(chunk)
                self.annotated.emit(chunk)
                self.progress.emit(done, total, f"Pre-annotating {done} of {total}")
        return {"articles": done, "pipeline": name}


class ImportJob(Job):
    def __init__(self, db_path: str | Path, paths: list[str], fmt: str = "auto"):
        super().__init__()
        self.db_path, self.paths, self.fmt = str(db_path), [Path(p) for p in paths], fmt

    def run(self):
        from ..io.importers import import_paths
        from ..store.store import Store

        with Store(self.db_path) as store:
            return import_paths(store, self.paths, fmt=self.fmt,
                                progress=self.reporter("Importing {done:,.1f} of {total:,.1f} MB", unit=1_000_000))


class ExportJob(Job):
    def __init__(self, db_path: str | Path, fmt: str, output: str, include_all: bool = False):
        super().__init__()
        self.db_path, self.fmt, self.output, self.include_all = str(db_path), fmt, Path(output), include_all

    def run(self):
        from ..io.exporters import export
        from ..store.store import Store

        with Store(self.db_path) as store:
            return export(store, self.fmt, self.output, include_all=self.include_all,
                          progress=self.reporter("Exporting {done} of {total} articles"))


class JobCancelled(Exception):
    """Raised from a progress callback to stop an import or export between two items."""
