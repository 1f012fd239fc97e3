"""Imports and exports spread over worker processes give exactly what one process gives."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core import Article, EntitySpan, Mention, Quote
from annotator.io import importers
from annotator.io.exporters import FORMATS, WRITERS, export
from annotator.io.importers import import_paths
from annotator.io.parallel import default_workers, ordered_map, workers_for
from annotator.store import Store

TEXT = 'Emmanuel Macron met Vladimir Putin in Moscow. "We need calm," Macron told reporters.\n'


def square(n: int) -> int:
    if n == 13:
        raise ValueError("thirteen is refused")
    return n * n


# --- the process map --------------------------------------------------------------------------
def test_ordered_map_keeps_the_input_order_across_processes():
    assert list(ordered_map(square, range(12), workers=2)) == [n * n for n in range(12)]


def test_ordered_map_in_this_process_when_no_workers():
    assert list(ordered_map(square, [3, 4], workers=0)) == [9, 16]


def test_an_error_in_a_worker_reaches_the_caller_and_the_pool_stops():
    results = []
    with pytest.raises(ValueError, match="thirteen"):
        for value in ordered_map(square, range(10, 40), workers=2):
            results.append(value)
    assert results == [100, 121, 144]


def test_closing_early_stops_the_workers():
    mapped = ordered_map(square, range(100), workers=2)
    assert next(mapped) == 0
    mapped.close()  # returns only once the pool has shut down


def in_a_plain_process(call: str) -> str:
    """Runs ``call`` (a function of this module) in a fresh interpreter, not a pool's worker; its result as printed."""
    code = f"import sys; sys.path.insert(0, 'tests'); import test_parallel as t; print(t.{call})"
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parent.parent, check=True,
                          capture_output=True, text=True)
    return done.stdout.strip()


class _MarksTeardown:
    """Writes a file when the interpreter tears it down at exit (a module-level object)."""

    def __init__(self, path: str):
        self.path = path

    def __del__(self):
        Path(self.path).write_text("torn down")


_kept = []


def keep_until_exit(marker: str) -> int:
    _kept.append(_MarksTeardown(marker))
    return os.getpid()


def test_workers_leave_without_the_interpreter_teardown(tmp_path):
    """Results all arrive, and the workers skip the slow teardown of their modules at exit."""
    markers = [str(tmp_path / f"marker-{i}") for i in range(6)]
    pids = list(ordered_map(keep_until_exit, markers, workers=2))
    assert len(pids) == 6 and os.getpid() not in pids
    assert not [m for m in markers if Path(m).exists()]
    # The same object in a process that exits the usual way is torn down (the test can fail).
    in_a_plain_process(f"keep_until_exit({str(tmp_path / 'usual')!r})")
    assert (tmp_path / "usual").read_text() == "torn down"


BIG = 20 << 20  # larger than glibc's default threshold for mapping an allocation apart


def faults_of_a_second_big_buffer(_=None) -> int:
    """Page faults taken by a big buffer made and filled after another one was freed."""
    import resource

    bytearray(BIG)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    bytearray(BIG)
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator settings")
def test_workers_reuse_the_memory_they_free():
    pages = BIG // 4096
    reused = list(ordered_map(faults_of_a_second_big_buffer, range(2), workers=2))
    assert max(reused) < pages // 10, reused
    # A process without the settings faults the second buffer's pages in afresh (the test can fail).
    assert int(in_a_plain_process("faults_of_a_second_big_buffer()")) > pages // 2


def test_worker_count(monkeypatch):
    monkeypatch.setenv("ANNOTATOR_JOBS", "3")
    assert default_workers() == 3
    assert workers_for(None, 10) == 3 and workers_for(None, 2) == 2
    assert workers_for(None, 1) == 0 and workers_for(1, 10) == 0
    monkeypatch.setenv("ANNOTATOR_JOBS", "many")
    with pytest.raises(ValueError, match="ANNOTATOR_JOBS='many'"):
        default_workers()


