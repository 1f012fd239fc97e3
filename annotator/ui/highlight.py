"""Which stretch of the document gets which look: computed in plain Python, painted by Qt.

The article view draws highlights as per-paragraph format ranges (the layer
``QSyntaxHighlighter`` uses, without its per-keystroke re-run). This module decides the
ranges: every annotation becomes *marks* (Qt start, Qt end, style), marks are filed by the
paragraph (Qt block) they touch, and an edit re-files only the marks of what it touched, so a
relabel repaints one paragraph, not the article.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from operator import itemgetter

from ..core.model import Article
from .offsets import OffsetMap

# Paint order: later styles are merged over earlier ones where they overlap.
ORDER = {"noise": 0, "quote": 1, "quote-selected": 2, "entity": 3, "entity-selected": 4,
         "speaker": 5, "cue": 6}
_BLOCK_BREAK = re.compile("\r\n|[\r\n\u2029]")

Owner = tuple  # ("e", entity id) | ("q", quote id) | ("n", noise index)


@dataclass(frozen=True)
class Selection:
    entity: int | None = None
    quote: int | None = None


def style_of(style: str) -> str:
    """'entity:PERSON' -> 'entity'."""
    return style.split(":", 1)[0]


class Blocks:
    """Paragraph starts of the Qt document, in Qt positions."""

    def __init__(self, text: str, offsets: OffsetMap):
        self.starts = [0] + [offsets.to_qt(m.end()) for m in _BLOCK_BREAK.finditer(text)]

    def index(self, qt: int) -> int:
        return bisect_right(self.starts, qt) - 1

    def span(self, qt_start: int, qt_end: int) -> range:
        """Blocks touched by [qt_start, qt_end)."""
        return range(self.index(qt_start), self.index(max(qt_start, qt_end - 1)) + 1)


def marks_of(article: Article, owner: Owner, selection: Selection, item=None):
    """(cp start, cp end, style) marks for one annotation, given what is selected.

    ``item`` is the entity or quote itself when the caller has it (saves a lookup).
    """
    kind, key = owner
    if kind == "n":
        start, end = article.noise[key]
        if end > start:
            yield start, end, "noise"
    elif kind == "e":
        ent = item if item is not None else article.entity(key)
        if ent is not None:
            yield ent.start, ent.end, f"entity:{ent.label}"
            if key is not None and selection.entity == key:
                yield ent.start, ent.end, "entity-selected"
    elif kind == "q":
        quote = item if item is not None else article.quote(key)
        if quote is not None:
            yield quote.start, quote.end, "quote"
            if key is not None and selection.quote == key:
                yield quote.start, quote.end, "quote-selected"
                if quote.speaker:
                    yield quote.speaker.start, quote.speaker.end, "speaker"
                if quote.cue:
                    yield quote.cue.start, quote.cue.end, "cue"


class HighlightModel:
    """Marks of one article filed by paragraph; produces format runs per paragraph."""

    def __init__(self, article: Article, offsets: OffsetMap, blocks: Blocks | None = None):
        self.article = article
        self.offsets = offsets
        self.blocks = blocks or Blocks(article.text, offsets)
        self._by_block: dict[int, list] = {}
        self._blocks_of: dict[Owner, set[int]] = {}
        self.selection = Selection()

    # --- building ----------------------------------------------------------------------
    def build(self, selection: Selection | None = None) -> dict[int, list]:
        """Runs for every paragraph that has any mark."""
        self.selection = selection or Selection()
        self._by_block.clear()
        self._blocks_of.clear()
        article = self.article
        for i in range(len(article.noise)):
            self._file(("n", i))
        for quote in article.quotes:
            self._file(("q", quote.id), quote)
        self._file_entities(article.entities)
        return {b: self.runs(b) for b in self._by_block}

    def _file_entities(self, entities) -> None:
        """The bulk of the marks, filed in one tight loop (this is the 25,000-span path)."""
        starts = self.blocks.starts
        to_qt = None if self.offsets.identity else self.offsets.to_qt
        by_block, blocks_of = self._by_block, self._blocks_of
        selected = self.selection.entity
        order = ORDER["entity"]
        styles: dict[str, str] = {}
        for ent in entities:
            if ent.id is not None and ent.id == selected:
                self._file(("e", ent.id), ent)
                continue
            qs, qe = (ent.start, ent.end) if to_qt is None else (to_qt(ent.start), to_qt(ent.end))
            if qe <= qs:
                continue
            style = styles.get(ent.label)
            if style is None:
                style = styles[ent.label] = f"entity:{ent.label}"
            owner = ("e", ent.id)
            mark = (qs, qe, order, style, owner)
            b0 = bisect_right(starts, qs) - 1
            b1 = bisect_right(starts, qe - 1) - 1
            if b0 == b1:
                marks = by_block.get(b0)
                if marks is None:
                    by_block[b0] = [mark]
                else:
                    marks.append(mark)
            else:
                for b in range(b0, b1 + 1):
                    by_block.setdefault(b, []).append(mark)
            blocks_of[owner] = range(b0, b1 + 1)

    def update(self, owners, selection: Selection | None = None) -> dict[int, list]:
        """Re-file the marks of ``owners``; runs for every paragraph whose look may change."""
        if selection is not None:
            self.selection = selection
        touched: set[int] = set()
        for owner in set(owners):
            for b in self._blocks_of.pop(owner, ()):
                marks = self._by_block.get(b)
                if marks:
                    marks[:] = [m for m in marks if m[4] != owner]
                touched.add(b)
            touched |= self._file(owner)
        return {b: self.runs(b) for b in sorted(touched)}

    def _file(self, owner: Owner, item=None) -> set[int]:
        to_qt = self.offsets.to_qt
        filed: set[int] = set()
        for start, end, style in marks_of(self.article, owner, self.selection, item):
            qs, qe = to_qt(start), to_qt(end)
            if qe <= qs:
                continue
            mark = (qs, qe, ORDER[style_of(style)], style, owner)
            for b in self.blocks.span(qs, qe):
                self._by_block.setdefault(b, []).append(mark)
                filed.add(b)
        if filed:
            known = self._blocks_of.get(owner)
            self._blocks_of[owner] = filed | set(known) if known else filed
        return filed

    # --- reading -----------------------------------------------------------------------
    def runs(self, block: int) -> list[tuple[int, int, str]]:
        """(start in block, length, style) in paint order, clipped to the paragraph."""
        starts = self.blocks.starts
        base = starts[block]
        limit = starts[block + 1] - 1 if block + 1 < len(starts) else 1 << 62
        out = []
        for qs, qe, _order, style, _owner in sorted(self._by_block.get(block, ()), key=_paint_key):
            s = qs if qs > base else base
            e = qe if qe < limit else limit
            if e > s:
                out.append((s - base, e - s, style))
        return out


_paint_key = itemgetter(2, 0)  # paint order, then position


# --- hover text ------------------------------------------------------------------------------
def describe_at(article: Article, cp: int) -> str:
    """Hover text for offset ``cp``: entities (label, source) and quotes (speaker, cue, kind)."""
    lines = []
    for ent in article.entities:
        if ent.start <= cp < ent.end:
            line = f"{ent.label} \u2014 {ent.text(article.text)} ({_who(ent.source, ent.model)})"
            said = sum(1 for q in article.quotes
                       if q.speaker and q.speaker.start < ent.end and ent.start < q.speaker.end)
            if said:
                line += f"; speaker of {said} quote{'s' if said > 1 else ''}"
            lines.append(line)
    for quote in article.quotes:
        if quote.start <= cp < quote.end:
            speaker = speaker_label(article, quote) or "no speaker yet"
            cue = f", cue \u201c{quote.cue.text(article.text)}\u201d" if quote.cue else ""
            lines.append(f"{quote.kind.capitalize()} quote \u2014 {speaker}{cue} ({_who(quote.source, quote.model)})")
    if article.is_noise(cp, cp + 1):
        lines.append("Page noise (ignored by the quote finder)")
    return "\n".join(lines)


def speaker_label(article: Article, quote) -> str:
    if quote.speaker_name:
        return quote.speaker_name
    if quote.speaker:
        return quote.speaker.text(article.text)
    return ""


def _who(source: str, model: str | None) -> str:
    if source == "model":
        return f"model {model}" if model else "model"
    return "analyst"
