"""Importing each format, and every kind of bad input: clear message, nothing half-stored."""
import json
from pathlib import Path

import pytest

from annotator.io.importers import import_paths
from annotator.store import Store

DATA = Path(__file__).parent / "data"
POLNEAR = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "polnear-dev"


def write_jsonl(path: Path, records) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), "utf-8")
    return path


def only_article(store):
    [row] = store.list_articles()
    return store.get_article(row.id)


# --- plain text ------------------------------------------------------------------------------
def test_txt_title_skips_noise_and_text_is_kept(store, tmp_path, sample_text):
    path = tmp_path / "upi.txt"
    path.write_text(sample_text, "utf-8")
    report = import_paths(store, [path])
    assert (report.added, report.files, report.problems) == (1, 1, [])
    article = only_article(store)
    assert article.text == sample_text
    assert article.title == "France's Macron calls for 'de-escalation' of Ukraine crisis in Putin meeting"
    assert article.meta == {"file": "upi.txt"}
    noisy = [article.text[s:e] for s, e in article.noise]
    assert "Advertisement" in noisy and "Latest Headlines" in noisy


def test_txt_crlf_becomes_lf_and_same_text_is_one_article(store, tmp_path):
    (tmp_path / "a.txt").write_bytes(b"Title here\r\n\r\nBody line.\r\n")
    (tmp_path / "b.txt").write_bytes(b"Title here\n\nBody line.\n")
    report = import_paths(store, [tmp_path])
    assert (report.added, report.duplicates, report.files) == (1, 1, 2)
    assert only_article(store).text == "Title here\n\nBody line.\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_txt_encodings(store, tmp_path, encoding):
    text = "Caf\u00e9 owners \u2018protest\u2019 \u2013 the na\u00efve plan costs \u20ac5\n\nThe mayor said the caf\u00e9 would stay."
    path = tmp_path / "enc.txt"
    path.write_bytes(text.encode(encoding))
    report = import_paths(store, [path])
    assert report.added == 1 and report.problems == []
    assert only_article(store).text == text
    if encoding in ("utf-16", "cp1252"):
        assert any("decoded as" in note for note in report.notes)


def test_binary_and_empty_files_are_reported(store, tmp_path):
    (tmp_path / "image.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\n ")
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "good.txt").write_text("A good title\n\nAnd a body.", "utf-8")
    report = import_paths(store, [tmp_path])
    assert report.added == 1
    messages = {Path(str(p).split(":")[0]).name: str(p) for p in report.problems}
    assert "binary file" in messages["image.txt"]
    assert "empty file" in messages["empty.txt"]
    assert "empty file" in messages["blank.txt"]
    assert "empty file" in messages["empty.jsonl"]


