"""JSON records (our export, Prodigy tasks, doccano lines) to ``Article`` objects.

Every check names the field at fault ("spans[3].text: ..."); the importer adds file and
line. Offsets in a record refer to its text exactly as given, so the text is never changed.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from operator import itemgetter

import msgspec

from ..core.model import (QUOTE_KINDS, SOURCES, STATUSES, AnnotationError, Article, EntitySpan, Mention, Quote,
                          check_range)
from ..core.noise import find_noise, find_title
from .problems import BadInput

ANSWER_TO_STATUS = {"accept": "done", "reject": "rejected", "ignore": "skipped"}
# Labels our doccano export gives to quote parts; any other label is a named entity.
DOCCANO_QUOTE, DOCCANO_SPEAKER, DOCCANO_CUE = "QUOTE", "SPEAKER", "CUE"
QUOTE_MARKS = "\"\u201c\u201d\u201e\u00ab\u00bb"


def article_from_record(record) -> Article:
    """Build and validate an article from one decoded JSON line (any of the three dialects)."""
    if not isinstance(record, dict):
        raise BadInput(f"expected a JSON object, got {type(record).__name__}")
    text = record.get("text", record.get("data"))
    if not isinstance(text, str):
        raise BadInput("text: missing or not a string")
    if not text.strip():
        raise BadInput("text: empty")
    if is_doccano(record):
        article = _doccano_article(record, text)
    else:
        article = _task_article(record, text)
    # Every field was checked while reading it (the checks of Article.validate, plus the texts).
    article.noise = find_noise(text)
    title = article.meta.get("title") if isinstance(article.meta, dict) else None
    article.title = title.strip()[:300] if isinstance(title, str) and title.strip() else find_title(
        text, article.noise)
    return article


def is_doccano(record: dict) -> bool:
    if "quotes" in record or "spans" in record or "tokens" in record:
        return False
    entities = record.get("entities")
    label = record.get("label")
    return isinstance(entities, list) or (isinstance(label, list) and all(isinstance(x, list) for x in label))


# --- our export and Prodigy tasks --------------------------------------------------------
def _task_article(record: dict, text: str) -> Article:
    meta = record.get("meta", {})
    if not isinstance(meta, dict):
        raise BadInput("meta: must be an object")
    article = Article(text=text, meta=meta, status=_status(record))
    article.entities = [_entity(text, span, f"spans[{i}]") for i, span in enumerate(_list(record, "spans"))]
    article.quotes = [_quote(text, q, f"quotes[{i}]") for i, q in enumerate(_list(record, "quotes"))]
    _check_ids(article.quotes)
    article.tokens = _tokens(text, record.get("tokens"))
    annotator = record.get("_annotator_id")
    article.annotator_id = annotator if isinstance(annotator, str) and annotator else None
    article.updated_at = _timestamp(record.get("_timestamp"))
    return article


def _status(record: dict) -> str:
    status = record.get("status")
    if status is None:
        return ANSWER_TO_STATUS.get(record.get("answer"), "todo")
    if status not in STATUSES:
        raise BadInput(f"status: {status!r} is not one of {', '.join(STATUSES)}")
    return status


def _list(record: dict, key: str) -> list:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadInput(f"{key}: must be a list")
    return value


def _offsets(text: str, item, where: str) -> tuple[int, int]:
    """Checked (start, end) of a span object; its ``text``, if given, must match the article."""
    if not isinstance(item, dict):
        raise BadInput(f"{where}: must be an object with start and end")
    start, end = item.get("start"), item.get("end")
    try:
        check_range(text, start, end, where)
    except AnnotationError as exc:
        raise BadInput(str(exc)) from None
    expected = item.get("text")
    if expected is not None and expected != text[start:end]:
        raise BadInput(f"{where}.text: {_short(expected)!r} does not match the text at {start}-{end} "
                       f"({_short(text[start:end])!r})")
    return start, end


def _short(value, limit: int = 60) -> str:
    value = str(value)
    return value if len(value) <= limit else value[:limit - 1] + "\u2026"


def _source(item: dict, where: str) -> str:
    # Spans from other tools were made by people: mark them analyst so a model re-run keeps them.
    source = item.get("source", "analyst")
    if source not in ("model", "analyst"):
        raise BadInput(f"{where}.source: {source!r} is not model or analyst")
    return source


def _entity(text: str, span, where: str) -> EntitySpan:
    """A valid span in one cheap test (an article holds dozens); else the checks that name the fault."""
    if type(span) is dict:
        start, end, label = span.get("start"), span.get("end"), span.get("label")
        source, given = span.get("source", "analyst"), span.get("text")
        if (type(start) is int and type(end) is int and 0 <= start < end <= len(text) and type(label) is str
                and label and source in SOURCES and (given is None or given == text[start:end])):
            return EntitySpan(start, end, label, source)
    return _entity_checked(text, span, where)


def _entity_checked(text: str, span, where: str) -> EntitySpan:
    start, end = _offsets(text, span, where)
    label = span.get("label")
    if not isinstance(label, str) or not label:
        raise BadInput(f"{where}.label: missing")
    return EntitySpan(start, end, label, _source(span, where))


def _quote(text: str, item, where: str) -> Quote:
    """A valid quote in a few cheap tests; else the checks that name the fault."""
    if type(item) is dict:
        start, end, kind = item.get("start"), item.get("end"), item.get("kind")
        source, given, qid, name = item.get("source", "analyst"), item.get("text"), item.get("id"), item.get(
            "speaker_name")
        speaker, cue = _fast_mention(text, item.get("speaker")), _fast_mention(text, item.get("cue"))
        if (type(start) is int and type(end) is int and 0 <= start < end <= len(text) and kind in QUOTE_KINDS
                and source in SOURCES and (given is None or given == text[start:end])
                and (name is None or type(name) is str) and (qid is None or type(qid) is int and qid >= 1)
                and speaker is not False and cue is not False):
            return Quote(start, end, kind, speaker, name or None, cue, source, qid)
    return _quote_checked(text, item, where)


def _fast_mention(text: str, item) -> Mention | None | bool:
    """The mention, None if absent, False if anything is off (the slow path then says what)."""
    if item is None:
        return None
    if type(item) is not dict:
        return False
    start, end, given = item.get("start"), item.get("end"), item.get("text")
    if (type(start) is int and type(end) is int and 0 <= start < end <= len(text)
            and (given is None or given == text[start:end])):
        return Mention(start, end)
    return False


def _quote_checked(text: str, item, where: str) -> Quote:
    start, end = _offsets(text, item, where)
    kind = item.get("kind") or guess_kind(text[start:end])
    if kind not in QUOTE_KINDS:
        raise BadInput(f"{where}.kind: {kind!r} is not one of {', '.join(QUOTE_KINDS)}")
    speaker = _mention(text, item.get("speaker"), f"{where}.speaker")
    cue = _mention(text, item.get("cue"), f"{where}.cue")
    name = item.get("speaker_name")
    if name is not None and not isinstance(name, str):
        raise BadInput(f"{where}.speaker_name: must be a string or null")
    qid = item.get("id")
    if qid is not None and (not isinstance(qid, int) or isinstance(qid, bool) or qid < 1):
        raise BadInput(f"{where}.id: must be a positive integer")
    return Quote(start, end, kind, speaker, name or None, cue, _source(item, where), qid)


def _mention(text: str, item, where: str) -> Mention | None:
    if item is None:
        return None
    return Mention(*_offsets(text, item, where))


def _check_ids(quotes: list[Quote]) -> None:
    seen = set()
    for i, quote in enumerate(quotes):
        if quote.id is not None and quote.id in seen:
            raise BadInput(f"quotes[{i}].id: {quote.id} is used twice")
        seen.add(quote.id)


def _tokens(text: str, tokens) -> list[tuple[int, int]] | None:
    """Token offsets: ordered, in range and matching their texts, else BadInput.

    ``tokens`` as decoded JSON, or the raw JSON of the list (``msgspec.Raw``, as the JSONL
    reader leaves it): then only the offsets are decoded, and if they fail a check, all of it.
    """
    if isinstance(tokens, msgspec.Raw):
        fast = _raw_tokens_fast(text, tokens)
        if fast is not None:
            return fast
        tokens = json.loads(bytes(tokens))  # all of it, as json reads any number; the checks below name the fault
    if not tokens:
        return None
    if not isinstance(tokens, list):
        raise BadInput("tokens: must be a list")
    fast = _tokens_fast(text, tokens)
    return fast if fast is not None else _tokens_checked(text, tokens)


class _TokenOffsets(msgspec.Struct, gc=False):
    """What the fast path decodes of a token: its offsets. Its text, id and ws are skipped
    unbuilt, which makes decoding a line of our export about twice as fast."""

    start: int
    end: int


_decode_token_offsets = msgspec.json.Decoder(list[_TokenOffsets]).decode


def _raw_tokens_fast(text: str, raw: msgspec.Raw) -> list[tuple[int, int]] | None:
    """Offsets of a raw token list of objects with integer offsets; None for anything else."""
    try:
        tokens = _decode_token_offsets(raw)
    except msgspec.MsgspecError:  # not a list of such objects: the slow path says what it is
        return None
    if not tokens:
        return None
    return _ordered_in_range(text, [t.start for t in tokens], [t.end for t in tokens])


def _tokens_fast(text: str, tokens: list) -> list[tuple[int, int]] | None:
    """Range and order checked in C over the whole list (an article holds thousands of tokens).

    None if any check fails; the slow path then finds the token and names it. Token texts
    are not compared: the spans' texts already prove the offsets refer to this text.
    """
    try:
        starts, ends = list(map(_START, tokens)), list(map(_END, tokens))
    except (TypeError, KeyError):  # a token that is not an object, or without start or end
        return None
    if {*map(type, starts), *map(type, ends)} != {int}:  # bools, floats, strings, None
        return None
    return _ordered_in_range(text, starts, ends)


def _ordered_in_range(text: str, starts: list[int], ends: list[int]) -> list[tuple[int, int]] | None:
    import numpy

    try:
        begin, end = numpy.array(starts, dtype=numpy.int64), numpy.array(ends, dtype=numpy.int64)
    except OverflowError:
        return None
    if begin[0] < 0 or end[-1] > len(text) or not (begin < end).all() or not (begin[1:] >= end[:-1]).all():
        return None
    return list(zip(starts, ends))


_START, _END = itemgetter("start"), itemgetter("end")


def _tokens_checked(text: str, tokens: list) -> list[tuple[int, int]]:
    out = []
    last_end = 0
    for i, tok in enumerate(tokens):
        start, end = _offsets(text, tok, f"tokens[{i}]")
        if start < last_end:
            raise BadInput(f"tokens[{i}]: starts at {start}, inside the previous token")
        out.append((start, end))
        last_end = end
    return out


def _timestamp(value) -> str | None:
    """Prodigy's ``_timestamp`` (Unix seconds) as our ISO time; None if absent or odd."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return datetime.fromtimestamp(value, timezone.utc).isoformat(timespec="milliseconds")
    except (OverflowError, OSError, ValueError):
        return None


