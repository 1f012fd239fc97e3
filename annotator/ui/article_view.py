"""The article: read-only text with highlights, a quote margin, hover text and key handling.

The view owns no annotation logic: it converts Qt positions to article offsets (through
``OffsetMap``), forwards clicks and keys to the ``ArticleEditor`` and repaints what the
editor says changed.
"""
from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QTextCursor, QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from .highlight import HighlightModel, describe_at, speaker_label
from .offsets import OffsetMap
from .paint import FormatBook, apply_runs, metrics_key
from .theme import Colours

if TYPE_CHECKING:  # the editing logic loads with the first article, not before
    from ..core.model import Article
    from .editor import ArticleEditor

MARGIN = 136          # room for the quote bar and speaker chips
READING_WIDTH = 760   # comfortable line length in pixels


def reading_font() -> QFont:
    font = QFont()
    font.setFamilies(["Charter", "Georgia", "Source Serif 4", "Noto Serif", "DejaVu Serif", "serif"])
    font.setPointSizeF(11.5)
    return font


class ArticleView(QPlainTextEdit):
    """Shows one ``Article``; ``pick`` mode turns the next click into a speaker or cue."""

    status_message = Signal(str)

    def __init__(self, book: FormatBook, colours: Colours, parent=None):
        super().__init__(parent)
        self.setObjectName("articleView")
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.setWordWrapMode(QTextOption.WrapAtWordBoundaryOrAnywhere)
        self.setFont(reading_font())
        self.setMouseTracking(True)
        self.setFrameShape(QPlainTextEdit.NoFrame)
        self.document().setDocumentMargin(12)
        self.book = book
        self.colours = colours
        self.editor: ArticleEditor | None = None
        self.offsets = OffsetMap("")
        self.highlights: HighlightModel | None = None
        self.pick: str | None = None  # "speaker" | "cue" while waiting for a click
        self._quote_spans: list[tuple[int, int, int]] = []  # (qt start, qt end, quote id)
        self._painted: dict[int, list] = {}  # runs last given to each paragraph
        self.margin = QuoteMargin(self)
        self.setViewportMargins(MARGIN, 0, 0, 0)
        # A comfortable line length: the window centres the view, which never grows wider.
        self.setMaximumWidth(MARGIN + READING_WIDTH + 24)
        self.updateRequest.connect(lambda *_: self.margin.update())

    # --- article -----------------------------------------------------------------------
    def set_editor(self, editor: ArticleEditor | None) -> None:
        if self.editor is not None:
            self.editor.changed.disconnect(self._on_changed)
            self.editor.selection_changed.disconnect(self._on_selection)
        self.editor = editor
        self.pick = None
        if editor is None:
            self.setPlainText("")
            self.highlights = None
            self._quote_spans = []
            return
        article = editor.article
        self.offsets = OffsetMap(article.text)
        self.setPlainText(article.text)
        self.highlight_all()
        editor.changed.connect(self._on_changed)
        editor.selection_changed.connect(self._on_selection)

    def highlight_all(self) -> None:
        """Paint every annotation of the current article (also after a theme change)."""
        if self.editor is None:
            return
        # Tens of thousands of small tuples: pause the cyclic GC, which would otherwise walk
        # every object of the article many times over while they are built.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            self.highlights = HighlightModel(self.editor.article, self.offsets)
            runs = self.highlights.build(self.editor.selection)
            apply_runs(self.document(), runs, self.book, clear_others=False)
            self._painted = runs
        finally:
            if was_enabled:
                gc.enable()
        self._index_quotes()

    def set_look(self, book: FormatBook, colours: Colours) -> None:
        self.book, self.colours = book, colours
        self.highlight_all()
        self.margin.update()

    def _on_changed(self, change, owners) -> None:
        self.repaint_owners(owners)
        if change.quotes:
            self._index_quotes()

    def _on_selection(self, old, new) -> None:
        owners = {("e", i) for i in (old.entity, new.entity) if i is not None}
        owners |= {("q", i) for i in (old.quote, new.quote) if i is not None}
        self.repaint_owners(owners)
        target = new.entity if new.entity != old.entity and new.entity is not None else None
        if target is not None:
            ent = self.editor.article.entity(target)
            self.reveal(ent.start, ent.end)
        elif new.quote is not None and new.quote != old.quote:
            quote = self.editor.article.quote(new.quote)
            self.reveal(quote.start, quote.end)

    def repaint_owners(self, owners) -> None:
        """Repaint what ``owners`` touch: a colour change repaints its paragraph's rectangle;
        a change of weight or slant lets Qt lay that paragraph out again."""
        if self.highlights is None or not owners:
            return
        runs = self.highlights.update(owners, self.editor.selection)
        painted = self._painted
        relayout = {b for b, r in runs.items() if metrics_key(r) != metrics_key(painted.get(b, ()))}
        blocks = apply_runs(self.document(), runs, self.book, relayout=relayout)
        offset = self.contentOffset()
        for block in blocks:
            if block.blockNumber() not in relayout:
                self.viewport().update(self.blockBoundingGeometry(block).translated(offset).toAlignedRect())
        painted.update(runs)
        self.margin.update()

    def _index_quotes(self) -> None:
        to_qt = self.offsets.to_qt
        self._quote_spans = [(to_qt(q.start), to_qt(q.end), q.id) for q in self.editor.article.quotes]
        self.margin.update()

    # --- positions -----------------------------------------------------------------------
    def selection_span(self) -> tuple[int, int] | None:
        """The text selection as article offsets, or None."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self.offsets.span_to_cp(cursor.selectionStart(), cursor.selectionEnd())

    def select_span(self, start: int, end: int) -> None:
        qs, qe = self.offsets.span_to_qt(start, end)
        cursor = self.textCursor()
        cursor.setPosition(qs)
        cursor.setPosition(qe, QTextCursor.KeepAnchor)
        self.setTextCursor(cursor)

    def clear_text_selection(self) -> None:
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    def char_offset_at(self, point: QPoint) -> int | None:
        """Offset of the character under ``point`` (None in empty space right of a line)."""
        cursor = self.cursorForPosition(point)
        pos = cursor.position()
        rect = self.cursorRect(cursor)
        if point.x() < rect.left() and pos > 0:
            pos -= 1  # cursorForPosition rounds to the nearest gap; we want the glyph
        block = self.document().findBlock(pos)
        if pos >= block.position() + block.length() - 1:
            return None
        return self.offsets.to_cp(pos)

    def reveal(self, start: int, end: int) -> None:
        """Scroll so that article offsets ``start``-``end`` are visible, cursor unchanged."""
        keep = self.textCursor()
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_qt(start))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        keep_scroll = self.verticalScrollBar().value()
        self.setTextCursor(keep)
        self.verticalScrollBar().setValue(keep_scroll)

    # --- mouse and hover -------------------------------------------------------------------
    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if self.editor is None or event.button() != Qt.LeftButton:
            return
        span = self.selection_span()
        if self.pick:
            self._finish_pick(span, self.char_offset_at(event.position().toPoint()))
            return
        if span is None:
            cp = self.char_offset_at(event.position().toPoint())
            if cp is None:
                self.editor.clear_selection()
            else:
                self.editor.select_at(cp)

    def start_pick(self, what: str) -> None:
        """Speaker or cue: use the selected words now, or wait for the next click."""
        editor = self.editor
        if editor is None or editor.selection.quote is None:
            self.status_message.emit("Select a quote first (click it, or pick it in the Quotes list).")
            return
        span = self.selection_span()
        if span is not None:
            self._apply_pick(what, span)
            return
        self.pick = what
        self.status_message.emit(f"Click the {what}'s words in the text (Esc cancels).")
        self.viewport().setCursor(Qt.PointingHandCursor)

    def cancel_pick(self) -> bool:
        if not self.pick:
            return False
        self.pick = None
        self.viewport().setCursor(Qt.IBeamCursor)
        self.status_message.emit("Cancelled.")
        return True

    def _finish_pick(self, span, cp) -> None:
        what = self.pick
        self.pick = None
        self.viewport().setCursor(Qt.IBeamCursor)
        if span is None and cp is not None:
            ent = self.editor.entity_at(cp)
            span = (ent.start, ent.end) if ent else (cp, cp + 1)
        if span is not None:
            self._apply_pick(what, span)

    def _apply_pick(self, what: str, span: tuple[int, int]) -> None:
        quote_id = self.editor.selection.quote
        if what == "speaker":
            done = self.editor.set_speaker(quote_id, *span)
        else:
            done = self.editor.set_cue(quote_id, *span)
        if done:
            self.clear_text_selection()
            self.status_message.emit(f"{what.capitalize()} set.")

    def event(self, event) -> bool:
        if event.type() == event.Type.ToolTip and self.editor is not None:
            point = self.viewport().mapFrom(self, event.pos())
            cp = self.char_offset_at(point)
            text = describe_at(self.editor.article, cp) if cp is not None else ""
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    # --- layout ------------------------------------------------------------------------------
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        rect = self.contentsRect()
        self.margin.setGeometry(QRect(rect.left(), rect.top(), MARGIN, rect.height()))

    # The reading-width margin must not feed back into the layout's size negotiation.
    def sizeHint(self) -> QSize:
        return QSize(MARGIN + READING_WIDTH, 500)

    def minimumSizeHint(self) -> QSize:
        return QSize(MARGIN + 240, 120)

    def visible_quote_spans(self) -> list[tuple[int, int, int]]:
        """Quotes touching the paragraphs on screen (asking Qt where an off-screen paragraph
        is would make it lay that paragraph out)."""
        block = self.firstVisibleBlock()
        if not block.isValid():
            return []
        start = block.position()
        offset = self.contentOffset()
        bottom = self.viewport().height()
        last = block
        while block.isValid() and self.blockBoundingGeometry(block).translated(offset).top() <= bottom:
            last = block
            block = block.next()
        end = last.position() + last.length()
        return [span for span in self._quote_spans if span[0] < end and span[1] > start]


class QuoteMargin(QWidget):
    """Left margin: a bar beside every quote and a chip with its speaker's name."""

    def __init__(self, view: ArticleView):
        super().__init__(view)
        self.view = view
        self.setObjectName("quoteMargin")

    def sizeHint(self) -> QSize:
        return QSize(MARGIN, 0)

    def mousePressEvent(self, event) -> None:
        """Clicking a bar selects its quote."""
        view = self.view
        for qs, qe, quote_id in view.visible_quote_spans():
            top, bottom = self._extent(qs, qe)
            if top is not None and top <= event.position().y() <= bottom:
                view.editor.select(None, quote_id)
                return

    def _extent(self, qs: int, qe: int):
        view = self.view
        doc = view.document()
        offset = view.contentOffset()
        first, last = doc.findBlock(qs), doc.findBlock(max(qs, qe - 1))
        if not first.isVisible():
            return None, None
        top_geo = view.blockBoundingGeometry(first).translated(offset)
        bot_geo = view.blockBoundingGeometry(last).translated(offset)
        line_top = first.layout().lineForTextPosition(qs - first.position())
        line_bot = last.layout().lineForTextPosition(max(0, qe - 1 - last.position()))
        top = top_geo.top() + (line_top.y() if line_top.isValid() else 0)
        bottom = bot_geo.top() + (line_bot.y() + line_bot.height() if line_bot.isValid() else bot_geo.height())
        return top, bottom

    def paintEvent(self, event) -> None:
        view = self.view
        editor = view.editor
        if editor is None:
            return
        c = view.colours
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        font = QFont(self.font())
        font.setPointSizeF(8.5)
        painter.setFont(font)
        metrics = QFontMetrics(font)
        height = self.height()
        selected = editor.selection.quote
        article: Article = editor.article
        for qs, qe, quote_id in view.visible_quote_spans():
            top, bottom = self._extent(qs, qe)
            if top is None or bottom < 0 or top > height:
                continue
            is_selected = quote_id == selected
            bar = QColor(c.speaker if is_selected else c.quote_bar)
            painter.fillRect(QRect(MARGIN - 10, int(top) + 2, 4 if is_selected else 3,
                                   int(bottom - top) - 4), bar)
            quote = article.quote(quote_id)
            name = speaker_label(article, quote) if quote else ""
            self._chip(painter, metrics, name or "speaker?", int(top) + 3, is_selected, not name)
        painter.end()


    def _chip(self, painter, metrics, text, y, selected, missing) -> None:
        c = self.view.colours
        width = MARGIN - 24
        label = chip_text(text, metrics, width - 14)
        w = metrics.horizontalAdvance(label) + 14
        h = metrics.height() + 6
        rect = QRect(MARGIN - 16 - w, y, w, h)
        painter.setPen(Qt.NoPen)
        painter.setBrush(QColor(c.speaker if selected else c.chip_bg))
        painter.drawRoundedRect(rect, h / 2, h / 2)
        colour = "#ffffff" if selected else (c.muted if missing else c.chip_text)
        painter.setPen(QPen(QColor(colour)))
        painter.drawText(rect, Qt.AlignCenter, label)


def chip_text(name: str, metrics: QFontMetrics, width: int) -> str:
    """A speaker's name that fits the chip: in full, else the surname, else elided."""
    if metrics.horizontalAdvance(name) <= width:
        return name
    surname = name.split()[-1] if name.split() else name
    if metrics.horizontalAdvance(surname) <= width:
        return surname
    return metrics.elidedText(name, Qt.ElideRight, width)
