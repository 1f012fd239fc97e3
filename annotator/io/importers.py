"""Importing files and folders into the store: .txt, JSONL (ours, Prodigy, doccano), brat, HTML.

Decided per file: good records go in, bad ones are listed with file and line. Every article
is stored with its annotations in one transaction (``Store.add_articles`` writes a batch of
whole articles at once), so a killed import never leaves half an article behind.
"""
from __future__ import annotations

import json
import os
import queue
import sqlite3
import threading
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import msgspec

from ..core.model import AnnotationError, Article
from ..core.noise import find_noise, find_title
from ..store.store import PreparedArticle, Store, prepare_article
from .brat import article_from_standoff, find_text_for
from .bulk import frozen_heap, quick_gil_turns
from .decode import decode_bytes, iter_lines, read_text_file
from .html import article_from_html
from .parallel import ordered_map, workers_for
from .problems import BadInput, ImportProblem, ImportReport
from .records import article_from_record

FORMATS = ("auto", "txt", "jsonl", "brat", "html")
EXTENSIONS = {".txt": "txt", ".text": "txt", ".jsonl": "jsonl", ".ndjson": "jsonl", ".ann": "brat",
              ".html": "html", ".htm": "html", ".xhtml": "html"}
Progress = Callable[[int, int], None]
PARALLEL_MIN_BYTES = 8 << 20  # less input than this is read faster than workers start
PREPARER_NICENESS = 5  # how much lower the parsing workers of an import run than the process storing

try:  # several times faster on big JSONL files; the standard library does the same job
    from orjson import JSONDecodeError as _OrjsonError
    from orjson import loads as _loads

    def loads(line: str):
        """A line's JSON value: a line break after it is whitespace to orjson, which is spared
        copying a long line without it. Errors come from json, whose message has the column."""
        try:
            return _loads(line)
        except _OrjsonError:
            return json.loads(line.rstrip("\r\n"))
except ImportError:  # pragma: no cover - orjson is a dependency
    _OrjsonError = json.JSONDecodeError

    def _loads(data):
        return json.loads(bytes(data))

    def loads(line: str):
        return json.loads(line.rstrip("\r\n"))

_line_fields = msgspec.json.Decoder(dict[str, msgspec.Raw]).decode


def load_record(line: str):
    """A JSONL line's value, as ``loads`` gives it but for an object's "tokens", which stay raw
    JSON (``msgspec.Raw``) for ``records`` to decode: a thousand token objects per line are
    most of the work, and the importer needs only their offsets."""
    if '"tokens"' not in line:  # splitting the line first would only cost time
        return loads(line)
    try:
        fields = _line_fields(line)
        return {key: raw if key == "tokens" else _loads(memoryview(raw)) for key, raw in fields.items()}
    except (msgspec.MsgspecError, _OrjsonError, UnicodeEncodeError):  # not an object, not JSON, 1e999 ...:
        return loads(line)  # loads decodes it, or says what is wrong, with the column


@dataclass
class FileJob:
    """One unit of import: a file, or for brat an .ann with its .txt."""

    path: Path
    fmt: str
    text_path: Path | None = None
    note: str | None = None


# --- planning: which files, in which format -------------------------------------------------
def plan_jobs(paths: list[Path], fmt: str, report: ImportReport) -> list[FileJob]:
    if fmt not in FORMATS:
        raise ValueError(f"unknown import format {fmt!r}; expected one of {', '.join(FORMATS)}")
    jobs: list[FileJob] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            jobs.extend(_folder_jobs(path, fmt, report))
        elif path.is_file():
            job = _file_job(path, fmt)
            if isinstance(job, ImportProblem):
                report.problems.append(job)
            else:
                jobs.append(job)
        else:
            report.problems.append(ImportProblem(path, None, "no such file or folder"))
    return jobs