def guess_kind(content: str) -> str:
    """direct if the content sits inside quotation marks, mixed if it holds some, else indirect."""
    stripped = content.strip().rstrip(".,;:")
    if len(stripped) > 1 and stripped[0] in QUOTE_MARKS and stripped[-1] in QUOTE_MARKS:
        return "direct"
    return "mixed" if any(ch in content for ch in QUOTE_MARKS) else "indirect"


# --- doccano --------------------------------------------------------------------------------
def _doccano_article(record: dict, text: str) -> Article:
    meta = record.get("meta")
    if meta is None:  # doccano keeps any other column as metadata
        meta = {k: v for k, v in record.items() if k not in ("text", "data", "label", "entities", "relations")}
    if not isinstance(meta, dict):
        raise BadInput("meta: must be an object")
    article = Article(text=text, meta=meta, status=_status(record))
    if isinstance(record.get("entities"), list):
        _doccano_entities(article, record["entities"], _list(record, "relations"))
    else:
        for i, item in enumerate(record.get("label") or []):
            if len(item) != 3:
                raise BadInput(f"label[{i}]: expected [start, end, label]")
            article.entities.append(_entity(text, {"start": item[0], "end": item[1], "label": item[2]},
                                            f"label[{i}]"))
    return article


def _doccano_entities(article: Article, entities: list, relations: list) -> None:
    text = article.text
    by_id: dict = {}
    for i, ent in enumerate(entities):
        where = f"entities[{i}]"
        if not isinstance(ent, dict):
            raise BadInput(f"{where}: must be an object")
        start, end = _offsets(text, {"start": ent.get("start_offset"), "end": ent.get("end_offset")}, where)
        label = ent.get("label")
        if not isinstance(label, str) or not label:
            raise BadInput(f"{where}.label: missing")
        by_id[ent.get("id", f"#{i}")] = (start, end, label)
    quotes: dict = {}
    for key, (start, end, label) in by_id.items():
        if label == DOCCANO_QUOTE:
            quotes[key] = Quote(start, end, guess_kind(text[start:end]), source="analyst")
        elif label not in (DOCCANO_SPEAKER, DOCCANO_CUE):
            article.entities.append(EntitySpan(start, end, label, "analyst"))
    for i, rel in enumerate(relations):
        where = f"relations[{i}]"
        if not isinstance(rel, dict):
            raise BadInput(f"{where}: must be an object")
        quote, target = quotes.get(rel.get("from_id")), by_id.get(rel.get("to_id"))
        if rel.get("from_id") not in by_id or target is None:
            raise BadInput(f"{where}: from_id {rel.get('from_id')!r} or to_id {rel.get('to_id')!r} "
                           "names no entity of this line")
        kind = str(rel.get("type", "")).upper()
        if quote is None or kind not in (DOCCANO_SPEAKER, DOCCANO_CUE):
            continue  # a relation we have no field for
        mention = Mention(target[0], target[1])
        if kind == DOCCANO_SPEAKER:
            quote.speaker = mention
        else:
            quote.cue = mention
    article.quotes = list(quotes.values())
