from .session import EditSession
from .store import ArticleRow, Store, StoreError, default_db_path

__all__ = ["EditSession", "Store", "StoreError", "ArticleRow", "default_db_path"]