def _file_job(path: Path, fmt: str) -> FileJob | ImportProblem:
    kind = EXTENSIONS.get(path.suffix.lower()) if fmt == "auto" else fmt
    if kind is None:
        return ImportProblem(path, None, f"unknown file type {path.suffix or '(no extension)'!r}; "
                                         "name the format with --format txt|jsonl|brat|html")
    if kind == "brat":
        return _brat_job_for(path)
    if kind == "txt" and fmt == "auto" and path.with_suffix(".ann").is_file():
        return FileJob(path.with_suffix(".ann"), "brat", path)
    return FileJob(path, kind)


def _brat_job_for(path: Path) -> FileJob | ImportProblem:
    if path.suffix.lower() == ".ann":
        text = find_text_for(path)
        if text is None:
            return ImportProblem(path, None, _no_text_message(path))
        return FileJob(path, "brat", text)
    ann = path.with_suffix(".ann")
    if not ann.is_file():
        return ImportProblem(path, None, f"no annotation file {ann.name} next to this text")
    return FileJob(ann, "brat", path)


def _no_text_message(ann: Path) -> str:
    return f"no text file for these annotations ({ann.stem}.txt not found next to it or in a sibling folder)"


def _folder_jobs(folder: Path, fmt: str, report: ImportReport) -> list[FileJob]:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    if fmt not in ("auto", "brat"):
        wanted = {ext for ext, kind in EXTENSIONS.items() if kind == fmt}
        return [FileJob(p, fmt) for p in files if p.suffix.lower() in wanted]
    anns = [p for p in files if p.suffix.lower() == ".ann"]
    texts_by_stem = {p.stem: p for p in files if p.suffix.lower() == ".txt"}
    jobs, paired = _brat_pairs(anns, texts_by_stem, report)
    if fmt == "brat":
        for text in texts_by_stem.values():
            if text not in paired:
                report.problems.append(ImportProblem(text, None, "no .ann annotation file for this text"))
        return jobs
    skipped = 0
    for path in files:
        kind = EXTENSIONS.get(path.suffix.lower())
        if kind is None:
            skipped += 1
        elif kind != "brat" and path not in paired:
            jobs.append(FileJob(path, kind))
    if skipped:
        report.notes.append(f"{folder}: {skipped} file(s) of other types skipped")
    return jobs


def _brat_pairs(anns: list[Path], texts_by_stem: dict[str, Path], report: ImportReport):
    """One job per text: its first annotation file (sorted); the others are named in a note."""
    by_text: dict[Path, list[Path]] = {}
    for ann in anns:
        text = find_text_for(ann, texts_by_stem)
        if text is None:
            report.problems.append(ImportProblem(ann, None, _no_text_message(ann)))
        else:
            by_text.setdefault(text, []).append(ann)
    jobs = []
    for text, its_anns in by_text.items():
        note = None
        if len(its_anns) > 1:
            note = (f"{text}: {len(its_anns)} annotation files; used {its_anns[0].name}, not "
                    + ", ".join(a.name for a in its_anns[1:]))
        jobs.append(FileJob(its_anns[0], "brat", text, note))
    return jobs, set(by_text)


# --- reading: each job yields articles with the line they came from ---------------------------
def read_job(job: FileJob, report: ImportReport, workers: int = 0,
             advance: Callable[[int], None] | None = None) -> Iterator[tuple[int | None, PreparedArticle]]:
    """The articles of one file as rows to store; a bad record is listed in ``report`` and
    reading goes on. A problem with the whole file (binary, empty, undecodable) raises BadInput.
    """
    if job.fmt == "jsonl":
        yield from _read_jsonl(job.path, report, workers, advance)
        return
    if job.fmt == "brat":
        yield None, prepare_article(_read_brat(job, report))
        return
    text, note = read_text_file(job.path)
    if note:
        report.notes.append(f"{job.path}: {note}")
    if job.fmt == "html":
        yield None, prepare_article(article_from_html(text, job.path.name))
    else:
        yield None, prepare_article(article_from_plain_text(text, job.path.name))


