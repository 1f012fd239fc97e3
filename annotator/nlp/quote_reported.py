"""Reported speech (`indirect`), quoted fragments inside it (`mixed`), and words quoted in a
characterisation ('called Trump a "liar"')."""
from __future__ import annotations

import bisect

from ..core.model import Quote
from .quote_context import (Attribution, QuoteContext, after_title_cue, cover_marks, ends_sentence,
                            governing_verb, holds_quote, make_quote, overlaps, speaker_span, trim_tokens)
from .quote_cues import CHARACTERISING_VERBS, is_cue, is_hedged, verb_forms
from .quote_marks import Quoted

MAX_SENTENCE = 200  # tokens: how far a sentence boundary is looked for


def _content_tokens(tok):
    """Token range [start, end) of what a cue reports, or None."""
    if tok.lower_ == "according":
        return _according_content(tok)
    comps = [c for c in tok.children if c.dep_ == "ccomp"]
    if comps:
        # "It is unlikely; her team says she will go on": the clause after the cue is the one said.
        after = [c for c in comps if c.i > tok.i]
        c = after[0] if after else comps[-1]
        start, end = c.left_edge.i, c.right_edge.i + 1
        if c.i < tok.i:  # "X, but Y, a source said": the content runs from the sentence start
            start = min(start, _sentence_start(tok))
        else:  # "said they had doubts, but could not bear ...": a subjectless conjunct continues it
            for extra in tok.children:
                if extra.dep_ == "conj" and extra.i > c.i and not is_cue(extra) \
                        and not any(k.dep_ in ("nsubj", "nsubjpass") for k in extra.children):
                    end = max(end, extra.right_edge.i + 1)
        return start, end
    if tok.dep_ == "parataxis":  # "He has a model, he said, for how ..."
        head = tok.head
        return head.left_edge.i, head.right_edge.i + 1
    return None


def _sentence_start(tok) -> int:
    """First token of ``tok``'s sentence, by full stops and paragraph breaks (not the parser)."""
    doc = tok.doc
    i = tok.i
    while i > max(0, tok.i - MAX_SENTENCE) and not ends_sentence(doc[i - 1]) and "\n" not in doc[i - 1].text:
        i -= 1
    return i


def _according_content(tok):
    """The clause that "according to X" is attached to, on the side where its verb stands."""
    sent = tok.sent
    left, right = tok.left_edge.i, tok.right_edge.i + 1
    before, after = (sent.start, left), (right, sent.end)
    if tok.head.i < left and before[1] > before[0]:
        return before
    if tok.head.i >= right and after[1] > after[0]:
        return after
    return max(before, after, key=lambda r: r[1] - r[0])


def reported_speech(art: QuoteContext, taken: list[Quote], embedded) -> list[Quote]:
    """'X said (that) ...', '..., X said.', 'according to X': the clause a cue reports, `mixed`
    when it holds quoted words; clauses overlapping a quote already ``taken`` are left out."""
    doc = art.doc
    spans = sorted((q.start, q.end) for q in taken)
    out: list[Quote] = []
    wanted = {found.cue.i: found for _, found in embedded}
    for tok in doc:
        if tok.i in art.used_cues or not art.outside_quotes(tok) or art.in_noise(tok.idx):
            continue
        if not is_cue(tok) or is_hedged(tok):
            continue
        bounds = _content_tokens(tok)
        if bounds is None:
            continue
        start, end = trim_tokens(doc, *bounds)
        if end - start < 3 or not any(t.pos_ in ("VERB", "AUX") for t in doc[start:end]):
            continue
        speaker = speaker_span(art, tok)
        if speaker is None:
            continue
        if speaker.start >= start and speaker.end <= end and tok.dep_ != "parataxis":
            continue  # the parse folded the speaker into the content
        cstart, cend = cover_marks(art, doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))
        cend = _stop_before_next_quote(art, spans, cstart, cend)
        if cend is None or overlaps(spans, cstart, cend):
            continue
        kind = "mixed" if holds_quote(art, cstart, cend) else "indirect"
        found = wanted.get(tok.i) or Attribution(tok, speaker)
        quote = make_quote(art, cstart, cend, kind, found)
        out.append(quote)
        bisect.insort(spans, (cstart, cend))
    return out