def test_undetectable_bytes_are_reported_not_guessed(store, tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(b"\x81\x8d\x8f\x90\x9d" * 50)
    report = import_paths(store, [path])
    assert report.added == 0
    assert len(report.problems) == 1 and str(report.problems[0]).startswith(str(path))


def test_missing_path_and_unknown_type(store, tmp_path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    report = import_paths(store, [tmp_path / "nope.txt", tmp_path / "notes.pdf"])
    assert [p.message for p in report.problems] == [
        "no such file or folder",
        "unknown file type '.pdf'; name the format with --format txt|jsonl|brat|html"]


# --- JSONL: ours, Prodigy, doccano -----------------------------------------------------------
def test_jsonl_ours_keeps_meta_spans_quotes_tokens_and_status(store, tmp_path):
    text = 'Macron said "we need calm" on Monday.'
    record = {
        "text": text, "meta": {"id": "x-1", "nested": {"a": [1, 2]}}, "status": "done",
        "_annotator_id": "maria", "_timestamp": 1700000000,
        "tokens": [{"text": w, "start": text.index(w), "end": text.index(w) + len(w)} for w in ["Macron", "said"]],
        "spans": [{"start": 0, "end": 6, "text": "Macron", "label": "PERSON", "source": "model"}],
        "quotes": [{"id": 5, "start": 12, "end": 26, "text": '"we need calm"', "kind": "direct",
                    "speaker": {"start": 0, "end": 6, "text": "Macron"}, "speaker_name": "Emmanuel Macron",
                    "cue": {"start": 7, "end": 11, "text": "said"}, "source": "analyst"}],
    }
    report = import_paths(store, [write_jsonl(tmp_path / "ours.jsonl", [record])])
    assert report.added == 1 and report.problems == []
    article = only_article(store)
    assert article.meta == record["meta"] and article.status == "done" and article.annotator_id == "maria"
    assert article.updated_at.startswith("2023-11-14T22:13:20")
    assert [(e.start, e.end, e.label, e.source) for e in article.entities] == [(0, 6, "PERSON", "model")]
    [quote] = article.quotes
    assert (quote.id, quote.kind, quote.speaker_name, quote.source) == (5, "direct", "Emmanuel Macron", "analyst")
    assert (quote.speaker.start, quote.cue.start, quote.cue.end) == (0, 7, 11)
    assert article.tokens == [(0, 6), (7, 11)]
    assert article.title == text


def test_prodigy_tasks(store):
    report = import_paths(store, [DATA / "prodigy.jsonl"])
    assert (report.added, report.problems) == (3, [])
    first, second, third = (store.get_article(r.id) for r in store.list_articles())
    assert [(first.text[e.start:e.end], e.label) for e in first.entities] == [
        ("Apple", "ORG"), ("Tim Cook", "PERSON"), ("Cupertino", "GPE")]
    assert {e.source for e in first.entities} == {"analyst"}  # made by people: a model re-run keeps them
    assert first.status == "done" and first.meta == {"source": "prodigy-test"}
    assert first.tokens[:2] == [(0, 5), (6, 11)]
    assert second.status == "rejected" and [e.label for e in second.entities] == ["GPE"]
    assert third.status == "todo" and third.entities == []


def test_doccano_label_and_entities_with_relations(store):
    report = import_paths(store, [DATA / "doccano.jsonl"])
    assert (report.added, report.problems) == (2, [])
    merkel, talks = (store.get_article(r.id) for r in store.list_articles())
    assert [(merkel.text[e.start:e.end], e.label) for e in merkel.entities] == [
        ("Angela Merkel", "PERSON"), ("Paris", "GPE")]
    assert merkel.meta == {"id": 7, "Comments": []}
    [quote] = talks.quotes
    assert quote.text(talks.text) == '"very productive,"' and quote.kind == "direct"
    assert quote.speaker.text(talks.text) == "the minister" and quote.cue.text(talks.text) == "told"
    assert talks.entities == []  # SPEAKER and CUE entities are quote parts, not named entities


def test_malformed_lines_are_listed_and_good_ones_stored(store, tmp_path):
    path = write_jsonl(tmp_path / "mixed.jsonl", [
        {"text": "First good article."},
        '{"text": "broken", ',
        "",
        '["not", "an", "object"]',
        {"text": "Second good article."},
        {"meta": {"id": 3}},
        {"text": "   "},
    ])
    report = import_paths(store, [path])
    assert report.added == 2
    assert [str(p) for p in report.problems] == [
        f"{path}:2: not valid JSON: Expecting property name enclosed in double quotes (column 20)",
        f"{path}:4: expected a JSON object, got list",
        f"{path}:6: text: missing or not a string",
        f"{path}:7: text: empty",
    ]


@pytest.mark.parametrize("bad, message", [
    ({"spans": [{"start": 0, "end": 99, "label": "ORG"}]},
     "spans[0]: offsets 0-99 are out of range for a text of 29 characters"),
    ({"spans": [{"start": 0, "end": 6, "text": "Apples", "label": "ORG"}]},
     "spans[0].text: 'Apples' does not match the text at 0-6 ('Macron')"),
    ({"spans": [{"start": "0", "end": 6, "label": "ORG"}]},
     "spans[0]: start and end must be integers, got '0' and 6"),
    ({"spans": [{"start": 0, "end": 6}]}, "spans[0].label: missing"),
    ({"quotes": [{"start": 10, "end": 28, "kind": "shouted"}]},
     "quotes[0].kind: 'shouted' is not one of direct, indirect, mixed"),
    ({"quotes": [{"start": 10, "end": 28, "speaker": {"start": 0, "end": 60}}]},
     "quotes[0].speaker: offsets 0-60 are out of range for a text of 29 characters"),
    ({"quotes": [{"start": 10, "end": 28, "cue": {"start": 7, "end": 11, "text": "says"}}]},
     "quotes[0].cue.text: 'says' does not match the text at 7-11 ('said')"),
    ({"status": "finished"}, "status: 'finished' is not one of todo, done, skipped, rejected"),
    ({"meta": ["x"]}, "meta: must be an object"),
    ({"tokens": [{"start": 0, "end": 6}, {"start": 3, "end": 9}]}, "tokens[1]: starts at 3, inside the previous token"),
    # Tokens a quick check over the whole list lets through to the check that names the token.
    ({"tokens": [{"start": 0, "end": 6}, {"start": True, "end": 9}]},
     "tokens[1]: start and end must be integers, got True and 9"),
    ({"tokens": [{"start": 0, "end": 6.0}]}, "tokens[0]: start and end must be integers, got 0 and 6.0"),
    ({"tokens": [{"start": 0, "end": 6}, {"start": 7, "end": 30}]},
     "tokens[1]: offsets 7-30 are out of range for a text of 29 characters"),
    ({"tokens": [{"start": 0, "end": 6}, {"start": 7}]}, "tokens[1]: start and end must be integers, got 7 and None"),
    ({"tokens": [{"start": 0, "end": 6}, [7, 11]]}, "tokens[1]: must be an object with start and end"),
])
def test_bad_annotations_reject_the_whole_record(store, tmp_path, bad, message):
    text = 'Macron said "we need calm" ok'
    good_entity = {"start": 0, "end": 6, "label": "PERSON"}
    record = {"text": text, "spans": [good_entity], **bad}
    path = write_jsonl(tmp_path / "bad.jsonl", [{"text": "A fine article."}, record])
    report = import_paths(store, [path])
    assert [str(p) for p in report.problems] == [f"{path}:2: {message}"]
    assert report.added == 1
    # Nothing of the bad record was stored, not even its good entity.
    assert store.count_articles() == 1
    assert store.db.execute("SELECT count(*) FROM entities").fetchone()[0] == 0


def test_jsonl_in_cp1252_and_utf16(store, tmp_path):
    text = "Na\u00efve caf\u00e9 owners protest \u2013 \u201cnever\u201d, they said"
    line = json.dumps({"text": text}, ensure_ascii=False) + "\n"
    (tmp_path / "a.jsonl").write_bytes(line.encode("cp1252"))
    (tmp_path / "b.jsonl").write_bytes(line.replace("owners", "owner").encode("utf-16"))
    report = import_paths(store, [tmp_path / "a.jsonl", tmp_path / "b.jsonl"])
    assert report.added == 2 and report.problems == []
    texts = sorted(store.get_article(r.id).text for r in store.list_articles())
    assert texts == sorted([text, text.replace("owners", "owner")])
    assert any("cp1252" in note.lower() or "windows" in note.lower() for note in report.notes)


def test_jsonl_utf8_with_bom(store, tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"text": "Caf\u00e9 news"}, ensure_ascii=False).encode())
    report = import_paths(store, [path])
    assert report.added == 1 and only_article(store).text == "Caf\u00e9 news"


