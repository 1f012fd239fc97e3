"""First run: an empty database gets the bundled sample article, so the window is never blank."""
from __future__ import annotations

from importlib import resources

from ..core.model import Article
from ..core.noise import find_noise, find_title
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..store.store import Store

SAMPLE = "sample-article.txt"


def sample_article() -> Article:
    text = resources.files("annotator.resources").joinpath(SAMPLE).read_text("utf-8")
    noise = find_noise(text)
    return Article(text=text, title=find_title(text, noise), noise=noise,
                   meta={"source": "bundled sample", "file": SAMPLE})


def ensure_sample(store: Store) -> int | None:
    """Import the sample into an empty database; the new article's id, or None if not empty."""
    if store.count_articles() > 0:
        return None
    return store.add_article(sample_article(), who="first run", source=SAMPLE).article_id
