"""Exporting training data in the five formats; round trips through our own importers."""
import csv
import json
import math
import os
import random
import re
import zlib

import pytest

from annotator.core import Article, EntitySpan, Mention, Quote
from annotator.io.exporters import CSV_COLUMNS, ExportError, export
from annotator.io.importers import import_paths
from annotator.store import Store

TEXT = 'Emmanuel Macron met Vladimir Putin in Moscow. "We need calm," Macron told reporters.\n'
TASK_KEYS = ["text", "meta", "_input_hash", "_task_hash", "answer", "status", "_annotator_id", "_timestamp",
             "tokens", "spans", "quotes", "relations"]


def entity(piece, label, source="model", text=TEXT):
    start = text.index(piece)
    return EntitySpan(start, start + len(piece), label, source)


def mention(piece, text=TEXT):
    start = text.index(piece)
    return Mention(start, start + len(piece))


def macron_article(status="done", **extra) -> Article:
    content = mention('"We need calm,"')
    return Article(
        TEXT, title="Macron in Moscow", meta={"id": "m-1", "site": "upi"}, status=status,
        entities=[entity("Emmanuel Macron", "PERSON"), entity("Vladimir Putin", "PERSON"),
                  entity("Moscow", "GPE", "analyst")],
        quotes=[Quote(content.start, content.end, "direct", Mention(TEXT.index("Macron told"), TEXT.index("Macron told") + 6), "Emmanuel Macron", mention("told"),
            "analyst")],
        annotator_id="maria", **extra)


@pytest.fixture
def filled(store):
    store.add_article(macron_article())
    store.add_article(Article("Rain is expected in Oslo tomorrow.\n", status="rejected",
                              entities=[EntitySpan(20, 24, "GPE", "analyst")]))
    store.add_article(Article("An article nobody has looked at yet.\n"))
    return store


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


# --- jsonl -----------------------------------------------------------------------------------
def test_task_hashes_stay_what_earlier_exports_gave():
    """Prodigy and our import find duplicates by these hashes: they must not change between
    versions (pinned from the export as it was when they were introduced)."""
    from annotator.io.task import task_record

    article = macron_article()
    article.id = 1
    task = task_record(article, print)
    assert (task["_input_hash"], task["_task_hash"]) == (181059886, 1325767159)
    article.quotes[0].speaker_name, article.quotes[0].cue = None, None  # no name, no cue: "None" and "-"
    assert task_record(article, print)["_task_hash"] == -748630726


def test_jsonl_default_is_done_only_and_has_the_task_format(filled, tmp_path):
    report = export(filled, "jsonl", tmp_path / "out.jsonl")
    assert report.articles == 1 and report.warnings == []
    [task] = read_jsonl(tmp_path / "out.jsonl")
    assert list(task) == TASK_KEYS
    assert task["text"] == TEXT and task["meta"] == {"id": "m-1", "site": "upi"}
    assert task["answer"] == "accept" and task["status"] == "done" and task["_annotator_id"] == "maria"
    assert isinstance(task["_input_hash"], int) and isinstance(task["_task_hash"], int)
    assert isinstance(task["_timestamp"], int)
    tokens = task["tokens"]
    assert [t["text"] for t in tokens[:4]] == ["Emmanuel", "Macron", "met", "Vladimir"]
    assert all(list(t) == ["text", "start", "end", "id", "ws"] for t in tokens)
    assert tokens[0]["ws"] is True and tokens[-2]["text"] == "." and tokens[-2]["ws"] is False
    assert [t["id"] for t in tokens] == list(range(len(tokens)))
    person = task["spans"][0]
    assert person == {"start": 0, "end": 15, "text": "Emmanuel Macron", "label": "PERSON", "token_start": 0,
                      "token_end": 1, "source": "model"}
    assert task["spans"][2]["source"] == "analyst"
    [quote] = task["quotes"]
    assert quote["text"] == '"We need calm,"' and quote["kind"] == "direct" and quote["source"] == "analyst"
    assert quote["speaker"]["text"] == "Macron" and quote["speaker_name"] == "Emmanuel Macron"
    assert quote["cue"]["text"] == "told"
    speaker_rel, cue_rel = task["relations"]
    assert speaker_rel["label"] == "SPEAKER" and cue_rel["label"] == "CUE"
    assert speaker_rel["head_span"]["label"] == "QUOTE" and speaker_rel["child_span"]["label"] == "SPEAKER"
    assert tokens[speaker_rel["child"]]["text"] == "Macron" and tokens[cue_rel["child"]]["text"] == "told"
    assert tokens[speaker_rel["head"]]["text"] == '"'  # last token of the quote


