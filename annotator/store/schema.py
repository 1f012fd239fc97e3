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
