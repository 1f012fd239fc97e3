"""Code point <-> UTF-16 offsets: one conversion, checked against a real Qt document."""
import pytest

from annotator.ui.offsets import OffsetMap

CASES = {
    "ascii": "Plain text, nothing special.",
    "emoji": "Fans cheered \U0001F389 as \U0001F1EB\U0001F1F7 won \U0001F600!",
    "cjk": "\u4e60\u8fd1\u5e73\u8bf4\uff1a\u201c\u6211\u4eec\u201d \U00020000\U0002A6D6 end",
    "combining": "Cafe\u0301 de\u0301ja\u0300 vu, Zo\u00eb and Zoe\u0308",
    "crlf": "First line.\r\nSecond line said \u201chi\u201d.\r\n\r\nThird.\rFourth\n",
    "mixed": "\r\n\U0001F600\r\n\u00e9\u0301\U0001F600x\r\ny\u2028z\u2029w",
}


def oracle_qt(text: str, cp: int) -> int:
    """Qt position by walking the text: astral chars take 2, a \\r\\n pair takes 1 (its \\n)."""
    pos = 0
    for i, ch in enumerate(text[:cp]):
        if ch == "\r" and text[i + 1:i + 2] == "\n":
            continue
        pos += 2 if ord(ch) > 0xFFFF else 1
    return pos


@pytest.mark.parametrize("name", CASES)
def test_to_qt_matches_the_walk(name):
    text = CASES[name]
    offsets = OffsetMap(text)
    for cp in range(len(text) + 1):
        assert offsets.to_qt(cp) == oracle_qt(text, cp), (name, cp)
    assert offsets.qt_length == oracle_qt(text, len(text))


@pytest.mark.parametrize("name", CASES)
def test_round_trip_for_every_span_not_splitting_a_crlf(name):
    text = CASES[name]
    offsets = OffsetMap(text)
    inside_crlf = {i + 1 for i in range(len(text) - 1) if text[i:i + 2] == "\r\n"}
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            if start in inside_crlf or end in inside_crlf:
                continue
            assert offsets.span_to_cp(*offsets.span_to_qt(start, end)) == (start, end), (name, start, end)


def test_positions_inside_a_surrogate_pair_snap_to_the_whole_character():
    text = "a\U0001F600b"
    offsets = OffsetMap(text)
    assert offsets.to_cp(2) == 1               # between the two halves -> start of the emoji
    assert offsets.span_to_cp(0, 2) == (0, 2)  # an end inside the pair takes the whole emoji


def test_crlf_separator_maps_back_to_the_carriage_return():
    text = "ab\r\ncd"
    offsets = OffsetMap(text)
    assert offsets.to_qt(2) == offsets.to_qt(3) == 2
    assert offsets.to_cp(2) == 2               # a span ending at the line end excludes "\r"
    assert offsets.to_cp(3) == 4


def test_plain_text_is_the_identity():
    offsets = OffsetMap("hello world")
    assert offsets.identity
    assert offsets.to_cp(5) == offsets.to_qt(5) == 5


@pytest.mark.parametrize("name", CASES)
def test_qt_document_shows_exactly_the_span(qtbot, name):
    """Selecting a converted span in a real QTextDocument gives back the article's words."""
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QPlainTextEdit

    text = CASES[name]
    edit = QPlainTextEdit()
    qtbot.addWidget(edit)
    edit.setPlainText(text)
    offsets = OffsetMap(text)
    assert edit.document().characterCount() - 1 == offsets.qt_length
    words = [(i, j) for i in range(len(text)) for j in range(i + 1, min(len(text), i + 6) + 1)
             if not set(text[i:j]) & {"\r", "\n", "\u2029"}]
    for start, end in words:
        cursor = QTextCursor(edit.document())
        qs, qe = offsets.span_to_qt(start, end)
        cursor.setPosition(qs)
        cursor.setPosition(qe, QTextCursor.KeepAnchor)
        shown = cursor.selectedText().replace("\u2029", "\n")
        assert shown == text[start:end], (name, start, end)