def test_jsonl_all_and_answers(filled, tmp_path):
    report = export(filled, "jsonl", tmp_path / "all.jsonl", include_all=True)
    assert report.articles == 3
    assert [t["answer"] for t in read_jsonl(tmp_path / "all.jsonl")] == ["accept", "reject", "ignore"]


def test_hashes_follow_text_and_annotations(store, tmp_path):
    store.add_article(macron_article())
    store.add_article(Article(TEXT + "More.", status="done"))
    export(store, "jsonl", tmp_path / "h.jsonl")
    first, second = read_jsonl(tmp_path / "h.jsonl")
    assert first["_input_hash"] != second["_input_hash"] and first["_task_hash"] != second["_task_hash"]
    export(store, "jsonl", tmp_path / "again.jsonl")
    assert read_jsonl(tmp_path / "again.jsonl")[0]["_task_hash"] == first["_task_hash"]  # stable


def test_stored_tokens_are_used(store, tmp_path):
    text = "New York-based firm"
    store.add_article(Article(text, status="done", tokens=[(0, 8), (8, 19)],
                              entities=[EntitySpan(0, 8, "GPE")]))
    export(store, "jsonl", tmp_path / "t.jsonl")
    [task] = read_jsonl(tmp_path / "t.jsonl")
    assert [t["text"] for t in task["tokens"]] == ["New York", "-based firm"]
    assert task["spans"][0]["token_end"] == 0


def test_misaligned_spans_are_reported_and_kept(store, tmp_path):
    text = "The unicorns roamed freely."
    store.add_article(Article(text, meta={"id": "u-9"}, status="done",
                              entities=[EntitySpan(4, 8, "ANIMAL")],
                              quotes=[Quote(13, 19, "indirect", cue=Mention(14, 19))]))
    report = export(store, "jsonl", tmp_path / "w.jsonl")
    [task] = read_jsonl(tmp_path / "w.jsonl")
    assert task["spans"][0]["text"] == "unic" and task["spans"][0]["token_start"] == 1
    assert task["quotes"][0]["cue"]["text"] == "oamed"
    assert report.warnings[0] == ("article 1 (meta id 'u-9'): ANIMAL span 4-8 'unic' does not align with token "
                                  "boundaries (tokens 1-1: 'unicorns')")
    assert any("cue of quote" in w and "'oamed'" in w for w in report.warnings)


def test_jsonl_round_trip_is_exact(filled, tmp_path):
    first = tmp_path / "first.jsonl"
    export(filled, "jsonl", first, include_all=True)
    with Store(memory=True) as fresh:
        report = import_paths(fresh, [first])
        assert (report.added, report.problems) == (3, [])
        second = tmp_path / "second.jsonl"
        export(fresh, "jsonl", second, include_all=True)
        original = filled.get_article(1)
        again = fresh.get_article(report.article_ids[0])
    assert second.read_bytes() == first.read_bytes()
    assert [(e.start, e.end, e.label, e.source) for e in again.entities] == [
        (e.start, e.end, e.label, e.source) for e in original.entities]
    assert [(q.id, q.start, q.end, q.kind, q.speaker, q.speaker_name, q.cue, q.source) for q in again.quotes] == [
        (q.id, q.start, q.end, q.kind, q.speaker, q.speaker_name, q.cue, q.source) for q in original.quotes]
    assert (again.status, again.meta, again.annotator_id) == (original.status, original.meta, original.annotator_id)


# --- spaCy ---------------------------------------------------------------------------------------
def load_docs(path):
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    docs = []
    for file in ([path] if path.is_file() else sorted(path.glob("*.spacy"))):
        docs.extend(DocBin().from_disk(file).get_docs(nlp.vocab))
    return nlp, docs


