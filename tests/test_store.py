import sqlite3

import pytest

from annotator.core import Article, EntitySpan, Mention, Quote
from annotator.core.commands import AddEntity, SetStatus, UpdateEntity, UpdateQuote
from annotator.store import EditSession, Store, StoreError


def test_same_text_is_one_article(store):
    first = store.add_article(Article("One text.", title="A"))
    again = store.add_article(Article("One text.", title="B"))
    assert first.created and not again.created and first.article_id == again.article_id
    assert store.count_articles() == 1


def test_edits_persist_with_history_and_undo(tmp_path):
    path = tmp_path / "a.db"
    with Store(path) as store:
        aid = store.add_article(Article("Emmanuel Macron spoke.", entities=[EntitySpan(0, 15, "ORG")])).article_id
        session = EditSession(store, aid, who="maria")
        session.do(UpdateEntity(1, label_name="PERSON"))
        session.do(AddEntity(16, 21, "EVENT"))
        session.undo()
        session.do(SetStatus("done"))
    with Store(path) as store:
        article = store.get_article(aid)
        assert [(e.label, e.source) for e in article.entities] == [("PERSON", "analyst")]
        assert article.status == "done" and article.annotator_id == "maria"
        actions = [h["action"] for h in store.history(aid)]
        assert actions == ["do", "undo", "do", "do", "import"]
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_model_rerun_keeps_analyst_work(store):
    aid = store.add_article(Article("Macron met Putin in Moscow.")).article_id
    store.save_model_annotations(aid, [EntitySpan(0, 6, "PERSON"), EntitySpan(11, 16, "PERSON")], [],
                                 [(0, 6)], "test 1.0")
    session = EditSession(store, aid)
    session.do(UpdateEntity(2, label_name="ORG"))
    store.save_model_annotations(aid, [EntitySpan(0, 6, "PERSON"), EntitySpan(11, 16, "PERSON"),
                                       EntitySpan(20, 26, "GPE")], [], None, "test 1.1")
    article = store.get_article(aid)
    assert [(e.text(article.text), e.label, e.source) for e in article.entities] == [
        ("Macron", "PERSON", "model"), ("Putin", "ORG", "analyst"), ("Moscow", "GPE", "model")]
    assert {e.model for e in article.entities if e.source == "model"} == {"test 1.1"}
    assert len({e.id for e in article.entities}) == 3
    assert article.tokens == [(0, 6)]  # kept when a rerun brings none


