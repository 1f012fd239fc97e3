"""brat standoff (``NAME.txt`` + ``NAME.ann``): reading PolNeAR-style and our own files, writing ours.

Reading understands two schemes:
- PolNeAR: ``Source``/``Cue``/``Content`` text-bound spans joined by ``Attribution`` (or
  ``Attribution-no-source``) events; each Content argument becomes a quote.
- ours: ``Quote``/``Speaker``/``Cue`` spans, ``R`` lines ``SPEAKER``/``CUE`` from the quote,
  a ``Kind`` attribute on the quote and the canonical speaker name as a note on the quote.
Any other text-bound label is a named-entity span. brat offsets are character offsets.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

from ..core.model import Article, EntitySpan, Mention, Quote
from .problems import BadInput
from .records import guess_kind

QUOTE_LABELS = {"Content", "Quote"}
SPEAKER_LABELS = {"Source", "Speaker"}
CUE_LABELS = {"Cue"}
TRIGGER_LABELS = {"Attribution", "Attribution-no-source"}
PART_LABELS = QUOTE_LABELS | SPEAKER_LABELS | CUE_LABELS | TRIGGER_LABELS


@dataclass
class TextBound:
    label: str
    start: int
    end: int
    line: int


@dataclass
class Standoff:
    spans: dict[str, TextBound] = field(default_factory=dict)
    events: list[tuple[str, dict[str, str], int]] = field(default_factory=list)
    relations: list[tuple[str, str, str, int]] = field(default_factory=list)
    attributes: dict[tuple[str, str], str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)


def parse_ann(ann: str, text: str) -> Standoff:
    """Parse an .ann file against its text; BadInput names the .ann line at fault."""
    out = Standoff()
    for number, line in enumerate(ann.splitlines(), 1):
        if not line.strip():
            continue
        try:
            _parse_line(out, line, text, number)
        except BadInput as exc:
            raise BadInput(exc.message, number) from None
        except (ValueError, IndexError, KeyError) as exc:
            raise BadInput(f"cannot read this line ({exc})", number) from None
    return out


def _parse_line(out: Standoff, line: str, text: str, number: int) -> None:
    kind = line[0]
    parts = line.split("\t")
    if kind == "T":
        out.spans[parts[0]] = _text_bound(parts, text, number)
    elif kind == "E":
        trigger, *args = parts[1].split()
        arguments = dict(arg.split(":", 1) for arg in args)
        arguments["_trigger"] = trigger.split(":", 1)[1] if ":" in trigger else ""
        out.events.append((trigger.split(":", 1)[0], arguments, number))
    elif kind == "R":
        rtype, arg1, arg2 = parts[1].split()
        out.relations.append((rtype, arg1.split(":", 1)[1], arg2.split(":", 1)[1], number))
    elif kind in "AM":
        name, target, *value = parts[1].split()
        out.attributes[(target, name)] = value[0] if value else "true"
    elif kind == "#" and len(parts) >= 3:
        out.notes[parts[1].split()[-1]] = parts[2]
    # N (normalisation) and other lines carry nothing we store.


def _text_bound(parts: list[str], text: str, number: int) -> TextBound:
    if len(parts) < 2:
        raise BadInput("a text-bound line needs an id, a label with offsets and a text", number)
    label, _, offsets = parts[1].partition(" ")
    fragments = []
    for frag in offsets.split(";"):
        start, end = (int(x) for x in frag.split())
        if not 0 <= start <= end <= len(text):
            raise BadInput(f"{parts[0]} {label}: offsets {start}-{end} are out of range for a text of "
                           f"{len(text)} characters", number)
        fragments.append((start, end))
    expected = parts[2] if len(parts) > 2 else None
    found = " ".join(text[s:e] for s, e in fragments)
    if expected is not None and _squash(expected) != _squash(found):
        raise BadInput(f"{parts[0]} {label}: text {expected[:60]!r} does not match the text at "
                       f"{offsets} ({found[:60]!r})", number)
    start, end = min(s for s, _ in fragments), max(e for _, e in fragments)
    if start == end:
        raise BadInput(f"{parts[0]} {label}: empty span", number)
    return TextBound(label, start, end, number)


def _squash(value: str) -> str:
    # brat writes line breaks inside a span as spaces.
    return " ".join(value.split())


def article_from_standoff(text: str, ann: str, meta: dict) -> Article:
    standoff = parse_ann(ann, text)
    article = Article(text=text, meta=meta)
    for tid, span in standoff.spans.items():
        if span.label not in PART_LABELS:
            article.entities.append(EntitySpan(span.start, span.end, span.label, _source(standoff, tid)))
    linked: set[str] = set()
    for etype, args, number in standoff.events:
        if etype in TRIGGER_LABELS:
            article.quotes.extend(_event_quotes(standoff, args, text, number, linked))
    article.quotes.extend(_relation_quotes(standoff, text, linked))
    article.entities.sort(key=lambda e: (e.start, e.end))
    article.quotes.sort(key=lambda q: (q.start, q.end))
    return article


def _source(standoff: Standoff, tid: str) -> str:
    return "model" if standoff.attributes.get((tid, "Provenance")) == "model" else "analyst"


def _mention(standoff: Standoff, tid: str | None, number: int) -> Mention | None:
    if tid is None:
        return None
    span = standoff.spans.get(tid)
    if span is None:
        raise BadInput(f"refers to {tid}, which is not defined", number)
    return Mention(span.start, span.end)


def _event_quotes(standoff, args: dict, text: str, number: int, linked: set) -> list[Quote]:
    """PolNeAR: one quote per Content argument (Content, Content2, ...) of an Attribution event."""
    speaker = _mention(standoff, _arg(args, "Source"), number)
    cue = _mention(standoff, _arg(args, "Cue"), number)
    quotes = []
    for role, tid in args.items():
        if role.rstrip("0123456789") != "Content":
            continue
        content = _mention(standoff, tid, number)
        linked.add(tid)
        quotes.append(Quote(content.start, content.end, guess_kind(text[content.start:content.end]),
                            speaker, None, cue, _source(standoff, tid)))
    return quotes


def _arg(args: dict, role: str) -> str | None:
    return args.get(role) or args.get(role + "1")


def _relation_quotes(standoff: Standoff, text: str, linked: set) -> list[Quote]:
    """Our scheme: every Quote span, with SPEAKER/CUE relations and a Kind attribute."""
    quotes: dict[str, Quote] = {}
    for tid, span in standoff.spans.items():
        if span.label == "Quote" and tid not in linked:
            kind = standoff.attributes.get((tid, "Kind")) or guess_kind(text[span.start:span.end])
            quotes[tid] = Quote(span.start, span.end, kind, speaker_name=standoff.notes.get(tid) or None,
                                source=_source(standoff, tid))
    for rtype, arg1, arg2, number in standoff.relations:
        quote = quotes.get(arg1)
        if quote is None:
            continue
        if rtype.upper() == "SPEAKER":
            quote.speaker = _mention(standoff, arg2, number)
        elif rtype.upper() == "CUE":
            quote.cue = _mention(standoff, arg2, number)
    return list(quotes.values())


# --- finding the text of an annotation file ----------------------------------------------
def text_candidates(ann: Path) -> list[str]:
    """Stems the .txt may have: ``NAME.ann`` -> NAME; PolNeAR's ``NAME_ef2d.ann`` -> NAME too."""
    stem = ann.stem
    names = [stem]
    if "_" in stem:
        names.append(stem.rsplit("_", 1)[0])
    return names