def test_spacy_docbin_with_span_groups(filled, tmp_path):
    report = export(filled, "spacy", tmp_path / "train.spacy", include_all=True)
    assert report.articles == 3
    _, docs = load_docs(tmp_path / "train.spacy")
    doc = docs[0]
    assert doc.text == TEXT
    assert [(e.text, e.label_) for e in doc.ents] == [("Emmanuel Macron", "PERSON"), ("Vladimir Putin", "PERSON"),
                                                      ("Moscow", "GPE")]
    assert [(s.text, s.label_) for s in doc.spans["quotes"]] == [('"We need calm,"', "direct")]
    assert [(s.text, s.label_, s.kb_id_) for s in doc.spans["speakers"]] == [("Macron", "SPEAKER",
                                                                              "Emmanuel Macron")]
    assert [s.text for s in doc.spans["cues"]] == ["told"]
    assert doc.spans["quotes"][0].id == doc.spans["speakers"][0].id  # linked by quote id
    assert doc.user_data["meta"] == {"id": "m-1", "site": "upi"}
    assert [(e.text, e.label_) for e in docs[1].ents] == [("Oslo", "GPE")]


def test_spacy_overlapping_entities_are_reported_not_fatal(store, tmp_path):
    text = "Bank of England staff said so."
    store.add_article(Article(text, status="done",
                              entities=[EntitySpan(0, 15, "ORG"), EntitySpan(8, 15, "GPE")]))
    report = export(store, "spacy", tmp_path / "o.spacy")
    _, [doc] = load_docs(tmp_path / "o.spacy")
    assert [(e.text, e.label_) for e in doc.ents] == [("Bank of England", "ORG")]
    assert [(s.text, s.label_) for s in doc.spans["entities"]] == [("Bank of England", "ORG"), ("England", "GPE")]
    assert report.warnings == ["article 1: GPE span 8-15 'England' overlaps another entity; left out of doc.ents "
                               "(kept in doc.spans['entities'])"]


def test_spacy_folder_output_is_sharded(filled, tmp_path, monkeypatch):
    from annotator.io.exporters import WRITERS

    monkeypatch.setattr(WRITERS["spacy"], "chunk_size", 2)
    export(filled, "spacy", tmp_path / "corpus", include_all=True)
    assert sorted(p.name for p in (tmp_path / "corpus").iterdir()) == ["00000.spacy", "00001.spacy"]
    assert len(load_docs(tmp_path / "corpus")[1]) == 3


def test_a_tiny_ner_trains_on_the_export(store, tmp_path, sample_text):
    from spacy.tokens import Doc
    from spacy.training import Example

    for i in range(4):
        store.add_article(macron_article(status="done") if i == 0 else Article(
            f"Report {i}: Angela Merkel visited Paris and Berlin.\n", status="done",
            entities=[EntitySpan(11 + len(str(i)), 24 + len(str(i)), "PERSON"),
                      EntitySpan(33 + len(str(i)), 38 + len(str(i)), "GPE")]))
    export(store, "spacy", tmp_path / "train.spacy")
    nlp, docs = load_docs(tmp_path / "train.spacy")
    assert len(docs) == 4
    nlp.add_pipe("ner")
    examples = [Example(Doc(nlp.vocab, words=[t.text for t in d], spaces=[bool(t.whitespace_) for t in d]), d)
                for d in docs]
    optimizer = nlp.initialize(lambda: examples)
    losses = {}
    for _ in range(5):
        losses = nlp.update(examples, sgd=optimizer, losses={})
    assert set(nlp.get_pipe("ner").labels) == {"PERSON", "GPE"}
    assert math.isfinite(losses["ner"]) and losses["ner"] > 0


# --- doccano, brat, csv --------------------------------------------------------------------------
def test_doccano_entities_and_relations_round_trip(filled, tmp_path):
    export(filled, "doccano", tmp_path / "d.jsonl")
    [line] = read_jsonl(tmp_path / "d.jsonl")
    assert set(line) == {"id", "text", "entities", "relations", "meta"}
    labels = [(e["label"], TEXT[e["start_offset"]:e["end_offset"]]) for e in line["entities"]]
    assert labels == [("PERSON", "Emmanuel Macron"), ("PERSON", "Vladimir Putin"), ("GPE", "Moscow"),
                      ("QUOTE", '"We need calm,"'), ("SPEAKER", "Macron"), ("CUE", "told")]
    ids = {e["id"] for e in line["entities"]}
    assert len(ids) == 6 and all(r["from_id"] in ids and r["to_id"] in ids for r in line["relations"])
    assert [r["type"] for r in line["relations"]] == ["SPEAKER", "CUE"]
    with Store(memory=True) as fresh:
        assert import_paths(fresh, [tmp_path / "d.jsonl"]).added == 1
        again = fresh.get_article(1)
    assert [(e.start, e.end, e.label) for e in again.entities] == [
        (e.start, e.end, e.label) for e in filled.get_article(1).entities]
    [quote] = again.quotes
    assert (quote.text(TEXT), quote.speaker.text(TEXT), quote.cue.text(TEXT)) == ('"We need calm,"', "Macron", "told")


