"""The command line: ``annotator [import|annotate|export|stats|gui]``."""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from . import __version__

EXPORT_FORMATS = ("jsonl", "spacy", "doccano", "brat", "csv")
IMPORT_FORMATS = ("auto", "txt", "jsonl", "brat", "html")


class Progress:
    """A one-line progress bar on stderr with counts and rate; silent when not a terminal."""

    def __init__(self, what: str, unit: str = "articles", stream=None, force: bool | None = None,
                 scale: float | None = None):
        """``scale``: shown counts are ``done * scale`` with one decimal (bytes as MB)."""
        self.what, self.unit, self.scale = what, unit, scale
        self.stream = stream or sys.stderr
        self.enabled = force if force is not None else self.stream.isatty()
        self.started = time.perf_counter()
        self._last = 0.0

    def __call__(self, done: int, total: int, words: int | None = None) -> None:
        now = time.perf_counter()
        if not self.enabled or (now - self._last < 0.2 and done < total):
            return
        self._last = now
        elapsed = max(now - self.started, 1e-9)
        width = 24
        filled = int(width * done / total) if total else width
        shown = (f"{done * self.scale:,.1f}/{total * self.scale:,.1f}" if self.scale else f"{done:,}/{total:,}")
        rate = done * (self.scale or 1) / elapsed
        per_second = f" {self.unit}/s" if self.scale else "/s"
        line = f"\r{self.what} [{'#' * filled}{'.' * (width - filled)}] {shown} {self.unit}  {rate:,.1f}{per_second}"
        if words is not None:
            line += f"  {words / elapsed:,.0f} words/s"
        if total and done:
            line += f"  eta {max(0.0, elapsed * (total - done) / done):,.0f}s"
        self.stream.write(line.ljust(100))
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def _open_store(args):
    from .store import Store, default_db_path

    path = Path(args.db) if args.db else default_db_path()
    return Store(path)


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return number


def _jobs(args) -> int:
    """--jobs, else ANNOTATOR_JOBS or the default; a bad ANNOTATOR_JOBS stops with its name."""
    from .io.parallel import default_workers

    if args.jobs is not None:
        return args.jobs
    try:
        return default_workers()
    except ValueError as exc:
        raise SystemExit(f"error: {exc}") from None


def cmd_import(args) -> int:
    from .io.importers import import_paths
    from .io.parallel import WorkerFailed

    with _open_store(args) as store:
        try:
            report = import_paths(store, [Path(p) for p in args.paths], fmt=args.format,
                                  progress=Progress("import", "MB", scale=1e-6), workers=_jobs(args))
        except WorkerFailed as exc:
            print(f"error: {exc}; the articles stored before it are kept", file=sys.stderr)
            return 2
    print(f"{report.added} article(s) added, {report.duplicates} already stored, "
          f"{len(report.problems)} problem(s) in {report.files} file(s)")
    for note in report.notes:
        print(f"  note: {note}", file=sys.stderr)
    for problem in report.problems:
        print(f"  {problem}", file=sys.stderr)
    return 1 if report.problems else 0


def cmd_annotate(args) -> int:
    from .nlp.annotate import annotate_store
    from .nlp.pipeline import PipelineError

    with _open_store(args) as store:
        try:
            result = annotate_store(store, model=args.model, rerun=args.all,
                                    progress=Progress("annotate"))
        except PipelineError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    print(f"{result.articles} article(s) annotated with {result.pipeline} ({result.words:,} words)")
    return 0


def cmd_export(args) -> int:
    from .io.exporters import ExportError, export
    from .io.parallel import WorkerFailed

    with _open_store(args) as store:
        try:
            report = export(store, args.format, Path(args.output), include_all=args.all,
                            progress=Progress("export"), workers=_jobs(args))
        except (ExportError, WorkerFailed) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    print(f"{report.articles} article(s) written to {args.output} as {args.format}")
    for warning in report.warnings:
        print(f"  warning: {warning}", file=sys.stderr)
    return 0


def cmd_stats(args) -> int:
    with _open_store(args) as store:
        stats = store.stats()
    if args.json:
        print(json.dumps(stats, indent=2, ensure_ascii=False))
        return 0
    print(f"database     {stats['database']}")
    print(f"articles     {stats['articles']:,} ({stats['annotated']:,} pre-annotated)")
    print("status       " + ", ".join(f"{k} {v:,}" for k, v in stats["by_status"].items()))
    print(f"entities     {stats['entities']:,}")
    for label, n in list(stats["entities_by_label"].items())[:12]:
        print(f"  {label:<12} {n:,}")
    print(f"quotes       {stats['quotes']:,} " + ", ".join(f"{k} {v:,}" for k, v in stats["quotes_by_kind"].items()))
    print("sources      " + ", ".join(f"{k} {v:,}" for k, v in stats["annotations_by_source"].items()))
    print(f"pipelines    {', '.join(stats['pipelines']) or '-'}")
    print(f"edits        {stats['edits']:,}")
    return 0


def cmd_gui(args) -> int:
    try:
        from .ui.app import run
    except ImportError as exc:  # the window is not available in this install
        print(f"The annotation window cannot start: {exc}", file=sys.stderr)
        return 2
    return run(db=args.db, screenshot=getattr(args, "screenshot", None))


def cmd_self_test(args) -> int:
    from .ui.selftest import run_self_test

    return run_self_test(Path(args.report) if args.report else None)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotator",
        description="Annotate entities and quotes in news articles. Without a command, opens the window.")
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    parser.add_argument("--db", help="database file (default: ANNOTATOR_DB or annotations.db in the "
                                     "user data folder)")
    parser.add_argument("--self-test", action="store_true",
                        help="check the installed application end to end and exit (0 = all good)")
    parser.add_argument("--report", metavar="FILE", help="with --self-test: write a JSON report here")
    sub = parser.add_subparsers(dest="command")

    def add_jobs(p):
        p.add_argument("--jobs", type=positive_int, metavar="N",
                       help="worker processes for big imports and exports (default: ANNOTATOR_JOBS, else "
                            "the processors available, at most 4; 1: none)")

    def add(name, func, help_text):
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--db", default=argparse.SUPPRESS, help="database file")
        p.set_defaults(func=func)
        return p

    p = add("import", cmd_import, "Store articles from files or folders (txt, jsonl, brat, html).")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--format", choices=IMPORT_FORMATS, default="auto")
    add_jobs(p)

    p = add("annotate", cmd_annotate, "Pre-annotate entities and quotes with the spaCy pipeline.")
    p.add_argument("--model", help="spaCy pipeline name or path (default: best installed)")
    p.add_argument("--all", action="store_true",
                   help="re-run on every article (analyst annotations are kept)")

    p = add("export", cmd_export, "Write training data for articles marked done (all with --all).")
    p.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    p.add_argument("--output", required=True, metavar="PATH")
    p.add_argument("--all", action="store_true", help="export every article, not only done ones")
    add_jobs(p)

    p = add("stats", cmd_stats, "Counts of articles, annotations and edits.")
    p.add_argument("--json", action="store_true")

    p = add("gui", cmd_gui, "Open the annotation window.")
    p.add_argument("--screenshot", metavar="PATH", help="render the window to a PNG and exit")
    parser.set_defaults(func=cmd_gui)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.self_test:
        args.func = cmd_self_test
    if getattr(args, "db", None) is None:
        args.db = os.environ.get("ANNOTATOR_DB")
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("\ninterrupted; everything finished so far is stored", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
