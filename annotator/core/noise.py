"""Scraped page noise: ad markers, photo captions with credits, link-list headings.

Noise is recorded as character ranges over the unchanged text; the window dims it, the
title finder and the quote extractor skip it.
"""
from __future__ import annotations

import re

# Whole lines that are page furniture rather than article prose.
_NOISE_LINES = re.compile(
    r"""^(?:advertisement|advertisements?\s*-\s*scroll\s+to\s+continue|story\s+continues\s+below(?:\s+advertisement)?
        |latest\s+headlines|related(?:\s+(?:stories|articles|coverage))?|read\s+more|more\s+from\s+.{1,40}
        |share(?:\s+this(?:\s+article)?)?|subscribe(?:\s+now)?|sign\s+up(?:\s+for\s+.{1,40})?|recommended(?:\s+for\s+you)?
        |trending(?:\s+now)?|most\s+popular|skip\s+to\s+(?:main\s+)?content|sponsored(?:\s+content)?
        |click\s+here.{0,60}|follow\s+us.{0,40}|photo\s+gallery|watch:?.{0,60}|listen\s+to\s+this\s+article.{0,20}
        |\d+\s+comments?)\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# Gallery counters ("1 of 7 | ...") and captions that end in a photo credit.
_GALLERY = re.compile(r"^\d+\s+of\s+\d+\s*\|")
_CREDIT = re.compile(
    r"""(?:\b(?:photos?|phot|images?|pictures?|video|graphic)\s+(?:by|courtesy\s+of|credit:?)\s+[^\s\"\u201d].{1,120}$
        |\((?:AP|AFP|Reuters|Getty|EPA|UPI|Bloomberg|Xinhua)[^)]{0,80}\)\s*$
        |\b(?:AP|AFP|Reuters|Getty\s+Images|EPA-EFE|Shutterstock|Bloomberg|Xinhua)\s*$
        |\b(?:photo|image|credit)s?:\s*[^.]{2,80}$)""",
    re.IGNORECASE | re.VERBOSE,
)


_LINE_BREAKS = "\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85"  # what str.splitlines splits at


def _lines(text: str):
    """Yield (start, end) of every line, end excluding the line break."""
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.rstrip(_LINE_BREAKS)
        yield pos, pos + len(stripped)
        pos += len(line)


def is_noise_line(line: str) -> bool:
    line = line.strip()
    return bool(line) and _is_noise_stripped(line)


def _is_noise_stripped(line: str) -> bool:
    if _NOISE_LINES.match(line) or _GALLERY.match(line):
        return True
    # A caption: it ends in a credit and is not a quote-bearing paragraph of prose.
    if "\u201c" in line or '"' in line:
        return False
    return _has_credit(_credit_tail(line))


def _credit_tail(line: str) -> str:
    """The end of a line that a credit can occupy (the longest form is under 150 characters),
    cut at a word start: searching a whole paragraph from every position is what costs."""
    if len(line) <= _CREDIT_REACH:
        return line
    tail = line[-_CREDIT_REACH:]
    space = tail.find(" ")
    return tail[space + 1:] if space >= 0 else tail


# Every branch of _CREDIT needs one of these; checking them first spares the slow regex
# search on ordinary prose lines (import speed: find_noise runs on every article), and
# the search starts at the first of them.
_CREDIT_REACH = 160
_CREDIT_WORDS = ("phot", "imag", "pictur", "video", "graphic", "credit")
_CREDIT_ENDINGS = ("ap", "afp", "reuters", "getty images", "epa-efe", "shutterstock", "bloomberg", "xinhua")
_CREDIT_OPENINGS = ("(ap", "(afp", "(reuters", "(getty", "(epa", "(upi", "(bloomberg", "(xinhua")


_CREDIT_HINT = re.compile("|".join(re.escape(hint) for hint in _CREDIT_WORDS + _CREDIT_OPENINGS))


def _has_credit(tail: str) -> bool:
    """Whether ``tail`` holds a credit; the regex search starts where the first hint word does.

    A credit starts with a hint word unless it is one of the credit endings (searched for
    from the start), so the positions before the first hint cannot start one; a prefix with
    other than ASCII letters (whose case folding may differ from ``lower``) is searched too.
    """
    lower = tail.lower()
    hint = _CREDIT_HINT.search(lower)
    ending = lower.rstrip()
    if hint is None and not ending.endswith(_CREDIT_ENDINGS):
        return False
    # "Getty  Images" ends a credit that starts before its hint word: searched from the start.
    ends_like_credit = ending.endswith(_CREDIT_ENDINGS + ("images",))
    start = 0
    if hint is not None and not ends_like_credit and len(lower) == len(tail) and tail[:hint.start()].isascii():
        start = hint.start()
    return _CREDIT.search(tail, start) is not None


def find_noise(text: str) -> list[tuple[int, int]]:
    """Character ranges of the noise lines in ``text`` (leading/trailing blanks trimmed)."""
    # One loop without helpers: it runs on every imported article, over every line.
    ranges = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        start, pos = pos, pos + len(raw)
        stripped = raw.strip()
        if stripped and _is_noise_stripped(stripped):
            line = raw.rstrip(_LINE_BREAKS)
            lead = len(line) - len(line.lstrip())
            ranges.append((start + lead, start + lead + len(stripped)))
    return ranges


def find_title(text: str, noise: list[tuple[int, int]] | None = None) -> str:
    """The first non-empty line that is not noise, trimmed; '' for an empty text."""
    noise = find_noise(text) if noise is None else noise
    noisy_starts = {s for s, _ in noise}
    for start, end in _lines(text):
        line = text[start:end]
        stripped = line.strip()
        if not stripped:
            continue
        if start + (len(line) - len(line.lstrip())) in noisy_starts:
            continue
        return stripped[:300]
    return ""
