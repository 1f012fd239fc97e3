"""spaCy ``DocBin`` export: ``doc.ents`` plus span groups for quotes, speakers and cues.

Docs are built from the article's tokens (words and spaces rebuild the text exactly). A
span off token boundaries is widened to the tokens it touches and reported; entities that
overlap cannot all be ``doc.ents``: the longer one stays, the other is reported and kept in
``doc.spans["entities"]`` with every entity.
"""
from __future__ import annotations

from pathlib import Path

from ..core.model import Article
from .task import SpanAligner, Warn, article_label
from .tokens import article_tokens, blank_nlp, words_and_spaces

DOCBIN_ATTRS = ["ORTH", "SPACY", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID"]
SHARD_SIZE = 1000


def article_doc(article: Article, warn: Warn):
    from spacy.tokens import Doc, Span

    text = article.text
    tokens = article_tokens(article)
    words, spaces, index = words_and_spaces(text, tokens)
    doc = Doc(blank_nlp().vocab, words=words, spaces=spaces)
    aligner = SpanAligner(article, tokens, warn)

    def span(start, end, label, what, **extra):
        first, last = aligner.tokens_of(start, end, what)
        return Span(doc, index[first], index[last] + 1, label=label, **extra)

    entities = [span(e.start, e.end, e.label, f"{e.label} span") for e in article.entities]
    doc.ents = _without_overlaps(article, entities, warn)
    doc.spans["entities"] = entities
    quotes, speakers, cues = [], [], []
    for q in article.quotes:
        quotes.append(span(q.start, q.end, q.kind, f"quote {q.id}", span_id=str(q.id)))
        if q.speaker is not None:
            speakers.append(span(q.speaker.start, q.speaker.end, "SPEAKER", f"speaker of quote {q.id}",
                                 span_id=str(q.id), kb_id=q.speaker_name or ""))
        if q.cue is not None:
            cues.append(span(q.cue.start, q.cue.end, "CUE", f"cue of quote {q.id}", span_id=str(q.id)))
    doc.spans["quotes"], doc.spans["speakers"], doc.spans["cues"] = quotes, speakers, cues
    doc.user_data["article_id"] = article.id
    doc.user_data["meta"] = article.meta
    doc.user_data["status"] = article.status
    return doc


def _without_overlaps(article: Article, spans: list, warn: Warn) -> list:
    """Longest first, then leftmost: the spans that can be ``doc.ents`` together."""
    kept, taken = [], set()
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if taken.intersection(range(span.start, span.end)):
            warn(f"{article_label(article)}: {span.label_} span {span.start_char}-{span.end_char} "
                 f"{span.text!r} overlaps another entity; left out of doc.ents (kept in doc.spans['entities'])")
            continue
        kept.append(span)
        taken.update(range(span.start, span.end))
    return sorted(kept, key=lambda s: s.start)


class DocBinWriter:
    """``PATH.spacy``: one DocBin file. Any other PATH: a folder of DocBins of SHARD_SIZE docs
    (``spacy train`` reads a folder too), so memory stays flat for any number of articles."""

    def __init__(self, output: Path, warn: Warn):
        self.output, self.warn = output, warn
        self.single = output.suffix == ".spacy"
        self.shard = 0
        self.docbin = self._new()
        if not self.single:
            output.mkdir(parents=True, exist_ok=True)

    def _new(self):
        from spacy.tokens import DocBin

        return DocBin(attrs=DOCBIN_ATTRS, store_user_data=True)

    def write(self, article: Article) -> None:
        self.docbin.add(article_doc(article, self.warn))
        if not self.single and len(self.docbin) >= SHARD_SIZE:
            self._flush_shard()

    def _flush_shard(self) -> None:
        self.docbin.to_disk(self.output / f"{self.shard:05d}.spacy")
        self.shard += 1
        self.docbin = self._new()

    def close(self, target: Path) -> None:
        if self.single:
            self.docbin.to_disk(target)
        elif len(self.docbin) or self.shard == 0:
            self._flush_shard()
