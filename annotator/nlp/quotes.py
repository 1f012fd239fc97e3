"""Quote extraction: direct quotes, partial and mixed quotes, reported speech, speakers, cues.

The scope is written down in docs/quote-guidelines.md. In short:
- a quoted stretch is a direct quote when a cue of saying stands next to it in its sentence
  (before or after, with or without a colon, inverted, in a participle, after an auxiliary),
  when a dash names its author, or when it continues the previous speaker's quote in the next
  paragraph; one cue with two parts ("A," he said, "B.") gives one quote over both;
- a quoted fragment inside a clause reported by a cue ("declared they are acting 'in unity'")
  makes the whole reported clause a `mixed` quote; reported speech without marks ("X said
  (that) ...", "according to X") is `indirect`;
- short quoted terms without a cue (scare quotes, titles, emphasis) are not quotes.

One pass over the quotation marks and one over the tokens: linear in the article length.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..core.model import Mention, Quote
from .quote_cues import is_cue, is_hedged, mention_bounds, speaker_token, verb_forms
from .quote_marks import Quoted, find_quoted
from .speakers import SpeakerNames, strip_titles

SENTENCE_END = frozenset(".!?")
# Words that announce a title or a name rather than speech: the book "...", a motto "...".
TITLE_CUES = frozenset("""
book novel film movie show series song album play poem article column essay report op-ed headline
titled entitled called dubbed named nicknamed slogan motto hashtag campaign program programme
operation act bill law
""".split())
# Thought, not speech: "She thought: '...'" is no quote.
THOUGHT_VERBS = frozenset("think wonder imagine feel believe hope wish dream fear worry know realize guess".split())
MAX_CUE_DISTANCE = 20  # tokens between a closing mark and the cue after it
MAX_LEAD_IN = 45  # tokens between the cue before a quote and its opening mark
UNCUED_MIN_WORDS = 8  # a quoted stretch this long that is a whole sentence is speech
MIN_QUOTE_WORDS = 3  # fewer words and no cue-bound clause: a term, not a quote


@dataclass
class _Attribution:
    cue: object | None  # the cue token
    speaker: object | None  # spaCy Span of the speaker mention
    speaker_name: str | None = None
    embedded: bool = False  # the quote is a fragment inside the reported clause
    speaker_mention: Mention | None = None  # copied from an earlier quote (continuations)
    content_start: int | None = None  # a mixed quote starts before its opening mark


class _Article:
    """What the passes share: the doc, its quoted stretches, paragraphs, used cues."""

    def __init__(self, doc, noise):
        self.doc = doc
        self.text = doc.text
        self.noise = sorted(noise or ())
        self.starts = [t.idx for t in doc]
        self.quoted = [q for q in find_quoted(self.text) if not self.in_noise(q.start)]
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


# --- direct quotes ---------------------------------------------------------------------------
def _ends_sentence(tok) -> bool:
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


def _tokens_after(art: _Article, q: Quoted) -> list:
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
        if _ends_sentence(tok):
            break
    return out


def _tokens_before(art: _Article, q: Quoted) -> list:
    """The tokens of the same sentence before an opening mark (nearest last)."""
    doc, out = art.doc, []
    para = art.paragraph(q.start)
    first = art.token_at(q.start)
    for i in range(first - 1, max(-1, first - 1 - MAX_LEAD_IN), -1):
        tok = doc[i]
        if art.paragraph(tok.idx) != para or not art.outside_quotes(tok) or _ends_sentence(tok):
            break
        out.append(tok)
    out.reverse()
    return out


def _surface_speaker(art: _Article, cue, frame: list):
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
    return None


def _speaker_span(art: _Article, cue, frame: list | None = None):
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


def _clause_before(art: _Article, q: Quoted) -> list:
    """Words of the same sentence before the opening mark when the quote continues them
    ('she felt ... because "most people ..."'); empty when the quote stands on its own."""
    before = _tokens_before(art, q)
    if not before or before[-1].is_punct or before[-1].is_space:
        return []
    return before


def _cue_after(art: _Article, q: Quoted) -> _Attribution | None:
    inner = q.inner(art.text).rstrip(" \u00a0'\u2019\"\u201d")
    after = _tokens_after(art, q)
    if not after:
        return None
    ends_open = inner[-1:] in ",?!-\u2014\u2013\u2026." or after[0].text in (",", "\u2014", "--", "\u2013")
    if not ends_open:
        return None
    if inner[-1:] == "." and _introduces_next_quote(art, after):
        return None  # '"... kidding." To which she said, "Thank God ..."': the cue is the next quote's
    for tok in after[:MAX_CUE_DISTANCE]:
        if is_cue(tok, with_quote=True) and tok.lower_ != "according" and not is_hedged(tok):
            speaker = _speaker_span(art, tok, after)
            if speaker is not None:
                lead = _clause_before(art, q)
                if lead and any(is_cue(t) for t in lead):
                    return None  # a fragment of a clause reported by an earlier cue
                return _Attribution(tok, speaker, content_start=lead[0].idx if lead else None)
    return None


def _introduces_next_quote(art: _Article, after: list) -> bool:
    """The words after a closing mark end in ',' or ':' right before another opening mark."""
    last = after[-1]
    if last.text not in (",", ":") or last.i + 1 >= len(art.doc):
        return False
    return not art.outside_quotes(art.doc[last.i + 1])


_DASH_AUTHOR = re.compile(r"[ \t\u00a0]*(?:\u2015|\u2014|\u2013|--?)[ \t\u00a0]*"
                          r"([A-Z][\w.'\u2019-]*(?:[ \u00a0][A-Z][\w.'\u2019-]*){0,3})")


def _dash_author(art: _Article, q: Quoted) -> _Attribution | None:
    """'"..." \u2015 Esther Tapia': an author named after a dash. Read off the text: the
    tokenizer may glue the dash and the name to the closing mark."""
    match = _DASH_AUTHOR.match(art.text, q.end)
    if match is None:
        return None
    start, end = match.span(1)
    written = art.text[start:end].rstrip(".,")
    name = art.names.fullest(" ".join(strip_titles(written.split())), start)
    return _Attribution(None, None, name, speaker_mention=Mention(start, start + len(written)))


def _is_embedded(art: _Article, q: Quoted, before: list, cue) -> bool:
    """A fragment inside the reported clause ('said they act "in unity"'), not a quote of its own."""
    inner = q.inner(art.text).lstrip(" .\u2026")
    if not inner:
        return True
    last = before[-1] if before else None
    if last is not None and last.text == ":":
        return False
    lower_start = inner[0].islower()
    if last is not None and last.text == "," and last.i > 0 and art.doc[last.i - 1].lower_ == "that":
        return True  # 'said via email that, "Of course ..." against ...'
    if last is not None and (last.i == cue.i or last.text == "," or last.head.i == cue.i and last.dep_ != "ccomp"):
        return lower_start
    return lower_start or len(inner.split()) < 4


def _cue_before(art: _Article, q: Quoted) -> _Attribution | None:
    before = _tokens_before(art, q)
    governing = _governing_verb(art, q)
    if governing is not None and not is_cue(governing) and not (before and before[-1].text == ":") \
            and verb_forms(governing) & CHARACTERISING_VERBS:
        return None  # 'call them "lone wolves"': the characterisation pass takes it
    for tok in reversed(before):
        if is_cue(tok, with_quote=True):
            if is_hedged(tok):
                return None  # 'if he says "..."': hypothetical speech
            speaker = _speaker_span(art, tok, before)
            if speaker is None:
                continue
            return _Attribution(tok, speaker, embedded=_is_embedded(art, q, before, tok))
    if before and before[-1].text == ":":
        # "X had this message: '...'" -- the lead-in's subject speaks.
        root = _clause_verb(before[-1].head)
        speaker = _speaker_span(art, root) if root.i < before[-1].i and _may_lead_in(root) else None
        if speaker is not None:
            return _Attribution(None, speaker)
    return None


def _clause_verb(tok):
    while tok.pos_ not in ("VERB", "AUX") and tok.head is not tok:
        tok = tok.head
    return tok


def _may_lead_in(verb) -> bool:
    """A colon lead-in's verb introduces speech unless it is a thought or hedged."""
    return not verb_forms(verb) & THOUGHT_VERBS and not is_hedged(verb)


