"""The plain-Python model: no Qt, no SQLite."""
from .model import (QUOTE_KINDS, SOURCES, STATUSES, AnnotationError, Article, EntitySpan, Mention,
                    Quote, text_hash)

__all__ = ["Article", "EntitySpan", "Quote", "Mention", "AnnotationError", "text_hash",
           "QUOTE_KINDS", "SOURCES", "STATUSES"]
