import pytest

from annotator.core import AnnotationError, Article, EntitySpan, Mention, Quote
from annotator.core.commands import (AddEntity, AddQuote, RemoveEntity, RemoveQuote, SetStatus,
                                     UndoStack, UpdateEntity, UpdateQuote)
from annotator.core.labels import LabelScheme, LabelSchemeError
from annotator.core.noise import find_noise, find_title

TEXT = 'Macron met Putin. "We talk," Macron said. 🙂 Putin agreed.'


def make_article():
    a = Article(TEXT, entities=[EntitySpan(0, 6, "PERSON"), EntitySpan(11, 16, "PERSON")])
    a.assign_ids()
    return a


def test_validation_names_the_field():
    a = Article("short", entities=[EntitySpan(0, 50, "PERSON")])
    with pytest.raises(AnnotationError, match=r"spans\[0\].*out of range"):
        a.validate()
    a = Article("short", quotes=[Quote(0, 3, kind="rumour")])
    with pytest.raises(AnnotationError, match=r"quotes\[0\]\.kind"):
        a.validate()
    a = Article("short", entities=[EntitySpan(0, 2, "FOO")])
    with pytest.raises(AnnotationError, match="not in the label scheme"):
        a.validate(labels=["PERSON"])


def test_commands_undo_and_redo_restore_exact_state():
    a = make_article()
    before = a.copy()
    stack = UndoStack(a)
    emoji_at = TEXT.index("🙂")
    stack.push(AddEntity(emoji_at + 2, emoji_at + 7, "PERSON"))
    stack.push(UpdateEntity(1, label_name="ORG"))
    stack.push(RemoveEntity(2))
    stack.push(AddQuote(19, 26, speaker=Mention(29, 35), speaker_name="Macron", cue=Mention(36, 40)))
    qid = a.quotes[0].id
    stack.push(UpdateQuote(qid, kind="mixed", speaker=None))
    stack.push(SetStatus("done"))
    assert a.status == "done" and a.quotes[0].speaker is None and a.quotes[0].speaker_name == "Macron"
    assert a.entity(1).label == "ORG" and a.entity(1).source == "analyst"
    assert a.entities[-1].text(a.text) == "Putin"
    while stack.can_undo:
        stack.undo()
    assert a == before
    while stack.can_redo:
        stack.redo()
    assert a.status == "done" and a.entity(2) is None and len(a.quotes) == 1


def test_invalid_command_changes_nothing():
    a = make_article()
    before = a.copy()
    stack = UndoStack(a)
    with pytest.raises(AnnotationError):
        stack.push(AddEntity(5, 500, "PERSON"))
    with pytest.raises(AnnotationError):
        stack.push(UpdateEntity(99, label_name="ORG"))
    with pytest.raises(AnnotationError):
        stack.push(SetStatus("finished"))
    assert a == before and not stack.can_undo


def test_remove_quote_undo():
    a = make_article()
    stack = UndoStack(a)
    stack.push(AddQuote(19, 26))
    stack.push(RemoveQuote(a.quotes[0].id))
    assert a.quotes == []
    stack.undo()
    assert a.quotes[0].text(a.text) == "We talk"


def test_noise_and_title_on_sample(sample_text):
    noise = find_noise(sample_text)
    noisy = [sample_text[s:e] for s, e in noise]
    assert noisy.count("Advertisement") == 5
    assert "Latest Headlines" in noisy
    assert any(n.startswith("1 of 7 |") for n in noisy)
    assert any(n.endswith("Photo by Sgt. Stephen P. Perez/U.S. Army/UPI") for n in noisy)
    # Prose with quotes is never noise.
    assert not any("Macron said" in n for n in noisy)
    assert find_title(sample_text, noise) == (
        "France's Macron calls for 'de-escalation' of Ukraine crisis in Putin meeting")


def test_label_scheme_loads_and_rejects_duplicates():
    scheme = LabelScheme.load()
    assert scheme.by_key("1").name == "PERSON"
    with pytest.raises(LabelSchemeError, match=r"labels\[1\].*twice"):
        LabelScheme.from_dict({"labels": [{"name": "A", "key": "1"}, {"name": "B", "key": "1"}]})


@pytest.mark.parametrize("line, noisy", [
    ("Soldiers wait at the border. Photo by Jane Roe/AP", True),
    ("Soldiers wait at the border.   Getty   Images", True),  # the credit starts before its hint word
    ("Troops near Kyiv on Monday. (AP Photo/Efrem Lukatsky)", True),
    ("The images showed troops moving through Belarus and building a bridge.", False),
    ("Photos by a drone were shown to the council, " + "which then debated the budget at length " * 5 + ".", False),
    ('He said "photo by Reuters" was wrong. Reuters', False),  # prose with a quote is never a caption
])
def test_captions_with_credits_are_noise(line, noisy):
    text = f"Title of the story\n\n{line}\n\nA closing paragraph.\n"
    start = text.index(line)
    assert (find_noise(text) == [(start, start + len(line.rstrip()))]) is noisy
