"""``annotator --self-test``: check an installed or frozen copy end to end.

Each check opens the real thing a user needs (Qt, the bundled resources, the spaCy pipeline, the
database, the exporter, the annotation window) and records whether it worked and how long it took.
The result goes to a JSON report file because a windowed Windows build has no stdout.
"""
from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
import traceback
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Callable

from .. import __version__

REPORT_FORMAT = 1
SAMPLE_NAME = "sample-article.txt"
# A window that does not come up within this time counts as failed (slow CI disks included).
WINDOW_TIMEOUT_S = 60.0


@dataclass
class CheckResult:
    name: str
    ok: bool
    seconds: float
    detail: dict = field(default_factory=dict)
    error: str | None = None


@dataclass
class SelfTestState:
    """What earlier checks hand to later ones."""

    workdir: Path
    sample: str = ""
    app: object | None = None
    nlp: object | None = None
    db_path: Path | None = None
    article_id: int | None = None
    entities: int = 0
    keep: list = field(default_factory=list)  # Qt objects that must outlive their check


class CheckFailed(RuntimeError):
    """A check ran but found something wrong; the message says what."""


class SelfTest:
    """Runs checks in order; a check whose prerequisites failed is recorded as not run."""

    def __init__(self) -> None:
        self.results: list[CheckResult] = []

    def passed(self, name: str) -> bool:
        return any(r.name == name and r.ok for r in self.results)

    def run(self, name: str, check: Callable[[], dict], needs: tuple[str, ...] = ()) -> CheckResult:
        missing = [n for n in needs if not self.passed(n)]
        if missing:
            result = CheckResult(name, False, 0.0, error=f"not run: needs {', '.join(missing)}")
        else:
            started = time.perf_counter()
            try:
                detail = check()
                result = CheckResult(name, True, _elapsed(started), detail)
            except CheckFailed as exc:
                result = CheckResult(name, False, _elapsed(started), error=str(exc))
            except Exception as exc:  # any crash is a finding, and later checks still run
                result = CheckResult(name, False, _elapsed(started), error=_describe(exc))
        self.results.append(result)
        return result

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)


def _elapsed(started: float) -> float:
    return round(time.perf_counter() - started, 4)


def _describe(exc: BaseException) -> str:
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    place = f" (at {Path(where.filename).name}:{where.lineno})" if where else ""
    return f"{type(exc).__name__}: {exc}{place}"


# --- the Qt platform ---------------------------------------------------------------------
def choose_qt_platform(env: dict[str, str], system: str = sys.platform,
                       force_offscreen: bool = False) -> str | None:
    """The QT_QPA_PLATFORM to set, or None to leave Qt's own choice alone.

    Offscreen only when asked (argument or ANNOTATOR_SELFTEST_OFFSCREEN=1) or when a Linux
    session has no display at all; a real display shows the real window.
    """
    if force_offscreen or env.get("ANNOTATOR_SELFTEST_OFFSCREEN") == "1":
        return "offscreen"
    if env.get("QT_QPA_PLATFORM"):
        return None
    if system.startswith("linux") and not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        return "offscreen"
    return None


# --- the checks --------------------------------------------------------------------------
def check_resources(state: SelfTestState) -> dict:
    folder = resources.files("annotator.resources")
    state.sample = folder.joinpath(SAMPLE_NAME).read_text("utf-8")
    if not state.sample.strip():
        raise CheckFailed(f"{SAMPLE_NAME} in annotator.resources is empty")
    names = sorted(p.name for p in folder.iterdir() if not p.name.startswith(("_", ".")))
    return {"sample_chars": len(state.sample), "files": names}


def check_qt(state: SelfTestState) -> dict:
    from PySide6.QtCore import qVersion
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication, QTextEdit

    state.app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "annotator"])
    editor = QTextEdit()
    editor.setReadOnly(True)
    editor.setPlainText(state.sample)
    editor.resize(900, 700)
    editor.show()
    visible_after = wait_until_exposed(state.app, editor)
    shown = editor.toPlainText()
    editor.close()
    if shown != state.sample:
        raise CheckFailed(f"the text box shows {len(shown)} characters, the sample has {len(state.sample)}")
    detail = {"qt": qVersion(), "platform": QGuiApplication.platformName(),
              "visible_after_s": round(visible_after, 4), "visible_at_epoch": time.time(),
              "since_process_start_s": seconds_since_process_start()}
    if detail["platform"] == "offscreen":
        detail["native_plugin"] = native_plugin_status()
    return detail


