"""Every default keyboard shortcut in one table: the menus, the view and the sheet read it."""
from __future__ import annotations

# action id -> key sequences (first is shown in menus). Single keys only fire while the
# article has focus, so typing in a search box never labels anything.
DEFAULT_SHORTCUTS: dict[str, tuple[str, ...]] = {
    "import": ("Ctrl+O",),
    "export": ("Ctrl+E",),
    "settings": ("Ctrl+,",),
    "quit": ("Ctrl+Q",),
    "undo": ("Ctrl+Z",),
    "redo": ("Ctrl+Shift+Z", "Ctrl+Y"),
    "delete": ("Delete", "Backspace"),
    "add_quote": ("Q",),
    "set_speaker": ("S",),
    "set_cue": ("C",),
    "cycle_kind": ("K",),
    "clear_selection": ("Esc",),
    "next_entity": (".",),
    "previous_entity": (",",),
    "next_quote": ("]",),
    "previous_quote": ("[",),
    "end_right": ("Shift+Right",),
    "end_left": ("Shift+Left",),
    "start_left": ("Ctrl+Shift+Left",),
    "start_right": ("Ctrl+Shift+Right",),
    "accept": ("Ctrl+Return", "Ctrl+Enter"),
    "skip": ("Ctrl+Shift+Return",),
    "reject": ("Ctrl+Shift+Backspace",),
    "next": ("Alt+Right", "Ctrl+PgDown"),
    "previous": ("Alt+Left", "Ctrl+PgUp"),
    "search": ("Ctrl+F",),
    "shortcuts": ("F1", "?", "Shift+?"),  # keyboards send "?" with or without Shift
}

# Actions whose keys are plain letters or editing keys: bound to the article view only.
VIEW_SCOPED = {"next_entity", "previous_entity", "next_quote", "previous_quote", "delete", "add_quote", "set_speaker", "set_cue", "cycle_kind", "clear_selection",
               "end_right", "end_left", "start_left", "start_right", "shortcuts"}


def keys_for(action_id: str) -> tuple[str, ...]:
    return DEFAULT_SHORTCUTS.get(action_id, ())
