"""Pre-annotating stored articles with the spaCy pipeline."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..store.store import Store
from .entities import entities_from_doc, tokens_from_doc
from .pipeline import load_pipeline, pipeline_id
from .quotes import extract_quotes

Progress = Callable[[int, int, int], None]  # (articles done, articles in all, words done)


@dataclass
class AnnotateResult:
    articles: int
    words: int
    pipeline: str


def annotations_from_doc(doc, noise):
    """(entities, quotes, tokens) for one parsed article."""
    return entities_from_doc(doc, noise), extract_quotes(doc, noise), tokens_from_doc(doc)


def annotate_store(store: Store, *, model: str | None = None, rerun: bool = False,
                   ids: list[int] | None = None, progress: Progress | None = None,
                   batch_size: int = 32, nlp=None, should_stop: Callable[[], bool] | None = None
                   ) -> AnnotateResult:
    """Pre-annotate articles that have no model annotations yet (all of them with ``rerun``).

    Analyst annotations are never overwritten. Results are written in batches of
    ``batch_size`` articles, one transaction each, so an interrupted run keeps what it did.
    """
    nlp = nlp if nlp is not None else load_pipeline(model)
    name = pipeline_id(nlp)
    todo = ids if ids is not None else store.article_ids(unannotated=not rerun)
    noise_by_id: dict[int, list] = {}

    def texts():
        for aid, text, noise in store.texts(todo):
            noise_by_id[aid] = noise
            yield text, aid

    done = words = 0
    pending = []
    for doc, aid in nlp.pipe(texts(), as_tuples=True, batch_size=batch_size):
        noise = noise_by_id.pop(aid)
        pending.append((aid, *annotations_from_doc(doc, noise)))
        done += 1
        words += sum(1 for t in doc if not (t.is_space or t.is_punct))
        if len(pending) >= batch_size:
            store.save_model_annotations_many(pending, name)
            pending = []
            if progress:
                progress(done, len(todo), words)
            if should_stop and should_stop():
                break
    if pending:
        store.save_model_annotations_many(pending, name)
    if progress:
        progress(done, len(todo), words)
    return AnnotateResult(done, words, name)
