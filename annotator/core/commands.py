"""Edit commands with undo.

Every change an analyst makes is a command object that knows how to apply and revert
itself on an ``Article`` and which annotations it touched, so that the store can persist
exactly those rows and views can refresh only them. Nothing here knows about Qt or SQLite.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from .model import (STATUSES, AnnotationError, Article, EntitySpan, Mention, Quote,
                    validate_entity, validate_quote)


@dataclass(frozen=True)
class Change:
    """What a command touched: ids of entities and quotes, and whether the status moved."""

    entities: frozenset = frozenset()
    quotes: frozenset = frozenset()
    status: bool = False


class Command:
    """Base class: subclasses implement ``_apply`` and ``_revert`` and name what they touch."""

    label = "edit"

    def apply(self, article: Article) -> Change:
        self._apply(article)
        return self.change()

    def revert(self, article: Article) -> Change:
        self._revert(article)
        return self.change()

    def change(self) -> Change:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def to_dict(self) -> dict:
        """A JSON-ready description for the history table."""
        data = {k: _plain(v) for k, v in vars(self).items() if not k.startswith("_")}
        return {"command": type(self).__name__, **data}

    def _apply(self, article: Article) -> None:  # pragma: no cover
        raise NotImplementedError

    def _revert(self, article: Article) -> None:  # pragma: no cover
        raise NotImplementedError


def _plain(value):
    if isinstance(value, (EntitySpan, Quote, Mention)):
        return {k: _plain(v) for k, v in vars(value).items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _require_entity(article: Article, entity_id: int) -> EntitySpan:
    ent = article.entity(entity_id)
    if ent is None:
        raise AnnotationError(f"entity {entity_id} is not in article {article.id}")
    return ent


def _require_quote(article: Article, quote_id: int) -> Quote:
    quote = article.quote(quote_id)
    if quote is None:
        raise AnnotationError(f"quote {quote_id} is not in article {article.id}")
    return quote


# --- entities ---------------------------------------------------------------------------
@dataclass
class AddEntity(Command):
    start: int
    end: int
    label_name: str
    id: int | None = None
    label = "add entity"

    def _apply(self, article):
        if self.id is None:
            self.id = article.next_id()
        ent = EntitySpan(self.start, self.end, self.label_name, "analyst", self.id)
        validate_entity(article.text, ent, "entity")
        article.entities.append(ent)
        article.entities.sort(key=lambda e: (e.start, e.end))

    def _revert(self, article):
        article.entities.remove(_require_entity(article, self.id))

    def change(self):
        return Change(entities=frozenset({self.id}))


@dataclass
class RemoveEntity(Command):
    entity_id: int
    _removed: EntitySpan | None = field(default=None, repr=False)
    label = "remove entity"

    def _apply(self, article):
        self._removed = _require_entity(article, self.entity_id)
        article.entities.remove(self._removed)

    def _revert(self, article):
        article.entities.append(self._removed)
        article.entities.sort(key=lambda e: (e.start, e.end))

    def change(self):
        return Change(entities=frozenset({self.entity_id}))


@dataclass
class UpdateEntity(Command):
    """Relabel or move an entity; the result is an analyst annotation."""

    entity_id: int
    label_name: str | None = None
    start: int | None = None
    end: int | None = None
    _before: EntitySpan | None = field(default=None, repr=False)
    label = "change entity"

    def _apply(self, article):
        ent = _require_entity(article, self.entity_id)
        self._before = replace(ent)
        after = replace(
            ent,
            label=self.label_name if self.label_name is not None else ent.label,
            start=self.start if self.start is not None else ent.start,
            end=self.end if self.end is not None else ent.end,
            source="analyst",
        )
        validate_entity(article.text, after, "entity")
        ent.label, ent.start, ent.end, ent.source = after.label, after.start, after.end, after.source

    def _revert(self, article):
        ent = _require_entity(article, self.entity_id)
        b = self._before
        ent.label, ent.start, ent.end, ent.source = b.label, b.start, b.end, b.source

    def change(self):
        return Change(entities=frozenset({self.entity_id}))


# --- quotes -----------------------------------------------------------------------------
@dataclass
class AddQuote(Command):
    start: int
    end: int
    kind: str = "direct"
    speaker: Mention | None = None
    speaker_name: str | None = None
    cue: Mention | None = None
    id: int | None = None
    label = "add quote"

    def _apply(self, article):
        if self.id is None:
            self.id = article.next_id()
        quote = Quote(self.start, self.end, self.kind, self.speaker, self.speaker_name, self.cue,
                      "analyst", self.id)
        validate_quote(article.text, quote, "quote")
        article.quotes.append(quote)
        article.quotes.sort(key=lambda q: (q.start, q.end))

    def _revert(self, article):
        article.quotes.remove(_require_quote(article, self.id))

    def change(self):
        return Change(quotes=frozenset({self.id}))


@dataclass
class RemoveQuote(Command):
    quote_id: int
    _removed: Quote | None = field(default=None, repr=False)
    label = "remove quote"

    def _apply(self, article):
        self._removed = _require_quote(article, self.quote_id)
        article.quotes.remove(self._removed)

    def _revert(self, article):
        article.quotes.append(self._removed)
        article.quotes.sort(key=lambda q: (q.start, q.end))

    def change(self):
        return Change(quotes=frozenset({self.quote_id}))


_UNSET = "__unset__"


@dataclass
class UpdateQuote(Command):
    """Change any of a quote's fields; fields left at the default stay as they are.

    ``speaker=None`` clears the speaker; leave it unset to keep it.
    """

    quote_id: int
    start: int | None = None
    end: int | None = None
    kind: str | None = None
    speaker: object = _UNSET
    speaker_name: object = _UNSET
    cue: object = _UNSET
    _before: Quote | None = field(default=None, repr=False)
    label = "change quote"

    def _apply(self, article):
        quote = _require_quote(article, self.quote_id)
        self._before = replace(quote)
        updates = {"source": "analyst"}
        for name in ("start", "end", "kind"):
            if getattr(self, name) is not None:
                updates[name] = getattr(self, name)
        for name in ("speaker", "speaker_name", "cue"):
            if getattr(self, name) != _UNSET:
                updates[name] = getattr(self, name)
        after = replace(quote, **updates)
        validate_quote(article.text, after, "quote")
        _copy_fields(after, quote)

    def _revert(self, article):
        _copy_fields(self._before, _require_quote(article, self.quote_id))

    def change(self):
        return Change(quotes=frozenset({self.quote_id}))

    def to_dict(self):
        data = super().to_dict()
        return {k: v for k, v in data.items() if v != _UNSET}


def _copy_fields(src, dst) -> None:
    for name in vars(src):
        setattr(dst, name, getattr(src, name))


# --- article status ---------------------------------------------------------------------
@dataclass
class SetStatus(Command):
    status: str
    _before: str | None = field(default=None, repr=False)
    label = "set status"

    def _apply(self, article):
        if self.status not in STATUSES:
            raise AnnotationError(f"status: {self.status!r} is not one of {', '.join(STATUSES)}")
        self._before = article.status
        article.status = self.status

    def _revert(self, article):
        article.status = self._before

    def change(self):
        return Change(status=True)


# --- undo stack -------------------------------------------------------------------------
class UndoStack:
    """Unlimited undo and redo of commands on one article."""

    def __init__(self, article: Article):
        self.article = article
        self._done: list[Command] = []
        self._undone: list[Command] = []

    def push(self, command: Command) -> Change:
        change = command.apply(self.article)  # raises before anything is recorded
        self._done.append(command)
        self._undone.clear()
        return change

    def undo(self) -> tuple[Command, Change] | None:
        if not self._done:
            return None
        command = self._done.pop()
        change = command.revert(self.article)
        self._undone.append(command)
        return command, change

    def redo(self) -> tuple[Command, Change] | None:
        if not self._undone:
            return None
        command = self._undone.pop()
        change = command.apply(self.article)
        self._done.append(command)
        return command, change

    def discard_last(self) -> None:
        """Revert and forget the last pushed command (its effect could not be stored)."""
        command = self._done.pop()
        command.revert(self.article)

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    @property
    def undo_text(self) -> str:
        return self._done[-1].label if self._done else ""

    @property
    def redo_text(self) -> str:
        return self._undone[-1].label if self._undone else ""
