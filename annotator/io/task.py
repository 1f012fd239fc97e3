"""One article as a line of our JSONL export: a superset of Prodigy's task format.

Spans and quotes keep their character offsets exactly; ``token_start``/``token_end`` name
the tokens they cover. A span off token boundaries is widened in those two fields only and
reported through ``warn``.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Callable

import msgspec

from ..core.model import Article
from .tokens import TokenColumns, article_token_columns

STATUS_TO_ANSWER = {"done": "accept", "rejected": "reject"}
Warn = Callable[[str], None]

try:
    from orjson import dumps as json_bytes
except ImportError:  # pragma: no cover - orjson is a dependency
    def json_bytes(value) -> bytes:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def hash32(value: str) -> int:
    """A signed 32-bit integer, the shape of Prodigy's ``_input_hash``/``_task_hash``."""
    return int.from_bytes(hashlib.blake2b(value.encode("utf-8"), digest_size=4).digest(), "little",
                          signed=True)


def article_label(article: Article) -> str:
    """How warnings name an article: its id, and the id from its metadata when there is one."""
    meta = article.meta if isinstance(article.meta, dict) else {}
    for key in ("id", "file"):
        if meta.get(key) is not None:
            return f"article {article.id} (meta {key} {meta[key]!r})"
    return f"article {article.id}"


class SpanAligner:
    """Token indices for character spans of one article, warning about misaligned ones."""

    def __init__(self, article: Article, tokens: TokenColumns, warn: Warn):
        self.article, self.tokens, self.warn = article, tokens, warn

    def tokens_of_many(self, spans: list[tuple[int, int]], describe: Callable[[int], str]) -> list[tuple[int, int]]:
        """(first, last token) of every span, in one pass; ``describe(i)`` names span i in the
        warning about a span off token boundaries. Warnings come in the order of ``spans``.
        """
        if not spans:
            return []
        firsts, lasts, aligned = self.tokens.spans([s for s, _ in spans], [e for _, e in spans])
        if not all(aligned):
            for i, ok in enumerate(aligned):
                if not ok:
                    self._warn(spans[i][0], spans[i][1], firsts[i], lasts[i], describe(i))
        return list(zip(firsts, lasts))

    def _warn(self, start: int, end: int, first: int, last: int, what: str) -> None:
        text, tokens = self.article.text, self.tokens
        widened = text[tokens.starts[first]:tokens.ends[last]] if len(tokens) else ""
        self.warn(f"{article_label(self.article)}: {what} {start}-{end} {text[start:end]!r} does not "
                  f"align with token boundaries (tokens {first}-{last}: {widened!r})")


def spans_to_align(article: Article) -> tuple[list[tuple[int, int]], Callable[[int], str]]:
    """Every span of the article that needs token indices, and how a warning names span i.

    The entities, then per quote itself, its speaker and its cue (the order the warnings
    have always come in).
    """
    entities = article.entities
    wanted = [(e.start, e.end) for e in entities]
    owners: list[tuple[str, object]] = []
    for q in article.quotes:
        wanted.append((q.start, q.end))
        owners.append(("QUOTE", q))
        if q.speaker is not None:
            wanted.append((q.speaker.start, q.speaker.end))
            owners.append(("SPEAKER", q))
        if q.cue is not None:
            wanted.append((q.cue.start, q.cue.end))
            owners.append(("CUE", q))
    n_ents = len(entities)

    def describe(i: int) -> str:
        if i < n_ents:
            return f"{entities[i].label} span"
        label, quote = owners[i - n_ents]
        return f"quote {quote.id}" if label == "QUOTE" else f"{label.lower()} of quote {quote.id}"

    return wanted, describe


def task_record(article: Article, warn: Warn, packed_tokens: bytes | None = None) -> dict:
    """``packed_tokens``: the article's tokens as the store keeps them, if read apart from it."""
    head, tokens, tail = _task_parts(article, warn, packed_tokens)
    return {**head, "tokens": _tokens(article.text, tokens), **tail}


def task_line(article: Article, warn: Warn, packed_tokens: bytes | None = None) -> bytes:
    """``task_record`` as a line of JSONL: the same bytes, the tokens encoded on their own.

    An article has about a thousand tokens; encoding them from small structs instead of a
    dict each takes a third less time (the tests compare the lines)."""
    head, tokens, tail = _task_parts(article, warn, packed_tokens)
    return b"".join((json_bytes(head)[:-1], b',"tokens":', _tokens_json(article.text, tokens), b",",
                     json_bytes(tail)[1:], b"\n"))