def article_from_plain_text(text: str, name: str) -> Article:
    """A .txt file: newline normalisation only; the first non-noise line is the title."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise BadInput("empty file")
    noise = find_noise(text)
    return Article(text=text, title=find_title(text, noise), meta={"file": name}, noise=noise)


def _read_brat(job: FileJob, report: ImportReport) -> Article:
    if job.note:
        report.notes.append(job.note)
    assert job.text_path is not None
    try:
        text, note = read_text_file(job.text_path)
    except BadInput as exc:
        raise BadInput(f"{job.text_path.name}: {exc.message}") from None
    if note:
        report.notes.append(f"{job.text_path}: {note}")
    raw = job.path.read_bytes()
    ann = decode_bytes(raw)[0] if raw.strip() else ""  # an empty .ann: a text without annotations
    meta = {"file": job.text_path.name, "annotations": job.path.name}
    article = article_from_standoff(text, ann, meta)  # text kept byte for byte: offsets refer to it
    try:
        article.validate()
    except AnnotationError as exc:
        raise BadInput(str(exc)) from None
    article.noise = find_noise(text)
    article.title = find_title(text, article.noise)
    return article


def _read_jsonl(path: Path, report: ImportReport, workers: int,
                advance: Callable[[int], None] | None = None) -> Iterator[tuple[int, PreparedArticle]]:
    """The records of a JSONL file as rows to store. A big file's lines are parsed by worker
    processes, in batches; the parent decodes the lines and stores the rows in order."""
    first_problem = len(report.problems)
    batches = _line_batches(path, report, advance)
    if workers and path.stat().st_size >= PARALLEL_MIN_BYTES:
        outcomes = ordered_map(prepare_lines, batches, workers=workers, initializer=_start_preparer)
    else:
        outcomes = map(prepare_lines, batches)
    try:
        for batch in outcomes:
            for number, prepared, problem in batch:
                if problem is not None:
                    report.problems.append(ImportProblem(path, number, problem))
                else:
                    yield number, prepared
    finally:
        if hasattr(outcomes, "close"):
            outcomes.close()
        # Lines that cannot be decoded are listed as they are read, ahead of the parsing.
        report.problems[first_problem:] = sorted(report.problems[first_problem:], key=lambda p: p.line or 0)


def _line_batches(path: Path, report: ImportReport, advance: Callable[[int], None] | None = None,
                  size: int = 100) -> Iterator[list[tuple[int, str]]]:
    """Decoded non-blank lines in batches of ``size``; a line that cannot be decoded is listed.
    ``advance(characters)`` hears how much of the file each batch took."""
    noted = False
    batch: list[tuple[int, str]] = []
    characters = 0
    for number, line, note in iter_lines(path):
        characters += len(line) if line is not None else 1
        if line is None:
            report.problems.append(ImportProblem(path, number, note or "cannot decode this line"))
            continue
        if note and not noted:
            report.notes.append(f"{path}:{number}: {note}")
            noted = True
        if line and not line.isspace():  # no stripped copy of a long line just to test it
            batch.append((number, line))
            if len(batch) >= size:
                yield batch
                batch = []
                if advance:
                    advance(characters)
                    characters = 0
    if batch:
        yield batch


def prepare_lines(lines: list[tuple[int, str]]) -> list[tuple[int, PreparedArticle | None, str | None]]:
    """(line number, rows to store, None) per good line, (line number, None, problem) per bad one."""
    out = []
    for number, line in lines:
        try:
            record = load_record(line)
        except json.JSONDecodeError as exc:
            out.append((number, None, f"not valid JSON: {exc.msg} (column {exc.colno})"))
            continue
        try:
            out.append((number, prepare_article(article_from_record(record)), None))
        except BadInput as exc:
            out.append((number, None, exc.message))
    return out


# A worker lives for one file: its heap stays frozen until it exits. Held here: a context
# manager nobody holds is collected, and that undoes it.
_worker_setup = ExitStack()


def _start_preparer() -> None:
    _worker_setup.enter_context(frozen_heap())
    if hasattr(os, "nice"):  # not on Windows
        # What the workers parse, the parent stores, in one thread that cannot be shared out:
        # when every core is busy, it goes first and the workers take the time left. On two
        # cores this took 0.6 s off an import of 10,000 annotated articles.
        os.nice(PREPARER_NICENESS)


# --- storing ----------------------------------------------------------------------------------
class _Batcher:
    """Collects whole articles and stores them in batches, one transaction per batch.

    With a database file the batches are written by a background thread: SQLite does its
    work (full-text indexing above all) without holding the GIL, so parsing the next batch
    overlaps with storing this one. Each batch is still one transaction of whole articles.
    """

    def __init__(self, store: Store, report: ImportReport, batch_size: int, background: bool):
        self.store, self.report, self.batch_size = store, report, batch_size
        self.pending: list[tuple[PreparedArticle, int | None]] = []
        self.path: Path | None = None
        self.queue: queue.Queue | None = None
        self.error: BaseException | None = None
        if background:
            self.queue = queue.Queue(maxsize=1)
            self.thread = threading.Thread(target=self._write_queued, name="import-writer", daemon=True)
            self.thread.start()

    def add(self, path: Path, article: PreparedArticle, line: int | None) -> None:
        if self.error is not None:
            raise self.error  # the database refused a batch: no point reading on
        if path != self.path:
            self.flush()
            self.path = path
        self.pending.append((article, line))
        if len(self.pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        if self.queue is None:
            self._store(batch, self.path)
        elif self.error is None:  # once the writer failed, close() reports it; stop feeding it
            self.queue.put((batch, self.path))

    def close(self) -> None:
        """Store what is pending and wait for the writer; re-raise what stopped it."""
        try:
            self.flush()
        finally:
            if self.queue is not None:
                self.queue.put(None)
                self.thread.join()
        if self.error is not None:
            raise self.error

    def _write_queued(self) -> None:
        while (item := self.queue.get()) is not None:
            if self.error is None:  # after a failure keep draining, so that put() never blocks
                try:
                    self._store(*item)
                except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                    self.error = exc

    def _store(self, batch, path: Path) -> None:
        source = str(path)
        try:
            results = self.store.add_prepared([a for a, _ in batch], source=source)
        except (sqlite3.IntegrityError, AnnotationError):
            results = self._one_by_one(batch, path)
        for result in results:
            if result is None:
                continue
            if result.created:
                self.report.added += 1
                self.report.article_ids.append(result.article_id)
            else:
                self.report.duplicates += 1

    def _one_by_one(self, batch, path: Path):
        """A batch was refused: store what can be stored and name the record that could not."""
        results = []
        for article, line in batch:
            try:
                results.append(self.store.add_prepared([article], source=str(path))[0])
            except (sqlite3.IntegrityError, AnnotationError) as exc:
                self.report.problems.append(ImportProblem(path, line, f"not stored: {exc}"))
                results.append(None)
        return results


class _Meter:
    """Progress in bytes of input: whole files, and within a big JSONL file its lines read.

    Line lengths in characters stand for their bytes (exact for ASCII); each finished file
    sets the count to its real size, so the total is always reached.
    """

    def __init__(self, jobs: list[FileJob], progress: Progress | None):
        self.progress = progress
        self.total = sum(_job_size(job) for job in jobs)
        self.done = 0
        self.in_file = 0
        self.file_size = 0

    def start(self, job: FileJob) -> None:
        self.in_file, self.file_size = 0, _job_size(job)

    def advance(self, characters: int) -> None:
        """Called as a file's lines are read; reports within the file."""
        self.in_file = min(self.in_file + characters, self.file_size)
        if self.progress:
            self.progress(self.done + self.in_file, self.total)

    def finish_file(self) -> None:
        self.done += self.file_size
        self.in_file = self.file_size = 0
        if self.progress:
            self.progress(self.done, self.total)


