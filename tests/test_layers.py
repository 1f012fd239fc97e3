"""Only annotator.ui may import Qt; layers import downwards only."""
import subprocess
import sys

from conftest import REPO


def test_import_linter_contracts_hold():
    result = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()"],
                            cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken" in result.stdout


def test_core_imports_without_qt_or_spacy():
    code = ("import sys, annotator.core, annotator.core.commands, annotator.core.noise, annotator.store;"
            "bad=[m for m in sys.modules if m.split('.')[0] in ('PySide6','shiboken6','qtawesome','spacy')];"
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
