"""Label schemes: the entity labels an analyst can pick, with colours and keys."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

DEFAULT_SCHEME = "labels-news.json"


class LabelSchemeError(ValueError):
    pass


@dataclass(frozen=True)
class Label:
    name: str
    color: str = "#dddddd"
    key: str = ""
    description: str = ""


@dataclass
class LabelScheme:
    name: str
    labels: list[Label] = field(default_factory=list)
    description: str = ""

    @property
    def names(self) -> list[str]:
        return [label.name for label in self.labels]

    def get(self, name: str) -> Label | None:
        return next((label for label in self.labels if label.name == name), None)

    def by_key(self, key: str) -> Label | None:
        return next((label for label in self.labels if key and label.key == key), None)

    @classmethod
    def from_dict(cls, data: dict, where: str = "label scheme") -> "LabelScheme":
        if not isinstance(data, dict) or not isinstance(data.get("labels"), list):
            raise LabelSchemeError(f"{where}: expected an object with a 'labels' list")
        labels, seen_names, seen_keys = [], set(), set()
        for i, item in enumerate(data["labels"]):
            if not isinstance(item, dict) or not item.get("name"):
                raise LabelSchemeError(f"{where}: labels[{i}] needs a 'name'")
            label = Label(str(item["name"]), str(item.get("color", "#dddddd")), str(item.get("key", "")),
                          str(item.get("description", "")))
            if label.name in seen_names:
                raise LabelSchemeError(f"{where}: labels[{i}]: {label.name!r} is listed twice")
            if label.key and label.key in seen_keys:
                raise LabelSchemeError(f"{where}: labels[{i}]: key {label.key!r} is used twice")
            seen_names.add(label.name)
            if label.key:
                seen_keys.add(label.key)
            labels.append(label)
        return cls(str(data.get("name", "labels")), labels, str(data.get("description", "")))

    @classmethod
    def load(cls, path: str | Path | None = None) -> "LabelScheme":
        """Load a scheme from a JSON file, or the bundled default."""
        if path is None:
            raw = resources.files("annotator.resources").joinpath(DEFAULT_SCHEME).read_text("utf-8")
            where = DEFAULT_SCHEME
        else:
            raw = Path(path).read_text("utf-8")
            where = str(path)
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise LabelSchemeError(f"{where}: line {exc.lineno}: {exc.msg}") from exc
        return cls.from_dict(data, where)
