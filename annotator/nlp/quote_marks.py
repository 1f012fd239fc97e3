"""Pairing quotation marks into quoted stretches of text, without the parse.

Handles straight and curly double marks, doubled apostrophes and backticks (''...'', ``...''),
guillemets, single marks at the top level (single marks inside double ones belong to the outer
quote), apostrophes, and quotes that run over several paragraphs (the opening mark repeated on
each paragraph, the closing mark only at the end). Unbalanced marks never raise: a quote left
open closes at the end of its paragraph, a stray closing mark is ignored.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_MARK = re.compile(r"``|''|[\"\u201c\u201d\u201e\u201f\u00ab\u00bb\u2018\u2019\u201a\u2039\u203a'`]")
_DOUBLE_OPEN = {"\u201c", "\u201e", "\u201f", "\u00ab", "``"}
_DOUBLE_CLOSE = {"\u201d", "\u00bb"}
_DOUBLE_EITHER = {'"', "''"}
_SINGLE_OPEN = {"\u2018", "\u201a", "\u2039", "`"}
_SINGLE_CLOSE = {"\u2019", "\u203a"}
# A transcript speaker label at the start of a quoted paragraph: "PENCE: Well, look, ...".
SPEAKER_LABEL = re.compile(r"([A-Z][A-Z.'\u2019-]*(?: [A-Z][A-Z.'\u2019-]*){0,3}):[ \t\u00a0]+(?=\S)")
_OPENERS_BEFORE = set(" \t\n\r\u00a0([{\u2014\u2013-/:;")


@dataclass(frozen=True)
class Quoted:
    """A quoted stretch: ``start`` at the opening mark, ``end`` after the closing mark."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    closed: bool = True
    double: bool = True
    paragraphs: int = 1

    def inner(self, text: str) -> str:
        return text[self.inner_start:self.inner_end]


@dataclass(frozen=True)
class _Mark:
    start: int
    end: int
    double: bool
    opens: bool
    closes: bool


def _classify(text: str, match: re.Match) -> _Mark | None:
    mark, i, j = match.group(), match.start(), match.end()
    before = text[i - 1] if i > 0 else " "
    after = text[j] if j < len(text) else " "
    space_before = before in _OPENERS_BEFORE or before.isspace()
    space_after = after.isspace() or not after.isalnum() and after not in "\u2018\u201c$#@(\u00a3\u20ac"
    if mark in _DOUBLE_OPEN:
        return _Mark(i, j, True, True, False)
    if mark in _DOUBLE_CLOSE:
        # A right mark used as an opener ("\u201dword) is read as one.
        return _Mark(i, j, True, space_before and not space_after, not (space_before and not space_after))
    if mark in _DOUBLE_EITHER:
        if space_before and not space_after:
            return _Mark(i, j, True, True, False)
        if space_after and not space_before:
            return _Mark(i, j, True, False, True)
        return _Mark(i, j, True, True, True)
    letter_before, letter_after = before.isalnum(), after.isalnum()
    if mark in _SINGLE_OPEN:
        if text[j:j + 2].isdigit():  # \u201890s
            return None
        return _Mark(i, j, False, True, False)
    if letter_before and letter_after:
        return None  # an apostrophe inside a word: don't, O'Brien
    if mark in _SINGLE_CLOSE or mark == "'":
        opens = mark == "'" and space_before and letter_after
        closes = not space_before and not letter_after
        return _Mark(i, j, False, opens, closes) if opens or closes else None
    return None


def _paragraph_ends(text: str) -> list[int]:
    ends = [m.start() for m in re.finditer(r"\n", text)]
    ends.append(len(text))
    return ends


def _starts_with_opener(text: str, start: int, end: int, like: str) -> int | None:
    """Index just after an opening double mark of the same style as ``like`` that begins
    text[start:end], if any (a straight quote is not continued by a curly one)."""
    stripped = len(text[start:end]) - len(text[start:end].lstrip())
    pos = start + stripped
    marks = ('"', "''", "``") if like in ('"', "''", "``") else ("\u201c", "\u201e", "\u00ab", "\u201d")
    for mark in marks:
        if text.startswith(mark, pos):
            after = pos + len(mark)
            # A transcript turn ('"PENCE: Well, ...') starts a new quote, not a continuation.
            return None if SPEAKER_LABEL.match(text, after) else after
    return None


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def find_quoted(text: str) -> list[Quoted]:
    """Every quoted stretch of ``text`` in order; never raises on odd or unbalanced marks."""
    marks = [m for m in (_classify(text, match) for match in _MARK.finditer(text)) if m is not None]
    quotes: list[Quoted] = []
    para_ends = _paragraph_ends(text)
    p = 0  # index of the paragraph the scan is in
    open_double: tuple[int, int, int] | None = None  # (start, inner start, paragraphs spanned)
    open_single: _Mark | None = None
    skip_until = -1  # a continuation paragraph's opening mark is consumed, not re-read

    def finish_paragraph():
        """At a paragraph end: continue an open quote into the next paragraph, or close it."""
        nonlocal open_double, open_single, p
        open_single = None
        end = para_ends[p]
        p += 1
        if open_double is None:
            return -1
        nxt = end + 1
        while p < len(para_ends) and not text[nxt:para_ends[p]].strip():  # blank lines
            nxt = para_ends[p] + 1
            p += 1
        like = text[open_double[0]:open_double[1]]
        after = _starts_with_opener(text, nxt, para_ends[p], like) if p < len(para_ends) else None
        if after is not None:
            open_double = (open_double[0], open_double[1], open_double[2] + 1)
            return after
        start, inner, paras = open_double
        close = _trim_end(text, inner, end)
        if close - inner > 0:
            quotes.append(Quoted(start, close, inner, close, closed=False, paragraphs=paras))
        open_double = None
        return -1

    for mark in marks:
        while p < len(para_ends) and mark.start >= para_ends[p]:
            skip_until = max(skip_until, finish_paragraph())
        if mark.start < skip_until:
            continue
        if not mark.double:
            if open_double is not None:
                continue  # a quote inside a quote belongs to the outer one
            if open_single is None:
                if mark.opens:
                    open_single = mark
            elif mark.closes:
                quotes.append(Quoted(open_single.start, mark.end, open_single.end, mark.start, double=False))
                open_single = None
            continue
        if open_double is None:
            if mark.opens:
                open_double = (mark.start, mark.end, 1)
                open_single = None
            continue
        if mark.opens and not mark.closes and text[mark.start:mark.end] in _DOUBLE_OPEN:
            # A second opening mark: the first one was never closed.
            start, inner, paras = open_double
            close = _trim_end(text, inner, mark.start)
            if close > inner:
                quotes.append(Quoted(start, close, inner, close, closed=False, paragraphs=paras))
            open_double = (mark.start, mark.end, 1)
            continue
        start, inner, paras = open_double
        if mark.start > inner:
            quotes.append(Quoted(start, mark.end, inner, mark.start, paragraphs=paras))
        open_double = None
    while p < len(para_ends):
        finish_paragraph()
    return quotes