def _job_size(job: FileJob) -> int:
    paths = [job.path] + ([job.text_path] if job.text_path is not None else [])
    try:
        return sum(p.stat().st_size for p in paths)
    except OSError:
        return 0


FILES_PER_TASK = 16  # small files (txt, html, brat) a worker reads per task


def _import_jobs(jobs: list[FileJob], batcher: _Batcher, report: ImportReport, meter: _Meter,
                 workers: int) -> None:
    """Every job in order. Big JSONL files stream through ``read_job``; the other files are
    read whole, by worker processes when there are many of them (HTML extraction above all
    takes milliseconds a page)."""
    small = _small_file_outcomes([job for job in jobs if job.fmt != "jsonl"], workers)
    try:
        for job in jobs:
            report.files += 1
            meter.start(job)
            if job.fmt == "jsonl":
                articles, problems, notes = _stream_jsonl(job, report, workers, meter.advance)
            else:
                articles, problems, notes = next(small)
            for line, article in articles:
                batcher.add(job.path, article, line)
            report.problems.extend(problems)
            report.notes.extend(notes)
            batcher.flush()
            meter.finish_file()
    finally:
        small.close()
        batcher.close()


def _stream_jsonl(job: FileJob, report: ImportReport, workers: int, advance) -> tuple[Iterator, list, list]:
    """A JSONL file's articles as they are parsed; its problems go to ``report`` directly."""
    def articles():
        try:
            yield from read_job(job, report, workers, advance)
        except (BadInput, OSError) as exc:
            report.problems.append(_file_problem(job, exc))
    return articles(), [], []


