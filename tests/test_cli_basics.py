import io

import pytest

from annotator import __version__
from annotator.cli import Progress, build_parser, main
from annotator.store import default_db_path


def test_version(capsys):
    try:
        main(["--version"])
    except SystemExit as exc:
        assert exc.code == 0
    assert capsys.readouterr().out.strip() == f"annotator {__version__}"


def test_default_db_honours_env(monkeypatch, tmp_path):
    monkeypatch.setenv("ANNOTATOR_DB", str(tmp_path / "x.db"))
    assert default_db_path() == tmp_path / "x.db"
    monkeypatch.delenv("ANNOTATOR_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_db_path().name == "annotations.db"


def test_db_option_before_or_after_command():
    parser = build_parser()
    assert parser.parse_args(["--db", "a.db", "stats"]).db == "a.db"
    assert parser.parse_args(["stats", "--db", "b.db"]).db == "b.db"


def test_progress_bar_shows_counts_and_rate():
    out = io.StringIO()
    bar = Progress("annotate", stream=out, force=True)
    bar(5, 10, 500)
    bar(10, 10, 1000)
    text = out.getvalue()
    assert "10/10 articles" in text and "words/s" in text and text.endswith("\n")


def test_progress_bar_shows_bytes_as_megabytes():
    out = io.StringIO()
    bar = Progress("import", "MB", stream=out, force=True, scale=1e-6)
    bar(313_598_890, 313_598_890)
    assert "313.6/313.6 MB" in out.getvalue() and " MB/s" in out.getvalue()


def test_jobs_must_be_a_positive_number(tmp_path, capsys, monkeypatch):
    with pytest.raises(SystemExit):
        main(["export", "--format", "csv", "--output", str(tmp_path / "x.csv"), "--jobs", "0"])
    assert "at least 1" in capsys.readouterr().err
    monkeypatch.setenv("ANNOTATOR_JOBS", "lots")
    with pytest.raises(SystemExit, match="ANNOTATOR_JOBS='lots'"):
        main(["--db", str(tmp_path / "x.db"), "export", "--format", "csv", "--output", str(tmp_path / "x.csv")])


def test_import_prints_notes_for_skipped_files(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("A title\n\nSome text here.", encoding="utf-8")
    (folder / "picture.png").write_bytes(b"\x89PNG\r\n")
    assert main(["import", str(folder), "--db", str(tmp_path / "x.db")]) == 0
    captured = capsys.readouterr()
    assert "1 article(s) added" in captured.out
    assert "note:" in captured.err and "skipped" in captured.err
