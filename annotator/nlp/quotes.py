"""Quote extraction: quotation marks + a verb of saying + its subject.

A first, honest extractor: a quoted stretch of text is a direct quote when its sentence (or
the one around it) has a speech verb outside the quotation marks; the speaker is that verb's
subject, pronouns resolved to the last person named before.
"""
from __future__ import annotations

import re

from ..core.model import Mention, Quote

SPEECH_VERBS = frozenset("""
say tell add ask announce answer argue assert claim comment confirm declare deny explain insist
note reply report respond state warn write suggest acknowledge admit allege caution concede
contend emphasize emphasise maintain mention predict promise recall remark reiterate stress
tweet vow testify urge
""".split())
PRONOUNS = frozenset("he she they it we i you".split())
_QUOTED = re.compile(r'"([^"\n]{2,})"|\u201c([^\u201d\n]{2,})\u201d')


def extract_quotes(doc, noise: list[tuple[int, int]] = ()) -> list[Quote]:
    quotes = []
    for match in _QUOTED.finditer(doc.text):
        group = 1 if match.group(1) is not None else 2
        start, end = match.start(group), match.end(group)
        if any(s <= start < e for s, e in noise) or len(match.group(group).split()) < 3:
            continue  # noise, or a scare-quoted term rather than speech
        cue = _speech_verb_near(doc, start, end)
        if cue is None:
            continue
        speaker = _subject(cue)
        quote = Quote(start, end, "direct", cue=Mention(cue.idx, cue.idx + len(cue.text)))
        if speaker is not None:
            quote.speaker = Mention(speaker.start_char, speaker.end_char)
            quote.speaker_name = _resolve_name(doc, speaker)
        quotes.append(quote)
    return quotes


def _speech_verb_near(doc, start: int, end: int):
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    sents = {span.sent}
    if span.end < len(doc):
        sents.add(doc[span.end].sent)
    if span.start > 0:
        sents.add(doc[span.start - 1].sent)
    for sent in sorted(sents, key=lambda s: abs(s.start_char - start)):
        for tok in sent:
            if tok.lemma_.lower() in SPEECH_VERBS and tok.pos_ == "VERB" and not (start <= tok.idx < end):
                return tok
    return None


def _subject(verb):
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child.doc[child.left_edge.i:child.i + 1]
    return None


def _resolve_name(doc, mention) -> str | None:
    if mention.text.lower() not in PRONOUNS:
        return mention.text
    people = [e for e in doc.ents if e.label_ == "PERSON" and e.end_char <= mention.start_char]
    return people[-1].text if people else None
