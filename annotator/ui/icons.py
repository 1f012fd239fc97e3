"""The named icon registry: widgets ask for 'accept' or 'undo', never for a font glyph.

qtawesome (and the icon fonts it loads) costs more than half a second, so it stays off the
start-up path: the window shows first and ``IconRegistry.load`` fills icons in afterwards.
"""
from __future__ import annotations

# name -> (qtawesome glyph, colour role)
ICONS: dict[str, tuple[str, str]] = {
    "import": ("mdi6.tray-arrow-down", "text"),
    "export": ("mdi6.tray-arrow-up", "text"),
    "settings": ("mdi6.cog-outline", "text"),
    "quit": ("mdi6.exit-to-app", "text"),
    "undo": ("mdi6.undo", "text"),
    "redo": ("mdi6.redo", "text"),
    "delete": ("mdi6.trash-can-outline", "text"),
    "add_quote": ("mdi6.format-quote-open", "text"),
    "set_speaker": ("mdi6.account-voice", "text"),
    "set_cue": ("mdi6.message-text-outline", "text"),
    "cycle_kind": ("mdi6.swap-horizontal", "text"),
    "accept": ("mdi6.check-circle-outline", "done"),
    "skip": ("mdi6.skip-next-circle-outline", "skipped"),
    "reject": ("mdi6.close-circle-outline", "rejected"),
    "next": ("mdi6.chevron-right", "text"),
    "previous": ("mdi6.chevron-left", "text"),
    "search": ("mdi6.magnify", "muted"),
    "shortcuts": ("mdi6.keyboard-outline", "text"),
    "status-todo": ("mdi6.circle-outline", "muted"),
    "status-done": ("mdi6.check-circle", "done"),
    "status-skipped": ("mdi6.skip-next-circle", "skipped"),
    "status-rejected": ("mdi6.close-circle", "rejected"),
    "model": ("mdi6.robot-outline", "muted"),
    "analyst": ("mdi6.account-edit-outline", "accent"),
    "quote": ("mdi6.format-quote-close", "accent"),
}

COLOURS = {
    "light": {"text": "#37414b", "muted": "#8a949e", "done": "#2a9d8f", "skipped": "#c98a1b",
              "rejected": "#c8553d", "accent": "#3d6fb6"},
    "dark": {"text": "#d7dde3", "muted": "#8a949e", "done": "#4cc9b0", "skipped": "#e9b44c",
             "rejected": "#ef7a62", "accent": "#79a7e8"},
}


class IconRegistry:
    """Icons by name; empty until ``load`` runs (after the window is on screen)."""

    def __init__(self, theme: str = "light"):
        self.theme = theme
        self._cache: dict[str, object] = {}
        self._appliers: list[tuple[str, object]] = []  # (name, callable taking the icon)
        self.loaded = False

    def get(self, name: str):
        """The QIcon for ``name``, or None before ``load``."""
        if not self.loaded:
            return None
        if name not in self._cache:
            import qtawesome

            glyph, role = ICONS[name]
            colour = COLOURS.get(self.theme, COLOURS["light"])[role]
            self._cache[name] = qtawesome.icon(glyph, color=colour)
        return self._cache[name]

    def when_ready(self, name: str, apply) -> None:
        """Call ``apply(icon)`` now if icons are loaded, else as soon as they are."""
        if name not in ICONS:
            raise KeyError(f"no icon named {name!r} in the registry")
        self._appliers.append((name, apply))  # remembered, to recolour on a theme change
        if self.loaded:
            apply(self.get(name))

    def load(self) -> None:
        if self.loaded:
            return
        self.loaded = True
        self._apply_all()

    def set_theme(self, theme: str) -> None:
        if theme != self.theme:
            self.theme = theme
            self._cache.clear()
            if self.loaded:
                self._apply_all()

    def _apply_all(self) -> None:
        for name, apply in self._appliers:
            apply(self.get(name))
