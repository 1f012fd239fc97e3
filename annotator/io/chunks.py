"""spaCy's tokens of a text, put together from the tokens of its chunks, without a Doc.

spaCy's tokenizer cuts a text at whitespace into chunks and tokenises each chunk on its own
(affixes, special cases). It then makes one pass over the whole Doc for special cases that
the affix rules cut apart (":)" read as ":" and ")") and puts them together again. So a chunk
has the same tokens wherever it stands, but for one thing: in that pass a longer match wins
over a shorter one it overlaps, and a match may reach across a space into the next chunk.
Such a match changes no tokens itself (no special case holds a space), but it can stop a
special case inside a chunk from being re-cut: "x:)" is "x" ":)", yet "x:) )" is "x" ":" ")"
")", because ":))" matched across the space.

``ChunkTokenizer`` keeps the tokens of every chunk it has seen (offsets within the chunk and
spaCy's ORTH hash) and builds a text's token columns from them with a few array operations,
in about a third of the time spaCy takes to build the Doc. New chunks are tokenised together
by a copy of the tokenizer without the final pass. A text where a chunk that the pass re-cuts
stands next to one that a match could reach across the space from is left to spaCy whole.
"""
from __future__ import annotations

from itertools import repeat

import numpy

# Every character str.isspace() accepts: spaCy cuts chunks at them (a test checks the list).
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
              + "\u2028\u2029\u202f\u205f\u3000")
_NOT_SPACE = 0x3001  # code points above the last whitespace character are looked up as this one
_IS_SPACE = numpy.zeros(_NOT_SPACE + 1, dtype=bool)
_IS_SPACE[[ord(c) for c in WHITESPACE]] = True

# The table starts afresh when full: 100,000 chunks of news text took 56 MB, spaCy's vocabulary
# entries for their words included.
MAX_CHUNKS = 100_000


class SpecialCases:
    """What the tokenizer's final pass over special cases can do, from its rules.

    ``before_pass(chunk)`` tokenises as the tokenizer does before that pass: its tokens are
    what the pass looks at."""

    def __init__(self, tokenizer):
        from spacy.attrs import ORTH

        # The pass looks for a special case as the affix rules alone cut it.
        affixes_only = _tokenizer_like(tokenizer, rules={})
        self.recut: set[tuple[str, ...]] = set()  # special cases the pass re-cuts, as it finds them
        self.continued_from: set[str] = set()  # tokens a match can go on after
        self.continued_with: set[str] = set()  # tokens a match can go on with
        for key, pieces in tokenizer.rules.items():
            if tokenizer.faster_heuristics and not (tokenizer.find_prefix(key) or tokenizer.find_suffix(key)
                                                    or tokenizer.find_infix(key) or " " in key):
                continue  # spaCy leaves it out of the pass
            cut = tuple(token.text for token in affixes_only(key))
            self.continued_from.update(cut[:-1])
            self.continued_with.update(cut[1:])
            put_back = tuple(piece.get(ORTH, piece.get("ORTH", "")) for piece in pieces)
            if [len(word) for word in put_back] != [len(word) for word in cut]:
                if any(ch.isspace() for ch in key):
                    raise _Unusable(key)
                self.recut.add(cut)
        self.before_pass = _without_final_pass(tokenizer)

    def judge(self, words: list[str]) -> tuple[bool, bool, bool]:
        """For a chunk's words before the pass: (it holds a special case the pass re-cuts, a
        match may reach in at its start, at its end)."""
        if not words:
            return False, False, False
        holds = any(tuple(words[i:j]) in self.recut for i in range(len(words)) for j in range(i + 1, len(words) + 1))
        return holds, words[0] in self.continued_with, words[-1] in self.continued_from


class _Unusable(Exception):
    """A tokenizer whose final pass could re-cut tokens across chunks (or not be switched off)."""


def _tokenizer_like(tokenizer, rules: dict, cls=None):
    from spacy.tokenizer import Tokenizer

    return (cls or Tokenizer)(tokenizer.vocab, rules=rules, prefix_search=tokenizer.prefix_search,
                              suffix_search=tokenizer.suffix_search, infix_finditer=tokenizer.infix_finditer,
                              token_match=tokenizer.token_match, url_match=tokenizer.url_match)