def test_binary_jsonl(store, tmp_path):
    path = tmp_path / "model.jsonl"
    path.write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    report = import_paths(store, [path])
    assert [str(p) for p in report.problems] == [f"{path}: binary file, not text"]


# --- brat ---------------------------------------------------------------------------------------
def test_brat_folder_with_suffixed_ann_in_sibling_folder(store):
    report = import_paths(store, [DATA / "brat"])
    assert (report.added, report.files, report.problems) == (1, 1, [])
    article = only_article(store)
    assert article.text == (DATA / "brat" / "text" / "senate-vote.txt").read_text("utf-8")
    assert article.title == "Senate passes budget after late-night session"
    assert article.meta == {"file": "senate-vote.txt", "annotations": "senate-vote_ab12.ann"}
    assert [(e.text(article.text), e.label) for e in article.entities] == [("Senate", "ORG"), ("Friday", "DATE")]
    first, second = article.quotes
    assert first.text(article.text) == '"This is a good day for the country,"' and first.kind == "direct"
    assert first.speaker.text(article.text) == "Senator Jane Smith" and first.cue.text(article.text) == "said"
    assert second.text(article.text) == "the plan would raise the deficit" and second.kind == "indirect"
    assert second.speaker.text(article.text) == "Critics"


def test_brat_single_ann_file_finds_its_text(store):
    report = import_paths(store, [DATA / "brat" / "attributions" / "senate-vote_ab12.ann"])
    assert report.added == 1 and len(only_article(store).quotes) == 2


