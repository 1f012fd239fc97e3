"""Above the text: the article's title and a line of metadata."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from .queue_model import STATUS_TEXT
from .follow import FollowsEditor

if TYPE_CHECKING:  # the editing logic loads with the first article, not before
    from .editor import ArticleEditor


class ArticleHeader(FollowsEditor, QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("articleHeader")
        self.title = QLabel()
        self.title.setObjectName("articleTitle")
        self.title.setWordWrap(True)
        self.meta = QLabel()
        self.meta.setObjectName("articleMeta")
        self.meta.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        self.editor: ArticleEditor | None = None

    def editor_replaced(self) -> None:
        self.refresh()

    def _on_changed(self, change, _owners) -> None:
        self.refresh()

    def refresh(self) -> None:
        if self.editor is None:
            self.title.setText("No articles yet")
            self.meta.setText("Import articles with File \u203a Import (Ctrl+O), or drop files here.")
            return
        article = self.editor.article
        self.title.setText(article.title or "(untitled)")
        self.meta.setText(meta_line(article))


def meta_line(article) -> str:
    parts = []
    for key in ("date", "published", "source", "outlet", "url", "file"):
        value = article.meta.get(key)
        if value:
            parts.append(str(value))
            if len(parts) == 2:
                break
    words = len(article.text.split())
    parts.append(f"{words:,} words")
    parts.append(f"{len(article.entities)} entities \u00b7 {len(article.quotes)} quotes")
    parts.append(STATUS_TEXT.get(article.status, article.status))
    if article.pipeline:
        parts.append("pre-annotated")
    else:
        parts.append("not pre-annotated yet")
    return "  \u00b7  ".join(part.replace(" ", "\u00a0") for part in parts)  # wrap between parts only
