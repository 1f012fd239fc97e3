"""Quote extraction, one small article per case of docs/quote-guidelines.md (real sm pipeline)."""
from __future__ import annotations

import pytest

from annotator.core.model import validate_quote
from annotator.core.noise import find_noise
from annotator.nlp.quotes import extract_quotes


def run(nlp, text, noise=None):
    quotes = extract_quotes(nlp(text), find_noise(text) if noise is None else noise)
    for i, quote in enumerate(quotes):
        validate_quote(text, quote, f"quotes[{i}]")
    return quotes


def covering(quotes, text, phrase):
    """The one quote whose content holds ``phrase``."""
    at = text.index(phrase)
    found = [q for q in quotes if q.start <= at and at + len(phrase) <= q.end]
    assert len(found) == 1, f"{len(found)} quotes hold {phrase!r}: {[text[q.start:q.end] for q in quotes]}"
    return found[0]


def span(text, mention):
    return text[mention.start:mention.end] if mention else None


# --- direct quotes: where the cue stands ---------------------------------------------------------
@pytest.mark.parametrize("text, content, speaker, name, cue", [
    ('Donald Trump spoke in Ohio on Monday.\n\n"We need change," Trump said at the rally.',
     '"We need change,"', "Trump", "Donald Trump", "said"),
    ('The rally was loud.\n\n"We need change," said Donald Trump, the Republican candidate.',
     '"We need change,"', "Donald Trump", "Donald Trump", "said"),
    ('Mayor Anna Ruiz spoke on Monday. Ruiz said: "The bridge will reopen next week."',
     '"The bridge will reopen next week."', "Ruiz", "Anna Ruiz", "said"),
    ('Senator Tom Hale met voters. He said "We have some big plans for the final month."',
     '"We have some big plans for the final month."', "He", "Tom Hale", "said"),
    ('Senator Tom Hale rejected the offer on Friday, saying "This plan will fail our farmers."',
     '"This plan will fail our farmers."', "Senator Tom Hale", "Tom Hale", "saying"),
    ('The mayor of Springfield, Anna Ruiz, spoke to us.\n\n"It will not stand," Ruiz has told us.',
     '"It will not stand,"', "Ruiz", "Anna Ruiz", "told"),
], ids=["cue-after", "inversion", "colon", "no-colon", "participle", "auxiliary"])
def test_direct_quote_with_its_cue(nlp, text, content, speaker, name, cue):
    quotes = run(nlp, text)
    assert len(quotes) == 1
    quote = quotes[0]
    assert (text[quote.start:quote.end], quote.kind) == (content, "direct")
    assert span(text, quote.speaker) == speaker
    assert quote.speaker_name == name
    assert span(text, quote.cue) == cue


def test_colon_lead_in_without_a_verb_of_saying_opens_the_next_paragraph(nlp):
    text = ("Senator Bernie Sanders made the following comment:\n\n"
            '"For young people who have dropped out of high school, the unemployment rate is high."')
    quote = covering(run(nlp, text), text, "For young people")
    assert quote.kind == "direct" and quote.speaker_name == "Bernie Sanders"


def test_one_cue_with_two_parts_is_one_quote(nlp):
    text = ('Governor Maria Lopez visited the plant.\n\n'
            '"When I go there," she said, "it means business for the whole state."')
    quotes = run(nlp, text)
    assert len(quotes) == 1
    assert text[quotes[0].start:quotes[0].end] == text[text.index('"When'):]
    assert quotes[0].speaker_name == "Maria Lopez"


def test_two_cues_for_one_source_give_two_quotes_with_the_same_speaker(nlp):
    text = ('Governor Maria Lopez visited the plant.\n\n'
            '"The plant is safe," Lopez said. "We checked every pipe," she added.')
    first = covering(run(nlp, text), text, "The plant is safe")
    second = covering(run(nlp, text), text, "We checked every pipe")
    assert first is not second or first.start != second.start
    assert first.speaker_name == second.speaker_name == "Maria Lopez"
    assert (span(text, first.cue), span(text, second.cue)) == ("said", "added")