NATIVE_PLUGINS = {"linux": "xcb", "win32": "windows", "darwin": "cocoa"}


def native_plugin_status(system: str = sys.platform) -> dict:
    """Whether the desktop's own platform plugin and its libraries load (for the record only:
    offscreen runs happen on build machines, which may lack a desktop's system libraries)."""
    from PySide6.QtCore import QLibrary, QLibraryInfo

    name = NATIVE_PLUGINS.get("linux" if system.startswith("linux") else system)
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    found = sorted(folder.glob(f"*q{name}.*")) if name else []
    if not found:
        return {"name": name, "loads": False, "error": f"no {name} plugin in {folder}"}
    library = QLibrary(str(found[0]))
    loads = library.load()
    status = {"name": name, "loads": loads, "error": None if loads else library.errorString()}
    if loads:
        library.unload()
    return status


def wait_until_exposed(app, widget, timeout: float = WINDOW_TIMEOUT_S) -> float:
    """Seconds until ``widget`` is shown and its window exposed; CheckFailed after ``timeout``."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        app.processEvents()
        handle = widget.windowHandle()
        if widget.isVisible() and handle is not None and handle.isExposed():
            return time.perf_counter() - started
        time.sleep(0.005)
    raise CheckFailed(f"the window was not exposed within {timeout:.0f} s")


def check_pipeline(state: SelfTestState) -> dict:
    from ..nlp.pipeline import load_pipeline, pipeline_id

    state.nlp = load_pipeline()
    return {"pipeline": pipeline_id(state.nlp), "components": list(state.nlp.pipe_names)}


def check_annotate(state: SelfTestState) -> dict:
    from ..core.model import Article
    from ..core.noise import find_noise, find_title
    from ..nlp.annotate import annotate_store
    from ..store import Store

    noise = find_noise(state.sample)
    article = Article(text=state.sample, title=find_title(state.sample, noise), noise=noise)
    state.db_path = state.workdir / "selftest.db"
    with Store(state.db_path) as store:
        state.article_id = store.add_article(article, who="self-test").article_id
        result = annotate_store(store, nlp=state.nlp)
        stored = store.get_article(state.article_id)
    state.entities = len(stored.entities)
    if result.articles != 1 or not stored.entities:
        raise CheckFailed(f"annotated {result.articles} article(s) with {len(stored.entities)} entities; "
                          "expected 1 article with entities")
    return {"database": str(state.db_path), "entities": len(stored.entities),
            "quotes": len(stored.quotes), "words": result.words}


def check_read_back(state: SelfTestState) -> dict:
    from ..store import Store

    with Store(state.db_path) as store:  # a fresh connection: what really reached the file
        article = store.get_article(state.article_id)
    if article.text != state.sample:
        raise CheckFailed("the stored text differs from the sample article")
    if len(article.entities) != state.entities or not article.pipeline:
        raise CheckFailed(f"read back {len(article.entities)} entities (pipeline {article.pipeline!r}), "
                          f"wrote {state.entities}")
    return {"title": article.title, "entities": len(article.entities), "quotes": len(article.quotes),
            "pipeline": article.pipeline}


def check_export(state: SelfTestState) -> dict:
    try:
        from ..io.exporters import export
    except ImportError as exc:
        raise CheckFailed(f"the exporter (annotator.io.exporters) is missing from this build: {exc}") from exc
    from ..store import Store

    out = state.workdir / "export.jsonl"
    with Store(state.db_path) as store:
        export(store, "jsonl", out, include_all=True)
    lines = [line for line in out.read_text("utf-8").splitlines() if line.strip()]
    if len(lines) != 1:
        raise CheckFailed(f"{out.name} has {len(lines)} lines, expected 1")
    record = json.loads(lines[0])
    if record.get("text", state.sample) != state.sample:
        raise CheckFailed(f"{out.name}: the exported text differs from the sample article")
    return {"bytes": out.stat().st_size, "fields": sorted(record), "worker_processes": check_worker_processes()}


def check_worker_processes() -> int:
    """Big imports and exports run in worker processes: they must start in this build (a
    frozen application starts them through multiprocessing.freeze_support)."""
    from ..io.parallel import ordered_map, worker_pid

    pids = set(ordered_map(worker_pid, range(4), workers=2))
    if not pids or os.getpid() in pids:
        raise CheckFailed(f"no worker process started (pids {sorted(pids)}, this process {os.getpid()})")
    return len(pids)


def sample_as_html(sample: str) -> str:
    """The sample article as a small web page with navigation and a footer around it."""
    from html import escape

    paragraphs = "".join(f"<p>{escape(p.strip())}</p>\n" for p in sample.split("\n\n") if p.strip())
    return ("<html><head><meta charset='utf-8'><title>Self-test</title></head><body>"
            "<nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
            f"<article>{paragraphs}</article><footer>Copyright notice</footer></body></html>")


def check_import_html(state: SelfTestState) -> dict:
    """Web-page import pulls in trafilatura and its data files: the piece a bundle most often lacks."""
    try:
        from ..io.importers import import_paths
    except ImportError as exc:
        raise CheckFailed(f"the importer (annotator.io.importers) is missing from this build: {exc}") from exc
    from ..store import Store

    page = state.workdir / "sample.html"
    page.write_text(sample_as_html(state.sample), "utf-8")
    with Store(state.workdir / "import.db") as store:
        report = import_paths(store, [page], fmt="html")
        articles = list(store.iter_articles())
    if report.problems or len(articles) != 1:
        raise CheckFailed(f"importing {page.name}: {len(articles)} article(s) stored, problems: "
                          + "; ".join(str(p) for p in report.problems))
    body = articles[0].text
    if "Macron" not in body or "Copyright notice" in body:
        raise CheckFailed(f"the article text taken from {page.name} is not the article body")
    return {"chars": len(body), "title": articles[0].title}


def check_window(state: SelfTestState) -> dict:
    try:
        from .app import run as run_window
    except ImportError as exc:
        raise CheckFailed(f"the annotation window (annotator.ui.app) is missing from this build: {exc}") from exc
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QImage

    shot = state.workdir / "window.png"
    watchdog = _watchdog(state, QTimer)
    started = time.perf_counter()
    with _environment(ANNOTATOR_SETTINGS=str(state.workdir / "settings.ini")):  # leave the user's alone
        code = run_window(db=str(state.db_path), screenshot=str(shot))
    seconds = time.perf_counter() - started
    watchdog.stop()
    if code != 0:
        raise CheckFailed(f"annotator.ui.app.run returned {code}")
    image = QImage(str(shot))
    if image.isNull() or image.width() < 200 or image.height() < 150:
        raise CheckFailed(f"the window screenshot {shot.name} is missing or too small")
    return {"shown_after_s": round(seconds, 4), "visible_at_epoch": time.time(),
            "since_process_start_s": seconds_since_process_start(),
            "screenshot": [image.width(), image.height()]}


def process_started_epoch() -> float | None:
    """When this process started (the frozen app's launcher runs in the same process), or None
    where the system does not say cheaply (macOS)."""
    try:
        if sys.platform.startswith("linux"):
            return _linux_process_start()
        if sys.platform == "win32":
            return _windows_process_start()
    except (OSError, ValueError, AttributeError):
        return None
    return None


def _linux_process_start() -> float:
    # Field 22 of /proc/self/stat: start time in clock ticks after boot (fields after the
    # parenthesised command name, which may itself hold spaces).
    fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[19])
    boot = next(int(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines()
                if line.startswith("btime "))
    return boot + ticks / os.sysconf("SC_CLK_TCK")


def _windows_process_start() -> float:
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # own prototypes, not windll's
    kernel32.GetCurrentProcess.restype = wintypes.HANDLE
    kernel32.GetProcessTimes.argtypes = [wintypes.HANDLE] + [ctypes.POINTER(wintypes.FILETIME)] * 4
    kernel32.GetProcessTimes.restype = wintypes.BOOL
    created, exited, kernel, user = (wintypes.FILETIME() for _ in range(4))
    if not kernel32.GetProcessTimes(kernel32.GetCurrentProcess(), ctypes.byref(created),
                                    ctypes.byref(exited), ctypes.byref(kernel), ctypes.byref(user)):
        raise OSError(ctypes.get_last_error(), "GetProcessTimes failed")
    hundred_ns = (created.dwHighDateTime << 32) | created.dwLowDateTime
    return hundred_ns / 1e7 - 11644473600  # FILETIME counts from 1601


def seconds_since_process_start() -> float | None:
    started = process_started_epoch()
    return None if started is None else round(time.time() - started, 3)


@contextmanager
def _environment(**values: str):
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _watchdog(state: SelfTestState, QTimer):
    """Quit the event loop if the window never comes back on its own."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    timer = QTimer()
    timer.setSingleShot(True)
    if app is not None:
        timer.timeout.connect(app.quit)
    timer.start(int(WINDOW_TIMEOUT_S * 1000))
    state.keep.append(timer)
    return timer


# --- running and reporting ---------------------------------------------------------------
def run_checks(state: SelfTestState) -> SelfTest:
    test = SelfTest()
    test.run("resources", lambda: check_resources(state))
    test.run("qt", lambda: check_qt(state), needs=("resources",))
    test.run("pipeline", lambda: check_pipeline(state))
    test.run("annotate", lambda: check_annotate(state), needs=("resources", "pipeline"))
    test.run("read_back", lambda: check_read_back(state), needs=("annotate",))
    test.run("export", lambda: check_export(state), needs=("annotate",))
    test.run("import_html", lambda: check_import_html(state), needs=("resources",))
    test.run("window", lambda: check_window(state), needs=("qt", "annotate"))
    return test


def build_report(test: SelfTest, started_at: str, seconds: float, qt_platform: str | None) -> dict:
    return {
        "format": REPORT_FORMAT,
        "app": "annotator",
        "version": __version__,
        "ok": test.ok,
        "started_at": started_at,
        "seconds": round(seconds, 4),
        "frozen": bool(getattr(sys, "frozen", False)),
        "executable": sys.executable,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()} {platform.machine()}",
        "qt_platform_forced": qt_platform,
        "checks": [asdict(r) for r in test.results],
    }


