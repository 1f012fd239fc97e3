"""Web pages: the article body without navigation and boilerplate, via trafilatura."""
from __future__ import annotations

from ..core.model import Article
from ..core.noise import find_noise, find_title
from .problems import BadInput

MIN_WORDS = 5  # fewer is a menu or a label, not an article


def article_from_html(html: str, name: str) -> Article:
    try:
        from trafilatura import bare_extraction
    except ImportError as exc:  # a broken install (e.g. lxml without lxml_html_clean)
        raise BadInput(f"HTML import needs trafilatura, which does not load here: {exc}") from None

    doc = bare_extraction(html, include_comments=False, include_tables=False, with_metadata=True)
    body = getattr(doc, "text", None) if doc is not None else None
    if not body or len(body.split()) < MIN_WORDS:
        raise BadInput("no article text found in this page")
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    meta = {"file": name}
    for key in ("title", "author", "date", "url", "sitename"):
        value = getattr(doc, key, None)
        if isinstance(value, str) and value.strip():
            meta[key] = value.strip()
    noise = find_noise(text)
    return Article(text=text, title=meta.get("title") or find_title(text, noise), meta=meta, noise=noise)
