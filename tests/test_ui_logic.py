"""The window's logic without Qt: editor, snapping, highlight marks, queue, lock, first run."""
import subprocess
import sys

import pytest

from annotator.core.commands import SetStatus
from annotator.core.labels import LabelScheme
from annotator.core.model import Article, EntitySpan, Mention, Quote
from annotator.store import EditSession, Store
from annotator.ui.dblock import DatabaseLock
from annotator.ui.editor import ArticleEditor, sources_summary
from annotator.ui.firstrun import ensure_sample
from annotator.ui.highlight import HighlightModel, Selection, describe_at
from annotator.ui.navigator import Navigator
from annotator.ui.offsets import OffsetMap
from annotator.ui.snapping import Tokens, simple_tokens

TEXT = ("Angela Merkel met Emmanuel Macron in Paris.\n\n"
        "\u201cWe agree,\u201d Macron said after the talks.\n")


@pytest.fixture
def editor(store):
    article = Article(TEXT, title="Merkel meets Macron",
                      entities=[EntitySpan(0, 13, "PERSON"), EntitySpan(18, 33, "PERSON"),
                                EntitySpan(37, 42, "GPE")],
                      quotes=[Quote(45, 56, "direct", Mention(57, 63), "Macron", Mention(64, 68))])
    article_id = store.add_article(article).article_id
    return ArticleEditor(EditSession(store, article_id, who="tester"), LabelScheme.load())


def events(editor):
    seen = {"changed": [], "messages": [], "selection": []}
    editor.changed.connect(lambda change, owners: seen["changed"].append(owners))
    editor.message.connect(seen["messages"].append)
    editor.selection_changed.connect(lambda old, new: seen["selection"].append(new))
    return seen


# --- snapping -----------------------------------------------------------------------------
def test_snap_widens_a_clipped_selection_to_whole_words():
    toks = Tokens(simple_tokens("Angela Merkel met"))
    assert toks.snap(2, 9) == (0, 13)          # "gela Mer" -> "Angela Merkel"
    assert toks.snap(6, 7) is None             # only a space
    assert toks.snap(0, 6) == (0, 6)


def test_editor_reports_a_snapped_selection(editor):
    seen = events(editor)
    new_id = editor.add_entity(39, 41, "GPE")  # inside "Paris", which is already an entity
    assert editor.article.entity(new_id).start == 37
    assert any("snapped" in m for m in seen["messages"])


# --- entity edits ---------------------------------------------------------------------------
def test_label_key_adds_then_relabels_and_stores(editor, store):
    seen = events(editor)
    start = TEXT.index("after")
    assert editor.label_key("2", (start, start + 5))   # "after" -> ORG (a made-up edit)
    added = editor.article.entity(editor.selection.entity)
    assert (added.text(TEXT), added.label, added.source) == ("after", "ORG", "analyst")
    assert editor.label_key("3", None)                 # relabel the selected entity
    assert store.get_article(editor.article.id).entity(added.id).label == "GPE"
    assert len(seen["changed"]) == 2
    assert store.history(editor.article.id)[0]["who"] == "tester"


def test_unknown_key_does_nothing(editor):
    assert not editor.label_key("x", (0, 6))


def test_delete_and_undo_redo(editor, store):
    editor.select(1)
    assert editor.remove_selected()
    assert store.get_article(editor.article.id).entity(1) is None
    assert editor.undo()
    assert store.get_article(editor.article.id).entity(1).text(TEXT) == "Angela Merkel"
    assert editor.redo()
    assert editor.article.entity(1) is None
    assert not editor.redo()


def test_move_boundaries_by_whole_tokens(editor):
    editor.select(1)                              # "Angela Merkel"
    assert editor.move_boundary("end", +1)
    assert editor.article.entity(1).text(TEXT) == "Angela Merkel met"
    assert editor.move_boundary("end", -1)
    assert editor.move_boundary("start", +1)
    assert editor.article.entity(1).text(TEXT) == "Merkel"
    assert not editor.move_boundary("start", +1)  # cannot shrink to nothing
    assert editor.move_boundary("start", -1)
    assert editor.article.entity(1).text(TEXT) == "Angela Merkel"


def test_same_span_twice_relabels_instead_of_stacking(editor):
    n = len(editor.article.entities)
    editor.add_entity(37, 42, "LOC")
    assert len(editor.article.entities) == n
    assert editor.article.entity(3).label == "LOC"