def _cue_between_quotes(art: _Article, q: Quoted) -> _Attribution | None:
    """'... "A," she said. "B."' where "A" went to a reported clause: "B" is hers too."""
    para = art.paragraph(q.start)
    first = art.token_at(q.start)
    gap = []
    for i in range(first - 1, max(-1, first - 1 - MAX_LEAD_IN), -1):
        tok = art.doc[i]
        if art.paragraph(tok.idx) != para:
            return None
        if not art.outside_quotes(tok):
            break
        gap.append(tok)
    else:
        return None
    if not gap or not any(t.text in SENTENCE_END for t in gap[:2]):
        return None
    for tok in gap:
        if is_cue(tok, with_quote=True):
            speaker = _speaker_span(art, tok, gap)
            return _Attribution(tok, speaker) if speaker is not None else None
    return None


def _lead_in_paragraph(art: _Article, q: Quoted) -> _Attribution | None:
    """A quote opening a paragraph after one that ends 'X said:'."""
    if art.text[art.text.rfind("\n", 0, q.start) + 1:q.start].strip():
        return None
    i = art.token_at(q.start) - 1
    while i >= 0 and art.doc[i].is_space:
        i -= 1
    if i < 0 or art.doc[i].text != ":":
        return None
    for tok in reversed(art.doc[max(0, i - 25):i]):
        if tok.text in SENTENCE_END:
            break
        if is_cue(tok, with_quote=True):
            speaker = _speaker_span(art, tok)
            if speaker is not None:
                return _Attribution(tok, speaker)
    # "Sanders made the following comment:" -- the lead-in's subject speaks.
    root = _clause_verb(art.doc[i].head)
    speaker = _speaker_span(art, root) if root.i < i and _may_lead_in(root) else None
    return _Attribution(None, speaker) if speaker is not None else None


