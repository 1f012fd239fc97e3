"""Turning highlight runs into Qt formats on the document's paragraph layouts."""
from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextDocument, QTextLayout

from ..core.labels import LabelScheme
from .highlight import style_of
from .theme import Colours


class FormatBook:
    """One shared QTextCharFormat per style, built once per theme and label scheme."""

    def __init__(self, scheme: LabelScheme, colours: Colours):
        self.scheme = scheme
        self.colours = colours
        self._formats: dict[str, QTextCharFormat] = {}

    def format(self, style: str) -> QTextCharFormat:
        fmt = self._formats.get(style)
        if fmt is None:
            fmt = self._formats[style] = self._make(style)
        return fmt

    def _make(self, style: str) -> QTextCharFormat:
        c = self.colours
        fmt = QTextCharFormat()
        kind = style_of(style)
        if kind == "entity":
            label = self.scheme.get(style.split(":", 1)[1])
            fmt.setBackground(QColor(label.color if label else "#dddddd"))
            fmt.setForeground(QColor(c.entity_text))
        elif kind == "entity-selected":
            fmt.setFontWeight(QFont.DemiBold)
            fmt.setFontUnderline(True)
            fmt.setUnderlineColor(QColor(c.entity_text))
        elif kind == "quote":
            fmt.setForeground(QColor(c.quote_text))
        elif kind == "quote-selected":
            fmt.setBackground(QColor(c.quote_selected_bg))
        elif kind == "speaker":
            # Bold and underlined in the speaker colour; the text colour stays readable on
            # whatever entity colour lies underneath.
            fmt.setFontWeight(QFont.Bold)
            fmt.setUnderlineStyle(QTextCharFormat.SingleUnderline)
            fmt.setUnderlineColor(QColor(c.speaker))
        elif kind == "cue":
            fmt.setFontItalic(True)
            fmt.setUnderlineStyle(QTextCharFormat.DashUnderline)
            fmt.setUnderlineColor(QColor(c.cue))
            fmt.setForeground(QColor(c.cue))
        elif kind == "noise":
            fmt.setForeground(QColor(c.noise))
            fmt.setFontItalic(True)
        return fmt


# Styles that change glyph widths (weight, slant): a paragraph whose runs of these change
# must be laid out again; any other change (a colour) only needs repainting.
METRIC_STYLES = frozenset({"entity-selected", "speaker", "cue", "noise"})


_POOL: list = []


def metrics_key(runs: list) -> tuple:
    return tuple(run for run in runs if style_of(run[2]) in METRIC_STYLES)


def apply_runs(document: QTextDocument, runs_by_block: dict[int, list], book: FormatBook,
               clear_others: bool = False, relayout=None) -> list:
    """Give each listed paragraph its format ranges; the blocks, in order.

    Qt lays out again the paragraphs in ``relayout`` (all of them when None); the caller
    repaints the others, whose text metrics did not change.
    """
    FormatRange = QTextLayout.FormatRange
    fmt = book.format
    pool = _POOL  # setFormats copies the ranges, so the same Python objects serve every paragraph
    if clear_others:
        block = document.begin()
        while block.isValid():
            if block.blockNumber() not in runs_by_block and block.layout().formats():
                block.layout().clearFormats()
            block = block.next()
    numbers = sorted(runs_by_block)
    done = []
    if not numbers:
        return done
    few = len(numbers) <= 64  # a few paragraphs: find each, re-lay out just those
    block = document.findBlockByNumber(numbers[0])
    first = block
    current = numbers[0]
    for number in numbers:
        if few:
            block = document.findBlockByNumber(number)
        else:  # walking forward is cheaper than a lookup per paragraph
            while current < number and block.isValid():
                block = block.next()
                current += 1
        if not block.isValid():
            break
        runs = runs_by_block[number]
        while len(pool) < len(runs):
            pool.append(FormatRange())
        for r, (start, length, style) in zip(pool, runs):
            r.start = start
            r.length = length
            r.format = fmt(style)
        block.layout().setFormats(pool[:len(runs)])
        done.append(block)
        if few and (relayout is None or number in relayout):
            document.markContentsDirty(block.position(), block.length())
    if not few:
        end = block.position() + block.length() if block.isValid() else document.characterCount()
        document.markContentsDirty(first.position(), end - first.position())
    return done
