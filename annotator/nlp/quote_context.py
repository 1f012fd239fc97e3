"""What the quote passes share: the parsed article with its quoted stretches, and helpers
for sentences, frames around a quote, speaker mentions and content spans."""
from __future__ import annotations

import bisect
from dataclasses import dataclass

from ..core.model import Mention, Quote
from .quote_cues import TITLE_CUES, is_cue, mention_bounds, speaker_token
from .quote_marks import Quoted, find_quoted
from .speakers import SpeakerNames

SENTENCE_END = frozenset(".!?")
MAX_CUE_DISTANCE = 20  # tokens between a closing mark and the cue after it
MAX_LEAD_IN = 45  # tokens between the cue before a quote and its opening mark
MIN_QUOTE_WORDS = 3  # fewer words and no cue-bound clause: a term, not a quote


@dataclass
class Attribution:
    """Who said a quote and how: the cue, the speaker, and where a mixed quote starts."""

    cue: object | None  # the cue token
    speaker: object | None  # spaCy Span of the speaker mention
    speaker_name: str | None = None
    embedded: bool = False  # the quote is a fragment inside the reported clause
    speaker_mention: Mention | None = None  # copied from an earlier quote (continuations)
    content_start: int | None = None  # a mixed quote starts before its opening mark
    kind: str | None = None  # when the content start alone does not tell


class QuoteContext:
    """One parsed article as the passes see it: quoted stretches, paragraphs, noise, used cues."""

    def __init__(self, doc, noise):
        self.doc = doc
        self.text = doc.text
        self.noise = sorted(noise or ())
        self.starts = [t.idx for t in doc]
        self.quoted = [q for q in find_quoted(self.text) if not self.in_noise(q.start)]
        self.quoted_starts = [q.start for q in self.quoted]
        self.quote_of_token = [-1] * len(doc)
        for n, q in enumerate(self.quoted):
            for i in range(self.token_at(q.start), self.token_at(q.end - 1) + 1):
                self.quote_of_token[i] = n
        self.breaks = [i for i, ch in enumerate(self.text) if ch == "\n"]
        self.names = SpeakerNames(doc)
        self.used_cues: set[int] = set()

    def in_noise(self, pos: int) -> bool:
        i = bisect.bisect_right(self.noise, (pos, float("inf"))) - 1
        return i >= 0 and self.noise[i][0] <= pos < self.noise[i][1]

    def token_at(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.starts, char) - 1)

    def paragraph(self, char: int) -> int:
        return bisect.bisect_left(self.breaks, char)

    def outside_quotes(self, tok) -> bool:
        return self.quote_of_token[tok.i] < 0


def ends_sentence(tok) -> bool:
    """A full stop that ends a sentence, not one closing "(D-Md.)" or "Jr."."""
    if tok.text not in SENTENCE_END:
        return False
    doc = tok.doc
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is not None and nxt.text in (")", ","):
        return False
    prev = doc[tok.i - 1] if tok.i > 0 else None
    return not (tok.text == "." and prev is not None and prev.text[:1].isupper() and len(prev.text) <= 3
                and prev.idx + len(prev.text) == tok.idx)


def tokens_after(art: QuoteContext, q: Quoted) -> list:
    """The tokens after a closing mark up to the end of the sentence, the paragraph or the next quote."""
    doc, out = art.doc, []
    para = art.paragraph(q.end - 1)
    for i in range(art.token_at(q.end - 1) + 1, min(len(doc), art.token_at(q.end - 1) + 1 + MAX_CUE_DISTANCE * 2)):
        tok = doc[i]
        if tok.idx < q.end:
            continue
        if art.paragraph(tok.idx) != para or not art.outside_quotes(tok):
            break
        out.append(tok)
        if ends_sentence(tok):
            break
    return out


def tokens_before(art: QuoteContext, q: Quoted) -> list:
    """The tokens of the same sentence before an opening mark (nearest last)."""
    doc, out = art.doc, []
    para = art.paragraph(q.start)
    first = art.token_at(q.start)
    for i in range(first - 1, max(-1, first - 1 - MAX_LEAD_IN), -1):
        tok = doc[i]
        if art.paragraph(tok.idx) != para or not art.outside_quotes(tok) or ends_sentence(tok):
            break
        out.append(tok)
    out.reverse()
    return out


