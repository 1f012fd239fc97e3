"""Editing a label scheme: names, number keys, colours and descriptions, saved as JSON.

The check is the core's own (``LabelScheme.from_dict``), so a scheme this dialog saves is
exactly one the application can load; its messages name the row at fault.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QColorDialog, QDialog, QDialogButtonBox, QHBoxLayout,
                               QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout)

from ..core.labels import LabelScheme, LabelSchemeError

COLUMNS = ("Name", "Key", "Colour", "Description")


def scheme_to_dict(scheme: LabelScheme) -> dict:
    return {"name": scheme.name, "description": scheme.description,
            "labels": [{"name": lb.name, "key": lb.key, "color": lb.color, "description": lb.description}
                       for lb in scheme.labels]}


def save_scheme(path: str | Path, data: dict) -> LabelScheme:
    """Check ``data`` and write it to ``path`` whole (a temporary file, then a rename)."""
    scheme = LabelScheme.from_dict(data, str(path))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return scheme


class LabelSchemeDialog(QDialog):
    def __init__(self, scheme: LabelScheme, path: str | Path, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Label scheme")
        self.resize(640, 520)
        self.scheme_name = scheme.name
        self.description = scheme.description
        self.path = Path(path)
        self.saved: LabelScheme | None = None
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("labelTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.Stretch)
        self.table.cellDoubleClicked.connect(self._maybe_pick_colour)
        for label in scheme.labels:
            self.add_row(label.name, label.key, label.color, label.description)
        add = QPushButton("Add label")
        remove = QPushButton("Remove label")
        add.clicked.connect(lambda: self.add_row("NEW", "", "#dddddd", ""))
        remove.clicked.connect(lambda: self.table.removeRow(self.table.currentRow()))
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        self.where = QLabel(f"Saved to {self.path}")
        self.where.setWordWrap(True)
        self.problems = QLabel()
        self.problems.setStyleSheet("color: #c8553d")
        self.problems.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Keys 1\u20139 and 0 label the selected words; double-click a colour to change it."))
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(self.where)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)

    def add_row(self, name: str, key: str, colour: str, description: str) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        for c, value in enumerate((name, key, colour, description)):
            item = QTableWidgetItem(value)
            if c == 2:
                item.setBackground(QColor(colour))
            self.table.setItem(r, c, item)

    def _maybe_pick_colour(self, row: int, column: int) -> None:
        if column != 2:
            return
        item = self.table.item(row, 2)
        colour = QColorDialog.getColor(QColor(item.text()), self, "Label colour")
        if colour.isValid():
            item.setText(colour.name())
            item.setBackground(colour)

    def data(self) -> dict:
        labels = []
        for r in range(self.table.rowCount()):
            cell = lambda c: (self.table.item(r, c).text() if self.table.item(r, c) else "").strip()  # noqa: E731
            labels.append({"name": cell(0), "key": cell(1), "color": cell(2) or "#dddddd",
                           "description": cell(3)})
        return {"name": self.scheme_name, "description": self.description, "labels": labels}

    def save(self) -> None:
        data = self.data()
        bad = [f"labels[{i}].color: {lb['color']!r} is not a colour" for i, lb in enumerate(data["labels"])
               if not QColor(lb["color"]).isValid()]
        if bad:
            self.problems.setText("\n".join(bad))
            return
        try:
            self.saved = save_scheme(self.path, data)
        except (LabelSchemeError, OSError) as exc:
            self.problems.setText(str(exc))
            return
        self.accept()
