"""Training-data export: jsonl (Prodigy superset), spaCy DocBin, doccano, brat, csv.

Articles are read from the store in chunks, and chunks are rendered by worker processes
(``parallel``) and written in order, so memory does not grow with the number of articles.
A file is written under a temporary name and moved into place at the end: a failed export
never leaves half a file where the old one was.
"""
from __future__ import annotations

import codecs
import csv
import io
import os
import shutil
import tempfile
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..core.model import Article
from ..nlp.pipeline import import_spacy
from ..store.store import Store
from .brat import ANNOTATION_CONF, standoff_lines
from .bulk import frozen_heap
from .docbin import SHARD_SIZE, DocBinFileSink, DocBinShardSink, cached_msgpack_encoders, docbin_bytes, docbin_pieces
from .outfile import UncachedWriter
from .parallel import chunked, ordered_map, workers_for
from .problems import ExportReport
from .records import DOCCANO_CUE, DOCCANO_QUOTE, DOCCANO_SPEAKER
from .task import Warn, json_bytes, task_line
from .tokens import prepare_blank_tokens

FORMATS = ("jsonl", "spacy", "doccano", "brat", "csv")
CSV_COLUMNS = ("article_id", "title", "quote", "kind", "speaker", "speaker_name", "cue", "start", "end",
               "source")
Progress = Callable[[int, int], None]

def dump_line(record: dict) -> bytes:
    return json_bytes(record) + b"\n"


class ExportError(RuntimeError):
    """The output cannot be written (named in the message)."""


# --- formats: chunks of articles rendered anywhere, written in order by the parent ----------------
# An export reads the articles in chunks; each chunk is rendered to its output (bytes for a
# file format, files of its own for brat and spaCy shards) by a worker process, or in this
# process for a small export, and the parent writes the results in article order. The output
# is the same either way.
class FileSink:
    """Writes to ``NAME.part`` next to the output and renames it on success."""

    def __init__(self, output: Path, head: bytes = b""):
        if output.is_dir():
            raise ExportError(f"{output} is a folder; give a file name for this format")
        output.parent.mkdir(parents=True, exist_ok=True)
        self.output = output
        self.part = output.with_name(output.name + ".part")
        self.out = UncachedWriter(self.part)
        self.out.write(head)
        self.spills: Path | None = None

    def spill_folder(self) -> Path:
        """Where worker processes leave rendered chunks (a scratch folder beside the output)."""
        if self.spills is None:
            self.spills = Path(tempfile.mkdtemp(prefix=f".{self.output.name}-chunks-", dir=self.output.parent))
        return self.spills

    def take(self, index: int, payload: bytes | SpilledChunk) -> None:
        if isinstance(payload, SpilledChunk):
            self.out.append_file(payload.path)
            os.unlink(payload.path)
        else:
            self.out.write(payload)

    def finish(self) -> None:
        self.out.close()
        os.replace(self.part, self.output)
        self._drop_spills()

    def abort(self) -> None:
        self.out.discard()
        self.part.unlink(missing_ok=True)
        self._drop_spills()

    def _drop_spills(self) -> None:
        if self.spills is not None:
            shutil.rmtree(self.spills, ignore_errors=True)


@dataclass(frozen=True)
class SpilledChunk:
    """A chunk a worker rendered into a file of its own: only the name goes through the pipe,
    not the bytes (the output is hundreds of MB)."""

    path: str


class ExportFormat:
    """One export format: where its output goes and how a chunk of articles is rendered."""

    needs_tokens = False
    chunk_size = 100

    def open(self, output: Path):
        return FileSink(output)

    def render(self, articles: Iterable[Article], stored_tokens: dict[int, bytes], output: Path, index: int,
               warn: Warn):
        """``stored_tokens``: for a format that ``needs_tokens``, the articles' stored tokens by id,
        as the store keeps them (the articles are read without them)."""
        raise NotImplementedError

    @contextmanager
    def rendering(self):
        """Set-up a process needs before it renders chunks of this format."""
        yield


class JsonlFormat(ExportFormat):
    needs_tokens = True

    def render(self, articles, stored_tokens, output, index, warn) -> bytes:
        return b"".join(task_line(article, warn, stored_tokens.get(article.id)) for article in articles)


class DoccanoFormat(ExportFormat):
    def render(self, articles, stored_tokens, output, index, warn) -> bytes:
        return b"".join(dump_line(doccano_record(article)) for article in articles)