def _surface_speaker(art: QuoteContext, cue, frame: list):
    """The noun phrase right before (or, inverted, right after) ``cue`` within ``frame``.

    A fallback for when the parse of a quote-heavy sentence gives the cue no usable subject.
    """
    doc, frame_ids = art.doc, {t.i for t in frame}
    nominal = ("PROPN", "NOUN", "PRON")

    def is_nominal(tok):
        return tok.pos_ in nominal and tok.ent_type_ not in ("DATE", "TIME")

    def phrase(first, step):
        i = first
        while i + step in frame_ids and (is_nominal(doc[i + step]) or doc[i + step].pos_ in ("DET", "ADJ")) \
                and not is_cue(doc[i + step]):
            i += step
        return doc[min(first, i):max(first, i) + 1]

    if cue.i - 1 in frame_ids and is_nominal(doc[cue.i - 1]):
        return phrase(cue.i - 1, -1)
    i = cue.i + 1
    while i in frame_ids and doc[i].pos_ in ("DET", "ADJ"):
        i += 1
    if i in frame_ids and is_nominal(doc[i]):
        start = cue.i + 1
        end = phrase(i, 1).end
        return doc[start:end]
    first = frame[0]
    if first.i < cue.i and first.pos_ in ("PROPN", "PRON") and is_nominal(first):
        # '"...," Flynn, a top Trump surrogate, said': the name opening the cue clause.
        return phrase(first.i, 1)
    return None


def speaker_span(art: QuoteContext, cue, frame: list | None = None):
    """The speaker mention of ``cue``: from the parse, else from the words around it in ``frame``."""
    tok = speaker_token(cue)
    if (tok is None or not art.outside_quotes(tok)) and frame:
        if cue.tag_ == "VBG":  # "Trump said, adding later, '...'": the participle shares a subject
            tok = next((speaker_token(t) for t in reversed(frame) if t.i < cue.i and t.pos_ == "VERB"
                        and speaker_token(t) is not None), None)
        if tok is None or not art.outside_quotes(tok):
            return _surface_speaker(art, cue, frame)
    if tok is None or not art.outside_quotes(tok):
        return None
    start, end = mention_bounds(tok)
    while start < end and not art.outside_quotes(art.doc[start]):
        start += 1
    return art.doc[start:end] if start < end else None


def clause_before(art: QuoteContext, q: Quoted) -> list:
    """Words of the same sentence before the opening mark when the quote continues them
    ('she felt ... because "most people ..."'); empty when the quote stands on its own."""
    before = tokens_before(art, q)
    if not before or before[-1].is_punct or before[-1].is_space:
        return []
    return before


def governing_verb(art: QuoteContext, q: Quoted):
    tok = art.doc[art.token_at(q.inner_start)]
    for _ in range(8):
        if tok.head.i == tok.i:
            return None
        tok = tok.head
        if tok.pos_ == "VERB" and art.outside_quotes(tok):
            return tok
    return None


def after_title_cue(art: QuoteContext, q: Quoted) -> bool:
    before = art.text[max(0, q.start - 40):q.start].lower().split()
    return bool(before) and before[-1].strip(",:") in TITLE_CUES


def make_quote(art: QuoteContext, start: int, end: int, kind: str, found: Attribution) -> Quote:
    quote = Quote(start, end, kind)
    if found.cue is not None:
        cue = found.cue
        cue_end = cue.idx + len(cue.text)
        if cue.lower_ == "according":
            cue_end = next((c.idx + len(c.text) for c in cue.children if c.lower_ == "to"), cue_end)
        quote.cue = Mention(cue.idx, cue_end)
        art.used_cues.add(cue.i)
    if found.speaker is not None:
        quote.speaker = Mention(found.speaker.start_char, found.speaker.end_char)
        quote.speaker_name = art.names.name_for(found.speaker)
        art.names.note_speaker(found.speaker.start_char, quote.speaker_name)
    else:
        quote.speaker, quote.speaker_name = found.speaker_mention, found.speaker_name
    return quote


OPENING_MARKS = '"\u201c\'\u2018'
CLOSING_MARKS = '"\u201d\'\u2019'


def trim_tokens(doc, start: int, end: int) -> tuple[int, int]:
    """[start, end) without punctuation or spaces at either end, quotation marks kept."""
    while start < end and (doc[start].is_punct and doc[start].text not in OPENING_MARKS or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct and doc[end - 1].text not in CLOSING_MARKS
                           or doc[end - 1].is_space):
        end -= 1
    return start, end


def cover_marks(art: QuoteContext, start: int, end: int) -> tuple[int, int]:
    """Widen a content span so that it never cuts a quoted stretch in two, and takes in a
    quote that the parse left hanging right after it ('focusing on "he said this"')."""
    quoted, starts = art.quoted, art.quoted_starts
    i = bisect.bisect_right(starts, start) - 1
    if i >= 0 and quoted[i].start < start < quoted[i].end:
        start = quoted[i].start
    i = bisect.bisect_left(starts, end) - 1
    if i >= 0 and quoted[i].start < end < quoted[i].end:
        end = quoted[i].end
    i = bisect.bisect_left(starts, end)
    if i < len(quoted) and not art.text[end:quoted[i].start].strip() and art.text[end - 1:end].isalnum():
        end = quoted[i].end
    return start, end


def holds_quote(art: QuoteContext, start: int, end: int) -> bool:
    """Whether a quoted stretch lies wholly inside [start, end)."""
    i = bisect.bisect_left(art.quoted_starts, start)
    return i < len(art.quoted) and art.quoted[i].end <= end


def overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect.bisect_left(spans, (start, start))
    return any(s < end and start < e for s, e in spans[max(0, i - 1):i + 2])
