"""Kill an import midway (SIGKILL): the database is intact and no article is half-stored."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

N_ARTICLES = 4000

CHILD = """
import sys
from pathlib import Path
from annotator.io.importers import import_paths
from annotator.store import Store
with Store(Path(sys.argv[1])) as store:
    import_paths(store, [Path(sys.argv[2])], batch_size=50)
"""


def expected_counts(i: int) -> tuple[int, int]:
    return 1 + i % 4, i % 3


def write_input(path, n):
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            words = [f"Person{i}x{k}" for k in range(6)]
            text = f"Story {i}. " + " said ".join(words) + "."
            n_ents, n_quotes = expected_counts(i)
            spans, quotes, pos = [], [], text.index("Person")
            for k in range(6):
                start = text.index(words[k], pos)
                if k < n_ents:
                    spans.append({"start": start, "end": start + len(words[k]), "label": "PERSON"})
                pos = start + len(words[k])
            for k in range(n_quotes):
                start = text.index(words[k + 3])
                quotes.append({"start": start, "end": start + len(words[k + 3]), "kind": "indirect"})
            fh.write(json.dumps({"text": text, "meta": {"i": i}, "spans": spans, "quotes": quotes}) + "\n")


def count_articles(db) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_import_leaves_whole_articles_only(tmp_path):
    src, db = tmp_path / "many.jsonl", tmp_path / "kill.db"
    write_input(src, N_ARTICLES)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(src)])
    deadline = time.monotonic() + 120
    while count_articles(db) < 200 and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.02)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        rows = conn.execute(
            "SELECT a.meta, a.n_entities, a.n_quotes,"
            " (SELECT count(*) FROM entities e WHERE e.article_id = a.id),"
            " (SELECT count(*) FROM quotes q WHERE q.article_id = a.id) FROM articles a").fetchall()
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")
        # Every stored article is in the search index, found by the word only it holds.
        indexed = {json.loads(meta)["i"]: conn.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", [f'"Person{json.loads(meta)["i"]}x0"']
        ).fetchall() for meta, *_ in rows}
        ids = dict(conn.execute("SELECT json_extract(meta, '$.i'), id FROM articles").fetchall())
    assert 200 <= len(rows) < N_ARTICLES, "the kill should land midway"
    assert all(found == [(ids[i],)] for i, found in indexed.items())
    for meta, n_entities, n_quotes, entity_rows, quote_rows in rows:
        expected = expected_counts(json.loads(meta)["i"])
        assert (n_entities, n_quotes) == (entity_rows, quote_rows) == expected

    # The store opens normally afterwards and a re-run completes the import.
    from annotator.io.importers import import_paths
    from annotator.store import Store

    with Store(db) as store:
        report = import_paths(store, [src])
        assert report.added + report.duplicates == N_ARTICLES and report.duplicates == len(rows)
        assert store.count_articles() == N_ARTICLES
