"""Schema migrations. Every schema change is a new migration appended here, never an edit."""
from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("annotator")


@migrations()
def m001_initial(db: Database) -> None:
    db.execute("""
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            hash TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL,
            meta TEXT NOT NULL DEFAULT '{}',
            status TEXT NOT NULL DEFAULT 'todo'
                CHECK (status IN ('todo', 'done', 'skipped', 'rejected')),
            noise TEXT NOT NULL DEFAULT '[]',
            tokens BLOB,
            pipeline TEXT,
            annotator_id TEXT,
            source TEXT,
            n_entities INTEGER NOT NULL DEFAULT 0,
            n_quotes INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX articles_status ON articles(status, id)")
    db.execute("""
        CREATE TABLE entities (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            id INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            label TEXT NOT NULL,
            source TEXT NOT NULL CHECK (source IN ('model', 'analyst')),
            model TEXT,
            PRIMARY KEY (article_id, id)
        )""")
    db.execute("CREATE INDEX entities_label ON entities(label, article_id)")
    db.execute("""
        CREATE TABLE quotes (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            id INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('direct', 'indirect', 'mixed')),
            speaker_start INTEGER,
            speaker_end INTEGER,
            speaker_name TEXT,
            cue_start INTEGER,
            cue_end INTEGER,
            source TEXT NOT NULL CHECK (source IN ('model', 'analyst')),
            model TEXT,
            PRIMARY KEY (article_id, id)
        )""")
    db.execute("""
        CREATE TABLE history (
            id INTEGER PRIMARY KEY,
            article_id INTEGER,
            who TEXT NOT NULL,
            action TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '{}',
            at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX history_article ON history(article_id, id)")
    db["articles"].enable_fts(["title", "text"], fts_version="FTS5", create_triggers=True)


@migrations()
def m002_fts_follows_title_and_text_only(db: Database) -> None:
    """Re-index an article only when its title or text changes.

    The trigger sqlite-utils creates fires on any update, so every status or count change of
    an edit re-indexed the whole article text (about 14 ms for a 100,000-word article).
    """
    db.execute("DROP TRIGGER IF EXISTS articles_au")
    db.execute("""
        CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
          INSERT INTO articles_fts (articles_fts, rowid, title, text)
            VALUES ('delete', old.rowid, old.title, old.text);
          INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END""")


@migrations()
def m003_new_articles_indexed_by_the_store(db: Database) -> None:
    """The store adds new articles to the search index itself, one statement per batch.

    The row trigger did the same work per article at twice the cost (measured: 0.30 against
    0.11 ms per 4,700-character article, most of a bulk import's indexing time).
    """
    db.execute('DROP TRIGGER IF EXISTS "articles_ai"')


@migrations()
def m004_annotations_clustered_by_article(db: Database) -> None:
    """Entities and quotes stored in article order (WITHOUT ROWID), and a small table of the
    labels each article has in place of an index over every entity's label.

    A bulk import writes about a hundred entity rows per annotated article. Each row went into
    three B-trees (the rows, their primary key, the label index); now one, plus a row per
    label and article. Measured on 560,000 entity rows: 6.2 µs a row before, 3.9 after.
    """
    for table in ("entities", "quotes"):
        # The same columns and constraints as now, stored in primary-key order.
        definition = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone()[0]
        db.execute(definition.replace(f"CREATE TABLE {table}", f"CREATE TABLE {table}_new", 1) + " WITHOUT ROWID")
        db.execute(f"INSERT INTO {table}_new SELECT * FROM {table}")
        db.execute(f"DROP TABLE {table}")  # its indexes go with it
        db.execute(f"ALTER TABLE {table}_new RENAME TO {table}")
    db.execute("""
        CREATE TABLE entity_labels (
            label TEXT NOT NULL,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            PRIMARY KEY (label, article_id)
        ) WITHOUT ROWID""")
    db.execute("INSERT INTO entity_labels (label, article_id) SELECT DISTINCT label, article_id FROM entities")


@migrations()
def m005_annotations_kept_with_their_article(db: Database) -> None:
    """Each article's entities and quotes in two JSON columns of its row (``packs``), and the
    tables ``entities`` and ``quotes`` replaced by views that show the same rows to SQL readers.

    Measured on 10,000 articles, half of them with 112 entities and 18 quotes: storing a row
    per annotation took 2.7 s of the 6 s an import spent in its writing process, and reading
    the rows back half the time of reading an annotated article for an export.
    """
    from itertools import groupby
    from operator import itemgetter

    from .packs import pack, sorted_by_position

    db.execute("ALTER TABLE articles ADD COLUMN entities_json TEXT NOT NULL DEFAULT '[]'")
    db.execute("ALTER TABLE articles ADD COLUMN quotes_json TEXT NOT NULL DEFAULT '[]'")
    for table in ("entities", "quotes"):
        columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})").fetchall()][1:]  # after article_id
        names = ", ".join(f'"{name}"' for name in columns)
        # An article at a time, in the tables' own order (migration 4 clusters them by article):
        # the memory of one article's rows, however large the database.
        rows = db.conn.execute(f"SELECT article_id, {names} FROM {table} ORDER BY article_id")
        for article_id, group in groupby(rows, key=itemgetter(0)):
            db.execute(f"UPDATE articles SET {table}_json = ? WHERE id = ?",
                       [pack(sorted_by_position([values[1:] for values in group])), article_id])
    db.execute("DROP TABLE entities")
    db.execute("DROP TABLE quotes")
    for view in annotation_views():
        db.execute(view)
    # The label filter's table, rebuilt from the rows as moved, so that the two agree.
    db.execute("DELETE FROM entity_labels")
    db.execute("INSERT INTO entity_labels (label, article_id) SELECT DISTINCT label, article_id FROM entities")


def annotation_views() -> list[str]:
    """``entities`` and ``quotes``: a row per annotation, as the tables of migrations 1-4 had them."""
    from .packs import ENTITY_FIELDS, QUOTE_FIELDS

    views = []
    for name, fields, column in (("entities", ENTITY_FIELDS, "entities_json"), ("quotes", QUOTE_FIELDS, "quotes_json")):
        names = ", ".join(f'"{field}"' for field in fields)
        values = ", ".join(f"json_extract(item.value, '$[{i}]')" for i in range(len(fields)))
        views.append(f"CREATE VIEW {name} (article_id, {names}) AS SELECT a.id, {values}"
                     f" FROM articles AS a, json_each(a.{column}) AS item")
    return views