def test_brat_round_trip(filled, tmp_path):
    folder = tmp_path / "brat"
    export(filled, "brat", folder, include_all=True)
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["annotation.conf", "article-000001.ann", "article-000001.txt", "article-000002.ann",
                     "article-000002.txt", "article-000003.ann", "article-000003.txt"]
    assert (folder / "article-000001.txt").read_bytes() == TEXT.encode("utf-8")
    ann = (folder / "article-000001.ann").read_text("utf-8")
    assert "\tQuote " in ann and "\tSPEAKER Arg1:" in ann and "\tKind " in ann
    with Store(memory=True) as fresh:
        report = import_paths(fresh, [folder])
        assert (report.added, report.problems) == (3, [])
        again = fresh.get_article(1)
    original = filled.get_article(1)
    assert [(e.start, e.end, e.label, e.source) for e in again.entities] == [
        (e.start, e.end, e.label, e.source) for e in original.entities]
    assert [(q.start, q.end, q.kind, q.speaker, q.speaker_name, q.cue) for q in again.quotes] == [
        (q.start, q.end, q.kind, q.speaker, q.speaker_name, q.cue) for q in original.quotes]


def test_brat_spans_across_lines_become_fragments(store, tmp_path):
    text = "He said:\n\n\"First line.\nSecond line.\"\n"
    start = text.index('"')
    store.add_article(Article(text, status="done", quotes=[Quote(start, len(text) - 1, "direct")]))
    export(store, "brat", tmp_path / "b")
    ann = (tmp_path / "b" / "article-000001.ann").read_text("utf-8")
    assert f"T1\tQuote {start} {start + 12};{start + 13} {len(text) - 1}\t" in ann
    with Store(memory=True) as fresh:
        import_paths(fresh, [tmp_path / "b"])
        [quote] = fresh.get_article(1).quotes
    assert (quote.start, quote.end) == (start, len(text) - 1)


