"""Starting the window: ``annotator`` / ``annotator gui [--screenshot PATH] [--db DB]``.

Start-up path, in order: Qt application, database lock, store (plus the bundled sample on
first run), window shown with the article text. Icons (qtawesome) and the spaCy pipeline
come after the first paint: icons on the next event-loop turn, pre-annotation in a worker
thread whose results appear as they finish.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from ..core.labels import LabelScheme, LabelSchemeError
from ..store.store import Store, StoreError, default_db_path
from .dblock import DatabaseLock, DatabaseLocked
from .firstrun import ensure_sample
from .icons import IconRegistry
from .settings import AppSettings, load_settings, open_qsettings, save_settings
from .theme import apply_theme, resolve
from .window import MainWindow
from .workspace import Workspace


def load_scheme(settings: AppSettings) -> tuple[LabelScheme, str | None]:
    """The configured label scheme, or the bundled one with a message saying why."""
    if not settings.label_scheme:
        return LabelScheme.load(), None
    try:
        return LabelScheme.load(settings.label_scheme), None
    except (OSError, LabelSchemeError) as exc:
        return LabelScheme.load(), f"Label scheme not loaded ({exc}); using the bundled news labels."


def build_window(store: Store, db_path: str | Path, settings: AppSettings, app: QApplication,
                 qsettings=None) -> MainWindow:
    """Everything the window needs, wired; used by ``run`` and by the tests."""
    colours = apply_theme(app, settings.theme)
    scheme, problem = load_scheme(settings)
    icons = IconRegistry(resolve(settings.theme))
    workspace = Workspace(store, scheme, settings.who)
    window = MainWindow(workspace, db_path, settings, colours, icons)
    window.qsettings = qsettings
    window.status.set_pipeline(settings.pipeline or _default_pipeline_name())
    workspace.start()
    if problem:
        window.status.say(problem, 15000)
    return window


def _default_pipeline_name() -> str:
    from ..nlp.pipeline import PipelineError, choose_pipeline  # no spaCy import: only find_spec

    try:
        return choose_pipeline(None)
    except PipelineError:
        return "none installed"


def apply_settings(window: MainWindow, new: AppSettings) -> None:
    old = window.settings
    window.settings = new
    if getattr(window, "qsettings", None) is not None:
        save_settings(window.qsettings, new)
    window.workspace.set_who(new.who)
    if (new.theme, new.label_scheme) != (old.theme, old.label_scheme):
        app = QApplication.instance()
        colours = apply_theme(app, new.theme)
        window.icons.set_theme(resolve(new.theme))
        scheme, problem = load_scheme(new)
        window.set_scheme(scheme, colours)
        if problem:
            window.status.say(problem, 15000)
    if new.pipeline != old.pipeline:
        window.status.set_pipeline(new.pipeline or _default_pipeline_name())


def run(db: str | None = None, screenshot: str | None = None) -> int:
    if screenshot and not os.environ.get("QT_QPA_PLATFORM") and not os.environ.get("DISPLAY") \
            and sys.platform.startswith("linux"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("Annotator")
    app.setApplicationName("Annotator")
    db_path = Path(db) if db else default_db_path()
    try:
        lock = DatabaseLock(db_path).acquire()
    except DatabaseLocked as exc:
        return _fail(str(exc), screenshot)
    try:
        store = Store(db_path)
    except (StoreError, OSError, Exception) as exc:  # a damaged or foreign file: say which
        lock.release()
        return _fail(f"Cannot open the database {db_path}: {exc}", screenshot)
    try:
        ensure_sample(store)
        qsettings = open_qsettings()
        window = build_window(store, db_path, load_settings(qsettings), app, qsettings)
        window.show()
        QTimer.singleShot(0, window.icons.load)
        if screenshot:
            return _screenshot(app, window, screenshot)
        QTimer.singleShot(150, window.start_annotation)
        return app.exec()
    finally:
        store.close()
        lock.release()


def _fail(message: str, screenshot: str | None) -> int:
    print(f"annotator: {message}", file=sys.stderr)
    if not screenshot and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        QMessageBox.critical(None, "Annotator", message)
    return 3


def _screenshot(app: QApplication, window: MainWindow, path: str) -> int:
    """Pre-annotate what is not yet, select the first attributed quote, grab, save, exit."""
    result = {"code": 0}

    def grab():
        window.icons.load()
        show_a_quote(window)
        app.processEvents()
        if not window.grab().save(path, "PNG"):
            print(f"annotator: could not write the screenshot to {path}", file=sys.stderr)
            result["code"] = 1
        else:
            print(f"screenshot written to {path}")
        app.quit()

    def start():
        job = window.start_annotation()
        if job is None:
            QTimer.singleShot(50, grab)
        else:
            window.annotation_finished.connect(lambda: QTimer.singleShot(50, grab))

    QTimer.singleShot(0, start)
    app.exec()
    return result["code"]


def show_a_quote(window: MainWindow) -> None:
    """Select the first quote with a speaker so the picture shows speaker and cue links."""
    editor = window.editor
    if editor is None:
        return
    quote = next((q for q in editor.article.quotes if q.speaker and q.cue), None) \
        or next(iter(editor.article.quotes), None)
    if quote is not None:
        editor.select(None, quote.id)
        window.view.verticalScrollBar().setValue(0)
