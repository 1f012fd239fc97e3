"""Direct quotes: a quoted stretch and the cue, dash, colon or previous quote that attributes it."""
from __future__ import annotations

import re

from ..core.model import Mention, Quote
from .quote_context import (MAX_CUE_DISTANCE, MAX_LEAD_IN, MIN_QUOTE_WORDS, SENTENCE_END, Attribution,
                            QuoteContext, after_title_cue, clause_before, governing_verb, make_quote,
                            speaker_span, tokens_after, tokens_before)
from .quote_cues import CHARACTERISING_VERBS, THOUGHT_VERBS, is_cue, is_hedged, verb_forms
from .quote_marks import SPEAKER_LABEL, Quoted
from .speakers import strip_titles

UNCUED_MIN_WORDS = 8  # a quoted stretch this long that is a whole sentence is speech


def _cue_after(art: QuoteContext, q: Quoted) -> Attribution | None:
    """'"...," Trump said', '"...," said Trump, the candidate': a cue in the words after the quote."""
    inner = q.inner(art.text).rstrip(" \u00a0'\u2019\"\u201d")
    after = tokens_after(art, q)
    if not after:
        return None
    ends_open = inner[-1:] in ",?!-\u2014\u2013\u2026." or after[0].text in (",", "\u2014", "--", "\u2013")
    if not ends_open:
        return None
    if inner[-1:] == "." and _introduces_next_quote(art, after):
        return None  # '"... kidding." To which she said, "Thank God ..."': the cue is the next quote's
    for tok in after[:MAX_CUE_DISTANCE]:
        if is_cue(tok, with_quote=True) and tok.lower_ != "according" and not is_hedged(tok):
            speaker = speaker_span(art, tok, after)
            if speaker is not None:
                lead = clause_before(art, q)
                if lead and any(is_cue(t) for t in lead):
                    return None  # a fragment of a clause reported by an earlier cue
                return Attribution(tok, speaker, content_start=lead[0].idx if lead else None)
    return None


def _introduces_next_quote(art: QuoteContext, after: list) -> bool:
    """The words after a closing mark end in ',' or ':' right before another opening mark."""
    last = after[-1]
    if last.text not in (",", ":") or last.i + 1 >= len(art.doc):
        return False
    return not art.outside_quotes(art.doc[last.i + 1])


_DASH_AUTHOR = re.compile(r"[ \t\u00a0]*(?:\u2015|\u2014|\u2013|--?)[ \t\u00a0]*"
                          r"([A-Z][\w.'\u2019-]*(?:[ \u00a0][A-Z][\w.'\u2019-]*){0,3})")


def _dash_author(art: QuoteContext, q: Quoted) -> Attribution | None:
    """'"..." \u2015 Esther Tapia': an author named after a dash. Read off the text: the
    tokenizer may glue the dash and the name to the closing mark."""
    match = _DASH_AUTHOR.match(art.text, q.end)
    if match is None:
        return None
    start, end = match.span(1)
    written = art.text[start:end].rstrip(".,")
    name = art.names.fullest(" ".join(strip_titles(written.split())), start)
    return Attribution(None, None, name, speaker_mention=Mention(start, start + len(written)))


def _is_embedded(art: QuoteContext, q: Quoted, before: list, cue) -> bool:
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


def _cue_before(art: QuoteContext, q: Quoted) -> Attribution | None:
    """'X said: "..."', 'rejected it, saying "..."', 'declared they are acting "in unity"'
    (a fragment: ``embedded``), or a colon lead-in without a verb of saying."""
    before = tokens_before(art, q)
    governing = governing_verb(art, q)
    if governing is not None and not is_cue(governing) and not (before and before[-1].text == ":") \
            and verb_forms(governing) & CHARACTERISING_VERBS:
        return None  # 'call them "lone wolves"': the characterisation pass takes it
    for tok in reversed(before):
        if is_cue(tok, with_quote=True):
            if is_hedged(tok):
                return None  # 'if he says "..."': hypothetical speech
            speaker = speaker_span(art, tok, before)
            if speaker is None:
                continue
            return Attribution(tok, speaker, embedded=_is_embedded(art, q, before, tok))
    if before and before[-1].text == ":":
        return _colon_lead_in(art, q, before[-1])
    return None


def _colon_lead_in(art: QuoteContext, q: Quoted, colon) -> Attribution | None:
    """'X had this message: "..."' -- the lead-in's subject speaks. A lead-in whose subject
    is no speaker ("The bias shows in this statement:") still introduces words said: they
    go to the person in the foreground, as an uncued statement does."""
    root = _clause_verb(colon.head)
    if root.i >= colon.i or not _may_lead_in(root):
        return None
    speaker = speaker_span(art, root)
    if speaker is not None and _can_speak(speaker):
        return Attribution(None, speaker)
    if len(q.inner(art.text).split()) >= MIN_QUOTE_WORDS:
        return Attribution(None, None, art.names.person_before(q.start))
    return None


def _clause_verb(tok):
    """The verb of the clause ``tok`` is in (the root when there is none)."""
    while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _may_lead_in(verb) -> bool:
    """A colon lead-in's verb introduces speech unless it is a thought or hedged."""
    return not verb_forms(verb) & THOUGHT_VERBS and not is_hedged(verb)


