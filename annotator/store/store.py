"""The article store: SQLite through sqlite-utils, WAL mode, one transaction per edit."""
from __future__ import annotations

import json
import sqlite3
from array import array
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import chain
from pathlib import Path
from typing import Iterable, Iterator

import msgspec
from sqlite_utils import Database

from ..core.commands import Change, Command
from ..core.paths import default_db_path  # noqa: F401  (part of the store API)
from ..core.model import Article, EntitySpan, Quote, text_hash
from .packs import (entity_tuples, entity_values, pack, quote_tuples, quote_values, replaced_by_id, unpack_entities,
                    unpack_quotes)
from .schema import migrations

ARTICLE_COLUMNS = ("id, hash, title, text, meta, status, noise, tokens, pipeline, annotator_id, "
                   "updated_at, entities_json, quotes_json")
INSERT_LABEL = "INSERT INTO entity_labels (label, article_id) VALUES (?, ?)"
INSERT_HISTORY = "INSERT INTO history (article_id, who, action, detail, at) VALUES (?, ?, ?, ?, ?)"
INSERT_ARTICLE = ("INSERT INTO articles (hash, title, text, meta, status, noise, tokens, pipeline, annotator_id,"
                  " n_entities, n_quotes, entities_json, quotes_json, source, created_at, updated_at)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


class StoreError(RuntimeError):
    pass


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


TOKEN_TYPECODE = "I"  # stored token offsets: start, end, start, ... as native unsigned ints


def pack_tokens(tokens: list[tuple[int, int]] | None) -> bytes | None:
    if tokens is None:
        return None
    return array(TOKEN_TYPECODE, chain.from_iterable(tokens)).tobytes()


def unpack_tokens(blob: bytes | None) -> list[tuple[int, int]] | None:
    if blob is None:
        return None
    flat = array(TOKEN_TYPECODE)
    flat.frombytes(blob)
    return list(zip(flat[0::2], flat[1::2]))


@dataclass(frozen=True)
class PreparedArticle:
    """An article as the values of its rows, ready to insert: cheap to send between processes.

    ``values`` are the article row's columns up to ``quotes_json`` (see INSERT_ARTICLE), the
    text hash first; ``labels`` are its entities' labels, once each (for ``entity_labels``).
    """

    values: tuple
    labels: tuple[str, ...]
    updated_at: str | None

    @property
    def hash(self) -> str:
        return self.values[0]


def prepare_article(article: Article) -> PreparedArticle:
    """The rows of a new article; ids are assigned to its annotations first."""
    article.assign_ids()
    values = (text_hash(article.text), article.title, article.text, json.dumps(article.meta, ensure_ascii=False), article.status,
              json.dumps(article.noise), pack_tokens(article.tokens), article.pipeline, article.annotator_id,
              len(article.entities), len(article.quotes), pack(entity_values(article.entities)),
              pack(quote_values(article.quotes)))
    return PreparedArticle(values, tuple({e.label: None for e in article.entities}),
                           article.updated_at)  # an exported article keeps its last-edit time


@dataclass
class AddResult:
    article_id: int
    created: bool


@dataclass
class ArticleRow:
    """A light view of an article for queues and lists: no text, no annotations."""

    id: int
    title: str
    status: str
    n_entities: int
    n_quotes: int
    updated_at: str
    meta: dict


class Store:
    """All reads and writes of the annotation database go through here."""

    def __init__(self, path: str | Path | None = None, *, memory: bool = False, timeout: float = 30.0,
                 read_only: bool = False):
        """``read_only``: a reader of a database another Store has opened (an export's worker
        process): no migrations, and SQLite refuses any write."""
        if memory:
            self.path = None
            self.db = Database(memory=True)
        elif read_only:
            self.path = Path(path)
            conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=timeout,
                                   check_same_thread=False)
            self.db = Database(conn)
            return
        else:
            self.path = Path(path) if path is not None else default_db_path()
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(self.path), timeout=timeout, check_same_thread=False)
            self.db = Database(conn)
        self.db.execute("PRAGMA foreign_keys = ON")
        if not memory:
            self.db.enable_wal()
            # WAL plus NORMAL sync: a commit survives a process kill; only an OS crash may lose
            # the very last transactions, never corrupt the file.
            self.db.execute("PRAGMA synchronous = NORMAL")
        migrations.apply(self.db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- writing articles ----------------------------------------------------------------
    def add_article(self, article: Article, *, who: str = "import", source: str | None = None) -> AddResult:
        """Store an article with its annotations; the same text again returns the stored one.

        Sets ``article.id`` and the ids of its annotations."""
        with self.db.atomic():
            return self._add_batch([article], who, source)[0]

    def add_articles(self, articles: Iterable[Article], *, who: str = "import",
                     source: str | None = None) -> list[AddResult]:
        """Store several articles in one transaction: all of them or none."""
        with self.db.atomic():
            return self._add_batch(articles, who, source)

    def add_prepared(self, rows: list[PreparedArticle], *, who: str = "import",
                     source: str | None = None) -> list[AddResult]:
        """``add_articles`` for articles already turned into rows (``prepare_article``), as a
        bulk import's worker processes do."""
        with self.db.atomic():
            return self._add_rows(rows, who, source)

    def _add_batch(self, articles: Iterable[Article], who: str, source: str | None) -> list[AddResult]:
        articles = list(articles)
        results = self._add_rows([prepare_article(a) for a in articles], who, source)
        for article, result in zip(articles, results):
            if result.created:
                article.id = result.article_id
        return results

    def _add_rows(self, rows: list[PreparedArticle], who: str, source: str | None) -> list[AddResult]:
        """Article rows one by one (each needs its id), then the batch's search index, label
        and history rows, one statement per table."""
        stored = self._ids_by_hash([row.hash for row in rows])
        results, created = [], []
        stamp = now()
        detail = json.dumps({"source": source}, ensure_ascii=False, default=str)
        for row in rows:
            if row.hash in stored:  # the same text again (stored before or earlier in this batch)
                results.append(AddResult(stored[row.hash], False))
                continue
            article_id = stored[row.hash] = self.db.conn.execute(
                INSERT_ARTICLE, [*row.values, source, stamp, row.updated_at or stamp]).lastrowid
            results.append(AddResult(article_id, True))
            created.append((article_id, row))
        if created:
            conn = self.db.conn
            # New ids are above every id before this transaction, so the range is exactly them.
            conn.execute("INSERT INTO articles_fts (rowid, title, text) SELECT id, title, text FROM articles"
                         " WHERE id BETWEEN ? AND ? ORDER BY id", [created[0][0], created[-1][0]])
            conn.executemany(INSERT_LABEL, [(label, aid) for aid, row in created for label in row.labels])
            conn.executemany(INSERT_HISTORY, [(aid, who, "import", detail, stamp) for aid, _ in created])
        return results

    def _ids_by_hash(self, digests: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for i in range(0, len(digests), 500):
            chunk = digests[i:i + 500]
            found.update(self.db.conn.execute(
                f"SELECT hash, id FROM articles WHERE hash IN ({','.join('?' * len(chunk))})", chunk).fetchall())
        return found

    def _stored(self, article_id: int, columns: str) -> tuple:
        """These columns of the article's row; StoreError if there is no such article."""
        row = self.db.execute(f"SELECT {columns} FROM articles WHERE id = ?", [article_id]).fetchone()
        if row is None:
            raise self._no_article(article_id)
        return row

    def _no_article(self, article_id: int) -> StoreError:
        return StoreError(f"no article with id {article_id} in {self.path or 'the database'}")

    def _stored_annotations(self, article_id: int) -> tuple[list[EntitySpan], list[Quote]]:
        return _unpacked(article_id, *self._stored(article_id, "entities_json, quotes_json"))

    def _stored_values(self, article_id: int, column: str) -> list[tuple]:
        """The article's entities or quotes (``column``) as stored values, without making objects."""
        packed = self._stored(article_id, column)[0]
        try:
            return entity_tuples(packed) if column == "entities_json" else quote_tuples(packed)
        except msgspec.MsgspecError as exc:
            raise _unreadable(article_id, exc) from None

    def _save_annotations(self, article_id: int, entities: list[tuple] | None, quotes: list[tuple] | None,
                          **columns) -> None:
        """Write the article's entities and quotes (their values, checked and in order; None:
        unchanged) with their counts, its labels (what the label filter reads), and other
        ``columns`` of its row, in one UPDATE."""
        if entities is not None:
            columns.update(entities_json=pack(entities), n_entities=len(entities))
            self.db.execute("DELETE FROM entity_labels WHERE article_id = ?", [article_id])
            self.db.conn.executemany(INSERT_LABEL, [(label, article_id) for label in {e[3] for e in entities}])
        if quotes is not None:
            columns.update(quotes_json=pack(quotes), n_quotes=len(quotes))
        assignments = ", ".join(f"{name} = :{name}" for name in columns)
        updated = self.db.execute(f"UPDATE articles SET {assignments} WHERE id = :article_id",
                                  {**columns, "article_id": article_id}).rowcount
        if not updated:
            raise self._no_article(article_id)

    def _log(self, article_id: int | None, who: str, action: str, detail: dict) -> None:
        self.db.execute(INSERT_HISTORY,
                        [article_id, who, action, json.dumps(detail, ensure_ascii=False, default=str), now()])

    # --- model annotations -----------------------------------------------------------
    def save_model_annotations(self, article_id: int, entities: list[EntitySpan], quotes: list[Quote],
                               tokens: list[tuple[int, int]] | None, pipeline: str) -> None:
        """Replace an article's model annotations, keeping every analyst annotation.

        A model span that overlaps an analyst entity (or a quote overlapping an analyst quote)
        is dropped: the analyst's decision about that stretch of text stands.
        """
        with self.db.atomic():
            self._save_model_annotations(article_id, entities, quotes, tokens, pipeline)

    def save_model_annotations_many(self, batch: list[tuple[int, list, list, list | None]],
                                    pipeline: str) -> None:
        """Several articles' model annotations in one transaction (used by bulk annotate)."""
        with self.db.atomic():
            for article_id, entities, quotes, tokens in batch:
                self._save_model_annotations(article_id, entities, quotes, tokens, pipeline)

    def _save_model_annotations(self, article_id, entities, quotes, tokens, pipeline) -> None:
        stored_ents, stored_quotes = self._stored_annotations(article_id)
        analyst_ents = [e for e in stored_ents if e.source == "analyst"]
        analyst_quotes = [q for q in stored_quotes if q.source == "analyst"]
        # The model's earlier annotations are replaced: new ids follow the analyst's.
        next_id = max([item.id for item in [*analyst_ents, *analyst_quotes]], default=0)
        kept_ents = [e for e in entities if not _overlaps_any(e, analyst_ents)]
        kept_quotes = [q for q in quotes if not _overlaps_any(q, analyst_quotes)]
        for item in [*kept_ents, *kept_quotes]:
            next_id += 1
            item.id = next_id
            item.source = "model"
            item.model = pipeline
        columns = {"pipeline": pipeline, "updated_at": now()}
        if tokens is not None:  # else the tokens stored before stay
            columns["tokens"] = pack_tokens(tokens)
        self._save_annotations(article_id, entity_values(analyst_ents + kept_ents),
                               quote_values(analyst_quotes + kept_quotes), **columns)
        self._log(article_id, "model", "annotate",
                  {"pipeline": pipeline, "entities": len(kept_ents), "quotes": len(kept_quotes)})

    # --- analyst edits ---------------------------------------------------------------
    def record(self, article: Article, command: Command, change: Change, *, who: str,
               action: str = "do") -> None:
        """Persist what ``command`` changed on ``article`` (already applied in memory).

        One transaction: the article's row (its changed annotations and counts), its labels
        and a history row. ``action`` is ``do``, ``undo`` or ``redo``.
        """
        with self.db.atomic():
            columns = {"updated_at": now(), "annotator_id": who}
            if change.status:
                columns["status"] = article.status
            # The stored lists with the changed annotations replaced by id: whatever else is
            # stored (a model run since the article was read) stays as it is. Handled as
            # values, not objects: a long article holds tens of thousands.
            entities = quotes = None
            if change.entities:
                entities = replaced_by_id(self._stored_values(article.id, "entities_json"), change.entities,
                                          entity_values(_present(change.entities, article.entity)))
            if change.quotes:
                quotes = replaced_by_id(self._stored_values(article.id, "quotes_json"), change.quotes,
                                        quote_values(_present(change.quotes, article.quote)))
            self._save_annotations(article.id, entities, quotes, **columns)
            self._log(article.id, who, action, command.to_dict())

    # --- reading -----------------------------------------------------------------------
    def get_article(self, article_id: int) -> Article:
        row = self.db.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", [article_id]).fetchone()
        if row is None:
            raise self._no_article(article_id)
        return self._article_from_row(row)

    def _article_from_row(self, row) -> Article:
        (aid, _hash, title, text, meta, status, noise, tokens, pipeline, annotator_id, updated, ents, quotes) = row
        entities, quotes = _unpacked(aid, ents, quotes)
        return Article(text=text, title=title, meta=json.loads(meta), id=aid, status=status,
                       noise=[tuple(r) for r in json.loads(noise)], entities=entities, quotes=quotes,
                       tokens=unpack_tokens(tokens), pipeline=pipeline, annotator_id=annotator_id,
                       updated_at=updated)

    def iter_articles(self, *, status: str | None = None, ids: Iterable[int] | None = None,
                      batch_size: int = 200, with_tokens: bool = True) -> Iterator[Article]:
        """All matching articles with annotations, read in batches: memory stays flat.

        ``with_tokens=False`` leaves ``Article.tokens`` None, for readers that never use them.
        """
        where, params = self._where(status=status)
        columns = ARTICLE_COLUMNS if with_tokens else ARTICLE_COLUMNS.replace(" tokens,", " NULL,")
        if ids is not None:
            id_list = list(ids)
            for i in range(0, len(id_list), batch_size):
                chunk = id_list[i:i + batch_size]
                rows = self.db.execute(
                    f"SELECT {columns} FROM articles WHERE id IN ({','.join('?' * len(chunk))})"
                    " ORDER BY id", chunk).fetchall()
                yield from map(self._article_from_row, rows)
            return
        last = 0
        while True:
            rows = self.db.execute(
                f"SELECT {columns} FROM articles WHERE id > ? {'AND ' + where if where else ''}"
                f" ORDER BY id LIMIT {int(batch_size)}", [last, *params]).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield from map(self._article_from_row, rows)

    def packed_tokens(self, ids: list[int]) -> dict[int, bytes]:
        """The stored tokens of these articles as packed (``pack_tokens``), for those that have them.

        Exports read them this way to make arrays straight from the bytes: a tuple per token
        costs more than what they do with it."""
        if not ids:
            return {}
        rows = self.db.execute(f"SELECT id, tokens FROM articles WHERE id IN ({','.join('?' * len(ids))})"
                               " AND tokens IS NOT NULL", list(ids)).fetchall()
        return dict(rows)

    def _where(self, *, status: str | None = None, label: str | None = None,
               search: str | None = None) -> tuple[str, list]:
        clauses, params = [], []
        if status:
            clauses.append("status = ?")
            params.append(status)
        if label:
            clauses.append("id IN (SELECT article_id FROM entity_labels WHERE label = ?)")
            params.append(label)
        if search:
            clauses.append("id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
            params.append(fts_query(search))
        return " AND ".join(clauses), params

    def list_articles(self, *, offset: int = 0, limit: int = 100, status: str | None = None,
                      label: str | None = None, search: str | None = None) -> list[ArticleRow]:
        """One page of the article queue, without texts: cheap for any database size."""
        where, params = self._where(status=status, label=label, search=search)
        rows = self.db.execute(
            "SELECT id, title, status, n_entities, n_quotes, updated_at, meta FROM articles"
            f" {'WHERE ' + where if where else ''} ORDER BY id LIMIT ? OFFSET ?",
            [*params, int(limit), int(offset)]).fetchall()
        return [ArticleRow(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6])) for r in rows]

    def count_articles(self, *, status: str | None = None, label: str | None = None,
                       search: str | None = None, before_id: int | None = None) -> int:
        """How many articles match; with ``before_id``, how many of them come before it in the
        queue (which is ordered by id): the row an article has in a filtered queue."""
        where, params = self._where(status=status, label=label, search=search)
        if before_id is not None:
            where = " AND ".join(filter(None, ["id < ?", where]))
            params = [before_id, *params]
        return self.db.execute(f"SELECT count(*) FROM articles {'WHERE ' + where if where else ''}",
                               params).fetchone()[0]

    def article_ids(self, *, status: str | None = None, unannotated: bool = False) -> list[int]:
        where, params = self._where(status=status)
        if unannotated:
            where = " AND ".join(filter(None, [where, "pipeline IS NULL"]))
        return [r[0] for r in self.db.execute(
            f"SELECT id FROM articles {'WHERE ' + where if where else ''} ORDER BY id", params)]

    def texts(self, ids: list[int]) -> Iterator[tuple[int, str, list[tuple[int, int]]]]:
        """(id, text, noise) for the given ids, in that order, fetched in batches."""
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            rows = {r[0]: r for r in self.db.execute(
                f"SELECT id, text, noise FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk)}
            for aid in chunk:
                r = rows[aid]
                yield r[0], r[1], [tuple(x) for x in json.loads(r[2])]

    def history(self, article_id: int | None = None, limit: int = 100) -> list[dict]:
        sql = "SELECT id, article_id, who, action, detail, at FROM history"
        params: list = []
        if article_id is not None:
            sql += " WHERE article_id = ?"
            params.append(article_id)
        sql += " ORDER BY id DESC LIMIT ?"
        params.append(limit)
        return [{"id": r[0], "article_id": r[1], "who": r[2], "action": r[3], "detail": json.loads(r[4]),
                 "at": r[5]} for r in self.db.execute(sql, params)]

    def stats(self) -> dict:
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        by_status = dict(self.db.execute("SELECT status, count(*) FROM articles GROUP BY status").fetchall())
        # Counted from the stored arrays (the views decode each field in SQL: three times slower).
        label_sources: Counter = Counter()
        kind_sources: Counter = Counter()
        for aid, entities, quotes in self.db.execute("SELECT id, entities_json, quotes_json FROM articles"
                                                     " WHERE entities_json != '[]' OR quotes_json != '[]'"):
            try:
                label_sources.update([(e[3], e[4]) for e in entity_tuples(entities)])
                kind_sources.update([(q[3], q[9]) for q in quote_tuples(quotes)])
            except msgspec.MsgspecError:
                _unpacked(aid, entities, quotes)  # raises the error that names the article
                raise
        labels: Counter = Counter()
        kinds: Counter = Counter()
        sources: Counter = Counter()
        for (label, source), count in label_sources.items():
            labels[label] += count
            sources[source] += count
        for (kind, source), count in kind_sources.items():
            kinds[kind] += count
            sources[source] += count
        return {
            "database": str(self.path) if self.path else ":memory:",
            "articles": one("SELECT count(*) FROM articles"),
            "annotated": one("SELECT count(*) FROM articles WHERE pipeline IS NOT NULL"),
            "by_status": {s: by_status.get(s, 0) for s in ("todo", "done", "skipped", "rejected")},
            "entities": sum(labels.values()),
            "entities_by_label": dict(labels.most_common()),
            "quotes": sum(kinds.values()),
            "quotes_by_kind": dict(kinds),
            "annotations_by_source": dict(sources),
            "pipelines": [r[0] for r in self.db.execute(
                "SELECT DISTINCT pipeline FROM articles WHERE pipeline IS NOT NULL")],
            "edits": one("SELECT count(*) FROM history WHERE action IN ('do', 'undo', 'redo')"),
        }


def _unpacked(article_id: int, entities: str, quotes: str) -> tuple[list[EntitySpan], list[Quote]]:
    try:
        return unpack_entities(entities), unpack_quotes(quotes)
    except msgspec.MsgspecError as exc:
        raise _unreadable(article_id, exc) from None


def _unreadable(article_id: int, exc: Exception) -> StoreError:
    return StoreError(f"article {article_id}: its stored entities or quotes cannot be read ({exc})")


def _present(ids: Iterable[int], find) -> list:
    """The annotations of these ids as ``find(id)`` has them now, leaving out deleted ones."""
    return [item for item in map(find, ids) if item is not None]


def _overlaps_any(span, others) -> bool:
    return any(span.start < other.end and other.start < span.end for other in others)


def fts_query(text: str) -> str:
    """Quote each word so that user input never breaks FTS5 syntax; words are ANDed."""
    words = [w.replace('"', '""') for w in text.split()]
    return " ".join(f'"{w}"' for w in words) or '""'