TITLE_SMALL_WORDS = frozenset("a an the of and or in on at to for with by from".split())


def _looks_like_title(text: str) -> bool:
    """Title Case words ("State of the Union", "The Long Road Home") or a single word."""
    words = text.strip(" ,.!?").split()
    if not words or len(words) > 8:
        return False
    if len(words) == 1:
        return True
    capitals = sum(1 for i, w in enumerate(words)
                   if w[:1].isupper() or not w[:1].isalpha() or (i and w.lower() in TITLE_SMALL_WORDS))
    return capitals == len(words) and words[0][:1].isupper()


def _is_title(art: _Article, q: Quoted) -> bool:
    """A quoted title or name: after 'the film', 'called' ..., or Title Case inside a clause
    ('on CNN's "State of the Union."'); whole-sentence quotes are never titles."""
    inner = q.inner(art.text)
    if not _looks_like_title(inner):
        return False
    return _after_title_cue(art, q) or len(inner.split()) < MIN_QUOTE_WORDS or bool(_clause_before(art, q))


def _after_title_cue(art: _Article, q: Quoted) -> bool:
    before = art.text[max(0, q.start - 40):q.start].lower().split()
    return bool(before) and before[-1].strip(",:") in TITLE_CUES


def _is_continuation(art: _Article, q: Quoted, previous: tuple | None) -> bool:
    """A quote opening a paragraph right after the paragraph of the previous speaker's quote."""
    if previous is None:
        return False
    prev_quote, prev_para = previous
    line_start = art.text.rfind("\n", 0, q.start) + 1
    if art.text[line_start:q.start].strip() or art.paragraph(q.start) <= prev_para:
        return False
    prev_line_end = art.text.find("\n", prev_quote.end - 1)
    if prev_line_end < 0 or prev_line_end >= line_start:
        return False
    # Only blank lines and page noise may stand between the two paragraphs.
    pos = prev_line_end + 1
    for line in art.text[pos:line_start].split("\n"):
        stripped = line.strip()
        if stripped and not art.in_noise(pos + len(line) - len(line.lstrip())):
            return False
        pos += len(line) + 1
    return True