def _without_final_pass(tokenizer):
    """A copy of tokenizer that skips the final pass over special cases.

    spaCy puts a special case into that pass when the affix rules find something in it; the
    copy finds no affixes while its rules are loaded, then spaCy's (its methods are dropped).
    Checked on ":)" after a letter, which the affix rules cut and the pass puts together again."""
    from spacy.tokenizer import Tokenizer

    class BeforePass(Tokenizer):
        def find_prefix(self, string):
            return 0

        def find_suffix(self, string):
            return 0

        def find_infix(self, string):
            return []

    copy = _tokenizer_like(tokenizer, tokenizer.rules, BeforePass)
    for name in ("find_prefix", "find_suffix", "find_infix"):  # spaCy's own from now on: no Python call between
        delattr(BeforePass, name)
    probe = "x:)"
    if [t.text for t in tokenizer(probe)] != ["x", ":)"] or [t.text for t in copy(probe)] != ["x", ":", ")"]:
        raise _Unusable(probe)
    return copy


class _Column:
    """A numpy array that grows by appending (doubling its buffer); ``values`` may run past the end."""

    def __init__(self, dtype, size: int = 4096):
        self.values = numpy.zeros(size, dtype=dtype)
        self.length = 0

    def extend(self, items: list) -> None:
        end = self.length + len(items)
        if end > len(self.values):
            grown = numpy.zeros(max(2 * len(self.values), end), dtype=self.values.dtype)
            grown[:self.length] = self.values[:self.length]
            self.values = grown
        self.values[self.length:end] = items
        self.length = end


class ChunkTable:
    """Per chunk: its tokens (offsets within it, ORTH) and how it may meet its neighbours."""

    def __init__(self):
        self.index: dict[str, int] = {}
        self.first, self.count = _Column(numpy.int64), _Column(numpy.int64)
        self.holds, self.open_head, self.open_tail = _Column(bool), _Column(bool), _Column(bool)
        self.starts, self.ends, self.orth = _Column(numpy.int64), _Column(numpy.int64), _Column(numpy.uint64)
        self.add("", [], (False, False, False))  # what is left of a space after a word: no token

    def __len__(self) -> int:
        return len(self.index)

    def add(self, chunk: str, tokens: list[tuple[int, int, int]], judged: tuple[bool, bool, bool]) -> None:
        self.index[chunk] = self.count.length
        self.first.extend([self.starts.length])
        self.count.extend([len(tokens)])
        for column, value in zip((self.holds, self.open_head, self.open_tail), judged):
            column.extend([value])
        if tokens:
            starts, ends, orth = zip(*tokens)
            self.starts.extend(starts)
            self.ends.extend(ends)
            self.orth.extend(orth)


