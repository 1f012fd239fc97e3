"""Light and dark looks: a style sheet from resources/ plus the colours the text view paints."""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette


@dataclass(frozen=True)
class Colours:
    name: str
    page: str
    text: str
    muted: str
    noise: str
    quote_text: str
    quote_bar: str
    quote_selected_bg: str
    speaker: str
    cue: str
    chip_bg: str
    chip_text: str
    entity_text: str


LIGHT = Colours("light", page="#fbfaf7", text="#24292f", muted="#6b737c", noise="#a3a9b0",
                quote_text="#1d3b5c", quote_bar="#9db4cf", quote_selected_bg="#e6eef8",
                speaker="#b4432c", cue="#1f8a7d", chip_bg="#e9eef5", chip_text="#2c4a6e",
                entity_text="#1b1f23")
DARK = Colours("dark", page="#1e2125", text="#dfe3e8", muted="#98a1ab", noise="#6c737b",
               quote_text="#b9d3f2", quote_bar="#4b6584", quote_selected_bg="#2a3646",
               speaker="#f08a70", cue="#5fd0bf", chip_bg="#2c3644", chip_text="#c4d7ef",
               entity_text="#15181b")


def resolve(theme: str) -> str:
    """'system' becomes 'light' or 'dark' from the desktop's colour scheme."""
    if theme in ("light", "dark"):
        return theme
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", lambda: Qt.ColorScheme.Unknown)()
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def colours(theme: str) -> Colours:
    return DARK if resolve(theme) == "dark" else LIGHT


def apply_theme(app, theme: str) -> Colours:
    name = resolve(theme)
    sheet = resources.files("annotator.resources").joinpath(f"{name}.qss").read_text("utf-8")
    app.setStyle("Fusion")
    app.setPalette(_palette(colours(name)))
    app.setStyleSheet(sheet)
    return colours(name)


def _palette(c: Colours) -> QPalette:
    pal = QPalette()
    dark = c.name == "dark"
    window = QColor("#25292e" if dark else "#f3f2ef")
    base = QColor(c.page)
    pal.setColor(QPalette.Window, window)
    pal.setColor(QPalette.WindowText, QColor(c.text))
    pal.setColor(QPalette.Base, base)
    pal.setColor(QPalette.AlternateBase, QColor("#2a2f35" if dark else "#f6f5f2"))
    pal.setColor(QPalette.Text, QColor(c.text))
    pal.setColor(QPalette.Button, window)
    pal.setColor(QPalette.ButtonText, QColor(c.text))
    pal.setColor(QPalette.ToolTipBase, QColor("#2b3138" if dark else "#ffffff"))
    pal.setColor(QPalette.ToolTipText, QColor(c.text))
    pal.setColor(QPalette.Highlight, QColor("#3d6fb6" if dark else "#bcd3f0"))
    pal.setColor(QPalette.HighlightedText, QColor("#ffffff" if dark else "#14212e"))
    pal.setColor(QPalette.PlaceholderText, QColor(c.muted))
    return pal