def _small_file_outcomes(jobs: list[FileJob], workers: int) -> Iterator[tuple[list, list, list]]:
    """(articles, problems, notes) of each job, in order."""
    tasks = [jobs[i:i + FILES_PER_TASK] for i in range(0, len(jobs), FILES_PER_TASK)]
    if sum(_job_size(job) for job in jobs) < PARALLEL_MIN_BYTES:
        workers = 0  # measured: 300 web pages (2 MB) are read faster than two workers start
    for outcomes in ordered_map(read_files, tasks, workers=workers_for(workers, len(tasks)) if workers else 0):
        yield from outcomes


def read_files(jobs: list[FileJob]) -> list[tuple[list, list, list]]:
    """Each file read whole: its articles as rows to store, its problems and its notes."""
    outcomes = []
    for job in jobs:
        local = ImportReport()
        try:
            articles = list(read_job(job, local))
        except (BadInput, OSError) as exc:
            articles = []
            local.problems.append(_file_problem(job, exc))
        outcomes.append((articles, local.problems, local.notes))
    return outcomes


def _file_problem(job: FileJob, exc: Exception) -> ImportProblem:
    if isinstance(exc, BadInput):
        return ImportProblem(job.path, exc.line, exc.message)
    return ImportProblem(job.path, None, f"cannot read: {exc.strerror or exc}")


def import_paths(store: Store, paths: list[Path], *, fmt: str = "auto", progress: Progress | None = None,
                 batch_size: int = 200, workers: int | None = None) -> ImportReport:
    """Import files and folders; see the module docstring. Returns counts and problems.

    ``progress(done, total)`` counts bytes of input, within big files too; it may raise to
    stop the import between two batches (what was stored stays, whole).
    ``workers``: processes that parse a big JSONL file or read many small files (default
    ``parallel.default_workers``; 1: all in this process)."""
    report = ImportReport()
    jobs = plan_jobs(list(paths), fmt, report)
    background = store.path is not None
    workers = workers_for(workers, 2)  # 0 when one process is asked for
    with frozen_heap(), quick_gil_turns() if background else nullcontext():
        _import_jobs(jobs, _Batcher(store, report, batch_size, background), report, _Meter(jobs, progress),
                     workers)
    return report
