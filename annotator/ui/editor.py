"""Correcting one article: the window's logic, with no Qt in sight.

``ArticleEditor`` wraps an ``EditSession`` (every edit stored at once, undo outside Qt) and
keeps what is selected. Widgets call its methods and listen to its events; tests drive it
directly.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.commands import (AddEntity, AddQuote, Change, RemoveEntity, RemoveQuote, SetStatus,
                             UpdateEntity, UpdateQuote)
from ..core.labels import LabelScheme
from ..core.model import QUOTE_KINDS, AnnotationError, Article, Mention
from .highlight import Selection, speaker_label
from .observable import Event
from .snapping import Tokens, tokens_for

if TYPE_CHECKING:  # the store (sqlite-utils, numpy) stays off the window's start-up path
    from ..store.session import EditSession

SPEAKER_LABELS = ("PERSON", "ORG", "NORP", "GPE")


@dataclass(frozen=True)
class Snapped:
    start: int
    end: int
    moved: bool


class ArticleEditor:
    """Selection and edits for one article. Events:

    - ``changed(change, owners)``: annotations changed (stored already); ``owners`` are the
      highlight owners whose look changed.
    - ``selection_changed(old, new)``: the selected entity or quote moved.
    - ``message(text)``: something to tell the analyst in the status bar.
    """

    def __init__(self, session: EditSession, scheme: LabelScheme):
        self.session = session
        self.scheme = scheme
        self.selection = Selection()
        self.changed = Event()
        self.selection_changed = Event()
        self.message = Event()
        self._tokens: Tokens | None = None

    @property
    def article(self) -> Article:
        return self.session.article

    @property
    def tokens(self) -> Tokens:
        if self._tokens is None:
            self._tokens = tokens_for(self.article.text, self.article.tokens)
        return self._tokens

    def adopt(self, article: Article) -> None:
        """Take a fresh copy of this article from the store (pre-annotation added to it).

        The undo history stays valid: pre-annotation keeps every analyst annotation with its
        id and only adds model ones, and the history only names analyst edits.
        """
        self.session.article = article
        self.session.stack.article = article
        self._tokens = None
        self._drop_dangling_selection()

    # --- selection -------------------------------------------------------------------
    def select(self, entity: int | None = None, quote: int | None = None) -> None:
        self._set_selection(Selection(entity, quote))

    def select_at(self, cp: int) -> None:
        """A click at offset ``cp``: the entity there (innermost), and the quote there if any.

        A click outside any quote keeps the selected quote, so that its speaker and cue can
        be picked anywhere in the text; Esc clears it.
        """
        ent = self.entity_at(cp)
        quote = self.quote_at(cp)
        keep_quote = self.selection.quote if quote is None else quote.id
        self._set_selection(Selection(ent.id if ent else None, keep_quote))

    def select_next(self, kind: str, step: int, caret: int = 0) -> bool:
        """Keyboard selection: the next (``step`` = 1) or previous entity or quote.

        Counts from the selected one, else from the caret offset.
        """
        items = self.article.entities if kind == "entity" else self.article.quotes
        if not items:
            self.message.emit(f"This article has no {kind} yet.")
            return False
        current = self.selection.entity if kind == "entity" else self.selection.quote
        index = next((i for i, item in enumerate(items) if item.id == current), None)
        if index is None:
            after = [i for i, item in enumerate(items) if item.start >= caret]
            index = (after[0] if after else len(items)) - (1 if step > 0 else 0)
        target = items[(index + step) % len(items)]
        if kind == "entity":
            self.select(target.id, self.selection.quote)
        else:
            self.select(None, target.id)
        return True

    def clear_selection(self) -> None:
        self._set_selection(Selection())

    def _set_selection(self, new: Selection) -> None:
        old = self.selection
        if new == old:
            return
        self.selection = new
        self.selection_changed.emit(old, new)

    def entity_at(self, cp: int):
        hits = [e for e in self.article.entities if e.start <= cp < e.end]
        return min(hits, key=lambda e: e.end - e.start) if hits else None

    def quote_at(self, cp: int):
        hits = [q for q in self.article.quotes if q.start <= cp < q.end]
        return min(hits, key=lambda q: q.end - q.start) if hits else None

    # --- snapping --------------------------------------------------------------------
    def snap(self, start: int, end: int) -> Snapped | None:
        start, end = sorted((start, end))
        snapped = self.tokens.snap(start, end)
        if snapped is None:
            return None
        return Snapped(snapped[0], snapped[1], snapped != (start, end))

    def _snap_or_say(self, start: int, end: int, what: str) -> Snapped | None:
        snapped = self.snap(start, end)
        if snapped is None:
            self.message.emit(f"Select some words first to {what}.")
        elif snapped.moved:
            words = self.article.text[snapped.start:snapped.end]
            self.message.emit(f"Selection snapped to whole words: \u201c{_short(words)}\u201d")
        return snapped

    # --- entities ----------------------------------------------------------------------
    def label_key(self, key: str, selection: tuple[int, int] | None) -> bool:
        """A number key: add an entity over the text selection, else relabel the selected one."""
        label = self.scheme.by_key(key)
        if label is None:
            return False
        return self.apply_label(label.name, selection)

    def apply_label(self, label: str, selection: tuple[int, int] | None) -> bool:
        if selection and selection[0] != selection[1]:
            return self.add_entity(*selection, label) is not None
        if self.selection.entity is not None:
            return self.relabel(self.selection.entity, label)
        self.message.emit("Select some words (or an entity) first, then press a label key.")
        return False

    def add_entity(self, start: int, end: int, label: str) -> int | None:
        snapped = self._snap_or_say(start, end, "add an entity")
        if snapped is None:
            return None
        same = next((e for e in self.article.entities if (e.start, e.end) == (snapped.start, snapped.end)), None)
        if same is not None:  # one entity per stretch: relabel instead of stacking
            self.relabel(same.id, label)
            self.select(same.id, self.selection.quote)
            return same.id
        command = AddEntity(snapped.start, snapped.end, label)
        self._do(command)
        self.select(command.id, self.selection.quote)
        return command.id

    def relabel(self, entity_id: int, label: str) -> bool:
        ent = self.article.entity(entity_id)
        if ent is None or (ent.label == label and ent.source == "analyst"):
            return False
        return self._do(UpdateEntity(entity_id, label_name=label))

    def remove_selected(self) -> bool:
        if self.selection.entity is not None:
            entity_id = self.selection.entity
            self.select(None, self.selection.quote)
            return self._do(RemoveEntity(entity_id))
        if self.selection.quote is not None:
            quote_id = self.selection.quote
            self.select(None, None)
            return self._do(RemoveQuote(quote_id))
        self.message.emit("Nothing selected to delete.")
        return False

    def move_boundary(self, edge: str, step: int) -> bool:
        """Move the selected entity's ``edge`` ('start' or 'end') by one token (``step`` = ±1)."""
        ent = self.article.entity(self.selection.entity) if self.selection.entity is not None else None
        if ent is None:
            return False
        toks = self.tokens
        if edge == "end":
            new = toks.next_end(ent.end) if step > 0 else toks.prev_end(ent.end, ent.start)
            if new is None:
                return False
            return self._do(UpdateEntity(ent.id, start=ent.start, end=new))
        new = toks.prev_start(ent.start) if step < 0 else toks.next_start(ent.start, ent.end)
        if new is None:
            return False
        return self._do(UpdateEntity(ent.id, start=new, end=ent.end))

    # --- quotes ------------------------------------------------------------------------
    def add_quote(self, start: int, end: int, kind: str = "direct") -> int | None:
        snapped = self._snap_or_say(start, end, "mark a quote")
        if snapped is None:
            return None
        command = AddQuote(snapped.start, snapped.end, kind)
        self._do(command)
        self.select(None, command.id)
        return command.id

    def set_speaker(self, quote_id: int, start: int | None = None, end: int | None = None,
                    name: str | None = None) -> bool:
        """Speaker from a mention in the text (``start``-``end``) and/or a free-text name."""
        mention = None
        if start is not None and end is not None:
            snapped = self._snap_or_say(start, end, "set a speaker")
            if snapped is None:
                return False
            mention = Mention(snapped.start, snapped.end)
        name = (name or "").strip() or None
        if mention is None and name is None:
            return self._do(UpdateQuote(quote_id, speaker=None, speaker_name=None))
        if mention is not None and name is None:
            name = _canonical(self.article.text[mention.start:mention.end])
        kwargs = {"speaker_name": name}
        if mention is not None:
            kwargs["speaker"] = mention
        return self._do(UpdateQuote(quote_id, **kwargs))

    def set_speaker_from_entity(self, quote_id: int, entity_id: int) -> bool:
        ent = self.article.entity(entity_id)
        if ent is None:
            return False
        return self.set_speaker(quote_id, ent.start, ent.end)

    def set_cue(self, quote_id: int, start: int | None, end: int | None) -> bool:
        if start is None or end is None:
            return self._do(UpdateQuote(quote_id, cue=None))
        snapped = self._snap_or_say(start, end, "set a cue")
        if snapped is None:
            return False
        return self._do(UpdateQuote(quote_id, cue=Mention(snapped.start, snapped.end)))

    def set_kind(self, quote_id: int, kind: str) -> bool:
        quote = self.article.quote(quote_id)
        if quote is None or quote.kind == kind:
            return False
        return self._do(UpdateQuote(quote_id, kind=kind))

    def cycle_kind(self) -> bool:
        quote = self.article.quote(self.selection.quote) if self.selection.quote is not None else None
        if quote is None:
            self.message.emit("Select a quote first.")
            return False
        nxt = QUOTE_KINDS[(QUOTE_KINDS.index(quote.kind) + 1) % len(QUOTE_KINDS)]
        return self.set_kind(quote.id, nxt)

    def speaker_candidates(self) -> list[str]:
        """People and organisations named in the article, most mentioned first, then quoted names."""
        counts = Counter(_canonical(e.text(self.article.text)) for e in self.article.entities
                         if e.label in SPEAKER_LABELS[:2])
        names = [name for name, _ in counts.most_common()]
        for quote in self.article.quotes:
            label = speaker_label(self.article, quote)
            if label and label not in names:
                names.append(label)
        return names

    # --- status ------------------------------------------------------------------------
    def set_status(self, status: str) -> bool:
        if self.article.status == status:
            return False
        return self._do(SetStatus(status))

    # --- undo ----------------------------------------------------------------------------
    @property
    def can_undo(self) -> bool:
        return self.session.stack.can_undo

    @property
    def can_redo(self) -> bool:
        return self.session.stack.can_redo

    def undo(self) -> bool:
        return self._announce(self.session.undo())

    def redo(self) -> bool:
        return self._announce(self.session.redo())

    # --- plumbing ----------------------------------------------------------------------
    def _do(self, command) -> bool:
        try:
            change = self.session.do(command)
        except AnnotationError as exc:
            self.message.emit(f"Not changed: {exc}")
            return False
        return self._announce(change)

    def _announce(self, change: Change | None) -> bool:
        if change is None:
            return False
        self._drop_dangling_selection()
        owners = {("e", i) for i in change.entities} | {("q", i) for i in change.quotes}
        self.changed.emit(change, owners)
        return True

    def _drop_dangling_selection(self) -> None:
        sel = self.selection
        ent = sel.entity if sel.entity is not None and self.article.entity(sel.entity) else None
        quote = sel.quote if sel.quote is not None and self.article.quote(sel.quote) else None
        if (ent, quote) != (sel.entity, sel.quote):
            self._set_selection(Selection(ent, quote))


def _canonical(name: str) -> str:
    """'Macron's' -> 'Macron': a possessive is not part of the name."""
    name = " ".join(name.split())
    for suffix in ("'s", "\u2019s"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def sources_summary(article: Article) -> list[tuple[str, int, Counter]]:
    """Who is quoted how often: (speaker, quotes, kinds) most quoted first; unattributed last."""
    by_speaker: dict[str, Counter] = {}
    for quote in article.quotes:
        who = speaker_label(article, quote) or "(no speaker)"
        by_speaker.setdefault(who, Counter())[quote.kind] += 1
    rows = [(who, sum(kinds.values()), kinds) for who, kinds in by_speaker.items()]
    rows.sort(key=lambda r: (r[0] == "(no speaker)", -r[1], r[0].lower()))
    return rows