def test_a_cue_before_the_next_quote_is_not_the_previous_ones(nlp):
    text = ('Pastor John Reed met the candidate.\n\n"Of course I believe in the devil. I was just kidding." '
            'To which Mary Hart said, "Thank God at least you still believe in the devil."')
    quotes = run(nlp, text)
    second = covering(quotes, text, "Thank God")
    assert second.speaker_name == "Mary Hart"
    assert "kidding" not in text[second.start:second.end]


def test_a_participle_introducing_a_quote_starts_a_new_one(nlp):
    text = ('Donald Trump spoke about NATO.\n\n"We certainly cannot afford to do this anymore," Trump said, '
            'adding later, "NATO is costing us a fortune."')
    quotes = run(nlp, text)
    first = covering(quotes, text, "We certainly")
    second = covering(quotes, text, "NATO is costing")
    assert first.start != second.start
    assert span(text, second.cue) == "adding"
    assert second.speaker_name == "Donald Trump"


@pytest.mark.parametrize("dash", [" \u2015 ", "\u2015", " -- ", " \u2014 "],
                         ids=["spaced", "glued", "double-hyphen", "em"])
def test_dash_names_the_author(nlp, dash):
    text = ("Voters had their say.\n\n\u201cHe can\u2019t even answer a question without scaring people.\u201d"
            f"{dash}Esther Tapia\n\u201cHe is obsessed with the wall and nothing else matters to him.\u201d"
            f"{dash}Carla Sanchez")
    quotes = run(nlp, text)
    assert span(text, covering(quotes, text, "He can\u2019t even answer").speaker) == "Esther Tapia"
    assert span(text, covering(quotes, text, "He is obsessed").speaker) == "Carla Sanchez"


# --- quotes over paragraphs --------------------------------------------------------------------------
def test_quote_over_paragraphs_with_the_opening_mark_repeated_is_one_quote(nlp):
    text = ('Kremlin spokesman Dmitry Peskov spoke on Monday. He said:\n\n'
            '"Our partners prefer not to mention this topic.\n\n'
            '"They prefer a rather agitated discussion of the invasion."\n\nThe talks ended.')
    quotes = run(nlp, text)
    quote = covering(quotes, text, "Our partners")
    assert quote.end == text.index("\n\nThe talks")
    assert quote.speaker_name == "Dmitry Peskov"


def test_continuation_paragraph_goes_to_the_previous_speaker(nlp):
    text = ('Kremlin spokesman Dmitry Peskov spoke on Monday.\n\n'
            '"Our partners prefer not to mention this topic," Peskov said.\n\n'
            '"Instead, they prefer a rather agitated discussion of the invasion. We can hardly speak of a lull."\n\n'
            'Russian officials said the troops are part of drills.')
    quotes = run(nlp, text)
    continued = covering(quotes, text, "Instead, they prefer")
    assert continued.kind == "direct"
    assert continued.speaker_name == "Dmitry Peskov"
    assert span(text, continued.speaker) == "Peskov"


# --- partial and mixed quotes ----------------------------------------------------------------------
def test_partial_quote_in_reported_speech_is_the_whole_clause(nlp):
    text = ('U.S. Secretary of State Antony Blinken and Josep Borrell declared the two are acting '
            '"in unity" in response to the buildup.')
    quote = covering(run(nlp, text), text, '"in unity"')
    assert quote.kind == "mixed"
    assert text[quote.start:quote.end].startswith("the two are acting")
    assert "Borrell" in quote.speaker_name and "Blinken" in quote.speaker_name
    assert span(text, quote.cue) == "declared"


def test_partial_quote_after_that(nlp):
    text = 'Professor Jane Doe said that for a machine "to distinguish the two will be difficult" in practice.'
    quote = covering(run(nlp, text), text, '"to distinguish')
    assert quote.kind == "mixed"
    assert text[quote.start:quote.end].startswith("that for a machine")
    assert quote.speaker_name == "Jane Doe"


