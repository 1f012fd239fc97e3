"""The status bar: a message, n of N done, the pipeline, and background work."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar


class StatusPanel:
    def __init__(self, bar: QStatusBar):
        self.bar = bar
        self.progress_label = QLabel()
        self.progress_label.setObjectName("doneCount")
        self.pipeline_label = QLabel()
        self.pipeline_label.setObjectName("pipelineName")
        self.work_label = QLabel()
        self.work_label.setObjectName("workLabel")
        self.work_bar = QProgressBar()
        self.work_bar.setObjectName("workBar")
        self.work_bar.setMaximumWidth(160)
        self.work_bar.setTextVisible(False)
        self.work_bar.setMaximumHeight(12)
        for widget in (self.work_label, self.work_bar, self.pipeline_label, self.progress_label):
            bar.addPermanentWidget(widget)
        self.idle()

    def say(self, text: str, ms: int = 6000) -> None:
        self.bar.showMessage(text, ms)

    def set_done(self, done: int, total: int) -> None:
        self.progress_label.setText(f"{done:,} of {total:,} done")

    def set_pipeline(self, name: str) -> None:
        self.pipeline_label.setText(f"Pipeline: {name}")

    def work(self, done: int, total: int, text: str) -> None:
        self.work_label.setText(text)
        self.work_label.setVisible(True)
        self.work_bar.setVisible(True)
        self.work_bar.setRange(0, max(total, 1) if done or total else 0)
        self.work_bar.setValue(done)

    def idle(self, text: str = "") -> None:
        self.work_bar.setVisible(False)
        self.work_label.setText(text)
        self.work_label.setVisible(bool(text))