def test_brat_ann_without_text(store, tmp_path):
    (tmp_path / "orphan.ann").write_text("T1\tPERSON 0 4\tJane\n", "utf-8")
    report = import_paths(store, [tmp_path])
    assert report.added == 0
    [problem] = report.problems
    assert str(problem).startswith(str(tmp_path / "orphan.ann")) and "orphan.txt not found" in problem.message


def test_brat_offsets_that_do_not_match_name_the_ann_line(store, tmp_path):
    (tmp_path / "story.txt").write_text("Jane Doe spoke today.", "utf-8")
    (tmp_path / "story.ann").write_text("T1\tPERSON 0 8\tJane Doe\nT2\tPERSON 9 14\tJohn\nT3\tDATE 15 99\ttoday\n",
                                        "utf-8")
    report = import_paths(store, [tmp_path])
    assert report.added == 0
    assert [str(p) for p in report.problems] == [
        f"{tmp_path / 'story.ann'}:2: T2 PERSON: text 'John' does not match the text at 9 14 ('spoke')"]


@pytest.mark.skipif(not POLNEAR.is_dir(), reason="PolNeAR dev data not present")
def test_polnear_dev_folder(store):
    report = import_paths(store, [POLNEAR])
    assert report.problems == [] and report.added == 84 and report.files == 84
    assert sum(1 for n in report.notes if "annotation files" in n) == 2
    assert store.stats()["quotes"] > 2000


# --- HTML ---------------------------------------------------------------------------------------
def test_html_body_without_navigation(store):
    report = import_paths(store, [DATA / "page.html"])
    assert report.added == 1 and report.problems == []
    article = only_article(store)
    assert article.title == "Harbour bridge reopens after repairs"
    assert "Mayor Lucia Fernandes told reporters" in article.text
    for boilerplate in ("Subscribe now", "cookies", "All rights reserved", "Storm warning"):
        assert boilerplate not in article.text
    assert article.meta["file"] == "page.html" and article.meta["author"] == "Ana Pereira"


def test_html_without_article_text(store, tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", "utf-8")
    report = import_paths(store, [path])
    assert [p.message for p in report.problems] == ["no article text found in this page"]


def test_progress_counts_bytes_per_file(store, tmp_path):
    sizes = []
    for i in range(3):
        sizes.append((tmp_path / f"{i}.txt").write_bytes(f"Story {i}\n\nBody {i} \u00e9t\u00e9.".encode()))
    calls = []
    import_paths(store, [tmp_path], progress=lambda done, total: calls.append((done, total)))
    total = sum(sizes)
    assert calls == [(sizes[0], total), (sizes[0] + sizes[1], total), (total, total)]


def test_progress_moves_within_a_big_jsonl_file_and_a_cancel_keeps_whole_articles(store, tmp_path):
    path = write_jsonl(tmp_path / "big.jsonl", [{"text": f"Article number {i}, caf\u00e9."} for i in range(450)])
    calls = []
    import_paths(store, [path], progress=lambda done, total: calls.append((done, total)))
    size = path.stat().st_size
    assert len(calls) >= 5 and calls[-1] == (size, size)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls) and calls[0][0] < size

    class Stop(Exception):
        pass

    def stop_half_way(done, total):
        if done > total // 2:
            raise Stop

    with Store(tmp_path / "half.db") as half:
        with pytest.raises(Stop):
            import_paths(half, [path], progress=stop_half_way, workers=1)
        stored = half.count_articles()
        assert 0 < stored < 450
        assert all(a.text.startswith("Article number") and a.text.endswith("caf\u00e9.") for a in half.iter_articles())