# --- quotes -----------------------------------------------------------------------------------
def test_quote_speaker_cue_and_kind(editor, store):
    quote_id = editor.add_quote(0, 42)
    assert editor.selection.quote == quote_id
    assert editor.set_speaker_from_entity(quote_id, 2)
    assert editor.set_cue(quote_id, 14, 17)          # "met"
    assert editor.cycle_kind()
    stored = store.get_article(editor.article.id).quote(quote_id)
    assert stored.speaker_name == "Emmanuel Macron"
    assert stored.cue.text(TEXT) == "met"
    assert stored.kind == "indirect"
    editor.set_speaker(quote_id, name="A spokesperson")
    assert store.get_article(editor.article.id).quote(quote_id).speaker_name == "A spokesperson"


def test_speaker_candidates_and_sources_summary(editor):
    assert editor.speaker_candidates()[:2] == ["Angela Merkel", "Emmanuel Macron"]
    rows = sources_summary(editor.article)
    assert rows[0][0] == "Macron" and rows[0][1] == 1


def test_status_is_an_undoable_edit(editor, store):
    assert editor.set_status("done")
    assert store.get_article(editor.article.id).status == "done"
    editor.undo()
    assert store.get_article(editor.article.id).status == "todo"


# --- highlight marks ------------------------------------------------------------------------
def test_highlight_runs_per_paragraph_and_partial_update(editor):
    model = HighlightModel(editor.article, OffsetMap(TEXT))
    runs = model.build()
    assert set(runs) == {0, 2}                  # two paragraphs with marks, none on the blank one
    assert (0, 13, "entity:PERSON") in runs[0]
    editor.relabel(1, "ORG")
    updated = model.update({("e", 1)})
    assert list(updated) == [0]                 # only the first paragraph is repainted
    assert (0, 13, "entity:ORG") in updated[0]
    assert (0, 13, "entity:PERSON") not in updated[0]


def test_selected_quote_links_speaker_and_cue(editor):
    model = HighlightModel(editor.article, OffsetMap(TEXT))
    model.build()
    quote = editor.article.quotes[0]
    runs = model.update({("q", quote.id)}, Selection(quote=quote.id))
    styles = {style for block in runs.values() for _s, _l, style in block}
    assert {"quote", "quote-selected", "speaker", "cue"} <= styles


def test_highlights_stay_on_their_words_with_emoji_and_crlf(store):
    text = "\U0001F600 Intro\r\nOlaf Scholz \u4e2d\u6587 said\r\n"
    article = Article(text, entities=[EntitySpan(9, 20, "PERSON")])
    model = HighlightModel(article, OffsetMap(text))
    runs = model.build()
    # Block 1 starts after "\U0001F600 Intro" + separator: Qt position 9; the name starts there.
    assert runs == {1: [(0, 11, "entity:PERSON")]}


def test_hover_text_names_label_source_and_speaker(editor):
    assert "PERSON" in describe_at(editor.article, 2) and "model" in describe_at(editor.article, 2)
    assert "Macron" in describe_at(editor.article, 47)
    editor.set_speaker_from_entity(editor.article.quotes[0].id, 2)
    assert "speaker of 1 quote" in describe_at(editor.article, 20)


# --- queue ------------------------------------------------------------------------------------
def test_navigator_pages_filters_and_moves_on(store):
    ids = [store.add_article(Article(f"Article number {i} about {'Paris' if i % 2 else 'Rome'}.",
                                     title=f"A{i}")).article_id for i in range(7)]
    nav = Navigator(store)
    assert nav.open_first() == ids[0]
    assert nav.next() == ids[1]
    assert nav.previous() == ids[0]
    nav.set_filter(search="Paris", status="todo")
    assert nav.count() == 3
    assert nav.open_row(0) == ids[1]
    assert nav.next() == ids[3]
    EditSession(store, ids[3]).do(SetStatus("done"))   # accepted: it leaves the todo view
    assert nav.after_status_change() == ids[5]
    assert nav.row == 1
    nav.set_filter(status=None)                         # back to all: row follows the article
    assert nav.row == 2


# --- lock and first run -------------------------------------------------------------------------
def test_second_process_gets_a_clear_message(tmp_path):
    db = tmp_path / "a.db"
    with DatabaseLock(db):
        code = ("import sys; from annotator.ui.dblock import DatabaseLock, DatabaseLocked\n"
                f"try:\n    DatabaseLock({str(db)!r}).acquire()\nexcept DatabaseLocked as e:\n"
                "    print(e); sys.exit(7)\n")
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert result.returncode == 7
        assert "already open in another Annotator window" in result.stdout
        assert "pid" in result.stdout
    DatabaseLock(db).acquire().release()      # released: free again


