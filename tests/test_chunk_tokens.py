"""Tokens put together from chunks (annotator/io/chunks.py) must be spaCy's tokens, offsets and ORTH."""
import json
import random
import sys

import pytest

from annotator.io.chunks import WHITESPACE, ChunkTokenizer
from annotator.io.tokens import BlankTokenizer

from test_blank_tokens import POLNEAR_JSONL, SAMPLE, TRICKY


@pytest.fixture(scope="module")
def stock():
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    return lambda text: [(t.idx, t.idx + len(t.text), t.orth) for t in tokenizer(text)]


def fresh(max_chunks=None) -> BlankTokenizer:
    import spacy

    blank = BlankTokenizer(spacy.blank("en").tokenizer)
    if max_chunks is not None:
        blank.chunks.max_chunks = max_chunks
    return blank


def tokens(blank: BlankTokenizer, text: str) -> list[tuple[int, int, int]]:
    columns = blank.columns(text)
    return list(zip(columns.starts, columns.ends, columns.orth.tolist()))


def from_chunks(blank: BlankTokenizer, text: str) -> bool:
    return blank.chunks.columns(text) is not None


def test_whitespace_is_what_str_split_cuts_at():
    assert set(WHITESPACE) == {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}


def test_tricky_texts_and_the_sample(stock):
    blank = fresh()
    texts = TRICKY + [SAMPLE.read_text("utf-8"), "Dispatch 000001\n" + SAMPLE.read_text("utf-8")]
    for _ in range(2):  # chunks new, then known
        for text in texts:
            assert tokens(blank, text) == stock(text), repr(text)
    assert from_chunks(blank, SAMPLE.read_text("utf-8"))


def test_a_special_case_the_final_pass_puts_together_can_lose_to_the_next_chunk(stock):
    """spaCy reads "x:)" as "x" ":)", but "x:) )" as "x" ":" ")" ")": the longer ":))" match
    across the space wins. Such texts go to spaCy whole."""
    blank = fresh()
    assert [t[:2] for t in tokens(blank, "x:)")] == [(0, 1), (1, 3)]
    assert from_chunks(blank, "x:)")
    for text in ["x:) )", "a x:) )) b", "(:x x(: :", "a.m.a.m. ' ''10"]:
        assert tokens(blank, text) == stock(text), repr(text)
    assert not from_chunks(blank, "x:) )")
    assert from_chunks(blank, "x:) and )")  # another chunk between: no match reaches across


def test_the_copy_without_the_final_pass():
    blank = fresh()
    before_pass = blank.chunks.specials.before_pass
    assert [t.text for t in before_pass("x(:")] == ["x", "(", ":"]
    assert [t.text for t in blank.chunks.tokenizer("x(:")] == ["x", "(:"]


def test_dense_punctuation_and_special_cases(stock):
    """Random runs of the pieces spaCy's special cases are made of, with and without spaces:
    texts where a chunk's tokens depend on its neighbour come up by the hundred."""
    pieces = ["(", ")", ":", "-", "'", ".", "_", "*", "s", "x", "8", "D", ";", "=", "<", ">", "^", "o", "a.m.",
              "10", "p.m.", "''", "3", "¬", "ಠ", "He", "'s", "’s", "U.S.", "😀", "e.g.", ":)", "y."]
    gaps = [" ", " ", "", "", "", "\n", "  ", "\xa0", "\n\n "]
    rng = random.Random(20261129)
    blank = fresh()
    put_together = 0
    for _ in range(6000):
        text = "".join(rng.choice(pieces) + rng.choice(gaps) for _ in range(rng.randint(1, 10)))
        put_together += from_chunks(blank, text)
        assert tokens(blank, text) == stock(text), repr(text)
    assert put_together > 5000  # the chunk path did the work; spaCy whole only where it must


def test_a_full_table_starts_afresh(stock):
    """The table holds at most its limit, or the chunks of one text that alone went past it."""
    blank = fresh(max_chunks=40)
    texts = TRICKY + [SAMPLE.read_text("utf-8")] + TRICKY
    largest = 0  # chunks of one text: its words and what is left of its whitespace, at most
    for text in texts:
        assert tokens(blank, text) == stock(text), repr(text)
        largest = max(largest, 2 * len(set(text.split())) + 1)
        assert len(blank.chunks.table) <= max(40, largest)
    assert len(blank.chunks.table) <= 40


def test_unknown_tokenizer_goes_to_spacy_whole(stock):
    """A tokenizer whose final pass does not behave as expected is not put together from chunks."""
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    tokenizer.rules = {}
    chunks = ChunkTokenizer(tokenizer)
    assert chunks.specials is None
    assert chunks.columns("He's here :)") is None


@pytest.mark.skipif(not POLNEAR_JSONL.is_file(),
                    reason=f"needs {POLNEAR_JSONL}, a shared corpus that CI machines do not have")
def test_polnear_dev_texts(stock):
    texts = [json.loads(line)["text"] for line in POLNEAR_JSONL.read_text("utf-8").splitlines() if line.strip()]
    blank = fresh()
    for _ in range(2):
        for text in texts:
            assert tokens(blank, text) == stock(text)


def test_words_of_many_texts_are_learnt_in_one_go(stock):
    from annotator.core import Article
    from annotator.io.tokens import prepare_blank_tokens

    blank = fresh()
    sample = SAMPLE.read_text("utf-8")
    texts = [f"Dispatch {i:06d}\n{sample}" for i in range(3)] + TRICKY
    blank.chunks.learn_words(texts)
    learnt = set(blank.chunks.table.index)
    assert {f"{i:06d}" for i in range(3)} | set(sample.split()) <= set(blank.chunks.table.index)
    for text in texts:
        assert tokens(blank, text) == stock(text), repr(text)
    assert all(chunk.isspace() for chunk in set(blank.chunks.table.index) - learnt)  # only those were left

    # Articles with tokens of their own (or stored apart from them) are not tokenised at all.
    with_tokens = Article("Zyx-only words here", tokens=[(0, 8), (9, 14), (15, 19)])
    stored_apart = Article("Qwv stored apart", id=7)
    prepare_blank_tokens([with_tokens, stored_apart], {7: b"packed"})
    from annotator.io.tokens import _blank_tokenizer

    assert "Zyx-only" not in _blank_tokenizer().chunks.table.index
    assert "Qwv" not in _blank_tokenizer().chunks.table.index