def test_failed_write_reverts_memory(store):
    aid = store.add_article(Article("Macron met Putin.")).article_id
    session = EditSession(store, aid)
    store.db.execute("CREATE TRIGGER boom BEFORE UPDATE OF entities_json ON articles BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    with pytest.raises(sqlite3.DatabaseError):
        session.do(AddEntity(0, 6, "PERSON"))
    assert session.article.entities == [] and not session.stack.can_undo
    assert store.get_article(aid).entities == []


def test_quotes_round_trip_and_search(store):
    text = '"We will act," the minister said. Nothing else.'
    q = Quote(1, 12, "direct", Mention(14, 26), "Jane Doe", Mention(27, 31))
    aid = store.add_article(Article(text, title="Minister acts", quotes=[q])).article_id
    session = EditSession(store, aid)
    session.do(UpdateQuote(1, speaker_name="J. Doe"))
    got = store.get_article(aid).quotes[0]
    assert (got.speaker, got.cue, got.speaker_name, got.source) == (Mention(14, 26), Mention(27, 31), "J. Doe", "analyst")
    assert [r.id for r in store.list_articles(search="minister")] == [aid]
    assert store.list_articles(search='AND "(') == []  # user input never breaks FTS syntax
    with pytest.raises(StoreError, match="no article with id 99"):
        store.get_article(99)


def test_iter_articles_in_batches(store):
    for i in range(25):
        store.add_article(Article(f"Article number {i}.", entities=[EntitySpan(0, 7, "ORG")]))
    got = list(store.iter_articles(batch_size=4))
    assert [a.text for a in got] == [f"Article number {i}." for i in range(25)]
    assert all(len(a.entities) == 1 for a in got)
    assert store.count_articles(label="ORG") == 25 and store.count_articles(label="PERSON") == 0


def test_counts_follow_every_edit_undo_and_redo(store):
    from annotator.core.commands import AddQuote, RemoveEntity

    aid = store.add_article(Article("Macron met Putin in Moscow.", entities=[EntitySpan(0, 6, "PERSON")])).article_id
    session = EditSession(store, aid)

    def counts():
        row = store.list_articles()[0]
        real = (store.db.execute("SELECT count(*) FROM entities").fetchone()[0],
                store.db.execute("SELECT count(*) FROM quotes").fetchone()[0])
        assert (row.n_entities, row.n_quotes) == real
        return real

    session.do(AddEntity(11, 16, "PERSON"))
    session.do(UpdateEntity(1, label_name="ORG"))
    session.do(AddQuote(0, 16))
    assert counts() == (2, 1)
    session.do(RemoveEntity(1))
    assert counts() == (1, 1)
    session.undo()
    session.undo()
    assert counts() == (2, 0)
    session.redo()
    assert counts() == (2, 1)


def test_count_before_an_article_respects_the_filters(store):
    for i in range(6):
        store.add_article(Article(f"Text {i}.", status="done" if i % 2 else "todo"))
    assert store.count_articles(before_id=5) == 4
    assert store.count_articles(before_id=5, status="todo") == 2   # ids 1 and 3
    assert store.count_articles(before_id=6, status="done") == 2   # ids 2 and 4


def test_search_index_follows_title_and_text_but_not_edits(store):
    aid = store.add_article(Article("The minister spoke in Paris.", title="Minister")).article_id
    session = EditSession(store, aid)
    changes = store.db.execute("SELECT total_changes()").fetchone()[0]
    session.do(SetStatus("done"))
    # One update of the article's row and one history row: the FTS index is not rewritten.
    assert store.db.execute("SELECT total_changes()").fetchone()[0] - changes == 2
    store.db.execute("UPDATE articles SET title = 'Envoy' WHERE id = ?", [aid])
    assert [r.id for r in store.list_articles(search="envoy")] == [aid]
    assert [r.id for r in store.list_articles(search="minister")] == [aid]  # still in its text
    assert [r.id for r in store.list_articles(search="paris", status="done")] == [aid]


def test_label_filter_follows_edits_undo_and_model_reruns(store):
    from annotator.core.commands import RemoveEntity

    aid = store.add_article(Article("Macron met Putin in Moscow.", entities=[EntitySpan(0, 6, "PERSON")])).article_id
    other = store.add_article(Article("Rain in Oslo.", entities=[EntitySpan(8, 12, "GPE", "analyst")])).article_id

    def with_label(label):
        return [row.id for row in store.list_articles(label=label)]

    assert with_label("PERSON") == [aid] and with_label("GPE") == [other]
    session = EditSession(store, aid)
    session.do(AddEntity(20, 26, "GPE"))
    assert with_label("GPE") == [aid, other]
    session.do(UpdateEntity(1, label_name="ORG"))
    assert with_label("PERSON") == [] and with_label("ORG") == [aid]
    session.do(RemoveEntity(2))
    assert with_label("GPE") == [other]
    session.undo()
    session.undo()
    assert with_label("PERSON") == [aid] and with_label("ORG") == [] and with_label("GPE") == [aid, other]
    store.save_model_annotations(other, [EntitySpan(0, 4, "EVENT")], [], None, "test 1.0")
    assert with_label("EVENT") == [other] and with_label("GPE") == [aid, other]  # the analyst's GPE stays
    assert store.count_articles(label="GPE") == 2


@pytest.mark.parametrize("before", ["m004_annotations_clustered_by_article", "m005_annotations_kept_with_their_article"])
def test_a_database_from_before_the_annotation_migrations_keeps_its_annotations(tmp_path, before):
    """Migration 4 rebuilds the entity and quote tables, migration 5 moves their rows into
    the articles: every row and the label filter survive, and SQL readers still find them."""
    from sqlite_utils import Database

    from annotator.store.schema import migrations

    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before=before)
    db.execute("INSERT INTO articles (id, hash, text, created_at, updated_at, n_entities, n_quotes)"
               " VALUES (1, 'h', 'Macron said it.', 'x', 'x', 3, 1), (2, 'g', 'Nothing.', 'x', 'x', 0, 0)")
    # Rows out of position order: an article's annotations come back in order of position.
    entity_rows = [(1, 4, 7, 11, "EVENT", "model", "m 1"), (1, 1, 0, 6, "PERSON", "analyst", None),
                   (1, 2, 0, 6, "NORP", "model", "m 1")]
    quote_rows = [(1, 3, 0, 15, "indirect", 0, 6, "Emmanuel Macron", 7, 11, "model", "m 1")]
    db.conn.executemany("INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?, ?)", entity_rows)
    db.conn.executemany("INSERT INTO quotes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", quote_rows)
    db.conn.commit()
    db.close()
    with Store(path) as store:
        article = store.get_article(1)
        assert [(e.id, e.label, e.source, e.model) for e in article.entities] == [
            (1, "PERSON", "analyst", None), (2, "NORP", "model", "m 1"), (4, "EVENT", "model", "m 1")]
        [quote] = article.quotes
        assert (quote.id, quote.speaker_name, quote.speaker, quote.cue) == (3, "Emmanuel Macron", Mention(0, 6), Mention(7, 11))
        assert store.get_article(2).entities == [] and store.get_article(2).quotes == []
        assert store.count_articles(label="EVENT") == 1 and store.count_articles(label="ORG") == 0
        kinds = dict(store.db.execute("SELECT name, type FROM sqlite_master WHERE name IN ('entities', 'quotes')").fetchall())
        assert kinds == {"entities": "view", "quotes": "view"}
        assert sorted(store.db.execute("SELECT * FROM entities").fetchall()) == sorted(entity_rows)
        assert store.db.execute("SELECT * FROM quotes").fetchall() == quote_rows