def test_first_run_imports_the_sample_once(store):
    article_id = ensure_sample(store)
    article = store.get_article(article_id)
    assert article.title.startswith("France's Macron")
    assert article.noise
    assert ensure_sample(store) is None
    assert store.count_articles() == 1


# --- start-up path --------------------------------------------------------------------------------
def test_preview_path_matches_the_store_default(monkeypatch, tmp_path):
    from annotator.store.store import default_db_path
    from annotator.ui.preview import database_path

    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert database_path(None) == default_db_path()
    monkeypatch.setenv("ANNOTATOR_DB", str(tmp_path / "env.db"))
    assert database_path(None) == default_db_path() == tmp_path / "env.db"
    assert database_path(tmp_path / "given.db") == tmp_path / "given.db"


def test_preview_reads_the_first_article_to_do_without_the_store(tmp_path):
    from annotator.ui.preview import read_preview

    path = tmp_path / "p.db"
    assert read_preview(path).title.startswith("France's Macron")   # new database: the sample
    with Store(path) as store:
        first = store.add_article(Article("Done one.", title="Done")).article_id
        store.add_article(Article("Still to do.", title="Todo"))
        EditSession(store, first).do(SetStatus("done"))
    preview = read_preview(path)
    assert (preview.title, preview.text) == ("Todo", "Still to do.")
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    assert read_preview(tmp_path / "junk.db") is None


def test_window_paints_before_the_store_or_spacy_is_imported(tmp_path):
    import os

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ANNOTATOR_STARTUP_PROBE="1",
               ANNOTATOR_SETTINGS=str(tmp_path / "s.ini"))
    code = ("import sys\nfrom annotator.cli import main\nmain(['gui', '--db', %r])\n"
            "print('modules', sorted({m.split('.')[0] for m in sys.modules} & {'spacy', 'sqlite_utils', 'numpy', 'qtawesome'}))"
            % str(tmp_path / "new.db"))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert "ready text spacy=False" in result.stdout, result.stderr
    assert "modules []" in result.stdout


def test_icon_registry_defers_loading_and_recolours(qtbot):
    from annotator.ui.icons import IconRegistry

    icons = IconRegistry("light")
    got = []
    icons.when_ready("accept", got.append)
    assert got == [] and icons.get("accept") is None        # nothing loaded before the first paint
    icons.load()
    assert len(got) == 1 and not got[0].isNull()
    icons.set_theme("dark")
    assert len(got) == 2                                     # applied again in the new colours
    with pytest.raises(KeyError):
        icons.when_ready("no-such-icon", got.append)


# --- workspace ------------------------------------------------------------------------------------
def test_workspace_decides_moves_on_and_keeps_only_touched_editors(store):
    from annotator.ui.workspace import Workspace

    ids = [store.add_article(Article(f"Text number {i}.", title=f"T{i}")).article_id for i in range(3)]
    ws = Workspace(store, LabelScheme.load(), "ana")
    opened = []
    ws.opened.connect(lambda editor: opened.append(editor.article.id if editor else None))
    ws.start()
    assert opened == [ids[0]]
    ws.editor.add_entity(0, 4, "ORG")                 # touched: kept with its undo history
    assert ws.decide("done") == ids[1]
    assert ws.progress() == (1, 3)
    ws.navigator.next()                               # ids[2]; the untouched ids[1] is forgotten
    assert set(ws._editors) == {ids[0], ids[2]}
    ws.navigator.open_row(0)
    assert ws.editor.can_undo                         # back on the first: its history is there
    assert store.history(ids[0])[0]["who"] == "ana"


def test_workspace_reload_adopts_pre_annotation_without_losing_undo(store):
    from annotator.ui.workspace import Workspace

    article_id = store.add_article(Article("Olaf Scholz spoke in Berlin.", title="S")).article_id
    ws = Workspace(store, LabelScheme.load(), "ana")
    ws.start()
    mine = ws.editor.add_entity(21, 27, "LOC")
    store.save_model_annotations(article_id, [EntitySpan(0, 11, "PERSON"), EntitySpan(21, 27, "GPE")],
                                 [], None, "test 1.0")
    assert ws.reload(article_id)
    labels = sorted((e.label, e.source) for e in ws.editor.article.entities)
    assert labels == [("LOC", "analyst"), ("PERSON", "model")]   # the analyst's span wins
    assert ws.editor.undo()
    assert ws.editor.article.entity(mine) is None
    assert store.get_article(article_id).entity(mine) is None
