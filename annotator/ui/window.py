"""The main window: composes the article view, docks, menus and status bar.

It holds no annotation logic: actions call the ``Workspace`` / ``ArticleEditor`` and the
widgets repaint from their events.
"""
from __future__ import annotations

import weakref
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (QDockWidget, QHBoxLayout, QLabel, QMainWindow, QMessageBox, QToolBar, QVBoxLayout,
                               QWidget)

from ..core.labels import LabelScheme
from .actions import build_actions, build_label_actions, build_menus, toolbar_ids
from .article_view import MARGIN, ArticleView
from .background import Preannotator
from .entity_panel import EntityPanel
from .header import ArticleHeader
from .icons import IconRegistry
from .palette import LabelPalette
from .paint import FormatBook
from .quote_panel import QuotePanel
from .settings import AppSettings
from .sources_panel import SourcesPanel
from .status import StatusPanel
from .theme import Colours

if TYPE_CHECKING:  # imported when first used: they are not needed for the first paint
    from .dialogs import ExportDialog, ImportDialog, ShortcutSheet
    from .editor import ArticleEditor
    from .queue_model import QueueModel
    from .queue_panel import QueuePanel
    from .workers import AnnotateJob
    from .workspace import Workspace


class MainWindow(QMainWindow):
    # Emitted on the UI thread when background pre-annotation ends (finished or failed).
    annotation_finished = Signal()

    def __init__(self, db_path: str | Path, settings: AppSettings, scheme: LabelScheme,
                 colours: Colours, icons: IconRegistry):
        """The frame and every widget; the article data arrives with ``attach``."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(f"Annotator \u2014 {Path(db_path).name}")
        self.setAcceptDrops(True)
        self.workspace: Workspace | None = None
        self.db_path = str(db_path)
        self.settings = settings
        self.icons = icons
        self._wired: weakref.WeakSet = weakref.WeakSet()  # editors already connected
        self.shortcut_sheet: ShortcutSheet | None = None

        self.scheme = scheme
        self.view = ArticleView(FormatBook(scheme, colours), colours)
        self.header = ArticleHeader()
        self.palette_bar = LabelPalette(scheme)
        self.setCentralWidget(self._centre())

        self.queue_model: QueueModel | None = None
        self.queue: QueuePanel | None = None
        self.entities = EntityPanel(icons)
        self.quotes = QuotePanel()
        self.sources = SourcesPanel()
        self._docks()

        self.actions_by_id = build_actions(self, self.view, self._handlers(), icons)
        build_menus(self.menuBar(), self.actions_by_id)
        self.label_actions = build_label_actions(self.view, scheme, self.apply_label)
        self._toolbar()
        self.status = StatusPanel(self.statusBar())
        self.preannotator = Preannotator(db_path, self.status, self)
        self.preannotator.annotated.connect(self._annotated)
        self.preannotator.finished.connect(self.annotation_finished)

        self.view.status_message.connect(self.status.say)
        self.palette_bar.label_chosen.connect(self.apply_label)
        self.resize(1400, 900)

    def show_preview(self, title: str, text: str) -> None:
        """The first paint: the article's text, before the store is open."""
        self.header.title.setText(title or "(untitled)")
        self.header.meta.setText("Opening the database\u2026")
        self.view.setPlainText(text)

    def attach(self, workspace: Workspace) -> None:
        """Connect the open database: queue, panels, and the first article."""
        from .queue_model import QueueModel
        from .queue_panel import QueuePanel

        self.workspace = workspace
        self.queue_model = QueueModel(workspace.navigator, self.icons, self)
        self.queue = QueuePanel(workspace.navigator, self.queue_model, self.scheme)
        self.queue.setMinimumWidth(260)
        self.queue_dock.setWidget(self.queue)
        self.queue.open_row.connect(lambda row: workspace.navigator.open_row(row))
        workspace.opened.connect(self._show_editor)
        self.icons.when_ready("status-todo", lambda _icon: self.queue_model.layoutChanged.emit())
        self._update_progress()

    # --- composition -------------------------------------------------------------------
    def _centre(self) -> QWidget:
        """Title, metadata and text in one column of reading width, centred in the window."""
        column = QWidget()
        column.setObjectName("centreTop")
        column.setMaximumWidth(self.view.maximumWidth())
        top = QVBoxLayout()
        top.setContentsMargins(MARGIN + 12, 16, 24, 8)
        top.addWidget(self.header)
        inner = QVBoxLayout(column)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(0)
        inner.addLayout(top)
        inner.addWidget(self.view, 1)
        centre = QWidget()
        centre.setObjectName("centre")
        row = QHBoxLayout(centre)
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        row.addWidget(column, 100)
        row.addStretch(1)
        return centre

    def _docks(self) -> None:
        def dock(title, widget, area, name):
            d = QDockWidget(title, self)
            d.setObjectName(name)
            d.setWidget(widget)
            d.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetFloatable
                          | QDockWidget.DockWidgetClosable)
            self.addDockWidget(area, d)
            return d

        waiting = QLabel("Opening the database\u2026")
        waiting.setAlignment(Qt.AlignCenter)
        waiting.setMinimumWidth(260)
        self.queue_dock = dock("Articles", waiting, Qt.LeftDockWidgetArea, "queueDock")
        self.quotes_dock = dock("Quotes", self.quotes, Qt.RightDockWidgetArea, "quotesDock")
        self.entities_dock = dock("Entities", self.entities, Qt.RightDockWidgetArea, "entitiesDock")
        self.sources_dock = dock("Sources", self.sources, Qt.RightDockWidgetArea, "sourcesDock")
        self.tabifyDockWidget(self.quotes_dock, self.entities_dock)
        self.quotes_dock.raise_()
        self._docks_sized = False
        for panel in (self.quotes, self.entities, self.sources):
            panel.setMinimumWidth(400)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._docks_sized:  # dock sizes only stick once the window has a size
            self._docks_sized = True
            self.resizeDocks([self.queue_dock, self.quotes_dock], [270, 420], Qt.Horizontal)
            self.resizeDocks([self.quotes_dock, self.sources_dock], [520, 240], Qt.Vertical)

    def _toolbar(self) -> None:
        bar = QToolBar("Main")
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setIconSize(QSize(18, 18))
        bar.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        groups = (("previous", "next"), ("accept", "skip", "reject"), ("add_quote", "set_speaker", "set_cue"),
                  ("undo", "redo"))
        wanted = set(toolbar_ids()) | {"undo", "redo"}
        for group in groups:
            if bar.actions():
                bar.addSeparator()
            for action_id in group:
                if action_id in wanted:
                    bar.addAction(self.actions_by_id[action_id])
        self.addToolBar(Qt.TopToolBarArea, bar)
        self.toolbar = bar
        self.addToolBarBreak(Qt.TopToolBarArea)
        labels = QToolBar("Labels")
        labels.setObjectName("labelToolbar")
        labels.setMovable(False)
        labels.addWidget(self.palette_bar)
        self.addToolBar(Qt.TopToolBarArea, labels)

    def _handlers(self) -> dict:
        return {
            "import": self.open_import, "export": self.open_export, "settings": self.open_settings,
            "quit": self.close, "undo": self.undo, "redo": self.redo, "delete": self.delete,
            "add_quote": self.add_quote, "set_speaker": lambda: self.view.start_pick("speaker"),
            "set_cue": lambda: self.view.start_pick("cue"), "cycle_kind": self._with_editor("cycle_kind"),
            "clear_selection": self.clear_selection,
            "next_entity": lambda: self.select_next("entity", +1),
            "previous_entity": lambda: self.select_next("entity", -1),
            "next_quote": lambda: self.select_next("quote", +1),
            "previous_quote": lambda: self.select_next("quote", -1),
            "end_right": lambda: self.move_boundary("end", +1), "end_left": lambda: self.move_boundary("end", -1),
            "start_left": lambda: self.move_boundary("start", -1),
            "start_right": lambda: self.move_boundary("start", +1),
            "accept": lambda: self.decide("done"), "skip": lambda: self.decide("skipped"),
            "reject": lambda: self.decide("rejected"),
            "next": lambda: self._step(+1), "previous": lambda: self._step(-1),
            "search": self.focus_search, "shortcuts": self.show_shortcuts,
        }

    # --- article ---------------------------------------------------------------------------
    @property
    def editor(self) -> ArticleEditor | None:
        return self.workspace.editor if self.workspace is not None else None

    def _show_editor(self, editor: ArticleEditor | None) -> None:
        for widget in (self.view, self.header, self.entities, self.quotes, self.sources):
            widget.set_editor(editor)
        if editor is not None and editor not in self._wired:
            self._wired.add(editor)
            editor.changed.connect(self._after_edit)
            editor.message.connect(self.status.say)
        self.view.setFocus()
        if self.queue is not None:
            self.queue.show_current()
        self._update_undo()
        self._update_progress()

    def _after_edit(self, change, _owners) -> None:
        self._update_undo()
        if change.status:
            self._update_progress()
        if self.editor is not None and self.queue_model is not None:
            self.queue_model.refresh_articles([self.editor.article.id])

    def _update_undo(self) -> None:
        editor = self.editor
        undo, redo = self.actions_by_id["undo"], self.actions_by_id["redo"]
        undo.setEnabled(bool(editor and editor.can_undo))
        redo.setEnabled(bool(editor and editor.can_redo))
        stack = editor.session.stack if editor else None
        undo.setText(f"&Undo {stack.undo_text}" if stack and stack.can_undo else "&Undo")
        redo.setText(f"&Redo {stack.redo_text}" if stack and stack.can_redo else "&Redo")

    def _update_progress(self) -> None:
        if self.workspace is not None:
            self.status.set_done(*self.workspace.progress())

    # --- actions -------------------------------------------------------------------------
    def apply_label(self, label: str) -> None:
        if self.editor is None:
            return
        if self.editor.apply_label(label, self.view.selection_span()):
            self.view.clear_text_selection()

    def _with_editor(self, method: str):
        return lambda: getattr(self.editor, method)() if self.editor is not None else None

    def undo(self) -> None:
        if self.editor is not None and not self.editor.undo():
            self.status.say("Nothing to undo in this article.")

    def redo(self) -> None:
        if self.editor is not None and not self.editor.redo():
            self.status.say("Nothing to redo in this article.")

    def delete(self) -> None:
        if self.editor is not None:
            self.editor.remove_selected()

    def add_quote(self) -> None:
        span = self.view.selection_span()
        if self.editor is None:
            return
        if span is None:
            self.status.say("Select the quoted words first, then press Q.")
            return
        if self.editor.add_quote(*span) is not None:
            self.view.clear_text_selection()
            self.status.say("Quote marked. Press S to set its speaker, C for its cue.")

    def select_next(self, kind: str, step: int) -> None:
        if self.editor is not None:
            caret = self.view.offsets.to_cp(self.view.textCursor().position())
            self.editor.select_next(kind, step, caret)

    def clear_selection(self) -> None:
        if self.view.cancel_pick():
            return
        self.view.clear_text_selection()
        if self.editor is not None:
            self.editor.clear_selection()

    def move_boundary(self, edge: str, step: int) -> None:
        """Shift+arrows: move the selected entity's edge, or extend the text selection as usual."""
        if self.editor is not None and self.editor.selection.entity is not None:
            if not self.editor.move_boundary(edge, step):
                self.status.say("The entity cannot move further that way.")
            return
        cursor = self.view.textCursor()
        move = QTextCursor.NextCharacter if step > 0 else QTextCursor.PreviousCharacter
        if edge == "start":
            move = QTextCursor.NextWord if step > 0 else QTextCursor.PreviousWord
        cursor.movePosition(move, QTextCursor.KeepAnchor)
        self.view.setTextCursor(cursor)

    def decide(self, status: str) -> None:
        if self.editor is None:
            return
        title = self.editor.article.title
        nxt = self.workspace.decide(status)
        self.queue_model.reload()
        self.queue.show_current()
        self.queue.update_summary()
        self._update_progress()
        word = {"done": "Accepted", "skipped": "Skipped", "rejected": "Rejected"}[status]
        self.status.say(f"{word}: {title[:60]}" + ("" if nxt else " \u2014 no more articles in this view."))

    def _step(self, step: int) -> None:
        if self.workspace is None:
            return
        nav = self.workspace.navigator
        if (nav.next() if step > 0 else nav.previous()) is None:
            self.status.say(f"This is the {'last' if step > 0 else 'first'} article in the queue.")

    def focus_search(self) -> None:
        if self.queue is None:
            return
        self.queue_dock.show()
        self.queue.search.setFocus()
        self.queue.search.selectAll()

    def show_shortcuts(self) -> ShortcutSheet:
        """Non-modal, so the analyst can keep it open beside the article."""
        from .dialogs import ShortcutSheet

        if self.shortcut_sheet is None:
            self.shortcut_sheet = ShortcutSheet(self.scheme, self)
        self.shortcut_sheet.show()
        self.shortcut_sheet.raise_()
        return self.shortcut_sheet

    # --- dialogs -------------------------------------------------------------------------
    def open_import(self, paths=()) -> ImportDialog:
        from .dialogs import ImportDialog

        dialog = ImportDialog(self.db_path, paths, self)
        dialog.job_done.connect(lambda _r: self.after_import())
        dialog.show()
        return dialog

    def after_import(self) -> None:
        if self.workspace is None:
            return
        self.queue_model.reload()
        self.queue.update_summary()
        self._update_progress()
        if self.editor is None:
            self.workspace.start()
        self.start_annotation()

    def open_export(self) -> ExportDialog:
        from .dialogs import ExportDialog

        dialog = ExportDialog(self.db_path, self)
        dialog.show()
        return dialog

    def open_settings(self) -> None:
        from ..nlp.pipeline import available_pipelines
        from .dialogs import SettingsDialog

        dialog = SettingsDialog(self.settings, available_pipelines(), self,
                                Path(self.db_path).with_name("labels.json"))
        if dialog.exec():
            self.settings_changed(dialog.value())

    def settings_changed(self, new: AppSettings) -> None:
        """Apply new settings (the app object stores them and re-themes)."""
        from .app import apply_settings

        apply_settings(self, new)

    def set_scheme(self, scheme: LabelScheme, colours: Colours) -> None:
        self.scheme = scheme
        if self.workspace is not None:
            self.workspace.set_scheme(scheme)
        self.palette_bar.set_scheme(scheme)
        for action in self.label_actions:
            self.view.removeAction(action)
        self.label_actions = build_label_actions(self.view, scheme, self.apply_label)
        if self.queue is not None:
            self.queue.set_labels(scheme)
        self.view.set_look(FormatBook(scheme, colours), colours)

    # --- background pre-annotation --------------------------------------------------------------
    @property
    def annotate_job(self) -> AnnotateJob | None:
        return self.preannotator.job

    def start_annotation(self) -> AnnotateJob | None:
        """Pre-annotate every article that is not yet, the open one first."""
        if self.workspace is None:
            return None
        return self.preannotator.start(self.workspace.unannotated(), self.settings.pipeline)

    def _annotated(self, ids: list) -> None:
        if self.workspace is None:
            return
        self.queue_model.refresh_articles(ids)
        for article_id in ids:
            self.workspace.reload(article_id)

    # --- window events ---------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.open_import(paths)
            event.acceptProposedAction()

    def restore_layout(self) -> None:
        """Dock sizes and window geometry from the last session, if any."""
        qs = getattr(self, "qsettings", None)
        if qs is None:
            return
        geometry, state = qs.value("window/geometry"), qs.value("window/state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None and self.restoreState(state):
            self._docks_sized = True

    def closeEvent(self, event) -> None:
        qs = getattr(self, "qsettings", None)
        if qs is not None:
            qs.setValue("window/geometry", self.saveGeometry())
            qs.setValue("window/state", self.saveState())
        from .dialogs import JobDialog

        for dialog in self.findChildren(JobDialog):  # an import or export still running
            dialog.close()
        if not self.preannotator.stop(15000):
            QMessageBox.warning(self, "Annotator", "Still finishing the current article; closing anyway.")
        super().closeEvent(event)
