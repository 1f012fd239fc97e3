"""Token helpers behind the exports: rebuilding text from tokens, spans to token indices."""
import pytest

from annotator.core import Article
from annotator.io.tokens import TokenColumns, article_token_columns, blank_nlp, words_and_spaces


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

    columns = TokenColumns.from_pairs(tokens) if tokens else article_token_columns(Article(text))
    words, spaces, index = words_and_spaces(text, columns)
    doc = Doc(blank_nlp().vocab, words=words, spaces=spaces)
    assert doc.text == text
    assert [doc[i].idx for i in index] == [start for start, _ in columns.pairs]


def test_token_index_alignment():
    index = TokenColumns.from_pairs([(0, 3), (4, 9), (9, 10)])  # "The unicorns." style: word, word, period
    assert index.span(0, 3) == (0, 0, True)
    assert index.span(4, 10) == (1, 2, True)
    assert index.span(5, 9) == (1, 1, False)  # inside a token: widened, reported as misaligned
    assert index.span(2, 6) == (0, 1, False)  # across a boundary


def test_stored_tokens_win_over_the_blank_tokenizer():
    article = Article("New York-based", tokens=[(0, 8), (8, 14)])
    assert article_token_columns(article).pairs == [(0, 8), (8, 14)]
    assert article_token_columns(Article("New York-based")).pairs == [(0, 3), (4, 8), (8, 9), (9, 14)]


def test_token_columns_from_spacy_from_the_store_and_from_pairs_agree():
    """The four ways exports get token columns give the same offsets and trailing spaces."""
    from annotator.io.tokens import BlankTokenizer, TokenColumns, blank_nlp
    from annotator.store.store import pack_tokens

    text = 'He said: "Non."  Then\n\tleft 😀 at 5 p.m. for the U.S. '
    doc = blank_nlp().tokenizer(text)
    from_doc = TokenColumns.from_doc(doc, text)
    blank = BlankTokenizer(blank_nlp().tokenizer)
    from_chunks = blank.columns(text)
    assert from_chunks._doc is None  # put together from the chunks, each tokenised on its own
    assert from_chunks.orth.tolist() == [token.orth for token in doc]
    pairs = [(token.idx, token.idx + len(token)) for token in doc]
    for columns in (from_doc, from_chunks, TokenColumns.from_pairs(pairs), TokenColumns.from_packed(pack_tokens(pairs))):
        assert columns.pairs == pairs
        assert columns.spaced(text).tolist() == [bool(token.whitespace_) for token in doc]
        assert columns.covers(text)
        assert columns.words(text) == [token.text for token in doc]
    assert from_doc.orth.tolist() == [token.orth for token in doc]


def test_token_columns_that_leave_gaps_do_not_cover_the_text():
    from annotator.io.tokens import TokenColumns

    text = "a  b\nc d"
    columns = TokenColumns.from_pairs([(0, 1), (3, 4), (5, 6), (7, 8)])
    assert not columns.covers(text)  # two spaces, then a line break, between tokens
    assert columns.spaced(text).tolist() == [True, False, True, False]  # a space follows, held by no token