def _can_speak(mention) -> bool:
    """Without a verb of saying, only a name or a personal pronoun makes a speaker
    ("Sanders made this comment:", not "The bias begins to show:")."""
    head = mention.root
    return head.pos_ == "PROPN" or head.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") \
        or head.lower_ in ("he", "she", "they", "we", "i")


def _cue_between_quotes(art: QuoteContext, q: Quoted) -> Attribution | None:
    """'... "A," she said. "B."' or 'The plan may fail, Schiff said. "B."': a quote right after
    a sentence attributed to someone, in the same paragraph, is theirs too."""
    para = art.paragraph(q.start)
    first = art.token_at(q.start)
    gap = []  # the tokens before the quote, nearest first
    for i in range(first - 1, max(-1, first - 1 - MAX_LEAD_IN), -1):
        tok = art.doc[i]
        if art.paragraph(tok.idx) != para or not art.outside_quotes(tok):
            break
        gap.append(tok)
    ends = [n for n, t in enumerate(gap[:2]) if t.text in SENTENCE_END]
    if not ends:
        return None
    for tok in gap[ends[0] + 1:]:
        if tok.text in SENTENCE_END:
            break  # only the sentence right before the quote
        if is_cue(tok, with_quote=True):
            speaker = speaker_span(art, tok, gap)
            return Attribution(tok, speaker) if speaker is not None else None
    return None


def _lead_in_paragraph(art: QuoteContext, q: Quoted) -> Attribution | None:
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
            speaker = speaker_span(art, tok)
            if speaker is not None:
                return Attribution(tok, speaker)
    return _colon_lead_in(art, q, art.doc[i])  # "Sanders made the following comment:"


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


def _is_title(art: QuoteContext, q: Quoted) -> bool:
    """A quoted title or name: after 'the film', 'called' ..., or Title Case inside a clause
    ('on CNN's "State of the Union."'); whole-sentence quotes are never titles."""
    inner = q.inner(art.text)
    if not _looks_like_title(inner):
        return False
    return after_title_cue(art, q) or len(inner.split()) < MIN_QUOTE_WORDS or bool(clause_before(art, q))


def _is_continuation(art: QuoteContext, q: Quoted, previous: tuple | None) -> bool:
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


def _transcript_turn(art: QuoteContext, q: Quoted) -> Attribution | None:
    """'"PENCE: Well, look, ...': a transcript turn; the label names the speaker, the words
    after it are the quote."""
    match = SPEAKER_LABEL.match(art.text, q.inner_start)
    if match is None or len(match.group(1)) < 2:
        return None
    label = art.doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
    if label is None:
        return None
    return Attribution(None, label, content_start=match.end(), kind="direct")


def _attribute(art: QuoteContext, q: Quoted, previous) -> Attribution | None:
    """How quoted stretch ``q`` is attributed, or None for a term, title or scare quote."""
    for finder in (_transcript_turn, _cue_after, _cue_before, _dash_author, _lead_in_paragraph,
                   _cue_between_quotes):
        found = finder(art, q)
        if found is not None:
            return found
    if _is_continuation(art, q, previous) and len(q.inner(art.text).split()) >= MIN_QUOTE_WORDS:
        prev_quote = previous[0]
        return Attribution(None, None, prev_quote.speaker_name, speaker_mention=prev_quote.speaker)
    if _is_statement(art, q):
        # Whole quoted sentences with no cue: the person in the foreground, as for a pronoun.
        return Attribution(None, None, art.names.person_before(q.start))
    return None


def _is_statement(art: QuoteContext, q: Quoted) -> bool:
    """Whole quoted sentences standing alone ("... 'We will win. They know it.'") are speech
    even when the article names nobody; a term or a title never is."""
    inner = q.inner(art.text).strip(" \u00a0")
    words = inner.split()
    return len(words) >= UNCUED_MIN_WORDS and inner[:1].isupper() and inner[-1:] in ".?!,\u2026" \
        and not tokens_before(art, q)


def _own_cue_after(art: QuoteContext, q: Quoted) -> bool:
    """'"B," she added': the quote has a cue of its own after it."""
    return any(is_cue(t, with_quote=True) for t in tokens_after(art, q)[:MAX_CUE_DISTANCE])


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


def _merge_following(art: QuoteContext, quoted: list[Quoted], i: int, cue) -> int:
    """Index of the last quoted stretch that continues quote ``i`` ("A," he said, "B.")."""
    para = art.paragraph(quoted[i].start)
    j = i
    while j + 1 < len(quoted):
        k = j + 1
        # A title in the cue clause ('said on Fox News's "Fox and Friends." "I mean ..."').
        while k + 1 < len(quoted) and art.paragraph(quoted[k + 1].start) == para and _is_title(art, quoted[k]):
            k += 1
        nxt = quoted[k]
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
        j = k
    return j


def direct_quotes(art: QuoteContext) -> tuple[list[Quote], list, list[Quoted]]:
    """Direct quotes; fragments that a cue reports (for the reported-speech pass); quoted
    stretches with no cue at all."""
    quotes: list[Quote] = []
    unattributed: list[Quoted] = []
    embedded: list[tuple[Quoted, Attribution]] = []
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
        kind = found.kind or ("direct" if start == q.start else "mixed")
        quote = make_quote(art, start, end, kind, found)
        quotes.append(quote)
        previous = (quote, art.paragraph(end - 1))
    return quotes, embedded, unattributed