class CsvFormat(ExportFormat):
    # UTF-8 with a byte order mark, so that spreadsheet programs read the accents right.
    def open(self, output: Path):
        return FileSink(output, head=codecs.BOM_UTF8 + _csv_text([CSV_COLUMNS]))

    def render(self, articles, stored_tokens, output, index, warn) -> bytes:
        return _csv_text(row for article in articles for row in csv_rows(article))


def _csv_text(rows) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def csv_rows(article: Article) -> Iterator[list]:
    text = article.text
    for q in article.quotes:
        yield [article.id, article.title, text[q.start:q.end], q.kind,
               q.speaker.text(text) if q.speaker else "", q.speaker_name or "",
               q.cue.text(text) if q.cue else "", q.start, q.end, q.source]


class BratFormat(ExportFormat):
    """A folder with ``NAME.txt`` + ``NAME.ann`` per article and an ``annotation.conf``."""

    def open(self, output: Path):
        return BratSink(output)

    def render(self, articles, stored_tokens, output, index, warn) -> set[str]:
        labels: set[str] = set()
        for article in articles:
            name = f"article-{article.id:06d}"
            # Bytes, not text mode: the text goes out unchanged, as the offsets in the .ann expect.
            _write_bytes(output / f"{name}.txt", article.text.encode("utf-8"))
            lines = standoff_lines(article)
            _write_bytes(output / f"{name}.ann", "".join(f"{line}\n" for line in lines).encode("utf-8"))
            labels.update(e.label for e in article.entities)
        return labels


class BratSink:
    def __init__(self, output: Path):
        if output.exists() and not output.is_dir():
            raise ExportError(f"{output} is a file; brat export needs a folder")
        output.mkdir(parents=True, exist_ok=True)
        self.output = output
        self.labels: set[str] = set()

    def take(self, index: int, labels: set[str]) -> None:
        self.labels.update(labels)

    def finish(self) -> None:
        entities = "\n".join(sorted(self.labels))
        (self.output / "annotation.conf").write_text(ANNOTATION_CONF.format(entities=entities), "utf-8")

    def abort(self) -> None:
        pass


def _write_bytes(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)


class SpacyFormat(ExportFormat):
    """``PATH.spacy``: one DocBin file, written chunk by chunk. Any other PATH: a folder of
    DocBins of SHARD_SIZE docs (``spacy train`` reads a folder too). Memory flat either way."""

    needs_tokens = True
    chunk_size = SHARD_SIZE

    def open(self, output: Path):
        if output.suffix == ".spacy":
            if output.is_dir():
                raise ExportError(f"{output} is a folder; give a file name ending in .spacy")
            output.parent.mkdir(parents=True, exist_ok=True)
            return DocBinFileSink(output)
        if output.exists() and not output.is_dir():
            raise ExportError(f"{output}: name the file NAME.spacy, or give a folder for shards")
        return DocBinShardSink(output)

    def render(self, articles, stored_tokens, output, index, warn):
        if output.suffix == ".spacy":  # this chunk's compressed share of the one file
            return docbin_pieces(articles, warn, stored_tokens)
        return docbin_bytes(articles, warn, stored_tokens)

    @contextmanager
    def rendering(self):
        # spaCy imported here without its command line: its modules imported first by name
        # (spacy.attrs, spacy.tokens) would import the whole package, 0.45 s per worker.
        import_spacy()
        with cached_msgpack_encoders():
            yield


WRITERS: dict[str, ExportFormat] = {"jsonl": JsonlFormat(), "spacy": SpacyFormat(), "doccano": DoccanoFormat(),
                                    "brat": BratFormat(), "csv": CsvFormat()}


# --- doccano --------------------------------------------------------------------------------------
def doccano_record(article: Article) -> dict:
    """doccano's entities-and-relations JSONL; a speaker or cue that is also an entity is that entity."""
    entities = [{"id": e.id, "label": e.label, "start_offset": e.start, "end_offset": e.end}
                for e in article.entities]
    by_offsets = {(e.start, e.end): e.id for e in article.entities}
    next_id = article.next_id()
    relations = []
    for q in article.quotes:
        entities.append({"id": q.id, "label": DOCCANO_QUOTE, "start_offset": q.start, "end_offset": q.end})
        for label, mention in ((DOCCANO_SPEAKER, q.speaker), (DOCCANO_CUE, q.cue)):
            if mention is None:
                continue
            target = by_offsets.get((mention.start, mention.end))
            if target is None:
                target = by_offsets[(mention.start, mention.end)] = next_id
                entities.append({"id": next_id, "label": label, "start_offset": mention.start,
                                 "end_offset": mention.end})
                next_id += 1
            relations.append({"id": len(relations) + 1, "from_id": q.id, "to_id": target, "type": label})
    return {"id": article.id, "text": article.text, "entities": entities, "relations": relations,
            "meta": article.meta}