def _attribute(art: _Article, q: Quoted, previous) -> _Attribution | None:
    for finder in (_cue_after, _cue_before, _dash_author, _lead_in_paragraph, _cue_between_quotes):
        found = finder(art, q)
        if found is not None:
            return found
    if _is_continuation(art, q, previous) and len(q.inner(art.text).split()) >= MIN_QUOTE_WORDS:
        prev_quote = previous[0]
        return _Attribution(None, None, prev_quote.speaker_name, speaker_mention=prev_quote.speaker)
    if _is_statement(art, q):
        # Whole quoted sentences with no cue: the person in the foreground, as for a pronoun.
        return _Attribution(None, None, art.names.person_before(q.start))
    return None


def _is_statement(art: _Article, q: Quoted) -> bool:
    """Whole quoted sentences standing alone ("... 'We will win. They know it.'") are speech
    even when the article names nobody; a term or a title never is."""
    inner = q.inner(art.text).strip(" \u00a0")
    words = inner.split()
    return len(words) >= UNCUED_MIN_WORDS and inner[:1].isupper() and inner[-1:] in ".?!,\u2026" \
        and not _tokens_before(art, q)


def _own_cue_after(art: _Article, q: Quoted) -> bool:
    return any(is_cue(t, with_quote=True) for t in _tokens_after(art, q)[:MAX_CUE_DISTANCE])


def _opens_new_clause(tok, cue) -> bool:
    """A word after the cue that starts speech or a clause of its own ("she said, but Kevin ...")."""
    if tok.i == cue.i:
        return False
    if is_cue(tok):  # a second cue, unless a participle of the same act ("said, emphasizing why ...")
        return not (tok.tag_ == "VBG" and tok.head.i == cue.i) or _next_to_quote(tok)
    return tok.head.i == cue.i and tok.dep_ in ("conj", "ccomp", "parataxis") \
        and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in tok.children)


def _next_to_quote(tok) -> bool:
    """A cue that introduces the quote right after it ("adding later, '...'")."""
    doc = tok.doc
    i = tok.i + 1
    while i < len(doc) and (doc[i].is_punct and doc[i].text not in "\"\u201c\u2018'\u00ab" or doc[i].pos_ == "ADV"):
        i += 1
    return i < len(doc) and doc[i].text in ("\"", "\u201c", "\u2018", "'", "\u00ab", "''", "``")


def _merge_following(art: _Article, quoted: list[Quoted], i: int, cue) -> int:
    """Index of the last quoted stretch that continues quote ``i`` ("A," he said, "B.")."""
    para = art.paragraph(quoted[i].start)
    j = i
    while j + 1 < len(quoted):
        nxt = quoted[j + 1]
        if art.paragraph(nxt.start) != para or _own_cue_after(art, nxt):
            break
        gap = art.doc[art.token_at(quoted[j].end - 1) + 1:art.token_at(nxt.start)]
        words = [t for t in gap if not (t.is_punct or t.is_space)]
        if words:
            # Only the cue's own clause may stand between: "A," he said Monday. "B."
            if cue is None or cue.i not in {t.i for t in gap} or len(gap) > MAX_LEAD_IN:
                break
            if not (gap[-1].is_punct or gap[-1].pos_ == "CCONJ") \
                    or any(_opens_new_clause(t, cue) for t in words if t.i != gap[-1].i):
                break
        j += 1
    return j


