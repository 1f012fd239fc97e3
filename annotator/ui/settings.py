"""Typed settings over QSettings; tests point it at an ini file of their own."""
from __future__ import annotations

import getpass
import os
from dataclasses import asdict, dataclass, fields

from PySide6.QtCore import QSettings

THEMES = ("system", "light", "dark")


@dataclass
class AppSettings:
    analyst: str = ""
    pipeline: str = ""          # "" = best installed (see annotator.nlp.pipeline.choose_pipeline)
    label_scheme: str = ""      # path to a JSON scheme; "" = the bundled news scheme
    theme: str = "system"

    @property
    def who(self) -> str:
        """The name stored on every edit."""
        return self.analyst.strip() or _login_name()

    def validate(self) -> list[str]:
        problems = []
        if self.theme not in THEMES:
            problems.append(f"theme: {self.theme!r} is not one of {', '.join(THEMES)}")
        if self.label_scheme and not os.path.isfile(self.label_scheme):
            problems.append(f"label scheme: no file at {self.label_scheme}")
        return problems


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (containers, services)
        return "analyst"


def open_qsettings(path: str | None = None) -> QSettings:
    """``path`` (or ANNOTATOR_SETTINGS) as an ini file, else the platform's usual place."""
    path = path or os.environ.get("ANNOTATOR_SETTINGS")
    if path:
        return QSettings(path, QSettings.IniFormat)
    return QSettings(QSettings.IniFormat, QSettings.UserScope, "Annotator", "Annotator")


def load_settings(qs: QSettings) -> AppSettings:
    values = {}
    for f in fields(AppSettings):
        value = qs.value(f"app/{f.name}", f.default)
        values[f.name] = str(value) if value is not None else f.default
    settings = AppSettings(**values)
    if settings.theme not in THEMES:
        settings.theme = "system"
    return settings


def save_settings(qs: QSettings, settings: AppSettings) -> None:
    for name, value in asdict(settings).items():
        qs.setValue(f"app/{name}", value)
    qs.sync()