def test_words_quoted_in_a_characterisation(nlp):
    text = 'Senator Ted Cruz called Trump a "pathological liar" on Tuesday.'
    quote = covering(run(nlp, text), text, '"pathological liar"')
    assert quote.kind == "mixed" and quote.speaker_name == "Ted Cruz"


# --- reported speech -----------------------------------------------------------------------------
@pytest.mark.parametrize("text, content, name, cue", [
    ("President Joe Biden said last week that the United States will send 3,000 troops to Europe.",
     "that the United States will send 3,000 troops to Europe", "Joe Biden", "said"),
    ("Kremlin spokesman Dmitry Peskov said the United States has continued to ignore Russian concerns.",
     "the United States has continued to ignore Russian concerns", "Dmitry Peskov", "said"),
    ("Russian President Vladimir Putin met Emmanuel Macron. The Russian leader told reporters that the talks "
     "had been useful.", "that the talks had been useful", "Vladimir Putin", "told"),
    ("Putin indicated the door remained open for further talks, according to the New York Times.",
     "Putin indicated the door remained open for further talks", "New York Times", "according to"),
], ids=["said-that", "said-no-that", "told-reporters", "according-to"])
def test_reported_speech_is_indirect(nlp, text, content, name, cue):
    quotes = run(nlp, text)
    quote = covering(quotes, text, content)
    assert quote.kind == "indirect"
    assert text[quote.start:quote.end] == content
    assert quote.speaker_name == name
    assert span(text, quote.cue) == cue


def test_reported_speech_around_a_parenthetical_cue(nlp):
    text = "Tom Clarke has a plan. The plan is working, he said, for the whole industry."
    quote = covering(run(nlp, text), text, "The plan is working")
    assert quote.kind == "indirect" and span(text, quote.speaker) == "he"


# --- not quotes ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    'The senator attacked the so-called "woke" agenda of the board and the "experts" on Monday.',
    'The director Ava DuVernay presented her film "The Long Road Home" in New York on Monday.',
    'The campaign kept its old slogan "Make America Great Again" for the rally.',
    'If the minister says "the plan is dead," the unions will strike.',
    'The minister did not say "the plan is dead" at any point.',
    'Maria Lopez looked at the crowd. She thought: "This is the end of the road for all of us."',
    'The company sells "fresh" bread that is baked "daily" in a factory.',
], ids=["scare-quotes", "title", "motto", "hypothetical", "denied", "thought", "emphasis"])
def test_not_quotes(nlp, text):
    assert run(nlp, text) == []


def test_page_noise_is_skipped(nlp):
    text = 'Advertisement: "We will win this fight," the coach said.\n\nThe game starts at noon.'
    line_end = text.index("\n")
    assert run(nlp, text, noise=[(0, line_end)]) == []
    assert len(run(nlp, text, noise=[])) == 1


# --- odd quotation marks -------------------------------------------------------------------------
@pytest.mark.parametrize("text, content", [
    ('Senator Tom Hale spoke.\n\n\u201cThey told me, \u2018Go home now,\u2019 and I refused to go,\u201d Hale said.',
     "\u201cThey told me, \u2018Go home now,\u2019 and I refused to go,\u201d"),
    ("Senator Tom Hale spoke.\n\n\u2018We will not back down from this fight,\u2019 Hale said.",
     "\u2018We will not back down from this fight,\u2019"),
    ("Jean Dupont spoke.\n\n\u00abWe will win this battle,\u00bb Dupont said.", "\u00abWe will win this battle,\u00bb"),
    ("Tom Hale spoke.\n\n''We will win this battle,'' Hale said.", "''We will win this battle,''"),
], ids=["single-inside-double", "single-curly", "guillemets", "doubled-apostrophes"])
def test_quote_mark_styles(nlp, text, content):
    quote = covering(run(nlp, text), text, content)
    assert text[quote.start:quote.end] == content
    assert "Hale" in quote.speaker_name or "Dupont" in quote.speaker_name