def _task_parts(article: Article, warn: Warn, packed_tokens: bytes | None) -> tuple[dict, TokenColumns, dict]:
    """The task's keys before "tokens", its tokens, and its keys after them."""
    text = article.text
    tokens = article_token_columns(article, packed_tokens)
    aligner = SpanAligner(article, tokens, warn)
    entities, quote_list = article.entities, article.quotes
    wanted, describe = spans_to_align(article)
    found = aligner.tokens_of_many(wanted, describe)
    spans = [{"start": e.start, "end": e.end, "text": text[e.start:e.end], "label": e.label, "token_start": first,
              "token_end": last, "source": e.source} for e, (first, last) in zip(entities, found)]
    quotes = [_quote(text, q) for q in quote_list]
    relations = _all_relations(quote_list, wanted, found, len(entities))
    input_hash = hash32(text)
    head = {
        "text": text,
        "meta": article.meta,
        "_input_hash": input_hash,
        "_task_hash": hash32(f"{input_hash}|{_annotation_key(entities, quote_list)}"),
        "answer": STATUS_TO_ANSWER.get(article.status, "ignore"),
        "status": article.status,
        "_annotator_id": article.annotator_id,
        "_timestamp": _unix(article.updated_at),
    }
    return head, tokens, {"spans": spans, "quotes": quotes, "relations": relations}


def _annotation_key(entities: list, quotes: list) -> str:
    """What the task hash covers: the entities and the quotes, with their speakers and cues.
    Built from the objects, not from their export dicts: a third less time, the same string."""
    ents = ";".join([f"{e.start},{e.end},{e.label}" for e in entities])
    quote_parts = ";".join([f"{q.start},{q.end},{q.kind},{_pos(q.speaker)},{q.speaker_name},{_pos(q.cue)}"
                            for q in quotes])
    return f"{ents}|{quote_parts}"


def _pos(mention) -> str:
    return f"{mention.start}-{mention.end}" if mention else "-"


def _unix(stamp: str | None) -> int | None:
    if not stamp:
        return None
    try:
        return int(datetime.fromisoformat(stamp).timestamp())
    except ValueError:
        return None


def _tokens(text: str, tokens: TokenColumns) -> list[dict]:
    return msgspec.to_builtins(_token_structs(text, tokens))


class _Token(msgspec.Struct, gc=False):
    """A token of the JSONL export, encoded as {"text", "start", "end", "id", "ws"}.

    Untracked by the garbage collector (it holds no containers): a thousand per article.
    """

    text: str
    start: int
    end: int
    id: int
    ws: bool


_encode_structs = msgspec.json.Encoder().encode


def _tokens_json(text: str, tokens: TokenColumns) -> bytes:
    return _encode_structs(_token_structs(text, tokens))


def _token_structs(text: str, tokens: TokenColumns) -> list[_Token]:
    # The hot loop of the export, in C: map calls the struct with one item of each list (a
    # fifth less time than a comprehension that unpacks them); ws worked out on arrays.
    return list(map(_Token, tokens.words(text), tokens.starts, tokens.ends, range(len(tokens)),
                    tokens.spaced(text).tolist()))


def _quote(text: str, quote) -> dict:
    return {
        "id": quote.id,
        "start": quote.start,
        "end": quote.end,
        "text": text[quote.start:quote.end],
        "kind": quote.kind,
        "speaker": quote.speaker.to_dict(text) if quote.speaker else None,
        "speaker_name": quote.speaker_name,
        "cue": quote.cue.to_dict(text) if quote.cue else None,
        "source": quote.source,
    }


def _all_relations(quotes: list, wanted: list[tuple[int, int]], found: list[tuple[int, int]],
                   at: int) -> list[dict]:
    """Prodigy rel.manual style: head and child are the last token of each span.

    ``wanted``/``found`` from ``at`` on hold each quote, then its speaker and cue if any.
    """
    out = []
    for quote in quotes:
        head_span = _rel_span(wanted[at], found[at], "QUOTE")
        at += 1
        for label, mention in (("SPEAKER", quote.speaker), ("CUE", quote.cue)):
            if mention is None:
                continue
            child_span = _rel_span(wanted[at], found[at], label)
            at += 1
            out.append({"head": head_span["token_end"], "child": child_span["token_end"], "head_span": head_span,
                        "child_span": child_span, "label": label})
    return out


def _rel_span(offsets: tuple[int, int], token_range: tuple[int, int], label: str) -> dict:
    return {"start": offsets[0], "end": offsets[1], "token_start": token_range[0], "token_end": token_range[1],
            "label": label}
