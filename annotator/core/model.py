"""The plain-Python annotation model.

Offsets everywhere are Python ``str`` indices (code points), end-exclusive. Qt's UTF-16
offsets are converted in ``annotator.ui`` only.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Iterable

SOURCES = ("model", "analyst")
QUOTE_KINDS = ("direct", "indirect", "mixed")
STATUSES = ("todo", "done", "skipped", "rejected")


class AnnotationError(ValueError):
    """An annotation that does not fit its article; the message names the field at fault."""


def text_hash(text: str) -> str:
    """Identity of an article: the same text imported twice is one article."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def check_range(text: str, start, end, field_name: str = "span") -> None:
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
        raise AnnotationError(f"{field_name}: start and end must be integers, got {start!r} and {end!r}")
    if not 0 <= start < end <= len(text):
        raise AnnotationError(
            f"{field_name}: offsets {start}-{end} are out of range for a text of {len(text)} characters"
        )


@dataclass(frozen=True)
class Mention:
    """A stretch of text that names something: a quote's speaker or its cue."""

    start: int
    end: int

    def text(self, article_text: str) -> str:
        return article_text[self.start:self.end]

    def to_dict(self, article_text: str) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text(article_text)}

    @classmethod
    def from_dict(cls, data: dict | None) -> "Mention | None":
        if not data:
            return None
        return cls(data["start"], data["end"])


@dataclass
class EntitySpan:
    start: int
    end: int
    label: str
    source: str = "model"
    id: int | None = None
    model: str | None = None  # pipeline name and version for model annotations

    def text(self, article_text: str) -> str:
        return article_text[self.start:self.end]


@dataclass
class Quote:
    """A quote: its content span, who said it (mention and canonical name) and the cue."""

    start: int
    end: int
    kind: str = "direct"
    speaker: Mention | None = None
    speaker_name: str | None = None
    cue: Mention | None = None
    source: str = "model"
    id: int | None = None
    model: str | None = None

    def text(self, article_text: str) -> str:
        return article_text[self.start:self.end]


@dataclass
class Article:
    text: str
    title: str = ""
    meta: dict = field(default_factory=dict)
    id: int | None = None
    status: str = "todo"
    # Page noise (ads, captions, link lists) as (start, end) ranges: dimmed in the window,
    # skipped by the quote extractor; the text itself is never changed.
    noise: list[tuple[int, int]] = field(default_factory=list)
    entities: list[EntitySpan] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    # Token (start, end) offsets from the pipeline that annotated the article, if any.
    tokens: list[tuple[int, int]] | None = None
    pipeline: str | None = None
    annotator_id: str | None = None
    updated_at: str | None = None

    @property
    def hash(self) -> str:
        return text_hash(self.text)

    # --- ids -------------------------------------------------------------------------
    def next_id(self) -> int:
        """Entity and quote ids share one counter so an id names one thing in an article."""
        ids = [e.id for e in self.entities if e.id is not None]
        ids += [q.id for q in self.quotes if q.id is not None]
        return max(ids, default=0) + 1

    def assign_ids(self) -> None:
        nxt = self.next_id()
        for item in [*self.entities, *self.quotes]:
            if item.id is None:
                item.id = nxt
                nxt += 1

    def entity(self, entity_id: int) -> EntitySpan | None:
        return next((e for e in self.entities if e.id == entity_id), None)

    def quote(self, quote_id: int) -> Quote | None:
        return next((q for q in self.quotes if q.id == quote_id), None)

    # --- validation ------------------------------------------------------------------
    def validate(self, labels: Iterable[str] | None = None) -> None:
        """Raise AnnotationError naming the first annotation that does not fit the text."""
        allowed = set(labels) if labels is not None else None
        if self.status not in STATUSES:
            raise AnnotationError(f"status: {self.status!r} is not one of {', '.join(STATUSES)}")
        for i, ent in enumerate(self.entities):
            validate_entity(self.text, ent, f"spans[{i}]", allowed)
        for i, quote in enumerate(self.quotes):
            validate_quote(self.text, quote, f"quotes[{i}]")

    def is_noise(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.noise)

    def copy(self) -> "Article":
        return replace(
            self,
            meta=dict(self.meta),
            noise=list(self.noise),
            entities=[replace(e) for e in self.entities],
            quotes=[replace(q) for q in self.quotes],
            tokens=list(self.tokens) if self.tokens is not None else None,
        )


def validate_entity(text: str, ent: EntitySpan, where: str, labels: set[str] | None = None) -> None:
    check_range(text, ent.start, ent.end, where)
    if not ent.label or not isinstance(ent.label, str):
        raise AnnotationError(f"{where}.label: missing")
    if labels is not None and ent.label not in labels:
        raise AnnotationError(f"{where}.label: {ent.label!r} is not in the label scheme")
    if ent.source not in SOURCES:
        raise AnnotationError(f"{where}.source: {ent.source!r} is not one of {', '.join(SOURCES)}")


def validate_quote(text: str, quote: Quote, where: str) -> None:
    check_range(text, quote.start, quote.end, where)
    if quote.kind not in QUOTE_KINDS:
        raise AnnotationError(f"{where}.kind: {quote.kind!r} is not one of {', '.join(QUOTE_KINDS)}")
    if quote.source not in SOURCES:
        raise AnnotationError(f"{where}.source: {quote.source!r} is not one of {', '.join(SOURCES)}")
    if quote.speaker is not None:
        check_range(text, quote.speaker.start, quote.speaker.end, f"{where}.speaker")
    if quote.cue is not None:
        check_range(text, quote.cue.start, quote.cue.end, f"{where}.cue")
