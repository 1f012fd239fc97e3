"""Tokens for training data: the article's stored pipeline tokens, else spaCy's blank English.

Also maps character spans to token indices, reporting spans that do not fall on token
boundaries (they are widened to the tokens they touch, never dropped).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cached_property, lru_cache
from itertools import chain

import numpy

from ..core.model import Article

# Chunks (pieces between whitespace) the blank tokenizer keeps in its cache. spaCy's default,
# 10,000, is fewer than the distinct chunks of 100 news articles; it never evicts, so this
# bounds the memory: about 0.35 KB a chunk with our set of seen chunks, 18 MB at most.
MAX_CACHED_CHUNKS = 50_000

_ALNUM_RUN = re.compile(r"[^\W_](?:.*[^\W_])?", re.S)  # first to last letter or digit
_POSSESSIVES = ("'s", "'S", "\u2019s", "\u2019S")  # suffixes spaCy strips that end in a letter


@lru_cache(maxsize=1)
def blank_nlp():
    import spacy

    return spacy.blank("en")


def article_tokens(article: Article) -> list[tuple[int, int]]:
    """(start, end) of each token: those saved by ``annotate`` if any, else a fresh tokenisation."""
    if article.tokens:
        return article.tokens
    return blank_tokens(article.text)


def blank_tokens(text: str) -> list[tuple[int, int]]:
    """(start, end) of each token of spaCy's blank English: the same as its tokenizer, faster."""
    return _blank_tokenizer()(text)


@lru_cache(maxsize=1)
def _blank_tokenizer() -> FastTokenizer:
    return FastTokenizer(blank_nlp().tokenizer)


def token_offsets(doc) -> list[tuple[int, int]]:
    """(start, end) code-point offsets of a Doc's tokens; arrays beat a loop over the tokens 4 to 1."""
    from spacy.attrs import IDX, LENGTH

    columns = doc.to_array([IDX, LENGTH])
    starts = columns[:, 0]
    return list(zip(starts.tolist(), (starts + columns[:, 1]).tolist()))


class FastTokenizer:
    """A spaCy tokenizer that is fast on every text, not only on those without special cases.

    spaCy caches the tokens of each chunk (a piece between whitespace), but once a chunk of a
    text is a special case ("he's", "Feb.") it saves no more chunks for the rest of that text:
    after an article's first contraction every chunk goes through the slow affix rules, on
    every article. So the chunks of a text not seen before are first tokenised together in a
    text of their own that holds no special case, which caches them; the call on the real text
    then reads them from the cache. Tokens do not change: the cache holds what spaCy computed
    for each chunk, and special cases are still looked up and applied on the real text.
    """

    def __init__(self, tokenizer, max_chunks: int = MAX_CACHED_CHUNKS):
        self.tokenizer = tokenizer
        tokenizer.max_cache_size = max_chunks  # a public attribute of spaCy's Tokenizer
        self._max_chunks = max_chunks
        self._specials = frozenset(tokenizer.rules)
        self._seen: set[str] | None = set()  # chunks already primed or judged not worth it

    @property
    def priming(self) -> bool:
        """False once the cache is full: new chunks are then tokenised as by spaCy alone."""
        return self._seen is not None

    def __call__(self, text: str) -> list[tuple[int, int]]:
        if self.priming:
            self._prime(text)
        return token_offsets(self.tokenizer(text))

    def _prime(self, text: str) -> None:
        new = set(text.split()).difference(self._seen)  # str.split cuts where spaCy does
        if not new:
            return
        if len(self._seen) + len(new) > self._max_chunks:
            # The chunks in spaCy's cache were seen here (but a few whitespace runs): it is full
            # and saves no more, so priming would only cost time. The set goes with it.
            self._seen = None
            return
        self._seen |= new
        cacheable = [chunk for chunk in new if not self._may_hit_special(chunk)]
        if cacheable:
            self.tokenizer(" ".join(cacheable))

    def _may_hit_special(self, chunk: str) -> bool:
        """Whether spaCy may meet a special case in chunk, which would stop the caching.

        A guess that errs towards yes: it only decides what is primed, never the tokens. spaCy
        looks up special cases for the chunk and for what is left once it strips prefixes and
        suffixes off its ends: punctuation, a possessive.
        """
        if chunk.isalnum():  # nothing to strip (units after a number leave a number: no special)
            return chunk in self._specials
        letters = _ALNUM_RUN.search(chunk)
        if letters is None:  # punctuation only: emoticons, dashes, quotes
            return True
        first, end = letters.span()
        if chunk.endswith(_POSSESSIVES, 0, end):
            end -= 2
        return any(chunk[i:j] in self._specials for i in range(first + 1) for j in range(end, len(chunk) + 1))


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
