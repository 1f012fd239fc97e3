"""Entity spans from a parsed spaCy ``Doc``."""
from __future__ import annotations

from ..core.model import EntitySpan


def entities_from_doc(doc, noise: list[tuple[int, int]] = ()) -> list[EntitySpan]:
    """The doc's named entities as model spans, skipping those inside page noise."""
    spans = []
    for ent in doc.ents:
        start, end = ent.start_char, ent.end_char
        if any(s <= start and end <= e for s, e in noise):
            continue
        spans.append(EntitySpan(start, end, ent.label_, "model"))
    return spans


def tokens_from_doc(doc) -> list[tuple[int, int]]:
    return [(t.idx, t.idx + len(t.text)) for t in doc]
