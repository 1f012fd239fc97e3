"""PySide6 6.12.0 on Python 3.11 drops a reference to None on every void-method call and aborts
("none_dealloc") after a few tens of thousands of calls. Guard both the pin and the behaviour."""
import subprocess
import sys
import textwrap
import tomllib

from packaging.requirements import Requirement

from conftest import REPO

CALLS = 200_000


def test_200k_void_calls_do_not_leak_none():
    code = textwrap.dedent(f"""
        import sys
        from PySide6.QtGui import QTextCursor, QTextDocument, QTextCharFormat
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        doc = QTextDocument("x" * 1000)
        cursor = QTextCursor(doc)
        fmt = QTextCharFormat()
        before = sys.getrefcount(None)
        for i in range({CALLS} // 2):
            cursor.setPosition(i % 900)
            cursor.setPosition(i % 900 + 5, QTextCursor.MoveMode.KeepAnchor)
        for i in range(1000):
            cursor.mergeCharFormat(fmt)
        drift = before - sys.getrefcount(None)
        print("drift", drift)
        sys.exit(0 if drift < 1000 else 3)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                            env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, f"exit {result.returncode}: {result.stdout}{result.stderr[-2000:]}"


def test_pyproject_excludes_the_bad_combination():
    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    pyside = [Requirement(d) for d in deps if d.lower().startswith("pyside6")]
    assert pyside, "PySide6-Essentials must be a dependency"

    def allowed(version, python):
        env = {"python_version": python, "python_full_version": python + ".0"}
        return any(r.marker.evaluate(env) and r.specifier.contains(version) for r in pyside)

    assert not allowed("6.12.0", "3.11")
    assert allowed("6.11.3", "3.11")
    assert allowed("6.12.0", "3.12")
