"""Import and export dialogs: work off the UI thread, progress, cancel, drag and drop."""
import json

import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication

from annotator.core.commands import SetStatus
from annotator.core.model import Article, EntitySpan
from annotator.store import EditSession, Store
from annotator.ui.app import build_window
from annotator.ui.settings import AppSettings
from annotator.ui.workers import ImportJob


@pytest.fixture
def window(qtbot, tmp_path):
    path = tmp_path / "d.db"
    store = Store(path)
    article_id = store.add_article(Article("Olaf Scholz spoke in Berlin on Friday.", title="Scholz",
                                           entities=[EntitySpan(0, 11, "PERSON")], pipeline="t")).article_id
    EditSession(store, article_id).do(SetStatus("done"))
    win = build_window(store, path, AppSettings(analyst="t"), QApplication.instance(),
                       QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat))
    qtbot.addWidget(win)
    win.show()
    yield win
    store.close()


def write_articles(folder, n):
    folder.mkdir()
    for i in range(n):
        (folder / f"story{i}.txt").write_text(f"Story {i}\n\nThe mayor of Springfield said {i} things.\n",
                                              encoding="utf-8")
    return folder


def test_import_dialog_imports_a_folder_and_refreshes_the_queue(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setattr(window, "start_annotation", lambda: None)  # no spaCy needed here
    folder = write_articles(tmp_path / "in", 3)
    dialog = window.open_import([str(folder)])
    qtbot.addWidget(dialog)
    assert dialog.paths.paths() == [str(folder)]
    with qtbot.waitSignal(dialog.job_done, timeout=30000):
        qtbot.mouseClick(dialog.start_button, Qt.LeftButton)
    assert "3 article(s) added" in dialog.status.text()
    assert window.queue_model.total() == 4
    assert dialog.cancel_button.text() == "Close"


def test_import_reports_bad_files_by_name(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setattr(window, "start_annotation", lambda: None)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine article here."}\n{not json\n', encoding="utf-8")
    dialog = window.open_import([str(bad)])
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.job_done, timeout=30000):
        dialog.start()
    assert "bad.jsonl" in dialog.status.text()
    assert "1 problem" in dialog.status.text()


def test_cancelled_import_keeps_what_finished(qtbot, tmp_path):
    folder = write_articles(tmp_path / "many", 20)
    db = tmp_path / "c.db"
    Store(db).close()
    job = ImportJob(db, [str(folder)])
    job.cancel()                                  # stop at the first safe point
    with qtbot.waitSignal(job.finished, timeout=30000) as blocker:
        job.start()
    job.wait()
    assert blocker.args == [None]
    with Store(db) as store:
        assert 1 <= store.count_articles() < 20   # the file in hand was finished, nothing half-stored


def test_export_dialog_writes_done_articles(qtbot, window, tmp_path):
    out = tmp_path / "out.jsonl"
    dialog = window.open_export()
    qtbot.addWidget(dialog)
    dialog.format.setCurrentText("jsonl")
    dialog.output.setText(str(out))
    with qtbot.waitSignal(dialog.job_done, timeout=30000):
        qtbot.mouseClick(dialog.start_button, Qt.LeftButton)
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(lines) == 1 and lines[0]["text"].startswith("Olaf Scholz")
    assert "1 article(s) written" in dialog.status.text()


def test_export_without_output_says_so(qtbot, window):
    dialog = window.open_export()
    qtbot.addWidget(dialog)
    dialog.start()
    assert "Choose where to write" in dialog.status.text()
    assert dialog.job is None


def test_dropping_files_on_the_window_opens_the_import_dialog(qtbot, window, tmp_path):
    folder = write_articles(tmp_path / "drop", 2)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder / "story0.txt")), QUrl.fromLocalFile(str(folder / "story1.txt"))])
    event = QDropEvent(QPointF(50, 50), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    window.dropEvent(event)
    from annotator.ui.dialogs import ImportDialog

    dialogs = window.findChildren(ImportDialog)
    assert dialogs and dialogs[-1].paths.paths() == [str(folder / "story0.txt"), str(folder / "story1.txt")]


def test_label_scheme_edited_in_settings_is_saved_and_used(qtbot, window, tmp_path):
    from annotator.core.labels import LabelScheme
    from annotator.ui.app import apply_settings
    from annotator.ui.dialogs import SettingsDialog

    settings = SettingsDialog(AppSettings(analyst="t"), [], window, tmp_path / "labels.json")
    qtbot.addWidget(settings)
    editor = settings.edit_labels()
    table = editor.table
    assert table.item(0, 0).text() == "PERSON"
    table.item(0, 1).setText("2")                  # clashes with ORG's key
    editor.save()
    assert "key '2' is used twice" in editor.problems.text()
    assert not (tmp_path / "labels.json").exists()  # nothing half-written
    table.item(0, 1).setText("1")
    editor.add_row("SOURCE", "", "#123456", "Who is quoted")
    editor.save()
    assert settings.scheme.text() == str(tmp_path / "labels.json")
    scheme = LabelScheme.load(tmp_path / "labels.json")
    assert scheme.get("SOURCE").color == "#123456"
    apply_settings(window, settings.value())
    assert "SOURCE" in window.scheme.names
    assert window.queue.label.findData("SOURCE") >= 0


def test_closing_the_window_stops_a_running_import_cleanly(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setattr(window, "start_annotation", lambda: None)
    folder = write_articles(tmp_path / "lots", 60)
    dialog = window.open_import([str(folder)])
    dialog.start()
    window.close()                                   # must not abort with a running thread
    assert dialog.job is None or not dialog.job.thread.isRunning()
    with Store(window.db_path) as store:
        assert store.count_articles() <= 61          # whatever finished is stored whole