def test_unbalanced_marks_never_stop_the_article(nlp):
    text = ('He said "this never closes\n\n'
            '\u201d A stray closing mark and \u201c an opening one.\n\n'
            'Mayor Anna Ruiz spoke. "We will rebuild the bridge," Ruiz said. Then she left.')
    quote = covering(run(nlp, text), text, "We will rebuild")
    assert quote.speaker_name == "Anna Ruiz"


# --- speakers --------------------------------------------------------------------------------------
def test_pronoun_goes_to_the_last_person_in_the_foreground(nlp):
    text = ('Emmanuel Macron met reporters, while Vladimir Putin praised the talks.\n\n'
            '"I see how much effort France is making," he said.')
    quote = covering(run(nlp, text), text, "I see how much")
    assert span(text, quote.speaker) == "he"
    assert quote.speaker_name == "Vladimir Putin"


def test_descriptions_resolve_to_the_person_given_that_title(nlp):
    text = ('Russian President Vladimir Putin met French President Emmanuel Macron.\n\n'
            '"Some of his ideas are feasible for our next steps," the Russian leader told reporters.\n\n'
            '"This discussion can make a start," the French president said.')
    quotes = run(nlp, text)
    assert covering(quotes, text, "Some of his ideas").speaker_name == "Vladimir Putin"
    assert covering(quotes, text, "This discussion").speaker_name == "Emmanuel Macron"


def test_role_given_earlier_resolves_an_indefinite_mention(nlp):
    text = ('Kremlin spokesman Dmitry Peskov spoke on Monday.\n\n'
            '"Nothing has changed in our position," a Kremlin spokesman said.')
    assert covering(run(nlp, text), text, "Nothing has changed").speaker_name == "Dmitry Peskov"


def test_unclear_description_keeps_the_mention_without_a_name(nlp):
    text = 'The talks ended late.\n\n"Nothing has changed in our position," a spokesman said.'
    quote = covering(run(nlp, text), text, "Nothing has changed")
    assert span(text, quote.speaker) == "a spokesman"
    assert quote.speaker_name is None


def test_surname_gets_the_fullest_form(nlp):
    text = ('French President Emmanuel Macron travelled to Moscow.\n\n'
            '"This discussion can make a start," Macron said.')
    assert covering(run(nlp, text), text, "This discussion").speaker_name == "Emmanuel Macron"


@pytest.mark.parametrize("text, content, name", [
    ("The talks ended late. The White House said the two leaders agreed to keep talking.",
     "the two leaders agreed", "White House"),
    ("The talks ended late. Russian officials said the troop movements are part of drills.",
     "the troop movements", "Russian officials"),
], ids=["organisation", "group"])
def test_organisations_and_groups_speak(nlp, text, content, name):
    assert covering(run(nlp, text), text, content).speaker_name == name


# --- the sample article ----------------------------------------------------------------------------
SAMPLE_DIRECT = [
    ("This discussion can make a start", "Emmanuel Macron"),
    ("avoid a war", "Emmanuel Macron"),
    ("I see how much effort the French leadership", "Vladimir Putin"),
    ("A number of his ideas or proposals", "Vladimir Putin"),
    ("in unity", "Josep Borrell"),
    ("we have seen eye-to-eye", "Josep Borrell"),
    ("This is our best asset", "Josep Borrell"),
    ("Our Western interlocutors prefer", "Dmitry Peskov"),
    ("Instead, they prefer a rather agitated discussion", "Dmitry Peskov"),
]


def test_sample_article_direct_quotes_and_speakers(nlp, sample_text):
    quotes = run(nlp, sample_text)
    for phrase, name in SAMPLE_DIRECT:
        quote = covering(quotes, sample_text, phrase)
        assert name in (quote.speaker_name or ""), (phrase, quote.speaker_name)
    noise = find_noise(sample_text)
    assert not any(s <= q.start < e for q in quotes for s, e in noise)


