"""A tiny observer: plain-Python models announce changes without knowing about Qt."""
from __future__ import annotations

from typing import Callable


class Event:
    """Callbacks run in connection order; a widget connects, the model emits."""

    def __init__(self) -> None:
        self._callbacks: list[Callable] = []

    def connect(self, callback: Callable) -> None:
        self._callbacks.append(callback)

    def disconnect(self, callback: Callable) -> None:
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def emit(self, *args) -> None:
        for callback in list(self._callbacks):
            callback(*args)
