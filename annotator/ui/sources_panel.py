"""Right dock: who is quoted how often in this article."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from .follow import FollowsEditor

if TYPE_CHECKING:
    from .editor import ArticleEditor



class SourcesPanel(FollowsEditor, QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("sourcesPanel")
        self.tree = QTreeWidget()
        self.tree.setObjectName("sourcesTree")
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels(["Source", "Quotes", "Direct", "Indirect", "Mixed"])
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        for col in range(1, 5):
            header.setSectionResizeMode(col, QHeaderView.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tree)
        self.editor: ArticleEditor | None = None

    def editor_replaced(self) -> None:
        self.refresh()

    def _on_changed(self, change, _owners) -> None:
        if change.quotes:
            self.refresh()

    def refresh(self) -> None:
        self.tree.clear()
        if self.editor is None:
            return
        from .editor import sources_summary

        for who, total, kinds in sources_summary(self.editor.article):
            item = QTreeWidgetItem([who, str(total), str(kinds.get("direct", 0)),
                                    str(kinds.get("indirect", 0)), str(kinds.get("mixed", 0))])
            self.tree.addTopLevelItem(item)