def test_csv_one_row_per_quote(filled, tmp_path):
    report = export(filled, "csv", tmp_path / "quotes.csv", include_all=True)
    assert report.articles == 3
    with open(tmp_path / "quotes.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == list(CSV_COLUMNS)
    assert rows[1:] == [["1", "Macron in Moscow", '"We need calm,"', "direct", "Macron", "Emmanuel Macron", "told",
                         str(TEXT.index('"We')), str(TEXT.index('"We') + 15), "analyst"]]


# --- output problems -------------------------------------------------------------------------------
def test_file_format_into_a_folder_is_refused(filled, tmp_path):
    with pytest.raises(ExportError, match="is a folder"):
        export(filled, "jsonl", tmp_path)
    with pytest.raises(ExportError, match="unknown export format"):
        export(filled, "xml", tmp_path / "x.xml")


def test_failed_export_leaves_no_partial_file(filled, tmp_path, monkeypatch):
    import annotator.io.exporters as exporters

    out = tmp_path / "out.jsonl"
    out.write_text("previous export\n")

    def broken(article, warn, packed_tokens=None):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(exporters, "task_line", broken)
    with pytest.raises(RuntimeError):
        export(filled, "jsonl", out)
    assert out.read_text() == "previous export\n"
    assert list(tmp_path.iterdir()) == [out]


def test_progress_reaches_the_total(filled, tmp_path):
    calls = []
    export(filled, "csv", tmp_path / "p.csv", include_all=True, progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (3, 3)


def test_one_spacy_file_is_written_as_it_goes_and_is_what_docbin_writes(store, tmp_path, monkeypatch, sample_text):
    """The single .spacy file is compressed chunk by chunk, yet zlib reads back exactly the
    msgpack that spaCy's own DocBin.to_bytes compresses."""
    from annotator.io.docbin import cached_msgpack_encoders, docbin_bytes
    from annotator.io.exporters import WRITERS

    for i in range(20):  # more than 16 docs: msgpack's longer list headers
        text = f"Report {i}.\n" + (sample_text if i % 5 == 0 else TEXT)
        store.add_article(Article(text, status="done", entities=[EntitySpan(0, 6, "ORG", "analyst")]))
    monkeypatch.setattr(WRITERS["spacy"], "chunk_size", 3)
    export(store, "spacy", tmp_path / "all.spacy")
    with cached_msgpack_encoders():
        expected = docbin_bytes(store.iter_articles(status="done"), lambda warning: None)
    written = (tmp_path / "all.spacy").read_bytes()
    assert written != expected  # compressed in pieces: other deflate blocks ...
    assert zlib.decompress(written) == zlib.decompress(expected)  # ... around the same bytes
    assert [p.name for p in tmp_path.iterdir()] == ["all.spacy"]  # no scratch files left
    nlp, docs = load_docs(tmp_path / "all.spacy")
    assert len(docs) == 20 and docs[0].text.startswith("Report 0.") and docs[0].ents[0].text == "Report"


def test_an_empty_spacy_file_is_an_empty_docbin(store, tmp_path):
    export(store, "spacy", tmp_path / "none.spacy")
    assert load_docs(tmp_path / "none.spacy")[1] == []


@pytest.mark.parametrize("seed", range(5))
def test_deflated_pieces_spliced_into_a_stream_read_back_as_one_zlib_stream(tmp_path, seed):
    """The .spacy file's pieces (deflated apart, in workers) make one stream zlib accepts,
    its Adler-32 check included: text put in between, empty pieces, pieces over 64 kB."""
    from annotator.io.docbin import Deflated, _DeflateStream

    rng = random.Random(seed)
    expected = b""
    with open(tmp_path / "out.z", "wb") as out:
        stream = _DeflateStream(out)
        for _ in range(rng.randint(1, 6)):
            own = rng.choice([b"", b"header", os.urandom(rng.randint(1, 500))])
            stream.put(own)
            pieces = [Deflated.of(rng.choice([b"", os.urandom(rng.randint(1, 70_000)), b"ab" * rng.randint(1, 50_000)]))
                      for _ in range(rng.randint(0, 4))]
            raw = [zlib.decompressobj(-zlib.MAX_WBITS).decompress(p.data) for p in pieces]  # no final block
            adler = zlib.adler32(b"".join(raw))
            stream.splice((p.data for p in pieces), sum(map(len, raw)), adler)
            expected += own + b"".join(raw)
        stream.close()
    assert zlib.decompress((tmp_path / "out.z").read_bytes()) == expected


def test_adler32_of_two_parts_combines_to_that_of_the_whole():
    from annotator.io.docbin import adler32_combine

    rng = random.Random(7)
    for size in (0, 1, 65520, 65521, 65522, 200_000):
        first, second = os.urandom(rng.randint(0, 1000)), bytes(rng.getrandbits(8) for _ in range(size))
        assert adler32_combine(zlib.adler32(first), zlib.adler32(second), size) == zlib.adler32(first + second)


def _docbin_cases(sample_text):
    """Articles that exercise every path of the DocBin encoding."""
    overlapping = macron_article(id=7)
    overlapping.entities.append(entity("Macron met", "EVENT"))  # overlaps a PERSON: not in doc.ents
    overlapping.entities.append(entity("mmanuel", "ORG"))  # inside a token: widened, reported
    quiet = Article(TEXT, id=8, quotes=[Quote(TEXT.index('"We'), TEXT.index(" Macron told"), "direct")])
    emoji = "Der 🇫🇷 Präsident  sagte:\n\n\t\u201eWir brauchen Ruhe\u201c, sagte Macron. 😀\n"
    spoken = Article(emoji, id=9, meta={"lang": "de", "n": [1, 2.5, None]}, status="rejected",
                     entities=[entity("Macron", "PERSON", text=emoji), entity("🇫🇷", "NORP", text=emoji)],
                     quotes=[Quote(emoji.index("\u201e"), emoji.index("\u201c") + 1, "mixed",
                                   mention("Macron", emoji), None, None)])
    foreign_tokens = Article(TEXT, id=10, entities=[entity("Moscow", "GPE")],
                             tokens=[(0, 8), (9, 15), (20, 28), (29, 34), (38, 44), (44, 45)])  # gaps
    long_one = Article(sample_text, id=11, status="done",
                       entities=[EntitySpan(m.start(), m.end(), "PERSON") for m in re.finditer(r"Macron|Putin", sample_text)])
    indented = Article("  Macron spoke.\n", id=14, entities=[EntitySpan(2, 8, "PERSON")],
                       tokens=[(2, 8), (9, 14), (14, 15)])  # a gap before the first token
    bare = Article("Nothing to see here.", id=15)
    return [macron_article(id=6), overlapping, quiet, spoken, foreign_tokens, long_one, indented, bare]


def test_articles_go_into_a_docbin_exactly_as_spacy_docs_would(sample_text):
    """The .spacy export writes DocBin arrays without making Docs; spaCy's own Doc route
    (``doc_and_words`` and ``DocBin.add``) gives the same bytes and the same warnings."""
    from annotator.io.docbin import article_span_strings, doc_and_words, lean_docbin

    articles = _docbin_cases(sample_text)
    through_docs, direct = lean_docbin(), lean_docbin()
    doc_warnings, direct_warnings = [], []
    for article in articles:
        doc, words = doc_and_words(article, doc_warnings.append)
        through_docs.add(doc, words, article_span_strings(article))
        direct.add_article(article, direct_warnings.append)
    assert direct.to_bytes() == through_docs.to_bytes()
    assert direct_warnings == doc_warnings
    assert any("overlaps another entity" in w for w in doc_warnings)
    assert any("'mmanuel' does not align" in w for w in doc_warnings)


def test_a_jsonl_line_is_its_task_record_as_json(sample_text):
    """The export encodes tokens apart from the rest of the record: the line must still be
    exactly the record as JSON, for texts whose tokens need escaping too."""
    from annotator.io.exporters import dump_line
    from annotator.io.task import task_line, task_record

    odd = 'Tabs\there, "quotes", back\\slash, a bell \x07, 😀 and \u2028 line separators.\r\n\nEnd'
    for article in [*_docbin_cases(sample_text), Article(odd, id=12), Article(sample_text, id=13)]:
        warnings_line, warnings_record = [], []
        line = task_line(article, warnings_line.append)
        assert line == dump_line(task_record(article, warnings_record.append))
        assert warnings_line == warnings_record
        assert json.loads(line) == task_record(article, lambda warning: None)


@pytest.mark.parametrize("entities", [
    [],
    [(0, 1, "PERSON")],  # the first token
    [(2, 4, "ORG"), (4, 5, "GPE")],  # adjacent: one ends where the next starts
    [(1, 2, "PERSON"), (3, 6, "ORG"), (6, 7, "ORG")],  # the last token, and the same label twice
])
def test_entity_token_columns_are_those_of_spacys_own_setter(entities):
    """``set_entities`` writes doc.ents as arrays; spaCy's setter must leave the same tokens."""
    from spacy.tokens import Doc, Span

    from annotator.io.docbin import set_entities
    from annotator.io.tokens import blank_nlp

    def doc_with(setter):
        doc = Doc(blank_nlp().vocab, words=["Emmanuel", "Macron", "met", "the", "Kremlin", "in", "Moscow"])
        setter(doc, [Span(doc, start, end, label=label) for start, end, label in entities])
        return [(token.ent_iob_, token.ent_type_) for token in doc]

    def spacy_setter(doc, spans):
        doc.ents = spans

    assert doc_with(set_entities) == doc_with(spacy_setter)


def test_a_spacy_shard_holds_what_docbin_to_bytes_packs(sample_text):
    """Shards are compressed at our own zlib level; what they hold must be spaCy's own bytes."""
    from spacy.tokens import DocBin

    from annotator.io.docbin import DOCBIN_ZLIB_LEVEL, _filled_docbin, docbin_bytes
    from annotator.io.tokens import blank_nlp

    articles = _docbin_cases(sample_text)
    shard = docbin_bytes(articles, lambda warning: None)
    spacy_bytes = _filled_docbin(articles, lambda warning: None, {}).to_bytes()
    assert zlib.decompress(shard) == zlib.decompress(spacy_bytes)
    assert shard == zlib.compress(zlib.decompress(spacy_bytes), DOCBIN_ZLIB_LEVEL)
    docs = list(DocBin().from_bytes(shard).get_docs(blank_nlp().vocab))
    assert [doc.text for doc in docs] == [article.text for article in articles]