def test_sql_readers_see_a_row_per_annotation(store):
    """The views ``entities`` and ``quotes`` follow every write: import, model run, edits, undo."""
    from annotator.core.commands import AddQuote, RemoveEntity

    aid = store.add_article(Article("Macron met Putin in Moscow.", entities=[EntitySpan(0, 6, "PERSON")])).article_id
    store.save_model_annotations(aid, [EntitySpan(20, 26, "GPE")], [Quote(0, 16, "indirect")], None, "sm 3.8")
    session = EditSession(store, aid)
    session.do(AddEntity(11, 16, "PERSON"))
    session.do(AddQuote(0, 10, "indirect", speaker=Mention(0, 6), speaker_name="Emmanuel Macron"))
    session.do(RemoveEntity(1))
    session.undo()

    def api_rows(article):
        ents = [(article.id, e.id, e.start, e.end, e.label, e.source, e.model) for e in article.entities]
        quotes = [(article.id, q.id, q.start, q.end, q.kind, q.speaker and q.speaker.start, q.speaker and q.speaker.end,
                   q.speaker_name, q.cue and q.cue.start, q.cue and q.cue.end, q.source, q.model) for q in article.quotes]
        return sorted(ents), sorted(quotes)

    sql = (sorted(store.db.execute("SELECT * FROM entities").fetchall()),
           sorted(store.db.execute("SELECT * FROM quotes").fetchall()))
    assert sql == api_rows(store.get_article(aid)) == api_rows(session.article)
    assert len(sql[0]) == 2 and len(sql[1]) == 2  # the model's Moscow and the analyst's Putin


def test_an_edit_keeps_what_was_stored_since_the_article_was_read(store):
    """An edit writes the annotations it changed, not the whole article as the editor holds it:
    a model run in between (another process) keeps its entities."""
    aid = store.add_article(Article("Macron met Putin in Moscow.",
                                    entities=[EntitySpan(0, 6, "PERSON", "analyst")])).article_id
    session = EditSession(store, aid)
    store.save_model_annotations(aid, [EntitySpan(20, 26, "GPE")], [], None, "sm 3.8")
    session.do(UpdateEntity(1, label_name="ORG"))
    article = store.get_article(aid)
    assert [(e.text(article.text), e.label, e.source) for e in article.entities] == [
        ("Macron", "ORG", "analyst"), ("Moscow", "GPE", "model")]
    assert store.list_articles()[0].n_entities == 2


def test_unreadable_stored_annotations_name_the_article(store):
    aid = store.add_article(Article("Macron met Putin.")).article_id
    store.db.execute("""UPDATE articles SET entities_json = '[[1, 0, "six"]]' WHERE id = ?""", [aid])
    with pytest.raises(StoreError, match=f"article {aid}: its stored entities or quotes cannot be read"):
        store.get_article(aid)


def test_stats_count_labels_kinds_and_sources(store):
    store.add_article(Article("Macron met Putin in Moscow.", entities=[
        EntitySpan(0, 6, "PERSON"), EntitySpan(11, 16, "PERSON", "analyst"), EntitySpan(20, 26, "GPE")],
        quotes=[Quote(0, 16, "indirect", source="analyst")]))
    store.add_article(Article("Rain in Oslo.", entities=[EntitySpan(8, 12, "GPE", "analyst")],
                              quotes=[Quote(0, 4, "direct"), Quote(5, 12, "direct")]))
    stats = store.stats()
    assert (stats["entities"], stats["quotes"]) == (4, 3)
    assert stats["entities_by_label"] == {"PERSON": 2, "GPE": 2}
    assert stats["quotes_by_kind"] == {"indirect": 1, "direct": 2}
    assert stats["annotations_by_source"] == {"model": 4, "analyst": 3}


