"""End to end: import the sample, pre-annotate, correct through the Python API, export all five
formats, re-import the JSONL into a fresh store and find the same article."""
import csv
import json

from annotator.core.commands import AddEntity, AddQuote, RemoveEntity, SetStatus, UpdateEntity, UpdateQuote
from annotator.core.model import Mention
from annotator.io.exporters import export
from annotator.io.importers import import_paths
from annotator.nlp.annotate import annotate_store
from annotator.store import EditSession, Store


def annotations(article):
    return ([(e.start, e.end, e.label, e.source) for e in article.entities],
            [(q.id, q.start, q.end, q.kind, q.speaker, q.speaker_name, q.cue, q.source) for q in article.quotes])


def test_import_annotate_correct_export_reimport(tmp_path, sample_text, nlp):
    source = tmp_path / "upi.txt"
    source.write_text(sample_text, "utf-8")
    with Store(tmp_path / "work.db") as store:
        report = import_paths(store, [source])
        assert (report.added, report.problems) == (1, [])
        [aid] = report.article_ids
        result = annotate_store(store, nlp=nlp)
        assert result.articles == 1
        article = store.get_article(aid)
        assert article.entities and article.quotes and article.tokens

        # An analyst corrects the model's work through the Python API.
        text = article.text
        session = EditSession(store, aid, who="maria")
        macron = next(e for e in article.entities if text[e.start:e.end] == "Emmanuel Macron")
        session.do(UpdateEntity(macron.id, label_name="PERSON"))
        wrong = next(e for e in article.entities if e.label in ("CARDINAL", "ORDINAL", "DATE"))
        session.do(RemoveEntity(wrong.id))
        kremlin = text.index("Kremlin")
        if not any(e.start == kremlin for e in session.article.entities):
            session.do(AddEntity(kremlin, kremlin + len("Kremlin"), "ORG"))
        quote = session.article.quotes[0]
        session.do(UpdateQuote(quote.id, speaker_name="Emmanuel Macron"))
        content = text.index('"avoid a war"')
        cue = text.index("said his goal")
        session.do(AddQuote(content, content + len('"avoid a war"'), "direct",
                            Mention(cue - len("Macron "), cue - 1), "Emmanuel Macron", Mention(cue, cue + 4)))
        session.do(SetStatus("done"))
        corrected = store.get_article(aid)
        assert corrected.status == "done" and corrected.annotator_id == "maria"
        assert any(e.source == "analyst" for e in corrected.entities)

        outputs = {"jsonl": tmp_path / "out.jsonl", "spacy": tmp_path / "out.spacy", "doccano": tmp_path / "d.jsonl",
                   "brat": tmp_path / "brat", "csv": tmp_path / "quotes.csv"}
        reports = {fmt: export(store, fmt, path) for fmt, path in outputs.items()}
        assert all(r.articles == 1 for r in reports.values())
        # The pipeline's own tokens are exported, so its spans align.
        assert reports["jsonl"].warnings == []

    [task] = [json.loads(line) for line in outputs["jsonl"].read_text("utf-8").splitlines()]
    assert task["answer"] == "accept" and task["_annotator_id"] == "maria" and task["text"] == sample_text
    assert len(task["tokens"]) == len(corrected.tokens)
    with open(outputs["csv"], encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(corrected.quotes)
    assert any(r["quote"] == '"avoid a war"' and r["speaker_name"] == "Emmanuel Macron" for r in rows)
    assert (outputs["brat"] / "article-000001.txt").read_text("utf-8") == sample_text

    import spacy
    from spacy.tokens import DocBin

    [doc] = DocBin().from_disk(outputs["spacy"]).get_docs(spacy.blank("en").vocab)
    assert doc.text == sample_text and len(doc.spans["quotes"]) == len(corrected.quotes)

    with Store(tmp_path / "fresh.db") as fresh:
        again = import_paths(fresh, [outputs["jsonl"]])
        assert (again.added, again.problems) == (1, [])
        back = fresh.get_article(again.article_ids[0])
        assert back.text == corrected.text and back.status == "done" and back.meta == corrected.meta
        assert annotations(back) == annotations(corrected)
        assert back.tokens == corrected.tokens
        export(fresh, "jsonl", tmp_path / "again.jsonl")
    assert (tmp_path / "again.jsonl").read_bytes() == outputs["jsonl"].read_bytes()

    with Store(tmp_path / "from-doccano.db") as other:
        assert import_paths(other, [outputs["doccano"]]).added == 1
        from_doccano = other.get_article(1)
        assert [(e.start, e.end, e.label) for e in from_doccano.entities] == [
            (e.start, e.end, e.label) for e in corrected.entities]
