"""Import, export, settings and the shortcut sheet."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog,
                               QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QProgressBar, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget, QHeaderView)

from .actions import ACTIONS
from .settings import THEMES, AppSettings
from .shortcuts import keys_for
from .workers import ExportJob, ImportJob, Job



def _formats(module: str) -> tuple[str, ...]:
    """The formats the io layer offers (imported when a dialog opens, not at start-up)."""
    from importlib import import_module

    return tuple(import_module(f"annotator.io.{module}").FORMATS)


class JobDialog(QDialog):
    """Shared body: a progress bar, a status line, Start/Cancel/Close; runs a ``Job``."""

    job_done = Signal(object)

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.form = QVBoxLayout()
        self.bar = QProgressBar()
        self.bar.setVisible(False)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.start_button = self.buttons.addButton("Start", QDialogButtonBox.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.Cancel)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.job: Job | None = None
        self.result = None

    def make_job(self) -> Job | None:  # pragma: no cover - subclasses implement
        raise NotImplementedError

    def describe(self, result) -> str:  # pragma: no cover
        raise NotImplementedError

    def start(self) -> None:
        try:
            job = self.make_job()
        except ImportError as exc:
            self.status.setText(f"This part of Annotator is not installed: {exc}")
            return
        if job is None:
            return
        self.job = job
        self.start_button.setEnabled(False)
        self.bar.setVisible(True)
        self.bar.setRange(0, 0)
        job.progress.connect(self._on_progress)
        job.finished.connect(self._on_finished)
        job.failed.connect(self._on_failed)
        job.start()

    def cancel(self) -> None:
        if self.job is not None and self.job.thread is not None and self.job.thread.isRunning():
            self.job.cancel()
            self.status.setText("Stopping after the current item\u2026")
            return
        self.reject()

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, text: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.status.setText(text)

    @Slot(object)
    def _on_finished(self, result) -> None:
        self.job.wait()
        self.result = result
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        self.status.setText("Cancelled: what was finished before is kept." if result is None
                            else self.describe(result))
        self._closeable()
        self.job_done.emit(result)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.job.wait()
        self.bar.setVisible(False)
        self.status.setText(f"Stopped: {message}")
        self._closeable()

    def _closeable(self) -> None:
        self.start_button.setEnabled(True)
        self.cancel_button.setText("Close")
        self.job = None

    def closeEvent(self, event) -> None:
        if self.job is not None:
            self.job.cancel()
            self.job.wait()
        super().closeEvent(event)


class PathList(QWidget):
    """Files and folders to import: buttons to add, drag and drop onto the list."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setObjectName("importPaths")
        self.setAcceptDrops(True)
        add_files = QPushButton("Add files\u2026")
        add_folder = QPushButton("Add folder\u2026")
        clear = QPushButton("Clear")
        add_files.clicked.connect(self._pick_files)
        add_folder.clicked.connect(self._pick_folder)
        clear.clicked.connect(self.list.clear)
        buttons = QHBoxLayout()
        for b in (add_files, add_folder, clear):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Files and folders (drop them here):"))
        layout.addWidget(self.list)
        layout.addLayout(buttons)

    def paths(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def add(self, paths) -> None:
        known = set(self.paths())
        for p in paths:
            if p and p not in known:
                self.list.addItem(p)
                known.add(p)

    def _pick_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Articles to import", "",
                                                "Articles (*.txt *.jsonl *.json *.ann *.html *.htm);;All files (*)")
        self.add(files)

    def _pick_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder of articles")
        self.add([folder] if folder else [])

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        self.add([u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()])
        event.acceptProposedAction()


class ImportDialog(JobDialog):
    def __init__(self, db_path, paths=(), parent=None):
        super().__init__("Import articles", parent)
        self.db_path = db_path
        self.paths = PathList()
        self.paths.add([str(p) for p in paths])
        self.format = QComboBox()
        self.format.addItems(_formats("importers"))
        row = QFormLayout()
        row.addRow("Format:", self.format)
        self.form.addWidget(self.paths)
        self.form.addLayout(row)

    def make_job(self):
        paths = self.paths.paths()
        if not paths:
            self.status.setText("Add at least one file or folder first.")
            return None
        return ImportJob(self.db_path, paths, self.format.currentText())

    def describe(self, report) -> str:
        lines = [f"{report.added} article(s) added, {report.duplicates} already stored, "
                 f"{len(report.problems)} problem(s) in {report.files} file(s)."]
        lines += [str(p) for p in list(report.problems)[:8]]
        return "\n".join(lines)


