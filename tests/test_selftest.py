"""``annotator --self-test``: the checks, the report file and the exit codes."""
import importlib.util
import json
import os
import subprocess
import sys

import pytest

from annotator.ui.selftest import CheckFailed, SelfTest, choose_qt_platform, process_started_epoch

CHECKS = ["resources", "qt", "pipeline", "annotate", "read_back", "export", "import_html", "window"]


def run_cli(tmp_path, *args, env_extra=None):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env_extra or {})}
    env.pop("ANNOTATOR_DB", None)
    return subprocess.run([sys.executable, "-m", "annotator", "--self-test", *args],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)


def importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


# --- choosing the Qt platform ------------------------------------------------------------
def test_offscreen_only_without_a_display_on_linux():
    assert choose_qt_platform({}, "linux") == "offscreen"
    assert choose_qt_platform({"DISPLAY": ":0"}, "linux") is None
    assert choose_qt_platform({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None


def test_offscreen_when_asked_even_with_a_display():
    assert choose_qt_platform({"DISPLAY": ":0"}, "linux", force_offscreen=True) == "offscreen"
    assert choose_qt_platform({}, "win32", force_offscreen=False) is None
    assert choose_qt_platform({"ANNOTATOR_SELFTEST_OFFSCREEN": "1"}, "darwin") == "offscreen"


def test_a_platform_the_user_chose_is_kept():
    assert choose_qt_platform({"QT_QPA_PLATFORM": "xcb"}, "linux") is None


@pytest.mark.skipif(not (sys.platform.startswith("linux") or sys.platform == "win32"),
                    reason="process start time is read on Linux and Windows only")
def test_process_start_time_is_this_process():
    import time

    started = process_started_epoch()
    assert started is not None
    # pytest's own process: started before this test, and not a day ago.
    assert time.time() - 24 * 3600 < started <= time.time()


# --- the runner --------------------------------------------------------------------------
def test_a_failed_check_stops_the_checks_that_need_it():
    test = SelfTest()
    test.run("first", lambda: {"n": 1})

    def broken():
        raise CheckFailed("the sample is empty")

    test.run("second", broken, needs=("first",))
    test.run("third", lambda: {}, needs=("second",))
    first, second, third = test.results
    assert first.ok and first.detail == {"n": 1}
    assert not second.ok and second.error == "the sample is empty"
    assert not third.ok and third.error == "not run: needs second"
    assert not test.ok


def test_a_crash_is_recorded_with_its_type_and_place():
    test = SelfTest()
    result = test.run("crash", lambda: {}["missing"])
    assert not result.ok
    assert result.error.startswith("KeyError: 'missing'")
    assert "test_selftest.py" in result.error
    assert result.seconds >= 0


# --- end to end, as the frozen app runs it -----------------------------------------------
def test_self_test_writes_a_report_with_every_check(tmp_path):
    report_path = tmp_path / "out" / "report.json"
    scratch = tmp_path / "scratch"  # the system's temporary folder for this run
    scratch.mkdir()
    proc = run_cli(tmp_path, "--report", str(report_path), env_extra={"TMPDIR": str(scratch)})
    # Its scratch folder is gone at the end, even the window's settings (other tools may use TMPDIR).
    assert not list(scratch.glob("annotator-selftest-*"))
    report = json.loads(report_path.read_text("utf-8"))
    by_name = {c["name"]: c for c in report["checks"]}
    assert list(by_name) == CHECKS
    for name in ("resources", "qt", "pipeline", "annotate", "read_back"):
        assert by_name[name]["ok"], by_name[name]
    assert by_name["annotate"]["detail"]["entities"] > 0
    assert by_name["read_back"]["detail"]["entities"] == by_name["annotate"]["detail"]["entities"]
    assert by_name["qt"]["detail"]["platform"] == "offscreen"
    if sys.platform.startswith("linux") or sys.platform == "win32":
        # Start-up to a visible window, counted from the process start: more than the check
        # itself took, less than the whole run.
        since_start = by_name["qt"]["detail"]["since_process_start_s"]
        assert by_name["qt"]["seconds"] <= since_start <= report["seconds"] + 30
    native = by_name["qt"]["detail"]["native_plugin"]
    assert native["name"] == {"win32": "windows", "darwin": "cocoa"}.get(sys.platform, "xcb")
    assert native["loads"] or native["error"]
    # The exporter and the window are written elsewhere; when missing, the report says so.
    assert by_name["export"]["ok"] == importable("annotator.io.exporters"), by_name["export"]
    if by_name["export"]["ok"]:
        assert by_name["export"]["detail"]["worker_processes"] >= 1  # other processes than this one
    assert by_name["import_html"]["ok"] == importable("annotator.io.importers"), by_name["import_html"]
    assert by_name["window"]["ok"] == importable("annotator.ui.app"), by_name["window"]
    if not by_name["window"]["ok"]:
        assert "annotator.ui.app" in by_name["window"]["error"]
    assert report["ok"] == all(c["ok"] for c in report["checks"])
    assert proc.returncode == (0 if report["ok"] else 1), proc.stdout + proc.stderr
    assert all(c["seconds"] >= 0 for c in report["checks"])


def test_a_missing_pipeline_fails_the_self_test_and_names_it(tmp_path):
    report_path = tmp_path / "report.json"
    proc = run_cli(tmp_path, "--report", str(report_path),
                   env_extra={"ANNOTATOR_MODEL": "no_such_pipeline_xyz"})
    assert proc.returncode == 1
    by_name = {c["name"]: c for c in json.loads(report_path.read_text("utf-8"))["checks"]}
    assert "no_such_pipeline_xyz" in by_name["pipeline"]["error"]
    assert by_name["annotate"]["error"] == "not run: needs pipeline"
    assert by_name["qt"]["ok"]  # unrelated checks still run
    assert "FAIL pipeline" in proc.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="a file as a folder name is the failure used here")
def test_an_unwritable_report_exits_2_and_names_the_file(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    target = blocker / "report.json"
    proc = run_cli(tmp_path, "--report", str(target))
    assert proc.returncode == 2
    assert str(target) in proc.stderr