def test_random_marks_in_a_real_article_never_raise(nlp, sample_text):
    import random

    rng = random.Random(11)
    marks = ['"', "\u201c", "\u201d", "\u2018", "\u2019", "'", "\u00ab", "\u00bb", "''"]
    for _ in range(12):
        chars = list(sample_text)
        for _ in range(25):
            chars.insert(rng.randrange(len(chars)), rng.choice(marks))
        text = "".join(chars)
        run(nlp, text)  # every quote validated against its text


def test_a_dateline_is_not_part_of_the_speaker(nlp):
    text = ("LONDON (Reuters) - Britain's finance minister Rachel Reeves said on Monday the government "
            "would stick to its fiscal rules.")
    quote = covering(run(nlp, text), text, "the government would stick")
    assert "LONDON" not in span(text, quote.speaker)
    assert quote.speaker_name == "Rachel Reeves"


def test_question_with_asked_and_an_answer_in_the_same_paragraph(nlp):
    text = ("Dr. Theresa Tam spoke on Monday.\n\n"
            "\u201cIs this the end?\u201d she asked. \u201cNo, it is only the beginning.\u201d")
    quote = covering(run(nlp, text), text, "Is this the end?")
    assert "only the beginning" in text[quote.start:quote.end]
    assert span(text, quote.cue) == "asked" and quote.speaker_name == "Theresa Tam"


def test_whole_quoted_sentences_without_a_cue_go_to_the_person_in_the_foreground(nlp):
    text = ('Mayor Anna Ruiz toured the flooded street on Monday.\n\n'
            '"We will rebuild every single house on this street before the winter comes."\n\n'
            'The store had a "closed for repairs" sign in the window.')
    quotes = run(nlp, text)
    assert len(quotes) == 1
    quote = quotes[0]
    assert quote.kind == "direct" and quote.speaker is None
    assert quote.speaker_name == "Anna Ruiz"


def test_a_show_title_in_the_lead_in_is_not_a_quote(nlp):
    text = ("On this weekend\u2019s broadcast of \u201cFox News Sunday,\u201d Governor Mike Pence said "
            "the plan was working.")
    quotes = run(nlp, text)
    at = text.index("Fox News Sunday")
    assert not any(q.start <= at < q.end for q in quotes)
    assert covering(quotes, text, "the plan was working").kind == "indirect"


def test_without_a_parser_nothing_raises(sample_text):
    import spacy

    blank = spacy.blank("en")
    quotes = extract_quotes(blank(sample_text), find_noise(sample_text))
    for i, quote in enumerate(quotes):
        validate_quote(sample_text, quote, f"quotes[{i}]")
    assert extract_quotes(blank(""), []) == []


def test_the_clause_after_the_cue_is_the_one_reported(nlp):
    text = ("It is an extremely unlikely scenario; Clinton\u2019s team says she will continue her march "
            "toward Election Day later this week.")
    quote = covering(run(nlp, text), text, "she will continue")
    assert "unlikely scenario" not in text[quote.start:quote.end]


def test_reported_clause_stops_before_a_later_quote(nlp):
    text = ('Ivanka Trump spoke last week. She said fathers would not be eligible for the paid leave, and when '
            'pressed on why, she said, "It is meant to benefit the mother who has given birth."')
    quotes = run(nlp, text)
    reported = covering(quotes, text, "fathers would not be eligible")
    direct = covering(quotes, text, "It is meant to benefit")
    assert reported.end <= direct.start and reported.kind == "indirect"


def test_pronouns_agree_with_what_the_article_says_of_a_person(nlp):
    text = ('Hillary Clinton said her plan would create jobs. Donald Trump said his plan was better.\n\n'
            '"It will fail the middle class," she said.\n\n"It is a disaster," Mr. Trump said.')
    quotes = run(nlp, text)
    assert covering(quotes, text, "It will fail").speaker_name == "Hillary Clinton"
    assert covering(quotes, text, "It is a disaster").speaker_name == "Donald Trump"


def test_two_cues_in_one_attribution_give_one_quote(nlp):
    text = ('Kremlin spokesman Dmitry Peskov spoke on Monday.\n\n'
            '"Our Western partners prefer not to mention this topic," Peskov said, according to Interfax.')
    quotes = run(nlp, text)
    assert len(quotes) == 1
    assert quotes[0].speaker_name == "Dmitry Peskov" and span(text, quotes[0].cue) == "said"


