"""Background pre-annotation as the window sees it: one job at a time, progress in the
status bar, and a signal for every batch of articles that finished."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from .status import StatusPanel

if TYPE_CHECKING:
    from .workers import AnnotateJob


class Preannotator(QObject):
    annotated = Signal(list)   # article ids, delivered on the UI thread
    finished = Signal()        # the job ended, finished or failed

    def __init__(self, db_path: str | Path, status: StatusPanel, parent=None):
        super().__init__(parent)
        self.db_path = str(db_path)
        self.status = status
        self.job: AnnotateJob | None = None
        self.pipeline_name = ""

    def start(self, ids: list[int], pipeline: str | None, batch: int = 4) -> AnnotateJob | None:
        """Pre-annotate ``ids`` in a worker thread, ``batch`` articles per transaction and
        per ``annotated`` signal; None if a job runs already or there is nothing to do."""
        if self.job is not None or not ids:
            return None
        from .workers import AnnotateJob

        job = AnnotateJob(self.db_path, ids, pipeline, batch=batch)
        # Receivers are this object's slots, so Qt queues them onto the UI thread.
        job.progress.connect(self._work)
        job.pipeline_ready.connect(self._pipeline_ready)
        job.annotated.connect(self._annotated)
        job.finished.connect(self._done)
        job.failed.connect(self._failed)
        self.job = job
        job.start()
        return job

    def stop(self, wait_ms: int = 15000) -> bool:
        """Ask the job to stop after its current batch; True once it has."""
        if self.job is None:
            return True
        self.job.cancel()
        return self.job.wait(wait_ms)

    @Slot(int, int, str)
    def _work(self, done: int, total: int, text: str) -> None:
        self.status.work(done, total, text)

    @Slot(str)
    def _pipeline_ready(self, name: str) -> None:
        self.pipeline_name = name
        self.status.set_pipeline(name)

    @Slot(list)
    def _annotated(self, ids: list) -> None:
        self.annotated.emit(ids)

    @Slot(object)
    def _done(self, result) -> None:
        self._forget_job()
        self.status.idle(f"Pre-annotated {result['articles']} article(s)")
        self.finished.emit()

    @Slot(str)
    def _failed(self, message: str) -> None:
        self._forget_job()
        self.status.idle("Pre-annotation stopped")
        self.status.say(f"Pre-annotation stopped: {message.splitlines()[0]}", 15000)
        self.finished.emit()

    def _forget_job(self) -> None:
        if self.job is not None:
            self.job.wait()
            self.job = None
