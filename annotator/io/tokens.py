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
from ..nlp.pipeline import import_spacy
from ..store.store import TOKEN_TYPECODE
from .chunks import ChunkTokenizer

# Chunks (pieces between whitespace) the blank tokenizer keeps in its cache. spaCy's default,
# 10,000, is fewer than the distinct chunks of 100 news articles; it never evicts, so this
# bounds the memory: about 0.35 KB a chunk with our set of seen chunks, 18 MB at most (the
# set also holds pieces with line breaks in them, up to as many again).
MAX_CACHED_CHUNKS = 50_000

_ALNUM_RUN = re.compile(r"[^\W_](?:.*[^\W_])?", re.S)  # first to last letter or digit
_POSSESSIVES = ("'s", "'S", "\u2019s", "\u2019S")  # suffixes spaCy strips that end in a letter
_WHITESPACE_RUN = re.compile(r"\s+")


@lru_cache(maxsize=1)
def blank_nlp():
    return import_spacy().blank("en")


def article_token_columns(article: Article, packed: bytes | None = None) -> TokenColumns:
    """The article's tokens: those saved by ``annotate`` if any (``packed``: as the store keeps
    them, read apart from the article), else a fresh tokenisation by spaCy's blank English."""
    if packed:
        return TokenColumns.from_packed(packed)
    if article.tokens:
        return TokenColumns.from_pairs(article.tokens)
    return _blank_tokenizer().columns(article.text)


def prepare_blank_tokens(articles: list[Article], stored_tokens: dict[int, bytes]) -> None:
    """Get ready to tokenise those of articles that have no tokens of their own, all at once."""
    texts = [a.text for a in articles if not a.tokens and not stored_tokens.get(a.id)]
    if texts:
        _blank_tokenizer().prepare(texts)


@lru_cache(maxsize=1)
def _blank_tokenizer() -> BlankTokenizer:
    return BlankTokenizer(blank_nlp().tokenizer)


class BlankTokenizer:
    """spaCy's blank-English tokens of texts: put together from the tokens of their chunks
    where that gives spaCy's tokens (``chunks``), else from spaCy's Doc."""

    def __init__(self, tokenizer):
        self.fast = FastTokenizer(tokenizer)
        self.chunks = ChunkTokenizer(tokenizer)

    def prepare(self, texts: list[str]) -> None:
        """Learn the new words of texts about to be tokenised, in one go."""
        self.chunks.learn_words(texts)

    def columns(self, text: str) -> TokenColumns:
        found = self.chunks.columns(text)
        if found is not None:
            starts, ends, orth = found
            return TokenColumns(starts, ends, orth=orth)
        return TokenColumns.from_doc(self.fast.doc(text), text)


class FastTokenizer:
    """A spaCy tokenizer that is fast on every text, not only on those without special cases.

    spaCy caches the tokens of each chunk (a piece between whitespace), but once a chunk of a
    text is a special case ("he's", "Feb.") it saves no more chunks for the rest of that text:
    after an article's first contraction every chunk goes through the slow affix rules, on
    every article. So the chunks of a text not seen before are first tokenised together in a
    text of their own that holds no special case, which caches them; the call on the real text
    then reads them from the cache. Runs of whitespace other than one space (paragraph
    breaks) are chunks too, primed the same way. Tokens do not change: the cache holds what
    spaCy computed for each chunk, and special cases are still looked up and applied on the
    real text.
    """

    def __init__(self, tokenizer, max_chunks: int = MAX_CACHED_CHUNKS):
        self.tokenizer = tokenizer
        tokenizer.max_cache_size = max_chunks  # a public attribute of spaCy's Tokenizer
        self._max_chunks = max_chunks
        self._specials = frozenset(tokenizer.rules)
        # Pieces between spaces and the chunks in them, primed or judged not worth it; how many chunks.
        self._seen: set[str] | None = set()
        self._chunks = 0

    @property
    def priming(self) -> bool:
        """False once the cache is full: new chunks are then tokenised as by spaCy alone."""
        return self._seen is not None

    def doc(self, text: str):
        """The spaCy Doc of ``text``, tokens only."""
        if self.priming:
            self._prime(text)
        return self.tokenizer(text)

    def _prime(self, text: str) -> None:
        # The pieces between single spaces, looked up by a set difference in C: an article has
        # about 750 and most were seen before. A piece without whitespace is one chunk; the
        # others hold line breaks, whose runs ("\n\n") spaCy also tokenises and caches.
        new = set(text.split(" ")).difference(self._seen)
        new.discard("")
        if not new:
            return
        chunks, runs = _chunks_and_runs(new)
        fresh = chunks.union(runs).difference(self._seen)  # what this text adds to spaCy's cache
        if self._chunks + len(fresh) > self._max_chunks or len(self._seen) > 2 * self._max_chunks:
            # spaCy's cache is full and saves no more, so priming would only cost time (or the
            # pieces with line breaks, mostly one-offs, fill the set). The set goes with it.
            self._seen = None
            return
        self._chunks += len(fresh)
        self._seen |= new
        self._seen |= fresh
        cacheable = [chunk for chunk in chunks & fresh if not self._may_hit_special(chunk)]
        # Whitespace runs are primed between letters, "x\n\nx"; a run that starts with a space
        # cannot be (the space would go to the letter before), nor one that is a special case.
        primable_runs = [run for run in runs & fresh if not run.startswith(" ") and run not in self._specials]
        if primable_runs:
            cacheable.append("x" + "x".join(primable_runs) + "x")
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