# --- export -----------------------------------------------------------------------------------
def _articles():
    """Annotated and plain articles; one span off token boundaries (a warning per export)."""
    out = []
    for i in range(7):
        text = f"Report {i}. " + TEXT
        shift = len(f"Report {i}. ")
        content = text.index('"We need calm,"')
        quote = Quote(content, content + len('"We need calm,"'), "direct",
                      Mention(text.index("Macron told"), text.index("Macron told") + 6), "Emmanuel Macron",
                      Mention(text.index("told"), text.index("told") + 4), "analyst")
        entities = [EntitySpan(shift, shift + 15, "PERSON"), EntitySpan(shift + 20, shift + 34, "PERSON")]
        if i == 4:
            entities.append(EntitySpan(shift + 1, shift + 5, "ORG"))  # "mman": inside a token
        out.append(Article(text, status="done" if i % 3 else "todo",
                           entities=entities if i % 2 == 0 else [], quotes=[quote] if i != 5 else []))
    return out


@pytest.fixture
def file_store(tmp_path):
    with Store(tmp_path / "corpus.db") as store:
        for article in _articles():
            store.add_article(article)
        yield store


def _contents(path: Path) -> dict:
    if path.is_file():
        return {path.name: path.read_bytes()}
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_with_workers_is_byte_for_byte_the_one_process_export(file_store, tmp_path, monkeypatch, fmt):
    monkeypatch.setattr(WRITERS[fmt], "chunk_size", 2)  # four chunks for the workers to share
    names = {"spacy": "out.spacy", "brat": "out"}
    outputs, reports = [], []
    for workers in (1, 2):
        out = tmp_path / f"w{workers}" / names.get(fmt, f"out.{fmt}")
        reports.append(export(file_store, fmt, out, include_all=True, workers=workers))
        outputs.append(_contents(out))
        assert list(out.parent.iterdir()) == [out]  # no chunk files or scratch folders left
    assert outputs[0] == outputs[1] and outputs[0]
    assert reports[0].articles == reports[1].articles == 7
    assert reports[0].warnings == reports[1].warnings
    if fmt in ("jsonl", "spacy"):  # the formats that align spans with tokens
        assert "'mman' does not align" in reports[0].warnings[0]


def test_spacy_shards_from_workers_match(file_store, tmp_path, monkeypatch):
    monkeypatch.setattr(WRITERS["spacy"], "chunk_size", 3)
    export(file_store, "spacy", tmp_path / "one", include_all=True, workers=1)
    export(file_store, "spacy", tmp_path / "two", include_all=True, workers=2)
    assert sorted(_contents(tmp_path / "two")) == ["00000.spacy", "00001.spacy", "00002.spacy"]
    assert _contents(tmp_path / "one") == _contents(tmp_path / "two")


def test_a_cancelled_parallel_export_leaves_nothing(file_store, tmp_path, monkeypatch):
    monkeypatch.setattr(WRITERS["jsonl"], "chunk_size", 1)
    out = tmp_path / "out.jsonl"
    out.write_text("the previous export\n", "utf-8")

    def cancel(done, total):
        if done >= 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        export(file_store, "jsonl", out, include_all=True, progress=cancel, workers=2)
    assert out.read_text("utf-8") == "the previous export\n"
    assert [p.name for p in out.parent.iterdir() if "out.jsonl" in p.name] == ["out.jsonl"]  # chunks gone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.db", "corpus.db-shm", "corpus.db-wal", "out.jsonl"]


# --- import -----------------------------------------------------------------------------------
def _jsonl_lines(n: int) -> list[str]:
    lines = []
    for i in range(n):
        text = f"Dispatch {i}. " + TEXT
        start = text.index("Vladimir Putin")
        record = {"text": text, "meta": {"id": i}, "spans": [{"start": start, "end": start + 14, "label": "PERSON"}]}
        if i == 40:
            record["spans"][0]["end"] = 10_000  # out of range: listed, not stored
        lines.append(json.dumps(record))
    lines[120] = "{not json"
    lines.insert(200, lines[10])  # the same text again: one article
    lines.insert(50, "")
    return lines