def _stop_before_next_quote(art: QuoteContext, spans, start: int, end: int) -> int | None:
    """End a clause at the last comma before a quote already taken that starts inside it
    ('She said fathers would not be eligible, and when pressed, she said "..."')."""
    i = bisect.bisect_right(spans, (start, float("inf")))
    if i >= len(spans) or spans[i][0] >= end:
        return end
    cut = max(art.text.rfind(mark, start, spans[i][0]) for mark in (",", ";", "\u2014"))
    return cut if cut > start else None


def _rest_of_sentence(art: QuoteContext, i: int, para: int) -> int:
    """End of the sentence from token ``i`` on: a full stop, the paragraph end, a quote or a cue."""
    doc, limit = art.doc, min(len(art.doc), i + MAX_SENTENCE)
    while i < limit and not ends_sentence(doc[i]) and art.paragraph(doc[i].idx) == para \
            and art.outside_quotes(doc[i]) and not is_cue(doc[i]):
        i += 1
    return i


def leftover_fragments(art: QuoteContext, quotes: list[Quote], embedded) -> list[Quote]:
    """Fragments reported by a cue whose clause the parse did not give: the rest of the
    sentence after the cue, as a `mixed` quote."""
    doc = art.doc
    spans = sorted((q.start, q.end) for q in quotes)
    out = []
    for q, found in embedded:
        if overlaps(spans, q.start, q.end) or found.cue is None or found.cue.idx > q.start:
            continue
        end = _rest_of_sentence(art, art.token_at(q.end - 1) + 1, art.paragraph(q.start))
        start, end = trim_tokens(doc, found.cue.i + 1, end)
        if end <= start:
            continue
        cstart, cend = cover_marks(art, doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))
        if overlaps(spans, cstart, cend):
            continue
        out.append(make_quote(art, cstart, cend, "mixed", found))
        bisect.insort(spans, (cstart, cend))
    return out


def _is_scare_quote(art: QuoteContext, q: Quoted) -> bool:
    """'the so-called "woke" agenda', 'the "experts"': a term held at a distance, not words said."""
    words = q.inner(art.text).split()
    if len(words) > 2:
        return False
    before = art.text[max(0, q.start - 12):q.start].lower().split()
    if before and before[-1] in ("so-called", "so", "called", "the", "this", "that", "these", "those"):
        return before[-1] != "called" or (len(before) > 1 and before[-2] == "so")
    tok = art.doc[art.token_at(q.inner_start)]
    # A quoted modifier of an unquoted noun: 'a "fresh" loaf'.
    return tok.dep_ in ("amod", "compound", "nmod") and art.quote_of_token[tok.head.i] != art.quote_of_token[tok.i]


def characterisations(art: QuoteContext, taken: list[Quote], fragments: list[Quoted]) -> list[Quote]:
    """Quoted words inside what a named subject calls, describes or attacks: `mixed` quotes."""
    doc, out = art.doc, []
    spans = sorted((q.start, q.end) for q in taken)
    for q in fragments:
        if overlaps(spans, q.start, q.end) or after_title_cue(art, q) or _is_scare_quote(art, q):
            continue
        verb = governing_verb(art, q)
        if verb is None or not verb_forms(verb) & CHARACTERISING_VERBS or is_hedged(verb):
            continue
        speaker = speaker_span(art, verb)
        if speaker is None or speaker.end > verb.i:
            continue
        first = verb.i + 1
        while first < len(doc) and doc[first].dep_ in ("prt", "advmod") and doc[first].head.i == verb.i:
            first += 1
        quote_tok = art.token_at(q.start)
        holder = next((c for c in verb.children if c.left_edge.i <= quote_tok <= c.right_edge.i), None)
        if holder is None or holder.i < verb.i:
            continue
        start, end = trim_tokens(doc, first, holder.right_edge.i + 1)
        if end <= start:
            continue
        cstart, cend = cover_marks(art, doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))
        if overlaps(spans, cstart, cend):
            continue
        out.append(make_quote(art, cstart, cend, "mixed", Attribution(verb, speaker)))
        bisect.insort(spans, (cstart, cend))
    return out
