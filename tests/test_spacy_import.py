"""spaCy imported without its command line: the same tokens, and the command line still there on demand."""
import json
import subprocess
import sys

from conftest import REPO

TRICKY = "He's in the U.S. (since Feb. 3rd) -- \"can't\" stop, she said:\n\n\u201cWe'll see\u201d 🙂 e-mail@x.org"


def run(code: str) -> dict:
    """Runs code in a fresh interpreter (this one has spaCy loaded already); it prints JSON."""
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_leaves_the_command_line_out_and_tokenises_the_same():
    lean = run(f"""
import json, sys
from annotator.nlp.pipeline import import_spacy
spacy = import_spacy()
tokens = [t.text for t in spacy.blank("en")({TRICKY!r})]
print(json.dumps({{"tokens": tokens, "cli_loaded": "spacy.cli.download" in sys.modules or "typer" in sys.modules}}))
""")
    usual = run(f"""
import json, spacy
print(json.dumps({{"tokens": [t.text for t in spacy.blank("en")({TRICKY!r})]}}))
""")
    assert not lean["cli_loaded"]
    assert lean["tokens"] == usual["tokens"]


def test_the_command_line_still_works_when_asked_for():
    found = run("""
import json
from annotator.nlp.pipeline import import_spacy
spacy = import_spacy()
details = spacy.info(silent=True)  # the stand-in loads the real function
import spacy.cli
print(json.dumps({"version": details.get("spacy_version"), "info_module": spacy.cli.info.__module__,
                  "has_setup_cli": callable(spacy.cli.setup_cli)}))
""")
    assert found["version"]
    assert found["info_module"] == "spacy.cli.info"
    assert found["has_setup_cli"]


def test_a_spacy_that_needs_more_of_its_command_line_is_imported_the_usual_way():
    """Stand-ins that do not answer what spaCy imports are dropped, and spaCy is imported normally."""
    found = run("""
import json, sys
from annotator.nlp import pipeline
spacy = pipeline._import_with_stand_ins({"spacy.cli": pipeline._stand_in_package("spacy.cli"),
                                         "spacy.cli.info": pipeline._stand_in_module("spacy.cli.info")})
print(json.dumps({"info": spacy.info.__module__, "stand_in_left": getattr(sys.modules["spacy.cli"], "__file__", None) is None}))
""")
    assert found["info"] == "spacy.cli.info"
    assert not found["stand_in_left"]


def test_a_spacy_export_leaves_the_command_line_out(tmp_path):
    found = run(f"""
import json, sys
from pathlib import Path
from annotator.core.model import Article
from annotator.io.exporters import export
from annotator.store import Store
store = Store(Path({str(tmp_path / "a.db")!r}))
store.add_article(Article("Macron met Putin in Moscow.", status="done"))
report = export(store, "spacy", Path({str(tmp_path / "out.spacy")!r}), workers=1)
print(json.dumps({{"articles": report.articles, "cli_loaded": "spacy.cli.download" in sys.modules or "typer" in sys.modules}}))
""")
    assert found == {"articles": 1, "cli_loaded": False}