def _stored(store):
    return [(a.text, a.title, a.meta, [(e.start, e.end, e.label, e.source) for e in a.entities], a.noise)
            for a in store.iter_articles()]


def test_import_with_workers_stores_and_reports_what_one_process_does(tmp_path, monkeypatch):
    source = tmp_path / "many.jsonl"
    source.write_text("\n".join(_jsonl_lines(260)) + "\n", "utf-8")
    monkeypatch.setattr(importers, "PARALLEL_MIN_BYTES", 0)
    results = []
    for workers in (1, 2):
        with Store(tmp_path / f"w{workers}.db") as store:
            report = import_paths(store, [source], workers=workers)
            results.append((report.added, report.duplicates, [str(p) for p in report.problems], _stored(store),
                            [r.id for r in store.list_articles(search="Dispatch 250")]))
    assert results[0] == results[1]
    added, duplicates, problems, stored, found = results[0]
    assert (added, duplicates) == (258, 1) and len(found) == 1
    assert problems == [f"{source}:41: spans[0]: offsets 33-10000 are out of range for a text of "
                        f"{len('Dispatch 40. ' + TEXT)} characters",
                        f"{source}:122: not valid JSON: Expecting property name enclosed in double quotes (column 2)"]


def test_a_worker_keeps_its_set_up_for_the_whole_export(file_store, tmp_path):
    """The frozen heap and spaCy's cached msgpack encoders stay in force after the initializer
    returns (a context manager nobody holds is collected, and that undoes it)."""
    import gc

    from srsly.msgpack import msgpack_encoders

    from annotator.io import exporters

    exporters._start_worker(str(file_store.path), "spacy", tmp_path / "out")
    try:
        gc.collect()
        assert gc.get_freeze_count() > 0
        assert "get_all" in vars(msgpack_encoders)  # the cached lookup shadows the method
        payload, warnings = exporters._render_in_worker((0, file_store.article_ids()[:2]))
        assert payload and warnings == []
    finally:
        exporters._worker_setup.close()
        exporters._worker_renderer.store.close()
    assert "get_all" not in vars(msgpack_encoders) and gc.get_freeze_count() == 0


def niceness(_item=None) -> int:
    return os.nice(0)


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process niceness on this system")
def test_import_workers_yield_the_cores_to_the_process_that_stores():
    """The store's writer is the import's one serial part: its parsing workers run at a lower
    priority, so that it is never kept waiting for a core."""
    seen = list(ordered_map(niceness, range(4), workers=2, initializer=importers._start_preparer))
    assert seen == [niceness() + importers.PREPARER_NICENESS] * 4


def die(n: int) -> int:
    if n == 5:
        os._exit(3)  # as a process killed for want of memory would
    return n


def test_a_worker_that_dies_is_reported_in_words():
    from annotator.io.parallel import WorkerFailed

    with pytest.raises(WorkerFailed, match="--jobs 1"):
        list(ordered_map(die, range(10), workers=2))


def die_leaving_a_mark(mark: str) -> None:
    Path(mark).touch()
    os._exit(3)


def test_a_worker_that_died_before_the_next_item_is_handed_out_is_reported_in_words(tmp_path):
    """The pool refuses new work once a worker died; that too is a WorkerFailed, not a traceback."""
    import time

    from annotator.io.parallel import WorkerFailed

    mark = tmp_path / "died"

    def items():
        yield str(mark)
        deadline = time.monotonic() + 60
        while not mark.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1)  # the pool notices the dead worker
        yield str(mark)

    with pytest.raises(WorkerFailed, match="--jobs 1"):
        list(ordered_map(die_leaving_a_mark, items(), workers=2))


