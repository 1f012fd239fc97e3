"""Starting the window: ``annotator`` / ``annotator gui [--screenshot PATH] [--db DB]``.

Start-up path, in order: the store's import starts in a thread (sqlite-utils pulls in numpy)
while the main thread loads Qt and creates the application; then the database lock, the
store (plus the bundled sample on first run), and the window shown with the article text.
Icons (qtawesome) and the spaCy pipeline come after the first paint: icons on the next
event-loop turn, pre-annotation in a worker thread whose results appear as they finish.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from ..store.store import Store
    from .settings import AppSettings
    from .window import MainWindow


def load_scheme(settings: AppSettings):
    """The configured label scheme, or the bundled one with a message saying why."""
    from ..core.labels import LabelScheme, LabelSchemeError

    if not settings.label_scheme:
        return LabelScheme.load(), None
    try:
        return LabelScheme.load(settings.label_scheme), None
    except (OSError, LabelSchemeError) as exc:
        return LabelScheme.load(), f"Label scheme not loaded ({exc}); using the bundled news labels."


def build_frame(db_path: str | Path, settings: AppSettings, app: QApplication, qsettings=None,
                restore: bool = False) -> MainWindow:
    """The window with every widget but no database yet (see ``MainWindow.attach``)."""
    from .icons import IconRegistry
    from .theme import apply_theme, resolve
    from .window import MainWindow

    colours = apply_theme(app, settings.theme)
    scheme, problem = load_scheme(settings)
    icons = IconRegistry(resolve(settings.theme))
    window = MainWindow(db_path, settings, scheme, colours, icons)
    window.qsettings = qsettings
    if restore:
        window.restore_layout()
    if problem:
        window.status.say(problem, 15000)
    return window


def attach_store(window: MainWindow, store: Store) -> None:
    """Give the window its database and open the first article."""
    from .workspace import Workspace

    workspace = Workspace(store, window.scheme, window.settings.who)
    window.attach(workspace)
    window.status.set_pipeline(window.settings.pipeline or _default_pipeline_name())
    workspace.start()


def build_window(store: Store, db_path: str | Path, settings: AppSettings, app: QApplication,
                 qsettings=None) -> MainWindow:
    """Frame and database in one go: what the tests use."""
    window = build_frame(db_path, settings, app, qsettings)
    attach_store(window, store)
    return window


def _default_pipeline_name() -> str:
    from ..nlp.pipeline import PipelineError, choose_pipeline  # no spaCy import: only find_spec

    try:
        return choose_pipeline(None)
    except PipelineError:
        return "none installed"


def apply_settings(window: MainWindow, new: AppSettings) -> None:
    from PySide6.QtWidgets import QApplication

    from .settings import save_settings
    from .theme import apply_theme, resolve

    old = window.settings
    window.settings = new
    if getattr(window, "qsettings", None) is not None:
        save_settings(window.qsettings, new)
    if window.workspace is not None:
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


def _set_app_icon(app) -> None:
    """The window and task-bar icon (installers carry their own .ico/.icns copies)."""
    from importlib import resources

    from PySide6.QtGui import QIcon

    icon = resources.files("annotator.resources").joinpath("app-icon.png")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))


def run(db: str | None = None, screenshot: str | None = None) -> int:
    if screenshot and not os.environ.get("QT_QPA_PLATFORM") and not os.environ.get("DISPLAY") \
            and sys.platform.startswith("linux"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    from .dblock import DatabaseLock, DatabaseLocked
    from .preview import database_path, read_preview
    from .settings import load_settings, open_qsettings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("Annotator")
    app.setApplicationName("Annotator")
    _set_app_icon(app)
    db_path = database_path(db)
    try:
        lock = DatabaseLock(db_path).acquire()
    except DatabaseLocked as exc:
        return _fail(str(exc), screenshot)
    session = _Session(lock)
    try:
        qsettings = open_qsettings()
        # A screenshot shows the default layout, whatever the analyst arranged, and keeps none:
        # the window would write its layout when Qt closes it at exit, after the caller's
        # temporary settings file is gone (the self-test's folder came back with it).
        layout = None if screenshot else qsettings
        window = build_frame(db_path, load_settings(qsettings), app, layout, restore=layout is not None)
        preview = read_preview(db_path)
        if preview is not None:
            window.show_preview(preview.title, preview.text)
        window.show()
        if os.environ.get("ANNOTATOR_STARTUP_PROBE"):
            return _startup_probe(app, window, preview)
        # The store (sqlite-utils, numpy) opens once the text is on screen.
        if not session.open_store(window, db_path, screenshot):
            return 3
        if screenshot:
            return _screenshot(app, window, screenshot)
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, window.icons.load)
        QTimer.singleShot(150, window.start_annotation)
        return app.exec()
    finally:
        session.close()


class _Session:
    """What ``run`` must close however it ends: the store and the lock."""

    def __init__(self, lock):
        self.lock = lock
        self.store = None

    def open_store(self, window: MainWindow, db_path: Path, screenshot: str | None) -> bool:
        from PySide6.QtWidgets import QApplication

        QApplication.processEvents()  # paint the preview first
        from ..store.store import Store
        from .firstrun import ensure_sample

        try:
            self.store = Store(db_path)
            ensure_sample(self.store)
        except Exception as exc:  # a damaged or foreign file: say which, change nothing
            window.close()
            _fail(f"Cannot open the database {db_path}: {exc}", screenshot)
            return False
        attach_store(window, self.store)
        return True

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
        self.lock.release()


def _startup_probe(app: QApplication, window: MainWindow, preview) -> int:
    """For benchmarks/bench_ui.py: paint the window once, say 'ready' and leave."""
    app.processEvents()
    window.repaint()
    readable = preview is not None and bool(window.view.toPlainText().strip())
    print(f"ready {'text' if readable else 'empty'} spacy={'spacy' in sys.modules}", flush=True)
    return 0


def _fail(message: str, screenshot: str | None) -> int:
    from PySide6.QtWidgets import QMessageBox

    print(f"annotator: {message}", file=sys.stderr)
    if not screenshot and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        QMessageBox.critical(None, "Annotator", message)
    return 3


def _screenshot(app: QApplication, window: MainWindow, path: str) -> int:
    """Pre-annotate what is not yet, select the first attributed quote, grab, save, exit."""
    from PySide6.QtCore import QTimer

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