# --- the entry point ---------------------------------------------------------------------------
def export(store: Store, fmt: str, output: Path, *, include_all: bool = False,
           progress: Progress | None = None, workers: int | None = None) -> ExportReport:
    """Write the articles marked done (every article with ``include_all``) as ``fmt``.

    ``workers``: processes that render chunks (default: ``parallel.default_workers``; 1 or a
    database in memory: all in this process).
    """
    if fmt not in WRITERS:
        raise ExportError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    export_format = WRITERS[fmt]
    output = Path(output)
    report = ExportReport(output=output)
    ids = store.article_ids(status=None if include_all else "done")
    chunks = chunked(ids, export_format.chunk_size)
    try:
        sink = export_format.open(output)
    except OSError as exc:
        raise ExportError(f"cannot write {output}: {exc.strerror or exc}") from None
    workers = 0 if store.path is None else workers_for(workers, len(chunks))
    tasks = [(index, chunk) for index, chunk in enumerate(chunks)]
    try:
        with frozen_heap(), ExitStack() as rendering:
            if workers:  # each sets the format up for itself (_start_worker)
                spills = sink.spill_folder() if isinstance(sink, FileSink) else None
                rendered = ordered_map(_render_in_worker, tasks, workers=workers, initializer=_start_worker,
                                       initargs=(str(store.path), fmt, output, spills))
            else:
                rendering.enter_context(export_format.rendering())
                rendered = map(ChunkRenderer(store, fmt, output), tasks)
            try:
                for (index, chunk), (payload, warnings) in zip(tasks, rendered):
                    sink.take(index, payload)
                    report.warnings.extend(warnings)
                    report.articles += len(chunk)
                    if progress:
                        progress(report.articles, len(ids))
            finally:
                getattr(rendered, "close", lambda: None)()  # stops the workers early on an error
            sink.finish()
    except BaseException:
        sink.abort()
        raise
    if progress and report.articles == 0:
        progress(0, len(ids))
    return report


class ChunkRenderer:
    """Renders chunks of article ids as one format, reading them from one store."""

    def __init__(self, store: Store, fmt: str, output: Path):
        self.store, self.format, self.output = store, WRITERS[fmt], output

    def __call__(self, task: tuple[int, list[int]]) -> tuple[object, list[str]]:
        """(payload, warnings) of one chunk, its articles in id order."""
        index, ids = task
        warnings: list[str] = []
        articles = self.store.iter_articles(ids=ids, batch_size=len(ids), with_tokens=False)
        stored_tokens = {}
        if self.format.needs_tokens:
            stored_tokens = self.store.packed_tokens(ids)
            articles = list(articles)
            prepare_blank_tokens(articles, stored_tokens)
        return self.format.render(articles, stored_tokens, self.output, index, warnings.append), warnings


_worker_renderer: ChunkRenderer | None = None  # in a worker process: set up once, for one export
_worker_spills: Path | None = None  # where it leaves rendered chunks, if the sink takes files
# A worker lives for one export: its heap stays frozen and the format's set-up entered until
# it exits. Held here: a context manager nobody holds is collected, and that undoes it.
_worker_setup = ExitStack()


def _start_worker(db_path: str, fmt: str, output: Path, spills: Path | None = None) -> None:
    global _worker_renderer, _worker_spills
    _worker_setup.enter_context(frozen_heap())
    _worker_setup.enter_context(WRITERS[fmt].rendering())
    _worker_renderer = ChunkRenderer(Store(db_path, read_only=True), fmt, output)
    _worker_spills = spills


def _render_in_worker(task: tuple[int, list[int]]) -> tuple[object, list[str]]:
    assert _worker_renderer is not None, "the worker was not started by _start_worker"
    payload, warnings = _worker_renderer(task)
    if _worker_spills is not None and isinstance(payload, bytes):
        path = _worker_spills / f"{task[0]:06d}"
        _write_bytes(path, payload)
        payload = SpilledChunk(str(path))
    return payload, warnings