def _chunks_and_runs(pieces: set[str]) -> tuple[set[str], set[str]]:
    """The chunks (words) and whitespace runs spaCy meets in pieces of text between spaces."""
    chunks, runs = set(), set()
    for piece in pieces:
        if piece.isprintable():  # no whitespace in it (other pieces are split, which is right for any)
            chunks.add(piece)
        else:
            chunks.update(piece.split())
            runs.update(_WHITESPACE_RUN.findall(piece))
    return chunks, runs


def words_and_spaces(text: str, tokens: TokenColumns) -> tuple[list[str], list[bool], list[int]]:
    """Words and trailing-space flags that rebuild ``text`` exactly, for ``spacy.tokens.Doc``.

    Gaps between tokens that are not a single space (tokens from another tool) become
    whitespace words. Returns also, per input token, its index among the words.
    """
    if tokens.covers(text):  # the common case, spaCy's own tokens: a word per token
        return tokens.words(text), tokens.spaced(text).tolist(), range(len(tokens))
    words: list[str] = []
    spaces: list[bool] = []
    index: list[int] = []
    pos = 0
    for start, end in [*tokens.pairs, (len(text), None)]:
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


class TokenColumns:
    """An article's tokens as two arrays of offsets, start and end (code points, end exclusive).

    The form the exports work in, made straight from the stored bytes or from spaCy's arrays:
    a tuple per token, a thousand per article, cost more than what the exports do with them.
    Also maps character spans to token indices.
    """

    def __init__(self, starts: numpy.ndarray, ends: numpy.ndarray, spaced: numpy.ndarray | None = None,
                 doc=None, orth: numpy.ndarray | None = None):
        self.start_array, self.end_array = starts, ends
        self._spaced = spaced  # whether a space follows each token, where the source tells
        self._doc = doc  # the spaCy Doc they come from, if they do
        if orth is not None:
            self.orth = orth  # spaCy's tokens put together without a Doc (chunks.py)

    @classmethod
    def from_pairs(cls, tokens: list[tuple[int, int]]) -> TokenColumns:
        flat = numpy.fromiter(chain.from_iterable(tokens), dtype=numpy.int64, count=2 * len(tokens))
        return cls(flat[0::2], flat[1::2])

    @classmethod
    def from_packed(cls, blob: bytes) -> TokenColumns:
        """From the bytes the store keeps (``store.pack_tokens``)."""
        flat = numpy.frombuffer(blob, dtype=numpy.dtype(TOKEN_TYPECODE)).astype(numpy.int64)
        return cls(flat[0::2], flat[1::2])

    @classmethod
    def from_doc(cls, doc, text: str) -> TokenColumns:
        """The tokens of ``doc``, spaCy's tokenisation of ``text``."""
        from spacy.attrs import IDX, SPACY

        columns = doc.to_array([IDX, SPACY]).astype(numpy.int64)
        starts, spaced = columns[:, 0], columns[:, 1]
        # A spaCy token ends where the next one starts, less the space it is followed by, if any.
        ends = numpy.append(starts[1:], len(text)) - spaced
        return cls(starts, ends, spaced.astype(bool), doc)

    @cached_property
    def orth(self) -> numpy.ndarray | None:
        """spaCy's hashes of the token texts (ORTH), for spaCy's tokens (None for others)."""
        from spacy.attrs import ORTH

        return None if self._doc is None else self._doc.to_array(ORTH)

    def __len__(self) -> int:
        return len(self.start_array)

    @cached_property
    def starts(self) -> list[int]:
        return self.start_array.tolist()

    @cached_property
    def ends(self) -> list[int]:
        return self.end_array.tolist()

    @cached_property
    def pairs(self) -> list[tuple[int, int]]:
        return list(zip(self.starts, self.ends))

    def words(self, text: str) -> list[str]:
        return [text[s:e] for s, e in zip(self.starts, self.ends)]

    def spaced(self, text: str) -> numpy.ndarray:
        """Per token, whether a space follows that no token holds (spaCy's ``whitespace_``)."""
        if self._spaced is None:
            spaced = self._gaps(text) >= 1
            if spaced.any():
                codes = numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)
                spaced[spaced] = codes[self.end_array[spaced]] == 32
            self._spaced = spaced
        return self._spaced

    def covers(self, text: str) -> bool:
        """Whether the tokens hold all of text but single spaces after some (as spaCy's do)."""
        if not len(self) or self.start_array[0] != 0:
            return False
        gaps = self._gaps(text)
        return not (gaps > 1).any() and bool((self.spaced(text) == (gaps == 1)).all())

    def _gaps(self, text: str) -> numpy.ndarray:
        """Characters between each token and the next one, or the end of text (<= 0: none)."""
        return numpy.append(self.start_array[1:], len(text)) - self.end_array

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