def test_colon_lead_in_without_any_verb(nlp):
    # The lead-in has no verb at all: climbing the parse must stop at its root.
    text = 'Statement from the mayor of Springfield:\n\n"The bridge will reopen to traffic next week."'
    for i, quote in enumerate(run(nlp, text)):
        assert quote.kind == "direct"


def test_a_title_in_the_cue_clause_does_not_split_the_quote(nlp):
    text = ("Michael Flynn spoke on Thursday.\n\n\u201cHe is absolutely right about the military,\u201d Flynn, a top "
            "Trump surrogate, said Thursday morning on Fox News\u2019s \u201cFox and Friends.\u201d "
            "\u201cI mean, there "
            "is a lot of frustration within the ranks.\u201d")
    quote = covering(run(nlp, text), text, "He is absolutely right")
    assert "frustration within the ranks" in text[quote.start:quote.end]
    assert quote.speaker_name == "Michael Flynn"


def test_an_object_pronoun_says_nothing_of_the_subjects_gender(nlp):
    text = ("Dr. Oz was grilled on Tuesday.\n\nDemocratic Sen. Claire McCaskill (D-Mo.) scolded him: "
            "\u201cThe scientific community is almost monolithic against you on these products,\u201d she said.")
    quote = covering(run(nlp, text), text, "The scientific community")
    assert quote.speaker_name == "Claire McCaskill"


def test_a_quote_after_an_attributed_sentence_is_the_same_speakers(nlp):
    text = ("Rep. Adam Schiff spoke on Sunday. The administration may be reluctant to act while Secretary John "
            "Kerry negotiates with Russia, Schiff said. \"The other factor is whether it would look like an attempt "
            "to tip the election.\"")
    quote = covering(run(nlp, text), text, "The other factor")
    assert quote.speaker_name == "Adam Schiff"


def test_abbreviated_titles_resolve_descriptions(nlp):
    text = ("Indiana Gov. Mike Pence spoke in Ohio.\n\n"
            "\"We will bring the jobs back to this state,\" the Indiana governor said.")
    assert covering(run(nlp, text), text, "We will bring").speaker_name == "Mike Pence"


def test_it_goes_to_the_latest_organisation_that_spoke(nlp):
    text = ("The International Monetary Fund cut its forecast on Tuesday. It said that growth would slow "
            "to 1.6 percent this year.")
    quote = covering(run(nlp, text), text, "growth would slow")
    assert span(text, quote.speaker) == "It"
    assert quote.speaker_name == "International Monetary Fund"


def test_transcript_turns_are_quotes_of_their_labelled_speakers(nlp):
    text = ('Chris Wallace interviewed Mike Pence on Sunday. Partial transcript as follows:\n\n'
            '"WALLACE: Let us start with the breaking news on the debate story.\n\n'
            '"PENCE: Well, look, the question really should be about the other campaign.\n\n'
            'The interview lasted ten minutes.')
    quotes = run(nlp, text)
    wallace = covering(quotes, text, "Let us start")
    pence = covering(quotes, text, "Well, look")
    assert wallace is not pence
    assert text[pence.start:pence.start + 4] == "Well"
    assert (wallace.speaker_name, pence.speaker_name) == ("Chris Wallace", "Mike Pence")


def test_a_speaker_mention_never_reaches_back_over_a_caption_or_ad_line(nlp):
    text = ("Advertisement\n\nMacron said his goal was to \"avoid a war\" in Europe.\n\n"
            "Troops arrive in Poland. Photo by Sgt. Stephen P. Perez/U.S. Army/UPI\n\n"
            "Biden said last week that the United States will send about 3,000 troops.")
    quotes = run(nlp, text, find_noise(text))
    speakers = {span(text, q.speaker): q.speaker_name for q in quotes if q.speaker}
    assert speakers == {"Macron": "Macron", "Biden": "Biden"}
