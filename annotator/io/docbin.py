"""spaCy ``DocBin`` export: ``doc.ents`` plus span groups for quotes, speakers and cues.

Docs are built from the article's tokens (words and spaces rebuild the text exactly). A
span off token boundaries is widened to the tokens it touches and reported; entities that
overlap cannot all be ``doc.ents``: the longer one stays, the other is reported and kept in
``doc.spans["entities"]`` with every entity.
"""
from __future__ import annotations

import os
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from pathlib import Path
from struct import pack
from typing import NamedTuple

import numpy

from ..core.model import Article
from .task import SpanAligner, Warn, article_label, spans_to_align
from .tokens import article_token_columns, blank_nlp, words_and_spaces

DOCBIN_ATTRS = ["ORTH", "SPACY", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID"]
SHARD_SIZE = 500  # docs per file when exporting to a folder: bounds the memory


def doc_and_words(article: Article, warn: Warn, packed_tokens: bytes | None = None):
    """The article as a Doc, and the words it was built from."""
    from spacy.tokens import Doc, Span

    text = article.text
    tokens = article_token_columns(article, packed_tokens)
    words, spaces, index = words_and_spaces(text, tokens)
    doc = Doc(blank_nlp().vocab, words=words, spaces=spaces)
    aligner = SpanAligner(article, tokens, warn)
    wanted, describe = spans_to_align(article)
    n_ents = len(article.entities)
    # Entities first, their overlaps next, then the quotes: the order the warnings come in.
    found = iter(aligner.tokens_of_many(wanted[:n_ents], describe))

    ids = _StringIds(doc.vocab.strings)

    def span(label: str, span_id: str = "", kb_id: str = ""):
        first, last = next(found)
        return Span(doc, index[first], index[last] + 1, label=ids[label], kb_id=ids[kb_id], span_id=ids[span_id])

    entities = [span(e.label) for e in article.entities]
    set_entities(doc, _without_overlaps(article, entities, warn))
    doc.spans["entities"] = entities
    found = iter(aligner.tokens_of_many(wanted[n_ents:], lambda i: describe(i + n_ents)))
    quotes, speakers, cues = [], [], []
    for q in article.quotes:  # in the order of spans_to_align: the quote, its speaker, its cue
        quotes.append(span(q.kind, span_id=str(q.id)))
        if q.speaker is not None:
            speakers.append(span("SPEAKER", span_id=str(q.id), kb_id=q.speaker_name or ""))
        if q.cue is not None:
            cues.append(span("CUE", span_id=str(q.id)))
    doc.spans["quotes"], doc.spans["speakers"], doc.spans["cues"] = quotes, speakers, cues
    doc.user_data.update(_user_data(article))
    return doc, words


class _StringIds(dict):
    """A string's id in the vocab, added on first use (spaCy would hash it for every span)."""

    def __init__(self, strings):
        super().__init__()
        self.strings = strings

    def __missing__(self, key: str) -> int:
        value = self[key] = self.strings.add(key)
        return value


def _without_overlaps(article: Article, spans: list, warn: Warn) -> list:
    """Longest first, then leftmost: the spans that can be ``doc.ents`` together."""
    kept, taken = [], bytearray(max((s.end for s in spans), default=0))  # 1 = token in a kept span
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        start, end = span.start, span.end
        if 1 in taken[start:end]:
            warn(f"{article_label(article)}: {span.label_} span {span.start_char}-{span.end_char} "
                 f"{span.text!r} overlaps another entity; left out of doc.ents (kept in doc.spans['entities'])")
            continue
        kept.append(span)
        taken[start:end] = b"\x01" * (end - start)
    return sorted(kept, key=lambda s: s.start)


def set_entities(doc, ents: list) -> None:
    """``doc.ents = ents`` for spans that do not overlap, written as token arrays in one call.

    The same token values as spaCy's setter (B/I on the spans, O elsewhere, the label as
    entity type), which loops over every token in Python: a sixth of the export's time.
    """
    from spacy.attrs import ENT_IOB, ENT_TYPE

    if not len(doc):
        doc.ents = ents
        return
    iob, types = _entity_columns(len(doc), [(span.start, span.end, span.label) for span in ents])
    doc.from_array([ENT_IOB, ENT_TYPE], numpy.array([iob, types], dtype=numpy.uint64).T)


def _entity_columns(n_tokens: int, ents: list[tuple[int, int, int]]) -> tuple[numpy.ndarray, numpy.ndarray]:
    """ENT_IOB and ENT_TYPE (uint64) of each token for (start, end, label) entities that do not overlap."""
    iob = numpy.full(n_tokens, 2, dtype=numpy.uint64)  # 2 = O
    if not ents:
        return iob, numpy.zeros(n_tokens, dtype=numpy.uint64)
    starts, ends, labels = (numpy.array(column, dtype=numpy.uint64) for column in zip(*ents))
    starts, ends = starts.astype(numpy.intp), ends.astype(numpy.intp)
    # Steps up where an entity starts and down where it ends: the running sum is its label
    # inside it, 0 outside (uint64 sums wrap around, so the steps cancel exactly).
    steps = numpy.zeros(n_tokens + 1, dtype=numpy.uint64)
    steps[starts] += labels
    steps[ends] -= labels
    types = numpy.cumsum(steps[:n_tokens], dtype=numpy.uint64)
    depth = numpy.zeros(n_tokens + 1, dtype=numpy.int64)
    depth[starts] += 1
    depth[ends] -= 1
    iob[numpy.cumsum(depth[:n_tokens]) > 0] = 1  # I
    iob[starts] = 3  # B
    return iob, types


def article_span_strings(article: Article) -> set[str]:
    """The strings of the spans ``doc_and_words`` makes: entity labels (doc.ents are some of
    them), quote kinds, SPEAKER and CUE, speaker names as kb ids, quote ids as span ids, ''."""
    strings = {e.label for e in article.entities}
    strings.add("")
    for q in article.quotes:
        strings.add(q.kind)
        strings.add(str(q.id))
        if q.speaker is not None:
            strings.add("SPEAKER")
            strings.add(q.speaker_name or "")
        if q.cue is not None:
            strings.add("CUE")
    return strings


def lean_docbin():
    """A DocBin whose ``add`` collects only the strings our attributes need.

    spaCy's ``add`` visits every token for nine string attributes (tags, lemmas, morphs ...)
    that these docs do not have; this one adds the words, the entity labels and the span
    strings, which is what ``get_docs`` needs for ORTH, ENT_TYPE, ENT_KB_ID and span groups.
    Everything else is spaCy's own ``add``.
    """
    import srsly
    from spacy.attrs import SPACY
    from spacy.tokens import DocBin

    class LeanDocBin(DocBin):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.orths: set[int] = set()  # ORTH hashes whose strings are in self.strings: looked up once

        def add(self, doc, words: list[str], span_strings: set[str]) -> None:
            """``words``: what the doc was made of; ``span_strings``: the labels, kb ids and ids
            of its entities and span groups (``article_span_strings``), known without a Span each."""
            array = doc.to_array(self.attrs)
            self.tokens.append(array.reshape((array.shape[0], -1)))
            spaces = doc.to_array(SPACY)
            self.spaces.append(numpy.asarray(spaces.reshape((spaces.shape[0], 1)), dtype=bool))
            self.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
            self.strings.update(words)
            self.strings.update(span_strings)
            self.strings.add("")
            self.cats.append(doc.cats)
            self.user_data.append(srsly.msgpack_dumps(doc.user_data))
            self.span_groups.append(doc.spans.to_bytes())

        def add_article(self, article: Article, warn: Warn, packed_tokens: bytes | None = None) -> None:
            """``add(*doc_and_words(article))`` without making the Doc: the same arrays and bytes."""
            encoded = encode_article(article, self.attrs, warn, packed_tokens, self.orths)
            if encoded is None:  # no tokens: spaCy's own way
                doc, words = doc_and_words(article, warn, packed_tokens)
                self.add(doc, words, article_span_strings(article))
                return
            tokens, spaces, span_groups, words = encoded
            self.tokens.append(tokens)
            self.spaces.append(spaces)
            self.flags.append({"has_unknown_spaces": False})
            self.strings.update(words)
            self.strings.update(article_span_strings(article))
            self.cats.append({})
            self.user_data.append(srsly.msgpack_dumps(_user_data(article)))
            self.span_groups.append(span_groups)

    return LeanDocBin(attrs=DOCBIN_ATTRS, store_user_data=True)


# --- an article straight to DocBin arrays --------------------------------------------------------
# Making a Doc and its Spans costs about 4 ms an article, most of the .spacy export. What a
# DocBin keeps of our docs is simple: per token the hash of its text, its entity IOB and type
# and whether a space follows; per span group the packed spans. ``encode_article`` computes
# those directly; the tests check they are the bytes the Doc route gives.
class _Span(NamedTuple):
    """What ``_without_overlaps`` and ``set_entities`` read of a span (as of a spaCy Span)."""

    start: int
    end: int
    label: int
    label_: str
    start_char: int
    end_char: int
    text: str


def encode_article(article: Article, attrs: list[int], warn: Warn, packed_tokens: bytes | None = None,
                   known_orths: set[int] | None = None):
    """(token array, spaces array, span groups bytes, words) as ``LeanDocBin.add`` would keep
    them for the Doc of ``doc_and_words(article)``; None for an article without tokens. The words go into
    a set of strings: they may come each once only, and words whose ORTH is in
    ``known_orths`` (the DocBin has them already) may be left out; their ORTHs are added."""
    import srsly
    from spacy.attrs import ENT_IOB, ENT_KB_ID, ENT_TYPE, ORTH

    text = article.text
    tokens = article_token_columns(article, packed_tokens)
    if not len(tokens):
        return None
    ids = _string_ids()
    if tokens.orth is not None and tokens.covers(text):  # spaCy's tokens: their ORTH, a word per token
        orth, spaces, index = tokens.orth, tokens.spaced(text), range(len(tokens))
        new = set(orth.tolist())
        if known_orths is not None:  # most words of an article are in the DocBin already
            new = new - known_orths  # looks up the article's words, not the DocBin's
            known_orths |= new
        words = [ids.strings[h] for h in new]
    else:
        words, spaces, index = words_and_spaces(text, tokens)
        orth = numpy.fromiter(map(ids.__getitem__, words), dtype=numpy.uint64, count=len(words))
    starts, ends = tokens.starts, tokens.ends
    aligner = SpanAligner(article, tokens, warn)
    wanted, describe = spans_to_align(article)
    n_ents = len(article.entities)

    def spans(found, labels, span_ids, kb_ids) -> list[tuple]:
        """Packed as SpanGroup.to_bytes packs them (id, kb id, label, tokens, characters)."""
        return [pack(">QQQllll", ids[span_id], ids[kb_id], ids[label], index[first], index[last] + 1,
                     starts[first], ends[last])
                for (first, last), label, span_id, kb_id in zip(found, labels, span_ids, kb_ids)]

    # Entities first, their overlaps next, then the quotes: the order the warnings come in.
    found = aligner.tokens_of_many(wanted[:n_ents], describe)
    labels = [e.label for e in article.entities]
    kept = [(index[first], index[last] + 1, ids[label]) for (first, last), label in zip(found, labels)]
    if not _disjoint(kept):  # the rare case: choose which are doc.ents, and say so
        ents = [_Span(index[first], index[last] + 1, ids[label], label, starts[first], ends[last],
                      text[starts[first]:ends[last]]) for (first, last), label in zip(found, labels)]
        kept = [(span.start, span.end, span.label) for span in _without_overlaps(article, ents, warn)]
    groups = {"entities": spans(found, labels, repeat(""), repeat(""))}
    found = iter(aligner.tokens_of_many(wanted[n_ents:], lambda i: describe(i + n_ents)))
    quotes, speakers, cues = [], [], []
    for q in article.quotes:  # in the order of spans_to_align: the quote, its speaker, its cue
        quotes.append((next(found), q.kind, str(q.id), ""))
        if q.speaker is not None:
            speakers.append((next(found), "SPEAKER", str(q.id), q.speaker_name or ""))
        if q.cue is not None:
            cues.append((next(found), "CUE", str(q.id), ""))
    for name, group in (("quotes", quotes), ("speakers", speakers), ("cues", cues)):
        groups[name] = spans(*zip(*group)) if group else []

    n = len(orth)
    iob, types = _entity_columns(n, kept)
    columns = {ORTH: orth, ENT_IOB: iob, ENT_TYPE: types, ENT_KB_ID: numpy.zeros(n, dtype=numpy.uint64)}
    array = numpy.column_stack([columns[attr] for attr in attrs])
    span_groups = srsly.msgpack_dumps({srsly.msgpack_dumps({"name": name, "attrs": {}, "spans": packed}): [name]
                                       for name, packed in groups.items()})
    return array, numpy.array(spaces, dtype=bool).reshape((n, 1)), span_groups, words


def _disjoint(spans: list[tuple[int, int, int]]) -> bool:
    """Whether no two (start, end, label) token spans share a token."""
    ordered = sorted(spans)
    return all(end <= start for (_, end, _), (start, _, _) in zip(ordered, ordered[1:]))


def _user_data(article: Article) -> dict:
    return {"article_id": article.id, "meta": article.meta, "status": article.status}


@lru_cache(maxsize=1)
def _string_ids() -> _StringIds:
    """Hashes of the strings seen in this process: words repeat across articles."""
    return _StringIds(blank_nlp().vocab.strings)


@contextmanager
def cached_msgpack_encoders():
    """Look srsly's msgpack encoders up once instead of once per serialised object.

    ``DocBin.add`` packs each doc's user data and span groups with a fresh msgpack Packer,
    and every Packer asks the catalogue registry for its encoders, which scans the installed
    packages' entry points: milliseconds per doc, most of the export's time. The answer does
    not change during an export, so it is fixed for its duration and restored afterwards.
    """
    from srsly.msgpack import msgpack_encoders

    encoders = msgpack_encoders.get_all()
    msgpack_encoders.get_all = lambda: encoders  # instance attribute shadows the method
    try:
        yield
    finally:
        del msgpack_encoders.get_all


def _filled_docbin(articles, warn: Warn, stored_tokens: dict[int, bytes]):
    docbin = lean_docbin()
    for article in articles:
        docbin.add_article(article, warn, stored_tokens.get(article.id))
    return docbin


def docbin_bytes(articles, warn: Warn, stored_tokens: dict[int, bytes] | None = None) -> bytes:
    """A chunk of articles as one serialised DocBin; ``stored_tokens``: their tokens as the
    store keeps them, by article id, if read apart from the articles."""
    import srsly

    message = docbin_message(_filled_docbin(articles, warn, stored_tokens or {}))
    return zlib.compress(srsly.msgpack_dumps(message), DOCBIN_ZLIB_LEVEL)


def docbin_message(docbin) -> dict:
    """What ``DocBin.to_bytes`` packs with msgpack and compresses (the tests compare them)."""
    def stacked(arrays: list) -> bytes:
        return (numpy.vstack(arrays) if arrays else numpy.asarray([])).tobytes("C")

    message = {"version": docbin.version, "attrs": docbin.attrs, "tokens": stacked(docbin.tokens),
               "spaces": stacked(docbin.spaces),
               "lengths": numpy.asarray([len(t) for t in docbin.tokens], dtype="int32").tobytes("C"),
               "strings": sorted(docbin.strings), "cats": docbin.cats, "flags": docbin.flags,
               "span_groups": docbin.span_groups}
    if docbin.store_user_data:
        message["user_data"] = docbin.user_data
    return message


class DocBinShardSink:
    """A folder of DocBin files, one per chunk of SHARD_SIZE docs: memory flat for any size."""

    def __init__(self, output: Path):
        output.mkdir(parents=True, exist_ok=True)
        self.output, self.shards = output, 0

    def take(self, index: int, payload: bytes) -> None:
        (self.output / f"{index:05d}.spacy").write_bytes(payload)
        self.shards += 1

    def finish(self) -> None:
        if not self.shards:  # no article: still a readable (empty) corpus
            self.take(0, lean_docbin().to_bytes())

    def abort(self) -> None:
        pass


# --- one .spacy file, compressed in pieces --------------------------------------------------------
# ``DocBin.to_bytes`` is zlib over one msgpack map whose long values (the token arrays, the span
# groups ...) are concatenations over the docs. Each chunk's share of every value is deflated
# where the chunk is rendered, ending on a full flush: such a piece refers to nothing before it,
# so the pieces of all chunks placed one after the other are one valid deflate stream (as pigz
# does it). The parent only copies compressed bytes; what zlib reads back is exactly the msgpack
# that ``DocBin.to_bytes`` compresses (the tests compare them).
ARRAYS = ("tokens", "spaces", "lengths")  # byte strings that are concatenations per doc
LISTS = ("cats", "flags", "span_groups", "user_data")  # msgpack lists, an item per doc
# zlib level of our .spacy output. spaCy's DocBin.to_bytes uses zlib's default (6); level 3
# takes about a third of its time on these arrays. Files are 5 % larger for distinct news
# articles (PolNeAR dev), 1.6 times for the benchmark's near-copies of one article.
DOCBIN_ZLIB_LEVEL = 3
ZLIB_HEADER = zlib.compress(b"", DOCBIN_ZLIB_LEVEL)[:2]  # deflate, 32 kB window, the level


@dataclass(frozen=True)
class Deflated:
    """Raw deflate of some bytes, ending on a full flush; with their length and Adler-32."""

    data: bytes
    size: int
    adler: int

    @classmethod
    def of(cls, raw: bytes) -> Deflated:
        packer = zlib.compressobj(DOCBIN_ZLIB_LEVEL, wbits=-zlib.MAX_WBITS)
        return cls(packer.compress(raw) + packer.flush(zlib.Z_FULL_FLUSH), len(raw), zlib.adler32(raw))


@dataclass(frozen=True)
class DocBinPieces:
    """One chunk's share of a .spacy file: its docs' part of every value, deflated."""

    docs: int
    head: tuple  # DocBin version and attrs
    strings: list[str]
    values: dict[str, Deflated]


def docbin_pieces(articles, warn: Warn, stored_tokens: dict[int, bytes] | None = None) -> DocBinPieces:
    import srsly

    docbin = _filled_docbin(articles, warn, stored_tokens or {})
    message = docbin_message(docbin)
    raw = {name: message[name] for name in ARRAYS}
    for name in LISTS:  # an item packed alone is packed as in its list
        raw[name] = b"".join(srsly.msgpack_dumps(item) for item in message[name])
    return DocBinPieces(len(docbin.tokens), (docbin.version, docbin.attrs), sorted(docbin.strings),
                        {name: Deflated.of(data) for name, data in raw.items()})


def adler32_combine(first: int, second: int, second_size: int) -> int:
    """The Adler-32 of A+B from those of A and B (zlib's adler32_combine, which Python lacks)."""
    base = 65521
    rem = second_size % base
    low = first & 0xFFFF
    high = (rem * low) % base
    low += (second & 0xFFFF) + base - 1
    high += ((first >> 16) & 0xFFFF) + ((second >> 16) & 0xFFFF) + base - rem
    return (low % base) | ((high % base) << 16)


class DocBinFileSink:
    """``PATH.spacy``: one DocBin file, written as the chunks come, memory flat.

    spaCy's DocBin holds every doc until ``to_bytes``: about 170 kB an article, 850 MB for
    5,000. This sink keeps the compressed pieces of each value in temporary files instead and
    strings them together at the end. Only the set of strings stays in memory; it grows with
    the vocabulary, not with the number of articles.
    """

    def __init__(self, output: Path):
        import tempfile

        self.output = output
        self.part = output.with_name(output.name + ".part")
        self.scratch = tempfile.TemporaryDirectory(prefix="annotator-docbin-", dir=output.parent)
        self.files = {name: open(Path(self.scratch.name) / name, "w+b") for name in ARRAYS + LISTS}
        self.sizes = dict.fromkeys(ARRAYS + LISTS, 0)
        self.adlers = dict.fromkeys(ARRAYS + LISTS, 1)  # the Adler-32 of no bytes
        self.docs = 0
        self.strings: set[str] = set()
        self.head: tuple | None = None  # version and attrs, from the first chunk

    def take(self, index: int, pieces: DocBinPieces) -> None:
        if self.head is None:
            self.head = pieces.head
        for name, piece in pieces.values.items():
            self.files[name].write(piece.data)
            self.adlers[name] = adler32_combine(self.adlers[name], piece.adler, piece.size)
            self.sizes[name] += piece.size
        self.docs += pieces.docs
        self.strings.update(pieces.strings)

    def finish(self) -> None:
        import srsly

        if self.head is None:  # no article: an empty DocBin
            docbin = lean_docbin()
            self.head = (docbin.version, docbin.attrs)
        version, attrs = self.head
        with open(self.part, "wb") as out:
            stream = _DeflateStream(out)
            stream.put(_map_header(3 + len(ARRAYS) + len(LISTS)))
            stream.put(srsly.msgpack_dumps("version") + srsly.msgpack_dumps(version))
            stream.put(srsly.msgpack_dumps("attrs") + srsly.msgpack_dumps(attrs))
            for name in ARRAYS:
                stream.put(srsly.msgpack_dumps(name) + _bin_header(self.sizes[name]))
                self._splice(name, stream)
            stream.put(srsly.msgpack_dumps("strings") + srsly.msgpack_dumps(sorted(self.strings)))
            for name in LISTS:
                stream.put(srsly.msgpack_dumps(name) + _array_header(self.docs))
                self._splice(name, stream)
            stream.close()
        self._close()
        os.replace(self.part, self.output)

    def abort(self) -> None:
        self._close()
        self.part.unlink(missing_ok=True)

    def _splice(self, name: str, stream: _DeflateStream) -> None:
        fh = self.files[name]
        fh.seek(0)
        stream.splice(iter(lambda: fh.read(1 << 20), b""), self.sizes[name], self.adlers[name])

    def _close(self) -> None:
        for fh in self.files.values():
            fh.close()
        self.scratch.cleanup()


class _DeflateStream:
    """A zlib stream written to ``out``: bytes compressed here, and deflated pieces spliced in."""

    def __init__(self, out):
        self.out, self.adler = out, 1
        self.packer = zlib.compressobj(DOCBIN_ZLIB_LEVEL, wbits=-zlib.MAX_WBITS)
        out.write(ZLIB_HEADER)

    def put(self, data: bytes) -> None:
        self.out.write(self.packer.compress(data))
        self.adler = zlib.adler32(data, self.adler)

    def splice(self, blocks, size: int, adler: int) -> None:
        """Add deflated pieces (``Deflated.data``) holding ``size`` bytes of Adler-32 ``adler``."""
        self.out.write(self.packer.flush(zlib.Z_FULL_FLUSH))  # byte-aligned, no back-references
        for block in blocks:
            self.out.write(block)
        self.adler = adler32_combine(self.adler, adler, size)

    def close(self) -> None:
        self.out.write(self.packer.flush())
        self.out.write(self.adler.to_bytes(4, "big"))


# msgpack headers, in the smallest form (as every msgpack packer writes them).
def _map_header(n: int) -> bytes:
    return bytes([0x80 | n]) if n < 16 else b"\xde" + n.to_bytes(2, "big")


def _array_header(n: int) -> bytes:
    if n < 16:
        return bytes([0x90 | n])
    return b"\xdc" + n.to_bytes(2, "big") if n < 1 << 16 else b"\xdd" + n.to_bytes(4, "big")


def _bin_header(n: int) -> bytes:
    if n < 1 << 8:
        return b"\xc4" + n.to_bytes(1, "big")
    return b"\xc5" + n.to_bytes(2, "big") if n < 1 << 16 else b"\xc6" + n.to_bytes(4, "big")
