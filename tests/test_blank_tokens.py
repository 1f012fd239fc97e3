"""FastTokenizer primes spaCy's chunk cache: its offsets must be those of the stock tokenizer."""
import json
from pathlib import Path

import pytest

from annotator.core import Article
from annotator.io.tokens import FastTokenizer, TokenColumns, article_token_columns

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "resources" / "sample-article.txt"
POLNEAR_JSONL = REPO.parent / "shared" / "data" / "polnear-dev.jsonl"

TRICKY = [
    "",
    "He's",
    "He's here. He's there. he's everywhere, and he's",  # the same contraction again and again
    "Don't stop now, we can't",  # contractions first and last
    "“It’s over,” she said. ''We're done.'' \"Don't",
    "'Look, (he's) D.C.’s mayor and Trump’s aide'",
    "Great 👍🏽 news 🎉! Family 👨‍👩‍👧 ❤️",
    "東京は晴れ。今日は、いい天気です Tokyo（東京）",
    "a\tb\t\tc \t d",
    "a  b   c    d",
    "  leading and trailing  ",
    "   ",
    " x",
    "x ",
    "\n",
    "Para one.\n\nPara two.\n\n",
    "He's out.\n\nPara \n\n two \n three\n \nfour\t\n\tfive \r\n\r\n six\n\n",  # runs with and without spaces
    "Line one.\r\nLine two.\r\n",
    "Hillary Clinton\u00a0was headed\u00a0— but \u00a0 \u202fthen\u2009a\u3000b",
    "a\x0bb\x1cc\u2028d\x0ce",
    "See https://example.com/a-b?c=d&e=f. Or www.example.org, he's said.",
    "U.S. troops, the U.S.-led coalition and U.S.,",
    "Feb. 7",
    "on Feb. 7, 2022 at 5 p.m. Mr. Smith (R-Fla.) and Sen. Jones",
    ":) Nice :) and :-( and <3 ;)",
    "word—word — word -- word – word",
    "5km 10kg $5.3bn 9/11 1,000 3.5% US$40",
    "gonna cannot Im id em ll",
    "\u00a0",
]


@pytest.fixture(scope="module")
def stock():
    """spaCy's own blank English tokenizer, the reference."""
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    return lambda text: [(t.idx, t.idx + len(t.text)) for t in tokenizer(text)]


def offsets(fast: FastTokenizer, text: str) -> list[tuple[int, int]]:
    """What an export takes of the fast tokenizer: the offsets of its Doc's tokens."""
    return TokenColumns.from_doc(fast.doc(text), text).pairs


def fresh_fast(max_chunks=None) -> FastTokenizer:
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    return FastTokenizer(tokenizer) if max_chunks is None else FastTokenizer(tokenizer, max_chunks=max_chunks)


@pytest.fixture(scope="module")
def fast() -> FastTokenizer:
    return fresh_fast()  # shared on purpose: each test meets a cache that others filled


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_strings(fast, stock, text):
    assert offsets(fast, text) == stock(text)
    assert offsets(fast, text) == stock(text)  # the second time from the cache


def test_tricky_strings_one_after_another(stock):
    fast = fresh_fast()
    for text in TRICKY + TRICKY[::-1]:
        assert offsets(fast, text) == stock(text), repr(text)


def test_sample_article(fast, stock):
    text = SAMPLE.read_text("utf-8")
    assert offsets(fast, text) == stock(text)
    assert offsets(fast, text) == stock(text)
    numbered = f"Dispatch {1:06d}\n" + text
    assert offsets(fast, numbered) == stock(numbered)


def test_offsets_are_code_points(fast, stock):
    text = "🎉 He's 東京 here"
    tokens = offsets(fast, text)
    assert tokens == stock(text)
    assert [text[s:e] for s, e in tokens] == ["🎉", "He", "'s", "東京", "here"]


def test_public_entry_points(stock):
    text = "He's here, and so is the U.S. envoy."
    assert article_token_columns(Article(text)).pairs == stock(text)


def counting_fast() -> tuple[FastTokenizer, list[str]]:
    """A fast tokenizer, and the chunks its spaCy tokenizer does not find in its cache."""
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    prefix_search = tokenizer.prefix_search
    calls = []

    def counting(string):  # called for every chunk not found in the cache
        calls.append(string)
        return prefix_search(string)

    tokenizer.prefix_search = counting
    return FastTokenizer(tokenizer), calls


def test_chunks_after_a_special_case_come_from_the_cache():
    """The point of priming: spaCy alone does not cache the chunks after "He's"."""
    fast, calls = counting_fast()
    text = "He's here, and there."
    offsets(fast, text)
    calls.clear()
    offsets(fast, text)
    assert calls == []


def test_paragraph_breaks_after_a_special_case_come_from_the_cache():
    """Whitespace runs other than one space are chunks too: primed, they are not re-tokenised."""
    fast, calls = counting_fast()
    text = "He's here.\n\nAnd there,\r\n\r\nand\t\there."
    offsets(fast, text)
    calls.clear()
    offsets(fast, f"He's {text}")
    assert calls == []


def test_limit_stops_priming_and_keeps_the_tokens(stock):
    fast = fresh_fast(max_chunks=12)
    assert fast.tokenizer.max_cache_size == 12
    offsets(fast, "He's here, and there.")
    assert fast.priming  # 4 chunks so far
    texts = TRICKY + [SAMPLE.read_text("utf-8")] + TRICKY
    for text in texts:
        assert offsets(fast, text) == stock(text), repr(text)
    assert not fast.priming
    for text in texts:
        assert offsets(fast, text) == stock(text), repr(text)


def test_limit_counts_chunks_not_pieces_with_line_breaks(stock):
    """Pieces with line breaks are mostly one-offs: what fills spaCy's cache is the chunks in them."""
    fast = fresh_fast(max_chunks=30)
    words = ["alpha", "beta", "gamma", "delta"]
    for first in words:
        for second in words:
            text = f"{first}\n{second} {second}\n\n{first}"
            assert offsets(fast, text) == stock(text)
    assert fast.priming  # 32 pieces seen, but 4 words and 2 whitespace runs in them


@pytest.mark.skipif(not POLNEAR_JSONL.is_file(),
                    reason=f"needs {POLNEAR_JSONL}, a shared corpus that CI machines do not have")
def test_polnear_dev_texts(stock):
    texts = [json.loads(line)["text"] for line in POLNEAR_JSONL.read_text("utf-8").splitlines() if line.strip()]
    assert len(texts) > 50
    fast = fresh_fast()
    for _ in range(2):  # cold, then with the cache filled by every text
        for text in texts:
            assert offsets(fast, text) == stock(text)