def test_brat_format_names_texts_without_annotations(store, tmp_path):
    (tmp_path / "a.txt").write_text("Jane spoke.", "utf-8")
    (tmp_path / "a.ann").write_text("T1\tPERSON 0 4\tJane\n", "utf-8")
    (tmp_path / "b.txt").write_text("Nobody annotated this.", "utf-8")
    report = import_paths(store, [tmp_path], fmt="brat")
    assert report.added == 1
    assert [str(p) for p in report.problems] == [f"{tmp_path / 'b.txt'}: no .ann annotation file for this text"]
    # In auto mode the same folder is fine: b.txt is a plain article.
    report = import_paths(store, [tmp_path])
    assert (report.added, report.duplicates, report.problems) == (1, 1, [])


def test_forced_format_reads_other_extensions(store, tmp_path):
    (tmp_path / "story.md").write_text("# Not markdown to us\n\nJust text.", "utf-8")
    report = import_paths(store, [tmp_path / "story.md"], fmt="txt")
    assert report.added == 1 and only_article(store).title == "# Not markdown to us"


def test_a_database_failure_stops_the_import_and_is_raised(tmp_path, monkeypatch):
    import sqlite3

    from annotator.store import Store

    path = write_jsonl(tmp_path / "many.jsonl", [{"text": f"Article number {i}."} for i in range(50)])
    with Store(tmp_path / "x.db") as store:
        def refuse(articles, **kwargs):
            raise sqlite3.OperationalError("database is locked")

        monkeypatch.setattr(store, "add_prepared", refuse)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            import_paths(store, [path], batch_size=10)
        monkeypatch.undo()
        assert store.count_articles() == 0


def test_brat_empty_ann_is_a_text_without_annotations(store, tmp_path):
    (tmp_path / "quiet.txt").write_text("Nothing was said here.\r\nReally.", "utf-8", newline="")
    (tmp_path / "quiet.ann").write_text("\n", "utf-8")
    report = import_paths(store, [tmp_path])
    assert (report.added, report.problems) == (1, [])
    article = only_article(store)
    assert article.text == "Nothing was said here.\r\nReally."  # brat text: byte for byte
    assert article.entities == [] and article.quotes == []


def test_a_line_read_with_its_tokens_raw_makes_the_article_a_fully_decoded_line_makes():
    """The reader leaves "tokens" as raw JSON and only their offsets are decoded; any fault
    there falls back to decoding all of it, so the article and the messages are the same."""
    import msgspec

    from annotator.io.importers import load_record, loads
    from annotator.io.records import article_from_record

    text = "Macron \U0001F600 said \"calm\" ok"
    words = [(0, 6), (7, 8), (9, 13), (14, 20), (21, 23)]
    tokens = [{"text": text[s:e], "start": s, "end": e, "id": i, "ws": True, "disabled": False}
              for i, (s, e) in enumerate(words)]
    line = json.dumps({"text": text, "tokens": tokens, "meta": {"source": "wire"}}, ensure_ascii=False) + "\n"
    record = load_record(line)
    assert isinstance(record["tokens"], msgspec.Raw) and record["meta"] == {"source": "wire"}
    assert article_from_record(record) == article_from_record(loads(line))
    assert article_from_record(record).tokens == words
    assert load_record('[1, 2]\n') == [1, 2] and load_record('{"text": "no tokens"}\n') == {"text": "no tokens"}


def test_token_offsets_too_big_for_any_number_type_are_a_bad_record_not_a_crash(store, tmp_path):
    path = tmp_path / "huge.jsonl"
    path.write_text('{"text": "A fine article."}\n'
                    '{"text": "Macron said", "tokens": [{"start": 0, "end": 1e999}]}\n'
                    '{"text": "Macron said", "tokens": [{"start": 0, "end": 100000000000000000000000}]}\n', "utf-8")
    report = import_paths(store, [path])
    assert [str(p) for p in report.problems] == [
        f"{path}:2: tokens[0]: start and end must be integers, got 0 and inf",
        f"{path}:3: tokens[0]: offsets 0-100000000000000000000000 are out of range for a text of 11 characters"]
    assert report.added == 1
