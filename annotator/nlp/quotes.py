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

Modules: quote_marks (pairing the marks), quote_cues (verbs of saying, subjects),
quote_context (what the passes share), quote_direct, quote_reported, speakers (canonical
names), quote_help (the guidelines' texts for the window). One pass over the quotation marks
and a few over the tokens: linear in the article length.
"""
from __future__ import annotations

from ..core.model import Quote
from .quote_context import QuoteContext
from .quote_direct import direct_quotes
from .quote_reported import characterisations, leftover_fragments, reported_speech


def extract_quotes(doc, noise: list[tuple[int, int]] = ()) -> list[Quote]:
    """Quotes of a parsed article, in text order; ``noise`` ranges (ads, captions) are skipped."""
    art = QuoteContext(doc, noise)
    direct, embedded, unattributed = direct_quotes(art)
    reported = reported_speech(art, direct, embedded)
    leftovers = leftover_fragments(art, direct + reported, embedded)
    characterised = characterisations(art, direct + reported + leftovers, unattributed)
    quotes = direct + reported + leftovers + characterised
    quotes.sort(key=lambda q: (q.start, q.end))
    return quotes
