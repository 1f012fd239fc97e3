"""Menus, toolbar and key bindings built from one table instead of wired line by line."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from .icons import ICONS, IconRegistry
from .shortcuts import VIEW_SCOPED, keys_for


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str
    menu: str            # "" = no menu entry (key binding only)
    tip: str = ""
    toolbar: bool = False
    separator_before: bool = False


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("import", "&Import articles\u2026", "&File", "Import text, JSONL, brat or HTML files or folders"),
    ActionSpec("export", "&Export training data\u2026", "&File", "Write done articles as training data"),
    ActionSpec("settings", "&Settings\u2026", "&File", "Analyst name, pipeline, labels, theme",
               separator_before=True),
    ActionSpec("quit", "&Quit", "&File", separator_before=True),
    ActionSpec("undo", "&Undo", "&Edit", "Undo the last change to this article"),
    ActionSpec("redo", "&Redo", "&Edit", "Redo the change you undid"),
    ActionSpec("delete", "&Delete annotation", "&Edit", "Remove the selected entity or quote",
               separator_before=True),
    ActionSpec("add_quote", "Mark &quote", "&Edit", "Mark the selected words as a quote", toolbar=True),
    ActionSpec("set_speaker", "Set s&peaker", "&Edit",
               "Selected words (or the next entity you click) become the quote's speaker", toolbar=True),
    ActionSpec("set_cue", "Set &cue", "&Edit",
               "Selected words (or the next words you click) become the quote's cue (said, told\u2026)",
               toolbar=True),
    ActionSpec("cycle_kind", "Quote &kind: direct / indirect / mixed", "&Edit"),
    ActionSpec("end_right", "Extend entity end by a word", "&Edit", separator_before=True),
    ActionSpec("end_left", "Shrink entity end by a word", "&Edit"),
    ActionSpec("start_left", "Extend entity start by a word", "&Edit"),
    ActionSpec("start_right", "Shrink entity start by a word", "&Edit"),
    ActionSpec("clear_selection", "Clear selection", "&Edit"),
    ActionSpec("next_entity", "Select next entity", "&Edit", separator_before=True),
    ActionSpec("previous_entity", "Select previous entity", "&Edit"),
    ActionSpec("next_quote", "Select next quote", "&Edit"),
    ActionSpec("previous_quote", "Select previous quote", "&Edit"),
    ActionSpec("accept", "&Accept and next", "&Article", "Mark this article done and open the next",
               toolbar=True),
    ActionSpec("skip", "&Skip", "&Article", "Leave this article for later and open the next", toolbar=True),
    ActionSpec("reject", "&Reject", "&Article", "Not usable (not news, broken text)", toolbar=True),
    ActionSpec("previous", "&Previous article", "&Article", separator_before=True, toolbar=True),
    ActionSpec("next", "&Next article", "&Article", toolbar=True),
    ActionSpec("search", "&Find in queue", "&Article", "Full-text search over all articles"),
    ActionSpec("shortcuts", "&Keyboard shortcuts", "&Help"),
)


def build_actions(window, view, handlers: dict, icons: IconRegistry) -> dict[str, QAction]:
    """One QAction per table row, triggering ``handlers[id]``; letter keys bound to ``view``."""
    actions: dict[str, QAction] = {}
    for spec in ACTIONS:
        action = QAction(spec.text.replace("&", "&"), window)
        action.setObjectName(f"action_{spec.id}")
        keys = [QKeySequence(k) for k in keys_for(spec.id)]
        if keys:
            action.setShortcuts(keys)
        tip = spec.tip or spec.text.replace("&", "")
        if keys:
            tip += f"  ({keys[0].toString(QKeySequence.NativeText)})"
        action.setToolTip(tip)
        action.setStatusTip(spec.tip)
        handler = handlers.get(spec.id)
        if handler is None:
            raise KeyError(f"no handler for action {spec.id!r}")
        action.triggered.connect(lambda _checked=False, h=handler: h())
        if spec.id in VIEW_SCOPED:
            action.setShortcutContext(Qt.WidgetWithChildrenShortcut)
            view.addAction(action)
        else:
            action.setShortcutContext(Qt.WindowShortcut)
            window.addAction(action)
        if spec.id in ICONS:
            icons.when_ready(spec.id, action.setIcon)
        actions[spec.id] = action
    return actions


def build_menus(menubar, actions: dict[str, QAction]) -> dict[str, object]:
    menus: dict[str, object] = {}
    for spec in ACTIONS:
        if not spec.menu:
            continue
        menu = menus.get(spec.menu)
        if menu is None:
            menu = menus[spec.menu] = menubar.addMenu(spec.menu)
        if spec.separator_before:
            menu.addSeparator()
        menu.addAction(actions[spec.id])
    return menus


def toolbar_ids() -> list[str]:
    return [spec.id for spec in ACTIONS if spec.toolbar]


def build_label_actions(view, scheme, on_label) -> list[QAction]:
    """Number keys from the label scheme, active while the article has focus."""
    actions = []
    for label in scheme.labels:
        if not label.key:
            continue
        action = QAction(f"Label {label.name}", view)
        action.setObjectName(f"label_{label.name}")
        action.setShortcut(QKeySequence(label.key))
        action.setShortcutContext(Qt.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _c=False, n=label.name: on_label(n))
        view.addAction(action)
        actions.append(action)
    return actions
