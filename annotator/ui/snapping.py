"""Snap a selection to token boundaries, so a drag that clips a word still takes all of it."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

# Without a pipeline's tokens: words (with inner apostrophes and hyphens), numbers, single marks.
_SIMPLE_TOKEN = re.compile(r"\w+(?:['\u2019\-.]\w+)*|[^\w\s]", re.UNICODE)


def simple_tokens(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _SIMPLE_TOKEN.finditer(text)]


class Tokens:
    """Sorted token spans with lookups by offset."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = spans
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def __len__(self) -> int:
        return len(self.spans)

    def snap(self, start: int, end: int) -> tuple[int, int] | None:
        """The smallest run of whole tokens covering every token touched by [start, end)."""
        first = bisect_right(self.ends, start)          # first token ending after start
        last = bisect_left(self.starts, end) - 1        # last token starting before end
        if first > last or first >= len(self.spans):
            return None
        return self.starts[first], self.ends[last]

    def next_end(self, end: int) -> int | None:
        i = bisect_right(self.ends, end)
        return self.ends[i] if i < len(self.ends) else None

    def prev_end(self, end: int, floor: int) -> int | None:
        i = bisect_left(self.ends, end) - 1
        return self.ends[i] if i >= 0 and self.ends[i] > floor else None

    def next_start(self, start: int, ceiling: int) -> int | None:
        i = bisect_right(self.starts, start)
        return self.starts[i] if i < len(self.starts) and self.starts[i] < ceiling else None

    def prev_start(self, start: int) -> int | None:
        i = bisect_left(self.starts, start) - 1
        return self.starts[i] if i >= 0 else None


def tokens_for(text: str, tokens: list[tuple[int, int]] | None) -> Tokens:
    """The article's pipeline tokens if it has them, else a simple word split."""
    return Tokens(list(tokens) if tokens else simple_tokens(text))
