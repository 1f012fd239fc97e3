"""Token helpers behind the exports: rebuilding text from tokens, spans to token indices."""
import pytest

from annotator.core import Article
from annotator.io.tokens import TokenColumns, article_tokens, blank_nlp, words_and_spaces


@pytest.mark.parametrize("text, tokens", [
    ("Hello world.", None),
    ("Two  spaces\n\nand a tab\there ", None),
    (" leading space", None),
    ("New York-based", [(0, 8), (8, 14)]),  # tokens from another tool
    ("a   b  c", [(0, 1), (4, 5), (7, 8)]),  # gaps wider than one space
    ("x\ny", [(0, 1), (2, 3)]),  # a gap that is not a space
    ("ab cd ", [(3, 5)]),  # text before the first token and after the last
])
def test_words_and_spaces_rebuild_the_text(text, tokens):
    from spacy.tokens import Doc

    tokens = tokens or article_tokens(Article(text))
    words, spaces, index = words_and_spaces(text, tokens)
    doc = Doc(blank_nlp().vocab, words=words, spaces=spaces)
    assert doc.text == text
    assert [doc[i].idx for i in index] == [start for start, _ in tokens]


def test_token_index_alignment():
    index = TokenColumns.from_pairs([(0, 3), (4, 9), (9, 10)])  # "The unicorns." style: word, word, period
    assert index.span(0, 3) == (0, 0, True)
    assert index.span(4, 10) == (1, 2, True)
    assert index.span(5, 9) == (1, 1, False)  # inside a token: widened, reported as misaligned
    assert index.span(2, 6) == (0, 1, False)  # across a boundary


def test_stored_tokens_win_over_the_blank_tokenizer():
    article = Article("New York-based", tokens=[(0, 8), (8, 14)])
    assert article_tokens(article) == [(0, 8), (8, 14)]
    assert article_tokens(Article("New York-based")) == [(0, 3), (4, 8), (8, 9), (9, 14)]
