"""The window's quote tooltips come from the guidelines and cover every kind."""
from pathlib import Path

from annotator.core.model import QUOTE_KINDS
from annotator.nlp.quote_help import FIELD_HELP, GUIDELINES_PATH, kind_help

REPO = Path(__file__).resolve().parent.parent


def test_every_quote_kind_has_help_and_the_guidelines_name_it():
    guidelines = (REPO / GUIDELINES_PATH).read_text("utf-8")
    for kind in QUOTE_KINDS:
        assert kind_help(kind).lower().startswith(kind)
        assert f"| {kind}" in guidelines or f"{kind}**" in guidelines or f"`{kind}`" in guidelines


def test_unknown_kind_lists_the_kinds():
    assert all(kind in kind_help("other") for kind in QUOTE_KINDS)


def test_field_help_names_speaker_name_and_cue():
    assert set(FIELD_HELP) == {"speaker", "speaker_name", "cue"}