def _direct_quotes(art: _Article) -> tuple[list[Quote], list, list[Quoted]]:
    """Direct quotes; fragments that a cue reports (for the reported-speech pass); quoted
    stretches with no cue at all."""
    quotes: list[Quote] = []
    unattributed: list[Quoted] = []
    embedded: list[tuple[Quoted, _Attribution]] = []
    previous = None
    covered_to = -1
    i = 0
    while i < len(art.quoted):
        q = art.quoted[i]
        i += 1
        if q.start < covered_to:
            continue
        found = _attribute(art, q, previous)
        inner = q.inner(art.text)
        if found is None:
            unattributed.append(q)
            continue
        if found.embedded:
            embedded.append((q, found))
            continue
        if found.cue is None and found.speaker is not None and len(inner.split()) < MIN_QUOTE_WORDS:
            continue
        if _is_title(art, q):
            continue
        last = _merge_following(art, art.quoted, i - 1, found.cue)
        end = art.quoted[last].end
        i = last + 1
        covered_to = end
        start = found.content_start if found.content_start is not None else q.start
        quote = _make_quote(art, start, end, "direct" if start == q.start else "mixed", found)
        quotes.append(quote)
        previous = (quote, art.paragraph(end - 1))
    return quotes, embedded, unattributed


def _make_quote(art: _Article, start: int, end: int, kind: str, found: _Attribution) -> Quote:
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


# --- reported speech -------------------------------------------------------------------------
def _content_tokens(tok):
    """Token range [start, end) of what a cue reports, or None."""
    if tok.lower_ == "according":
        return _according_content(tok)
    comps = [c for c in tok.children if c.dep_ == "ccomp"]
    if comps:
        c = comps[0]
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
    while i > 0 and not _ends_sentence(doc[i - 1]) and "\n" not in doc[i - 1].text:
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


def _trim(doc, start: int, end: int) -> tuple[int, int]:
    while start < end and (doc[start].is_punct and doc[start].text not in '"\u201c\'\u2018' or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct and doc[end - 1].text not in '"\u201d\'\u2019' or doc[end - 1].is_space):
        end -= 1
    return start, end


def _reported_speech(art: _Article, taken: list[Quote], embedded) -> list[Quote]:
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
        start, end = _trim(doc, *bounds)
        if end - start < 3 or not any(t.pos_ in ("VERB", "AUX") for t in doc[start:end]):
            continue
        speaker = _speaker_span(art, tok)
        if speaker is None:
            continue
        if speaker.start >= start and speaker.end <= end and tok.dep_ != "parataxis":
            continue  # the parse folded the speaker into the content
        cstart, cend = _cover_marks(art, doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))
        if _overlaps(spans, cstart, cend):
            continue
        kind = "mixed" if any(cstart <= q.start and q.end <= cend for q in art.quoted) else "indirect"
        found = wanted.get(tok.i) or _Attribution(tok, speaker)
        quote = _make_quote(art, cstart, cend, kind, found)
        out.append(quote)
        bisect.insort(spans, (cstart, cend))
    return out


def _cover_marks(art: _Article, start: int, end: int) -> tuple[int, int]:
    """Widen a content span so that it never cuts a quoted stretch in two, and takes in a
    quote that the parse left hanging right after it ('focusing on "he said this"')."""
    for q in art.quoted:
        if q.start < start < q.end:
            start = q.start
        if q.start < end < q.end or (q.start >= end and not art.text[end:q.start].strip()
                                     and art.text[end - 1:end].isalnum()):
            end = q.end
    return start, end


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect.bisect_left(spans, (start, start))
    return any(s < end and start < e for s, e in spans[max(0, i - 1):i + 2])


