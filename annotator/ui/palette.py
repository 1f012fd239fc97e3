"""The label palette: one chip per label, in its colour, with its number key."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QMenu, QToolButton, QWidget

from ..core.labels import LabelScheme


class LabelPalette(QWidget):
    label_chosen = Signal(str)

    def __init__(self, scheme: LabelScheme, parent=None):
        super().__init__(parent)
        self.setObjectName("labelPalette")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(8, 2, 8, 4)
        self._layout.setSpacing(6)
        self.buttons: dict[str, QToolButton] = {}
        self.set_scheme(scheme)

    def set_scheme(self, scheme: LabelScheme) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.buttons.clear()
        keyed = [label for label in scheme.labels if label.key]
        others = [label for label in scheme.labels if not label.key]
        for label in keyed:
            button = QToolButton(self)
            button.setObjectName(f"chip_{label.name}")
            button.setProperty("chip", True)
            button.setFocusPolicy(Qt.NoFocus)  # keep the keyboard on the article
            button.setText(f"{label.key}  {label.name}")
            button.setToolTip(f"{label.name}: {label.description}\nSelect words, then press {label.key}")
            button.clicked.connect(lambda _c=False, n=label.name: self.label_chosen.emit(n))
            self._layout.addWidget(button)
            self.buttons[label.name] = button
        if others:
            more = QToolButton(self)
            more.setObjectName("chip_more")
            more.setProperty("chip", True)
            more.setFocusPolicy(Qt.NoFocus)
            more.setText("More\u2026")
            more.setPopupMode(QToolButton.InstantPopup)
            menu = QMenu(more)
            for label in others:
                action = menu.addAction(label.name)
                action.setToolTip(label.description)
                action.triggered.connect(lambda _c=False, n=label.name: self.label_chosen.emit(n))
            more.setMenu(menu)
            self._layout.addWidget(more)
        self._layout.addStretch(1)
        # One style sheet for every chip: parsing one per button costs start-up time.
        self.setStyleSheet("\n".join(_chip_style(f"chip_{label.name}", label.color) for label in keyed))


def _chip_style(name: str, colour: str) -> str:
    base = QColor(colour)
    border = base.darker(125).name()
    hover = base.darker(108).name()
    return (f"QToolButton#{name} {{ background: {colour}; color: #1b1f23; border: 1px solid {border};"
            f" border-radius: 9px; padding: 2px 8px; font-size: 8.5pt; }}"
            f" QToolButton#{name}:hover {{ background: {hover}; }}")
