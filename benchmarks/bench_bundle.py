"""Figures for the frozen Linux bundle, each against the same thing run from the source install.

    bash packaging/build_linux.sh              # builds dist/annotator (prints the build time)
    python benchmarks/bench_bundle.py [--bundle dist/annotator] [--runs 3]

Prints: bundle size; start-up to a painted window (``annotator gui --screenshot`` on a database
whose article is already annotated, so the time is start-up plus first paint, not spaCy); and the
self-test time; with an X display (e.g. under Xvfb) and xwininfo, also the time until the main
window is mapped on screen. Qt runs offscreen when there is no display.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20


def annotated_db(path: Path) -> Path:
    """A database holding the sample article, already pre-annotated."""
    from annotator.core.model import Article
    from annotator.core.noise import find_noise, find_title
    from annotator.nlp.annotate import annotate_store
    from annotator.store import Store

    text = (REPO / "resources" / "sample-article.txt").read_text("utf-8")
    noise = find_noise(text)
    with Store(path) as store:
        store.add_article(Article(text=text, title=find_title(text, noise), noise=noise))
        annotate_store(store)
    return path


def time_to_window(command: list[str], db: Path, workdir: Path) -> float:
    """Seconds from launch until the window's first screenshot is on disk."""
    shot = workdir / "window.png"
    shot.unlink(missing_ok=True)
    env = {**os.environ, "ANNOTATOR_SETTINGS": str(workdir / "settings.ini")}
    launched = time.time()
    subprocess.run([*command, "--db", str(db), "gui", "--screenshot", str(shot)], check=True,
                   env=env, capture_output=True, timeout=300)
    return shot.stat().st_mtime - launched


# A line of `xwininfo -root -tree`: id "title": ("instance" "Annotator")  WIDTHxHEIGHT+X+Y
WINDOW_LINE = re.compile(r'^\s*(0x[0-9a-f]+) .*\("[^"]*" "Annotator"\)\s+(\d+)x(\d+)', re.M)


def viewable_main_window(pid: int) -> bool:
    """True once process ``pid`` has a window-sized X window of class Annotator mapped."""
    tree = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True).stdout
    for match in WINDOW_LINE.finditer(tree):
        if int(match.group(2)) >= 200 and int(match.group(3)) >= 200:
            wid = match.group(1)
            owner = subprocess.run(["xprop", "-id", wid, "_NET_WM_PID"], capture_output=True, text=True).stdout
            if owner.strip().endswith(f"= {pid}"):
                info = subprocess.run(["xwininfo", "-id", wid], capture_output=True, text=True).stdout
                if "IsViewable" in info:
                    return True
    return False


def time_to_mapped_window(command: list[str], db: Path, workdir: Path, timeout: float = 120) -> float:
    """Seconds from launch until the main window is mapped on the X display (then it is closed)."""
    env = {**os.environ, "ANNOTATOR_SETTINGS": str(workdir / "settings.ini")}
    env.pop("QT_QPA_PLATFORM", None)
    log = workdir / "gui.log"
    with log.open("w") as out:
        launched = time.perf_counter()
        proc = subprocess.Popen([*command, "--db", str(db), "gui"], env=env, stdout=out, stderr=out)
        try:
            while time.perf_counter() - launched < timeout:
                if viewable_main_window(proc.pid):
                    return time.perf_counter() - launched
                if proc.poll() is not None:
                    raise RuntimeError(f"{command[0]} exited with {proc.returncode} before showing a "
                                       f"window; its output ends:\n{log.read_text()[-2000:]}")
                time.sleep(0.02)
            raise RuntimeError(f"no window within {timeout:.0f} s")
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def time_self_test(command: list[str], workdir: Path) -> tuple[float, dict]:
    report = workdir / "report.json"
    started = time.perf_counter()
    subprocess.run([*command, "--self-test", "--report", str(report)], check=True,
                   capture_output=True, timeout=300)
    return time.perf_counter() - started, json.loads(report.read_text("utf-8"))


def median_of(runs: int, measure) -> float:
    return statistics.median(measure() for _ in range(runs))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=REPO / "dist" / "annotator")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    frozen = [str(args.bundle / "annotator")]
    source = [sys.executable, "-m", "annotator"]
    if not Path(frozen[0]).exists():
        print(f"no bundle at {args.bundle}: run packaging/build_linux.sh first", file=sys.stderr)
        return 1
    on_x11 = bool(os.environ.get("DISPLAY")) and shutil.which("xwininfo") is not None
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = annotated_db(work / "bench.db")
        rows = []
        for label, command in (("source", source), ("frozen", frozen)):
            window = median_of(args.runs, lambda: time_to_window(command, db, work))
            selftest = median_of(args.runs, lambda: time_self_test(command, work)[0])
            mapped = median_of(args.runs, lambda: time_to_mapped_window(command, db, work)) if on_x11 else None
            rows.append((label, window, selftest, mapped))
        _, report = time_self_test(frozen, work)

    print(f"bundle                 {args.bundle}  {folder_mb(args.bundle):.0f} MiB")
    build = REPO / "build" / "linux-build.json"
    if build.exists():
        figures = json.loads(build.read_text("utf-8"))
        print(f"last build             {figures['build_s']} s, archive {figures['archive_mb']} MB")
    print(f"{'':<16} {'to painted window':>18} {'self-test':>10} {'to mapped X window':>19}"
          f"   (median of {args.runs})")
    for label, window, selftest, mapped in rows:
        shown = f"{mapped:>17.2f} s" if mapped is not None else f"{'(no X display)':>19}"
        print(f"{label:<16} {window:>16.2f} s {selftest:>8.2f} s {shown}")
    (_, w_src, s_src, m_src), (_, w_frz, s_frz, m_frz) = rows
    ratio = f"{m_frz / m_src:>18.2f}x" if m_src else ""
    print(f"{'frozen / source':<16} {w_frz / w_src:>17.2f}x {s_frz / s_src:>9.2f}x {ratio}")
    checks = ", ".join(f"{c['name']} {c['seconds']:.2f}" for c in report["checks"])
    print(f"frozen self-test checks (s): {checks}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