def _leftover_fragments(art: _Article, quotes: list[Quote], embedded) -> list[Quote]:
    """Fragments reported by a cue whose clause the parse did not give: the rest of the
    sentence after the cue, as a `mixed` quote."""
    doc = art.doc
    spans = sorted((q.start, q.end) for q in quotes)
    out = []
    for q, found in embedded:
        if _overlaps(spans, q.start, q.end) or found.cue is None or found.cue.idx > q.start:
            continue
        last = art.token_at(q.end - 1)
        end = last + 1
        while end < len(doc) and not _ends_sentence(doc[end]) and art.paragraph(doc[end].idx) == art.paragraph(q.start) \
                and art.outside_quotes(doc[end]) and not is_cue(doc[end]):
            end += 1
        start, end = _trim(doc, found.cue.i + 1, end)
        if end <= start:
            continue
        cstart, cend = _cover_marks(art, doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))
        if _overlaps(spans, cstart, cend):
            continue
        out.append(_make_quote(art, cstart, cend, "mixed", found))
        bisect.insort(spans, (cstart, cend))
    return out


# --- words quoted in a characterisation ------------------------------------------------------
# Verbs by which someone characterises, praises or attacks in their own quoted words:
# 'Cruz called Trump a "pathological liar"', 'Christie described Clinton as a "disgrace"'.
CHARACTERISING_VERBS = frozenset("""
call describe characterize characterise label dub brand liken compare term deem praise laud hail
blast slam attack criticize criticise condemn denounce decry dismiss mock ridicule accuse admire
tout pledge demand stress urge use cite quote refer promise vow insist reject defend reference
rate blame bemoan exhort encourage greet specify question welcome celebrate applaud thank
""".split())


def _governing_verb(art: _Article, q: Quoted):
    tok = art.doc[art.token_at(q.inner_start)]
    for _ in range(8):
        if tok.head is tok:
            return None
        tok = tok.head
        if tok.pos_ == "VERB" and art.outside_quotes(tok):
            return tok
    return None


def _is_scare_quote(art: _Article, q: Quoted) -> bool:
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


def _characterisations(art: _Article, taken: list[Quote], fragments: list[Quoted]) -> list[Quote]:
    """Quoted words inside what a named subject calls, describes or attacks: `mixed` quotes."""
    doc, out = art.doc, []
    spans = sorted((q.start, q.end) for q in taken)
    for q in fragments:
        if _overlaps(spans, q.start, q.end) or _after_title_cue(art, q) or _is_scare_quote(art, q):
            continue
        verb = _governing_verb(art, q)
        if verb is None or not verb_forms(verb) & CHARACTERISING_VERBS or is_hedged(verb):
            continue
        speaker = _speaker_span(art, verb)
        if speaker is None or speaker.end > verb.i:
            continue
        first = verb.i + 1
        while first < len(doc) and doc[first].dep_ in ("prt", "advmod") and doc[first].head.i == verb.i:
            first += 1
        quote_tok = art.token_at(q.start)
        holder = next((c for c in verb.children if c.left_edge.i <= quote_tok <= c.right_edge.i), None)
        if holder is None or holder.i < verb.i:
            continue
        start, end = _trim(doc, first, holder.right_edge.i + 1)
        if end <= start:
            continue
        cstart, cend = _cover_marks(art, doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text))
        if _overlaps(spans, cstart, cend):
            continue
        out.append(_make_quote(art, cstart, cend, "mixed", _Attribution(verb, speaker)))
        bisect.insort(spans, (cstart, cend))
    return out


def extract_quotes(doc, noise: list[tuple[int, int]] = ()) -> list[Quote]:
    """Quotes of a parsed article, in text order; ``noise`` ranges (ads, captions) are skipped."""
    art = _Article(doc, noise)
    direct, embedded, unattributed = _direct_quotes(art)
    reported = _reported_speech(art, direct, embedded)
    leftovers = _leftover_fragments(art, direct + reported, embedded)
    characterised = _characterisations(art, direct + reported + leftovers, unattributed)
    quotes = direct + reported + leftovers + characterised
    quotes.sort(key=lambda q: (q.start, q.end))
    return quotes
