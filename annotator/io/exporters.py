"""Training-data export: jsonl (Prodigy superset), spaCy DocBin, doccano, brat, csv.

Articles stream from the store in batches and are written one by one, so memory does not
grow with the number of articles. A file is written under a temporary name and moved into
place at the end: a failed export never leaves half a file where the old one was.
"""
from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Callable

from ..core.model import Article
from ..store.store import Store
from .brat import ANNOTATION_CONF, standoff_lines
from .bulk import frozen_heap
from .docbin import DocBinWriter, cached_msgpack_encoders
from .problems import ExportReport
from .records import DOCCANO_CUE, DOCCANO_QUOTE, DOCCANO_SPEAKER
from .task import task_record

FORMATS = ("jsonl", "spacy", "doccano", "brat", "csv")
CSV_COLUMNS = ("article_id", "title", "quote", "kind", "speaker", "speaker_name", "cue", "start", "end",
               "source")
Progress = Callable[[int, int], None]

try:
    from orjson import dumps as _orjson_dumps

    def dump_line(record: dict) -> bytes:
        return _orjson_dumps(record) + b"\n"
except ImportError:  # pragma: no cover - orjson is a dependency
    def dump_line(record: dict) -> bytes:
        return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


class ExportError(RuntimeError):
    """The output cannot be written (named in the message)."""


# --- writers: open, write(article) per article, close ---------------------------------------------
class _FileWriter:
    """Writes to ``NAME.part`` next to the output and renames it on success."""

    binary = True
    needs_tokens = False

    def __init__(self, output: Path, warn):
        self.output, self.warn = output, warn
        if output.is_dir():
            raise ExportError(f"{output} is a folder; give a file name for this format")
        output.parent.mkdir(parents=True, exist_ok=True)
        self.part = output.with_name(output.name + ".part")
        self.fh = self.part.open("wb") if self.binary else self.part.open("w", encoding=self.encoding,
                                                                             newline="")

    def finish(self) -> None:
        self.fh.close()
        os.replace(self.part, self.output)

    def abort(self) -> None:
        self.fh.close()
        self.part.unlink(missing_ok=True)


class JsonlWriter(_FileWriter):
    needs_tokens = True

    def write(self, article: Article) -> None:
        self.fh.write(dump_line(task_record(article, self.warn)))


class DoccanoWriter(_FileWriter):
    def write(self, article: Article) -> None:
        self.fh.write(dump_line(doccano_record(article)))


class CsvWriter(_FileWriter):
    binary = False
    encoding = "utf-8-sig"  # so that spreadsheet programs read the accents right

    def __init__(self, output: Path, warn):
        super().__init__(output, warn)
        self.csv = csv.writer(self.fh)
        self.csv.writerow(CSV_COLUMNS)

    def write(self, article: Article) -> None:
        text = article.text
        for q in article.quotes:
            self.csv.writerow([article.id, article.title, text[q.start:q.end], q.kind,
                               q.speaker.text(text) if q.speaker else "", q.speaker_name or "",
                               q.cue.text(text) if q.cue else "", q.start, q.end, q.source])


class BratWriter:
    """A folder with ``NAME.txt`` + ``NAME.ann`` per article and an ``annotation.conf``."""

    needs_tokens = False

    def __init__(self, output: Path, warn):
        if output.exists() and not output.is_dir():
            raise ExportError(f"{output} is a file; brat export needs a folder")
        output.mkdir(parents=True, exist_ok=True)
        self.output = output
        self.labels: set[str] = set()

    def write(self, article: Article) -> None:
        name = f"article-{article.id:06d}"
        # Bytes, not text mode: the text goes out unchanged, as the offsets in the .ann expect.
        _write_bytes(self.output / f"{name}.txt", article.text.encode("utf-8"))
        lines = standoff_lines(article)
        _write_bytes(self.output / f"{name}.ann", "".join(f"{line}\n" for line in lines).encode("utf-8"))
        self.labels.update(e.label for e in article.entities)

    def finish(self) -> None:
        entities = "\n".join(sorted(self.labels))
        (self.output / "annotation.conf").write_text(ANNOTATION_CONF.format(entities=entities), "utf-8")

    def abort(self) -> None:
        pass


def _write_bytes(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)


class SpacyWriter:
    needs_tokens = True

    def __init__(self, output: Path, warn):
        if output.suffix == ".spacy":
            if output.is_dir():
                raise ExportError(f"{output} is a folder; give a file name ending in .spacy")
            output.parent.mkdir(parents=True, exist_ok=True)
        elif output.exists() and not output.is_dir():
            raise ExportError(f"{output}: name the file NAME.spacy, or give a folder for shards")
        self.output = output
        self.writer = DocBinWriter(output, warn)
        self.patch = cached_msgpack_encoders()
        self.patch.__enter__()

    def write(self, article: Article) -> None:
        self.writer.write(article)

    def finish(self) -> None:
        try:
            self._finish()
        finally:
            self.patch.__exit__(None, None, None)

    def abort(self) -> None:
        self.patch.__exit__(None, None, None)

    def _finish(self) -> None:
        if self.writer.single:
            part = self.output.with_name(self.output.name + ".part")
            self.writer.close(part)
            os.replace(part, self.output)
        else:
            self.writer.close(self.output)


WRITERS = {"jsonl": JsonlWriter, "spacy": SpacyWriter, "doccano": DoccanoWriter, "brat": BratWriter,
           "csv": CsvWriter}


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
           progress: Progress | None = None) -> ExportReport:
    """Write the articles marked done (every article with ``include_all``) as ``fmt``."""
    if fmt not in WRITERS:
        raise ExportError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    output = Path(output)
    report = ExportReport(output=output)
    status = None if include_all else "done"
    total = store.count_articles(status=status)
    try:
        writer = WRITERS[fmt](output, report.warnings.append)
    except OSError as exc:
        raise ExportError(f"cannot write {output}: {exc.strerror or exc}") from None
    try:
        with frozen_heap():
            # Stored tokens are read only for the formats that use them.
            for article in store.iter_articles(status=status, with_tokens=writer.needs_tokens):
                writer.write(article)
                report.articles += 1
                if progress and (report.articles % 100 == 0 or report.articles == total):
                    progress(report.articles, total)
            writer.finish()
    except BaseException:
        writer.abort()
        raise
    if progress and report.articles == 0:
        progress(0, total)
    return report
