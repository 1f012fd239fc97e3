"""What an import or export reports back: counts, problems naming file and line, notes."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ImportProblem:
    """One record or file that was not stored, and why."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else str(self.path)
        return f"{where}: {self.message}"


class BadInput(ValueError):
    """Raised while reading one record or file; the caller turns it into an ImportProblem."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class ImportReport:
    added: int = 0
    duplicates: int = 0
    files: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    # Things worth knowing that did not stop a record (e.g. "decoded as cp1252").
    notes: list[str] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)


@dataclass
class ExportReport:
    articles: int = 0
    warnings: list[str] = field(default_factory=list)
    output: Path | None = None