class ExportDialog(JobDialog):
    def __init__(self, db_path, parent=None):
        super().__init__("Export training data", parent)
        self.db_path = db_path
        self.format = QComboBox()
        self.format.addItems(_formats("exporters"))
        self.output = QLineEdit()
        self.output.setPlaceholderText("Where to write the export")
        browse = QPushButton("Browse\u2026")
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.output, 1)
        out_row.addWidget(browse)
        self.include_all = QCheckBox("Every article, not only those marked done")
        form = QFormLayout()
        form.addRow("Format:", self.format)
        form.addRow("Output:", out_row)
        form.addRow("", self.include_all)
        self.form.addLayout(form)

    def _browse(self) -> None:
        fmt = self.format.currentText()
        if fmt in ("brat",):
            path = QFileDialog.getExistingDirectory(self, "Export folder")
        else:
            path, _ = QFileDialog.getSaveFileName(self, "Export file", f"annotations.{_suffix(fmt)}")
        if path:
            self.output.setText(path)

    def make_job(self):
        output = self.output.text().strip()
        if not output:
            self.status.setText("Choose where to write the export first.")
            return None
        return ExportJob(self.db_path, self.format.currentText(), output, self.include_all.isChecked())

    def describe(self, report) -> str:
        lines = [f"{report.articles} article(s) written to {self.output.text()}."]
        lines += [f"warning: {w}" for w in list(report.warnings)[:8]]
        return "\n".join(lines)


def _suffix(fmt: str) -> str:
    return {"spacy": "spacy", "doccano": "jsonl", "csv": "csv"}.get(fmt, "jsonl")


class SettingsDialog(QDialog):
    def __init__(self, settings: AppSettings, pipelines: list[str], parent=None,
                 user_scheme_path: str | Path | None = None):
        super().__init__(parent)
        # Where an edited copy of the bundled scheme is saved (next to the database).
        self.user_scheme_path = Path(user_scheme_path) if user_scheme_path else None
        self.setWindowTitle("Settings")
        self.setMinimumWidth(480)
        self.analyst = QLineEdit(settings.analyst)
        self.analyst.setPlaceholderText(settings.who)
        self.pipeline = QComboBox()
        self.pipeline.setEditable(True)
        self.pipeline.addItem("")
        self.pipeline.addItems(pipelines)
        self.pipeline.setCurrentText(settings.pipeline)
        self.pipeline.lineEdit().setPlaceholderText("best installed")
        self.scheme = QLineEdit(settings.label_scheme)
        self.scheme.setPlaceholderText("bundled news labels")
        browse = QPushButton("Browse\u2026")
        browse.clicked.connect(self._browse)
        edit = QPushButton("Edit labels\u2026")
        edit.setObjectName("editLabels")
        edit.clicked.connect(self.edit_labels)
        scheme_row = QHBoxLayout()
        scheme_row.addWidget(self.scheme, 1)
        scheme_row.addWidget(browse)
        scheme_row.addWidget(edit)
        self.theme = QComboBox()
        self.theme.addItems(THEMES)
        self.theme.setCurrentText(settings.theme)
        self.problems = QLabel()
        self.problems.setStyleSheet("color: #c8553d")
        form = QFormLayout()
        form.addRow("Analyst name (stored on every edit):", self.analyst)
        form.addRow("Language pipeline:", self.pipeline)
        form.addRow("Label scheme:", scheme_row)
        form.addRow("Theme:", self.theme)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)

    def value(self) -> AppSettings:
        return AppSettings(self.analyst.text().strip(), self.pipeline.currentText().strip(),
                           self.scheme.text().strip(), self.theme.currentText())

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Label scheme", "", "Label scheme (*.json)")
        if path:
            self.scheme.setText(path)

    def edit_labels(self):
        """Edit the chosen scheme (or a copy of the bundled one) in place."""
        from ..core.labels import LabelScheme, LabelSchemeError
        from .label_editor import LabelSchemeDialog

        current = self.scheme.text().strip()
        try:
            scheme = LabelScheme.load(current or None)
        except (OSError, LabelSchemeError) as exc:
            self.problems.setText(str(exc))
            return None
        target = current or str(self.user_scheme_path or Path.home() / "annotator-labels.json")
        dialog = LabelSchemeDialog(scheme, target, self)
        dialog.accepted.connect(lambda: self.scheme.setText(str(dialog.path)))
        dialog.open()
        return dialog

    def _accept(self) -> None:
        problems = self.value().validate()
        if problems:
            self.problems.setText("\n".join(problems))
            return
        self.accept()


class ShortcutSheet(QDialog):
    """Every shortcut, from the same tables the menus use."""

    def __init__(self, scheme, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(560, 640)
        rows = [(f"Label as {label.name}", label.key) for label in scheme.labels if label.key]
        rows += [(spec.text.replace("&", "").replace("\u2026", ""),
                  ", ".join(QKeySequence(k).toString(QKeySequence.NativeText) for k in keys_for(spec.id)))
                 for spec in ACTIONS if keys_for(spec.id)]
        table = QTableWidget(len(rows), 2)
        table.setObjectName("shortcutTable")
        table.setHorizontalHeaderLabels(["Action", "Keys"])
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(24)
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        table.setEditTriggers(QTableWidget.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeToContents)
        for i, (what, keys) in enumerate(rows):
            table.setItem(i, 0, QTableWidgetItem(what))
            table.setItem(i, 1, QTableWidgetItem(keys))
        hint = QLabel("Select words, then press a number key to label them. Selections snap to whole "
                      "words. Click an entity (or press . and ,) to select it; Shift+arrows move its end, "
                      "Ctrl+Shift+arrows its start. With a quote selected (click it, or ] and [), S or C "
                      "then a click sets its speaker or cue.")
        hint.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(table)
        layout.addWidget(close)
        self.table = table
