"""Short texts from docs/quote-guidelines.md, for tooltips and help in the window.

Kept next to the extractor so that what the window says and what the extractor does
change together.
"""
from __future__ import annotations

GUIDELINES_PATH = "docs/quote-guidelines.md"

KIND_HELP = {
    "direct": ("Direct quote: the words in quotation marks, marks included. One cue with two parts "
               "(\u201cA,\u201d he said, \u201cB.\u201d) is one quote; a quote over several paragraphs is one quote."),
    "mixed": ("Mixed quote: a reported clause holding quoted words, the whole clause "
              "(declared they are acting \u201cin unity\u201d; called Trump a \u201cliar\u201d)."),
    "indirect": ("Indirect quote: reported speech without marks (X said (that) \u2026, according to X, "
                 "X told reporters \u2026); the clause, without its full stop."),
}

FIELD_HELP = {
    "speaker": ("Speaker: the words naming the source (a name, \u201che\u201d, \u201cthe Russian leader\u201d, "
                "\u201cthe White House\u201d). Empty when no source is named."),
    "speaker_name": ("Speaker name: the fullest form of the name the article uses (\u201cEmmanuel Macron\u201d "
                     "for \u201cMacron\u201d, \u201che\u201d, \u201cthe French president\u201d); empty when the "
                     "article does not make it clear."),
    "cue": "Cue: the verb or phrase of saying (said, told, according to, saying, called).",
}

NOT_QUOTES = ("Not quotes: scare quotes and single terms, titles and mottos, hypothetical or thought "
              "speech, marks used for emphasis, page noise.")


def kind_help(kind: str) -> str:
    """Tooltip for a quote kind; unknown kinds get the list of kinds rather than an error."""
    return KIND_HELP.get(kind, "Quote kinds: " + ", ".join(KIND_HELP))