def _many_annotations(n_entities: int, n_quotes: int) -> Article:
    words = [f"w{i:04d}" for i in range(max(n_entities, n_quotes))]
    text = " ".join(words)
    entities = [EntitySpan(6 * i, 6 * i + 5, ("PERSON", "ORG", "GPE")[i % 3], ("model", "analyst")[i % 2],
                           model="sm 3.8" if i % 2 == 0 else None) for i in range(n_entities)]
    quotes = [Quote(6 * i, 6 * i + 5, "direct", Mention(6 * i, 6 * i + 2) if i % 2 else None, f"S{i}" if i % 3 else None,
                    Mention(6 * i + 2, 6 * i + 4) if i % 5 else None, "analyst") for i in range(n_quotes)]
    return Article(text, entities=entities, quotes=quotes)


def test_many_annotations_are_stored_exactly_in_order_of_position(store):
    article = _many_annotations(237, 105)
    article.entities.reverse()
    store.add_article(article)
    back = store.get_article(article.id)
    position = lambda item: (item.start, item.end, item.id)  # noqa: E731
    assert back.entities == sorted(article.entities, key=position)
    assert back.quotes == sorted(article.quotes, key=position)
    assert store.stats()["entities"] == 237 and store.list_articles()[0].n_quotes == 105


def test_edits_keep_a_long_article_in_order_of_position(store):
    """An edit puts the annotations it changed in their places among the stored ones (the
    list is not sorted again): moves, additions, deletions, undo, on entities and quotes."""
    from annotator.core.commands import RemoveEntity

    aid = store.add_article(_many_annotations(300, 40)).article_id
    session = EditSession(store, aid)
    session.do(UpdateEntity(250, start=0, end=5))             # to the front
    session.do(UpdateEntity(3, start=6 * 299, end=6 * 299 + 5))  # to the back
    session.do(AddEntity(6 * 150, 6 * 150 + 2, "ORG"))
    session.do(RemoveEntity(100))
    session.do(UpdateQuote(301, start=6 * 39, end=6 * 39 + 5))
    session.undo()
    session.do(UpdateQuote(302, start=0, end=3))
    position = lambda item: (item.start, item.end, item.id)  # noqa: E731
    stored = store.get_article(aid)
    assert stored.entities == sorted(session.article.entities, key=position)
    assert stored.quotes == sorted(session.article.quotes, key=position)
    assert [row[0] for row in store.db.execute("SELECT id FROM entities WHERE article_id = ?", [aid])] == [
        e.id for e in stored.entities]
    assert store.list_articles()[0].n_entities == 300


def test_an_edit_of_an_article_that_is_not_stored_is_refused(store):
    article = Article("Macron met Putin.", id=41)
    with pytest.raises(StoreError, match="no article with id 41"):
        store.record(article, SetStatus("done"), SetStatus("done").apply(article), who="maria")
    assert store.history() == []


def test_an_edit_names_the_article_whose_stored_annotations_cannot_be_read(store):
    aid = store.add_article(Article("Macron met Putin.", entities=[EntitySpan(0, 6, "PERSON")])).article_id
    session = EditSession(store, aid)
    store.db.execute("""UPDATE articles SET entities_json = '[[1, 0, "six"]]' WHERE id = ?""", [aid])
    with pytest.raises(StoreError, match=f"article {aid}: its stored entities or quotes cannot be read"):
        session.do(UpdateEntity(1, label_name="ORG"))
    assert session.article.entities[0].label == "PERSON"


@pytest.mark.parametrize("fault, message", [
    (lambda a: setattr(a.entities[40], "id", a.entities[3].id), "entities: id 4 is missing or used twice"),
    (lambda a: setattr(a.quotes[2], "source", "robot"), "quotes: .* cannot be stored"),
    (lambda a: setattr(a.entities[7], "label", ""), "entities: .* cannot be stored"),
    (lambda a: setattr(a.entities[9], "start", None), "entities: .*'start': None.* cannot be stored"),
])
def test_annotations_the_store_refuses_store_nothing_of_their_batch(store, fault, message):
    from annotator.core import AnnotationError

    good, bad = Article("A first article."), _many_annotations(50, 5)
    bad.assign_ids()
    fault(bad)
    with pytest.raises(AnnotationError, match=message):
        store.add_articles([good, bad])
    assert store.count_articles() == 0 and store.stats()["entities"] == 0
