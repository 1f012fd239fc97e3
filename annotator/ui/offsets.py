"""The one place where Python offsets (code points) and Qt offsets (UTF-16 units) meet.

A ``QTextDocument`` built with ``setPlainText`` differs from the Python string in two ways:
every character outside the Basic Multilingual Plane (emoji, some CJK) takes two UTF-16
units, and a ``\\r\\n`` pair becomes a single paragraph separator. Everything else (``\\n``,
a lone ``\\r``, ``\\u2028``, tabs, combining accents) keeps one position per code point.
The map records only where the two counts drift apart, so plain ASCII costs nothing and
each conversion is one binary search.
"""
from __future__ import annotations

import re
from bisect import bisect_right

# A drift point: at code point ``at`` and after, the Qt position moves by ``delta`` more.
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")
_CRLF = re.compile("\r\n")


class OffsetMap:
    """Convert between code-point offsets of ``text`` and positions in its Qt document."""

    def __init__(self, text: str):
        self.text = text
        events = [(m.start() + 1, 1) for m in _ASTRAL.finditer(text)]
        # The \n of a \r\n pair shares the Qt position of its \r.
        events += [(m.start() + 1, -1) for m in _CRLF.finditer(text)]
        events.sort()
        self._cp = [at for at, _ in events]          # code point where each drift starts
        self._delta = []                             # drift from there on (cumulative)
        self._qt = []                                # Qt position of that code point
        self._kind = [d for _, d in events]
        total = 0
        for at, delta in events:
            total += delta
            self._delta.append(total)
            self._qt.append(at + total)
        self.qt_length = len(text) + total

    @property
    def identity(self) -> bool:
        return not self._cp

    def to_qt(self, cp: int) -> int:
        """Qt position of code point offset ``cp`` (0 <= cp <= len(text))."""
        k = bisect_right(self._cp, cp)
        return cp + (self._delta[k - 1] if k else 0)

    def to_cp(self, qt: int) -> int:
        """Code point offset of Qt position ``qt``.

        A position inside a surrogate pair snaps back to the start of its character; the
        paragraph separator of a ``\\r\\n`` maps to the ``\\r``, so a span ending at a line
        end never takes the ``\\r`` with it.
        """
        qt = max(0, min(qt, self.qt_length))
        k = bisect_right(self._qt, qt)
        cp = qt - (self._delta[k - 1] if k else 0)
        if k and self._kind[k - 1] < 0 and qt == self._qt[k - 1]:
            return cp - 1  # the \r of the pair, not the \n
        if k < len(self._cp) and cp >= self._cp[k]:
            return self._cp[k] - 1  # inside a surrogate pair
        return cp

    def span_to_qt(self, start: int, end: int) -> tuple[int, int]:
        return self.to_qt(start), self.to_qt(end)

    def span_to_cp(self, start: int, end: int) -> tuple[int, int]:
        """Code point span for a Qt span; an end inside a surrogate pair takes the whole character."""
        cp_start = self.to_cp(start)
        cp_end = self.to_cp(end)
        if self.to_qt(cp_end) < min(end, self.qt_length):
            cp_end += 1
        return cp_start, max(cp_start, cp_end)
