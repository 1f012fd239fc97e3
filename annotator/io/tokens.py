"""Tokens for training data: the article's stored pipeline tokens, else spaCy's blank English.

Also maps character spans to token indices, reporting spans that do not fall on token
boundaries (they are widened to the tokens they touch, never dropped).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import cached_property, lru_cache
from itertools import chain

import numpy

from ..core.model import Article


@lru_cache(maxsize=1)
def blank_nlp():
    import spacy

    return spacy.blank("en")


def article_tokens(article: Article) -> list[tuple[int, int]]:
    """(start, end) of each token: those saved by ``annotate`` if any, else a fresh tokenisation."""
    if article.tokens:
        return article.tokens
    return [(t.idx, t.idx + len(t.text)) for t in blank_nlp().tokenizer(article.text)]


def words_and_spaces(text: str, tokens: list[tuple[int, int]]) -> tuple[list[str], list[bool], list[int]]:
    """Words and trailing-space flags that rebuild ``text`` exactly, for ``spacy.tokens.Doc``.

    Gaps between tokens that are not a single space (tokens from another tool) become
    whitespace words. Returns also, per input token, its index among the words.
    """
    fast = _words_and_spaces_fast(text, tokens)
    if fast is not None:
        return fast
    words: list[str] = []
    spaces: list[bool] = []
    index: list[int] = []
    pos = 0
    for start, end in [*tokens, (len(text), None)]:
        gap = text[pos:start]
        if gap.startswith(" ") and words and not spaces[-1]:
            spaces[-1], gap = True, gap[1:]
        if gap:
            words.append(gap)
            spaces.append(False)
        if end is None:
            break
        index.append(len(words))
        words.append(text[start:end])
        spaces.append(False)
        pos = end
    return words, spaces, index


def _words_and_spaces_fast(text: str, tokens: list[tuple[int, int]]):
    """The common case, spaCy's own tokens: they cover the text but for single spaces."""
    if not tokens or tokens[0][0] != 0:
        return None
    flat = numpy.fromiter(chain.from_iterable(tokens), dtype=numpy.int64, count=2 * len(tokens))
    ends = flat[1::2]
    following = numpy.append(flat[2::2], len(text))
    gaps = following - ends  # characters between a token and the next (<= 0: none)
    spaced = gaps == 1
    if (gaps > 1).any():
        return None
    if spaced.any():
        codes = numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)
        if not (codes[ends[spaced]] == 32).all():  # a one-character gap that is not a space
            return None
    return [text[s:e] for s, e in tokens], spaced.tolist(), range(len(tokens))


class TokenIndex:
    """Character offsets to token indices for one article."""

    def __init__(self, tokens: list[tuple[int, int]]):
        flat = numpy.fromiter(chain.from_iterable(tokens), dtype=numpy.int64, count=2 * len(tokens))
        self.start_array, self.end_array = flat[0::2], flat[1::2]

    @cached_property
    def starts(self) -> list[int]:
        return self.start_array.tolist()

    @cached_property
    def ends(self) -> list[int]:
        return self.end_array.tolist()

    def span(self, start: int, end: int) -> tuple[int, int, bool]:
        """(token_start, token_end inclusive, aligned) of the tokens touching start..end."""
        first = bisect_right(self.ends, start)  # first token ending after start
        last = bisect_left(self.starts, end) - 1  # last token starting before end
        if first >= len(self.starts) or last < first:  # span inside a gap between tokens
            first = last = min(max(first, 0), len(self.starts) - 1)
            return first, last, False
        aligned = self.starts[first] == start and self.ends[last] == end
        return first, last, aligned

    def spans(self, starts: list[int], ends: list[int]) -> tuple[list[int], list[int], list[bool]]:
        """``span`` for many spans at once (an article holds hundreds): the same answers, in lists."""
        count = len(self.start_array)
        if count == 0 or not starts:
            found = [self.span(s, e) for s, e in zip(starts, ends)]
            return [f[0] for f in found], [f[1] for f in found], [f[2] for f in found]
        start, end = numpy.array(starts, dtype=numpy.int64), numpy.array(ends, dtype=numpy.int64)
        first = numpy.searchsorted(self.end_array, start, side="right")
        last = numpy.searchsorted(self.start_array, end, side="left") - 1
        gap = (first >= count) | (last < first)
        if gap.any():
            clipped = numpy.minimum(first, count - 1)
            first, last = numpy.where(gap, clipped, first), numpy.where(gap, clipped, last)
        aligned = ~gap & (self.start_array[first] == start) & (self.end_array[last] == end)
        return first.tolist(), last.tolist(), aligned.tolist()
