"""``annotator import`` and ``annotator export`` through annotator.cli.main: exit codes and messages."""
import json
from pathlib import Path

from annotator.cli import main
from annotator.store import Store

DATA = Path(__file__).parent / "data"


def test_import_then_export(tmp_path, capsys, sample_text):
    db = str(tmp_path / "a.db")
    (tmp_path / "sample.txt").write_text(sample_text, "utf-8")
    assert main(["import", str(tmp_path / "sample.txt"), str(DATA / "prodigy.jsonl"), "--db", db]) == 0
    out = capsys.readouterr()
    assert out.out.strip() == "4 article(s) added, 0 already stored, 0 problem(s) in 2 file(s)"

    assert main(["--db", db, "import", str(tmp_path / "sample.txt")]) == 0
    assert "0 article(s) added, 1 already stored" in capsys.readouterr().out

    out_file = tmp_path / "out.jsonl"
    assert main(["export", "--format", "jsonl", "--output", str(out_file), "--db", db]) == 0
    assert capsys.readouterr().out.strip() == f"1 article(s) written to {out_file} as jsonl"  # the accepted task
    assert main(["export", "--format", "jsonl", "--output", str(out_file), "--db", db, "--all"]) == 0
    assert len(out_file.read_text("utf-8").splitlines()) == 4


def test_import_problems_exit_1_and_are_listed(tmp_path, capsys):
    db = str(tmp_path / "a.db")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Good one."}\n{"text": \n', "utf-8")
    assert main(["import", str(bad), str(tmp_path / "missing.txt"), "--db", db]) == 1
    out = capsys.readouterr()
    assert "1 article(s) added, 0 already stored, 2 problem(s) in 1 file(s)" in out.out
    assert f"{bad}:2: not valid JSON" in out.err and f"{tmp_path / 'missing.txt'}: no such file or folder" in out.err
    with Store(tmp_path / "a.db") as store:
        assert store.count_articles() == 1


def test_import_format_option(tmp_path, capsys):
    db = str(tmp_path / "a.db")
    page = tmp_path / "page.data"
    page.write_text((DATA / "page.html").read_text("utf-8"), "utf-8")
    assert main(["import", str(page), "--db", db]) == 1
    assert "unknown file type '.data'" in capsys.readouterr().err
    assert main(["import", str(page), "--format", "html", "--db", db]) == 0
    with Store(tmp_path / "a.db") as store:
        assert store.list_articles()[0].title == "Harbour bridge reopens after repairs"


def test_export_warnings_go_to_stderr(tmp_path, capsys):
    db = str(tmp_path / "a.db")
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": "The unicorns roamed.", "status": "done",
                               "spans": [{"start": 4, "end": 8, "label": "ANIMAL"}]}) + "\n", "utf-8")
    assert main(["import", str(src), "--db", db]) == 0
    capsys.readouterr()
    assert main(["export", "--format", "spacy", "--output", str(tmp_path / "o.spacy"), "--db", db]) == 0
    err = capsys.readouterr().err
    assert "warning: article 1: ANIMAL span 4-8 'unic' does not align with token boundaries" in err


def test_export_to_a_folder_is_a_clear_error(tmp_path, capsys):
    db = str(tmp_path / "a.db")
    assert main(["export", "--format", "csv", "--output", str(tmp_path), "--db", db]) == 2
    assert capsys.readouterr().err.strip() == f"error: {tmp_path} is a folder; give a file name for this format"
