"""An article's entities and quotes as kept in its row: two JSON arrays of arrays.

Each entity is ``[id, start, end, label, source, model]`` and each quote ``[id, start, end,
kind, speaker_start, speaker_end, speaker_name, cue_start, cue_end, source, model]``, in
order of position (start, end, id). The views ``entities`` and ``quotes`` show them as rows
for SQL readers (see the schema's migration 5).

Why not a row per annotation: an annotated news article has a hundred entities, and a row
each cost more than anything else in reading and writing articles in bulk (4 µs a row to
store, 2.5 µs to read back), where decoding an article's array takes a tenth of that.
"""
from __future__ import annotations

from bisect import insort
from typing import Iterable

import msgspec

from ..core.model import QUOTE_KINDS, SOURCES, AnnotationError, EntitySpan, Mention, Quote

ENTITY_FIELDS = ("id", "start", "end", "label", "source", "model")
QUOTE_FIELDS = ("id", "start", "end", "kind", "speaker_start", "speaker_end", "speaker_name", "cue_start",
                "cue_end", "source", "model")

_encode = msgspec.json.Encoder().encode
_decode_entities = msgspec.json.Decoder(list[tuple[int, int, int, str, str, str | None]]).decode
_decode_quotes = msgspec.json.Decoder(
    list[tuple[int, int, int, str, int | None, int | None, str | None, int | None, int | None, str, str | None]]
).decode


def _by_position(values: tuple) -> tuple:
    return values[1], values[2], values[0]


def sorted_by_position(values: list[tuple]) -> list[tuple]:
    """Stored annotations (id, start, end, ...) in the order they are kept: start, end, id."""
    return sorted(values, key=_by_position)


def replaced_by_id(stored: list[tuple], ids: Iterable[int], current: list[tuple]) -> list[tuple]:
    """Stored values (in order of position) without the annotations ``ids``, and ``current``
    (what some of those are now) put in their places: the list stays in order without being
    sorted again, which matters where an edit touches one annotation of tens of thousands."""
    gone = set(ids)
    kept = [values for values in stored if values[0] not in gone]
    for values in current:
        insort(kept, values, key=_by_position)
    return kept


def entity_values(entities) -> list[tuple]:
    """The entities as stored, in order of position; AnnotationError for what the store refuses."""
    values = [(e.id, e.start, e.end, e.label, e.source, e.model) for e in entities]
    if not ({type(v[3]) for v in values} <= {str} and "" not in {v[3] for v in values}
            and {v[4] for v in values} <= _SOURCES and _ids_and_offsets_fit(values)):
        _name_the_fault(values, ENTITY_FIELDS, lambda v: v[3] and isinstance(v[3], str) and v[4] in SOURCES)
    return sorted_by_position(values)


def quote_values(quotes) -> list[tuple]:
    values = [(q.id, q.start, q.end, q.kind, q.speaker.start if q.speaker else None,
               q.speaker.end if q.speaker else None, q.speaker_name, q.cue.start if q.cue else None,
               q.cue.end if q.cue else None, q.source, q.model) for q in quotes]
    if not ({v[3] for v in values} <= _KINDS and {v[9] for v in values} <= _SOURCES and _ids_and_offsets_fit(values)):
        _name_the_fault(values, QUOTE_FIELDS, lambda v: v[3] in QUOTE_KINDS and v[9] in SOURCES)
    return sorted_by_position(values)


# What the table constraints checked when these were rows: ids present and unique in the
# article, offsets whole numbers, a label or kind and a source the store knows. Checked a
# column at a time (an import checks a hundred entities per article); the fault is then
# looked for item by item to name it.
_SOURCES, _KINDS = frozenset(SOURCES), frozenset(QUOTE_KINDS)


def _ids_and_offsets_fit(values: list[tuple]) -> bool:
    ids = {v[0] for v in values}
    return (len(ids) == len(values) and {type(i) for i in ids} <= {int}
            and {type(v[1]) for v in values} | {type(v[2]) for v in values} <= {int})


def _name_the_fault(values: list[tuple], fields: tuple[str, ...], valid) -> None:
    what = "entities" if fields is ENTITY_FIELDS else "quotes"
    seen = set()
    for v in values:
        if type(v[0]) is not int or v[0] in seen:
            raise AnnotationError(f"{what}: id {v[0]!r} is missing or used twice in one article")
        seen.add(v[0])
        if not valid(v) or type(v[1]) is not int or type(v[2]) is not int:
            raise AnnotationError(f"{what}: {dict(zip(fields, v))} cannot be stored")


def pack(values: list[tuple]) -> str:
    return _encode(values).decode("utf-8")


def entity_tuples(packed: str) -> list[tuple]:
    """The stored values, ``ENTITY_FIELDS`` in order, without making objects."""
    return _decode_entities(packed)


def quote_tuples(packed: str) -> list[tuple]:
    return _decode_quotes(packed)


def unpack_entities(packed: str) -> list[EntitySpan]:
    return [EntitySpan(start, end, label, source, eid, model)
            for eid, start, end, label, source, model in _decode_entities(packed)]


def unpack_quotes(packed: str) -> list[Quote]:
    return [Quote(start, end, kind, Mention(ss, se) if ss is not None else None, name,
                  Mention(cs, ce) if cs is not None else None, source, qid, model)
            for qid, start, end, kind, ss, se, name, cs, ce, source, model in _decode_quotes(packed)]