class ChunkTokenizer:
    """Token columns of texts as spaCy's ``tokenizer`` cuts them, where chunks can be put together."""

    def __init__(self, tokenizer, max_chunks: int = MAX_CHUNKS):
        self.tokenizer = tokenizer
        try:
            self.specials: SpecialCases | None = SpecialCases(tokenizer)
        except _Unusable:  # not spaCy's English as we know it: every text goes to spaCy whole
            self.specials = None
        self.max_chunks = max_chunks
        self.table = ChunkTable()
        self._words: dict[str, list[str]] = {}  # see learn_words

    def columns(self, text: str):
        """(starts, ends, orth) arrays of the tokens of text, or None where spaCy must tokenise it whole."""
        chunks = self._chunks(text)
        if chunks is None:
            return None
        codes, words, word_starts, word_ends, gaps, gap_starts = chunks
        ids = self._ids(words)
        gap_ids = self._ids(gaps)
        unseen = numpy.flatnonzero(ids < 0).tolist()
        unseen_gaps = numpy.flatnonzero(gap_ids < 0).tolist()
        if unseen or unseen_gaps:
            new = {words[i] for i in unseen} | {gaps[i] for i in unseen_gaps}
            if len(self.table) + len(new) > self.max_chunks:
                self.table = ChunkTable()  # full: start afresh, with this text's chunks
                new = set(words) | set(gaps)
            self._learn(sorted(new))
            ids, gap_ids = self._ids(words), self._ids(gaps)
        if self.table.holds.values[ids].any() and self._may_meet(ids, word_starts, word_ends, codes):
            return None
        starts = word_starts
        if gaps:
            ids = numpy.concatenate((ids, gap_ids))
            starts = numpy.concatenate((word_starts, gap_starts))
            order = numpy.argsort(starts, kind="stable")
            ids, starts = ids[order], starts[order]
        return self._gather(ids, starts)

    def learn_words(self, texts: list[str]) -> None:
        """Add the words of texts not in the table yet, tokenised in one go: one spaCy call
        for a chunk of articles, not one for each article (about 0.1 ms a call)."""
        if self.specials is None:
            return
        new: set[str] = set()
        self._words = {}  # kept for columns(): the words of the texts about to be put together
        for text in texts:
            words = self._words[text] = text.split()
            new |= set(words).difference(self.table.index)
        if new and len(self.table) + len(new) <= self.max_chunks:
            self._learn(sorted(new))

    def _chunks(self, text: str):
        """The chunks spaCy cuts text into: (code points, words with their starts and ends,
        whitespace chunks with their starts), or None if this tokenizer cannot be put together."""
        if not text or self.specials is None:
            return None
        codes = numpy.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=numpy.uint32)
        space = _IS_SPACE[numpy.minimum(codes, _NOT_SPACE)]
        edges = numpy.flatnonzero(space[1:] != space[:-1]) + 1
        run_starts = numpy.concatenate(([0], edges))
        run_ends = numpy.concatenate((edges, [len(text)]))
        first_word_run = 1 if space[0] else 0
        word_starts, word_ends = run_starts[first_word_run::2], run_ends[first_word_run::2]
        words = self._words.pop(text, None) or text.split()  # str.split cuts at str.isspace, as the array
        if len(words) != len(word_starts):
            return None
        gap_starts, gap_ends = run_starts[1 - first_word_run::2], run_ends[1 - first_word_run::2]
        # A space right after a word is the word's trailing space, not part of a chunk.
        gap_starts = gap_starts + ((codes[gap_starts] == 32) & (gap_starts > 0))
        kept = gap_starts < gap_ends
        gap_starts, gap_ends = gap_starts[kept], gap_ends[kept]
        gaps = [text[s:e] for s, e in zip(gap_starts.tolist(), gap_ends.tolist())]  # paragraph breaks: few
        return codes, words, word_starts, word_ends, gaps, gap_starts

    def _ids(self, chunks: list[str]) -> numpy.ndarray:
        """The table's entry of each chunk, -1 for those not in it."""
        return numpy.fromiter(map(self.table.index.get, chunks, repeat(-1)), dtype=numpy.int64, count=len(chunks))

    def _learn(self, chunks: list[str]) -> None:
        """Add chunks to the table. The words are tokenised together, with spaCy's final pass
        left out (so each keeps its own tokens); those whose tokens that pass would change, and
        whitespace chunks, are tokenised alone as well."""
        from spacy.attrs import IDX, LENGTH, ORTH

        words = [chunk for chunk in chunks if not chunk[0].isspace()]
        alone = [(chunk, None) for chunk in chunks if chunk[0].isspace()]  # (chunk, judged if known)
        if words:
            starts = numpy.cumsum([0] + [len(word) + 1 for word in words[:-1]])
            columns = self.specials.before_pass(" ".join(words)).to_array([IDX, LENGTH, ORTH]).astype(numpy.int64)
            bounds = numpy.searchsorted(columns[:, 0], starts).tolist() + [len(columns)]
            starts = starts.tolist()
            idx, length, orth = columns[:, 0].tolist(), columns[:, 1].tolist(), columns[:, 2].view(numpy.uint64).tolist()
            for n, word in enumerate(words):
                at = starts[n]
                tokens = [(idx[i] - at, idx[i] - at + length[i], orth[i]) for i in range(bounds[n], bounds[n + 1])]
                judged = self.specials.judge([word[start:end] for start, end, _ in tokens])
                if judged[0]:  # its tokens after the pass are spaCy's to tell
                    alone.append((word, judged))
                else:
                    self.table.add(word, tokens, judged)
        for chunk, judged in alone:
            tokens = [(token.idx, token.idx + len(token), token.orth) for token in self.tokenizer(chunk)]
            if judged is None:
                judged = self.specials.judge([token.text for token in self.specials.before_pass(chunk)])
            self.table.add(chunk, tokens, judged)

    def _may_meet(self, ids, word_starts, word_ends, codes) -> bool:
        """Whether a chunk holding a special case that the final pass re-cuts stands, one space
        apart, next to a chunk that a match could reach across the space to or from."""
        table = self.table
        one_space = (word_starts[1:] - word_ends[:-1] == 1) & (codes[word_ends[:-1]] == 32)
        holds = table.holds.values[ids]
        meet = (one_space & (holds[:-1] | holds[1:]) & table.open_tail.values[ids[:-1]]
                & table.open_head.values[ids[1:]])
        return bool(meet.any())

    def _gather(self, ids: numpy.ndarray, chunk_starts: numpy.ndarray):
        table = self.table
        counts = table.count.values[ids]
        total = int(counts.sum())
        before = numpy.cumsum(counts) - counts
        token = numpy.repeat(table.first.values[ids] - before, counts) + numpy.arange(total)
        base = numpy.repeat(chunk_starts, counts)
        return base + table.starts.values[token], base + table.ends.values[token], table.orth.values[token]