def test_an_export_whose_worker_dies_leaves_the_old_file(file_store, tmp_path, monkeypatch):
    from annotator.io import exporters
    from annotator.io.parallel import WorkerFailed

    monkeypatch.setattr(WRITERS["csv"], "chunk_size", 1)
    monkeypatch.setattr(exporters, "_render_in_worker", die_on_third_chunk)
    out = tmp_path / "quotes.csv"
    out.write_text("the previous export\n", "utf-8")
    with pytest.raises(WorkerFailed):
        export(file_store, "csv", out, include_all=True, workers=2)
    assert out.read_text("utf-8") == "the previous export\n" and not (tmp_path / "quotes.csv.part").exists()


def die_on_third_chunk(task):
    from annotator.io import exporters

    if task[0] == 2:
        os._exit(3)
    return exporters._worker_renderer(task)


def test_problems_are_listed_in_line_order_when_workers_read_ahead(store, tmp_path, monkeypatch):
    lines = [b'{"text": "Article %d."}\n' % i for i in range(2000)]
    lines[1440] = b"{not json\n"
    lines[1530] = b"\x00\x81\xff\xfe\x8d\x90\n"  # past the part sniffed for binary files
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"".join(lines))
    monkeypatch.setattr(importers, "PARALLEL_MIN_BYTES", 0)
    report = import_paths(store, [path], workers=2)
    assert [(p.line, p.message.split(" (")[0]) for p in report.problems] == [
        (1441, "not valid JSON: Expecting property name enclosed in double quotes"), (1531, "not valid UTF-8")]
    assert report.added == 1998


def test_a_folder_of_small_files_read_by_workers_gives_what_one_process_gives(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(7):
        (folder / f"a{i}.txt").write_text(f"Story {i}\n\nAdvertisement\n\nBody {i}. " + TEXT, "utf-8")
        (folder / f"b{i}.html").write_text(f"<html><body><nav>Home</nav><article><p>Page {i}. {TEXT}</p>"
                                           "</article></body></html>", "utf-8")
    (folder / "c.jsonl").write_text(json.dumps({"text": "From a JSONL file. " + TEXT}) + "\n{bad\n", "utf-8")
    (folder / "d.txt").write_bytes(b"\x00\x01binary\x00")
    (folder / "e.txt").write_text("", "utf-8")
    (folder / "f.txt").write_text("Story 0\n\nAdvertisement\n\nBody 0. " + TEXT, "utf-8")  # a duplicate
    (folder / "g.txt").write_text("Name: Jane\n", "utf-8")
    (folder / "g.ann").write_text("T1\tPERSON 6 10\tJane\n", "utf-8")
    monkeypatch.setattr(importers, "FILES_PER_TASK", 2)
    monkeypatch.setattr(importers, "PARALLEL_MIN_BYTES", 0)
    results = []
    for workers in (1, 2):
        with Store(tmp_path / f"w{workers}.db") as store:
            report = import_paths(store, [folder], workers=workers)
            results.append((report.added, report.duplicates, report.files, [str(p) for p in report.problems],
                            report.notes, _stored(store)))
    assert results[0] == results[1]
    added, duplicates, files, problems, notes, stored = results[0]
    assert (added, duplicates, files) == (16, 1, 19)
    assert [Path(p).relative_to(folder).as_posix() for p in problems] == [
        "c.jsonl:2: not valid JSON: Expecting property name enclosed in double quotes (column 2)",
        "d.txt: binary file, not text", "e.txt: empty file"]
    # In the importer's order: brat pairs first, then the other files sorted by name.
    assert [text.split(".")[0] for text, *_ in stored][:3] == ["Name: Jane\n", "Story 0\n\nAdvertisement\n\nBody 0",
                                                              "Story 1\n\nAdvertisement\n\nBody 1"]