def write_report(report: dict, path: Path) -> None:
    """Write the whole report or nothing: a temporary file renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", "utf-8")
    os.replace(tmp, path)


def summary_lines(report: dict) -> list[str]:
    lines = [f"{'ok  ' if c['ok'] else 'FAIL'} {c['name']:<11} {c['seconds']:7.2f} s"
             + (f"  {c['error']}" if c["error"] else "") for c in report["checks"]]
    passed = sum(c["ok"] for c in report["checks"])
    lines.append(f"self-test: {passed}/{len(report['checks'])} checks passed in {report['seconds']:.2f} s")
    return lines


def run_self_test(report_path: Path | None = None, *, offscreen: bool = False) -> int:
    """Run every check; 0 when all pass, 1 when one fails, 2 when the report cannot be written."""
    qt_platform = choose_qt_platform(dict(os.environ), force_offscreen=offscreen)
    if qt_platform:
        os.environ["QT_QPA_PLATFORM"] = qt_platform
    started_at = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="annotator-selftest-", ignore_cleanup_errors=True) as workdir:
        state = SelfTestState(Path(workdir))
        test = run_checks(state)
        state.nlp = None
    report = build_report(test, started_at, time.perf_counter() - started, qt_platform)
    for line in summary_lines(report):
        print(line)
    if report_path is not None:
        try:
            write_report(report, report_path)
        except OSError as exc:
            print(f"error: cannot write the self-test report to {report_path}: {exc}", file=sys.stderr)
            return 2
        print(f"report: {report_path}")
    return 0 if report["ok"] else 1
