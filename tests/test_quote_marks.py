"""Pairing quotation marks: every style, unbalanced marks, quotes over paragraphs."""
from __future__ import annotations

import random

import pytest

from annotator.nlp.quote_marks import find_quoted


def quoted(text):
    return [text[q.start:q.end] for q in find_quoted(text)]


@pytest.mark.parametrize("text, expected", [
    ('He said "we win" and left.', ['"we win"']),
    ("He said \u201cwe win\u201d and left.", ["\u201cwe win\u201d"]),
    ("He said \u00abwe win\u00bb and left.", ["\u00abwe win\u00bb"]),
    ("He said ''we win'' and left.", ["''we win''"]),
    ("He said ``we win'' and left.", ["``we win''"]),
    ("He said \u2018we win\u2019 and left.", ["\u2018we win\u2019"]),
    ("He said 'we win' and left.", ["'we win'"]),
], ids=["straight", "curly", "guillemets", "apostrophes", "backticks", "single-curly", "single-straight"])
def test_each_style_pairs(text, expected):
    assert quoted(text) == expected


def test_apostrophes_are_not_quotes():
    assert quoted("Don't stop: O'Brien's plan isn't the Clintons' plan from the '90s.") == []


def test_single_marks_inside_double_belong_to_the_outer_quote():
    text = "\u201cThey told me, \u2018Go home,\u2019 and I refused,\u201d Hale said."
    assert quoted(text) == ["\u201cThey told me, \u2018Go home,\u2019 and I refused,\u201d"]


def test_opening_mark_repeated_on_each_paragraph_is_one_quote():
    text = "He said:\n\n\u201cFirst part.\n\n\u201cSecond part.\u201d\n\nThe end."
    found = find_quoted(text)
    assert quoted(text) == ["\u201cFirst part.\n\n\u201cSecond part.\u201d"]
    assert found[0].paragraphs == 2


def test_a_quote_left_open_closes_at_its_paragraph_end():
    text = 'He said "this never closes\n\nNext paragraph "is fine" here.'
    found = find_quoted(text)
    assert quoted(text) == ['"this never closes', '"is fine"']
    assert not found[0].closed and found[1].closed


def test_straight_mark_is_not_continued_by_a_curly_paragraph():
    text = '"Left open here.\n\n\u201cA new quote,\u201d she said.'
    assert quoted(text) == ['"Left open here.', "\u201cA new quote,\u201d"]


def test_stray_closing_mark_is_ignored():
    assert quoted("A stray \u201d mark, then \u201cone quote\u201d.") == ["\u201cone quote\u201d"]


def test_random_marks_never_raise_and_stay_in_bounds():
    rng = random.Random(7)
    pieces = ['"', "\u201c", "\u201d", "\u2018", "\u2019", "'", "''", "``", "\u00ab", "\u00bb", " ", "\n", "\n\n",
              "word", "Hello", ",", "."]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        for q in find_quoted(text):
            assert 0 <= q.start <= q.inner_start <= q.inner_end <= q.end <= len(text)


def test_a_transcript_turn_is_not_a_continuation():
    text = '"WALLACE: First question.\n\n"PENCE: First answer.\n\nThe end.'
    assert quoted(text) == ['"WALLACE: First question.', '"PENCE: First answer.']