def find_text_for(ann: Path, texts_by_stem: dict[str, Path] | None = None) -> Path | None:
    """The .txt next to the .ann, in a sibling folder (PolNeAR's text/), or in the given index."""
    for name in text_candidates(ann):
        if texts_by_stem and name in texts_by_stem:
            return texts_by_stem[name]
        near = ann.with_name(name + ".txt")
        if near.is_file():
            return near
        if ann.parent.parent != ann.parent:
            for sibling in sorted(ann.parent.parent.glob(f"*/{name}.txt")):
                return sibling
    return None


# --- writing --------------------------------------------------------------------------------
def standoff_lines(article: Article) -> list[str]:
    """The .ann lines for one article in our scheme (readable back by ``article_from_standoff``)."""
    writer = _AnnWriter(article.text)
    for ent in article.entities:
        tid = writer.span(ent.label, ent.start, ent.end)
        writer.attribute("Provenance", tid, ent.source)
    for quote in article.quotes:
        qid = writer.span("Quote", quote.start, quote.end)
        writer.attribute("Kind", qid, quote.kind)
        writer.attribute("Provenance", qid, quote.source)
        if quote.speaker_name:
            writer.note(qid, quote.speaker_name)
        if quote.speaker is not None:
            writer.relation("SPEAKER", qid, writer.span("Speaker", quote.speaker.start, quote.speaker.end))
        if quote.cue is not None:
            writer.relation("CUE", qid, writer.span("Cue", quote.cue.start, quote.cue.end))
    return writer.lines


class _AnnWriter:
    def __init__(self, text: str):
        self.text = text
        self.lines: list[str] = []
        self.counters = {prefix: count(1) for prefix in ("T", "R", "A", "#")}

    def _next(self, prefix: str) -> str:
        return f"{prefix}{next(self.counters[prefix])}"

    def span(self, label: str, start: int, end: int) -> str:
        tid = self._next("T")
        shown = self.text[start:end]
        if "\n" in shown or "\r" in shown:
            fragments = _fragments(self.text, start, end)
            offsets = ";".join(f"{s} {e}" for s, e in fragments)
            shown = " ".join(self.text[s:e] for s, e in fragments)
        else:  # the common case: one fragment, the span itself
            offsets = f"{start} {end}"
        self.lines.append(f"{tid}\t{label} {offsets}\t{shown}")
        return tid

    def relation(self, rtype: str, arg1: str, arg2: str) -> None:
        self.lines.append(f"{self._next('R')}\t{rtype} Arg1:{arg1} Arg2:{arg2}")

    def attribute(self, name: str, target: str, value: str) -> None:
        self.lines.append(f"{self._next('A')}\t{name} {target} {value}")

    def note(self, target: str, value: str) -> None:
        clean = " ".join(value.split())
        self.lines.append(f"{self._next('#')}\tAnnotatorNotes {target}\t{clean}")


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a span at line breaks: brat cannot show a fragment that crosses one."""
    fragments, pos = [], start
    while pos < end:
        stop = pos
        while stop < end and text[stop] not in "\r\n":
            stop += 1
        if stop > pos:
            fragments.append((pos, stop))
        pos = stop
        while pos < end and text[pos] in "\r\n":
            pos += 1
    return fragments or [(start, end)]


ANNOTATION_CONF = """[entities]
{entities}
Quote
Speaker
Cue

[relations]
SPEAKER\tArg1:Quote, Arg2:Speaker
CUE\tArg1:Quote, Arg2:Cue
<OVERLAP>\tArg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>

[events]

[attributes]
Kind\tArg:Quote, Value:direct|indirect|mixed
Provenance\tArg:<ANY>, Value:model|analyst
"""
