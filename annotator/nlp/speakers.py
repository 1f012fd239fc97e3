"""Who a speaker mention is: one canonical name per person in an article.

"Macron", "the French president" and "Emmanuel Macron" are one person, named by the fullest
form the article uses. Pronouns go to the person last in the foreground (a named subject or
speaker before them); descriptive mentions ("the Russian leader", "a Kremlin spokesman") go to
the latest person whose title or role the article gave ("Russian President Vladimir Putin");
organisations and groups are named by their own mention; anything else keeps no name.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

PERSON_PRONOUNS = frozenset("he she him her".split())
MALE, FEMALE = 0, 1
GENDERED = {"he": MALE, "him": MALE, "his": MALE, "himself": MALE,
            "she": FEMALE, "her": FEMALE, "hers": FEMALE, "herself": FEMALE}
HONORIFICS = {"mr": MALE, "mrs": FEMALE, "ms": FEMALE, "miss": FEMALE}
GROUP_PRONOUNS = frozenset("they we i you it".split())
# Titles dropped from a name ("President Emmanuel Macron" -> "Emmanuel Macron").
TITLE_WORDS = frozenset("""
mr mr. mrs mrs. ms ms. dr dr. sen sen. rep rep. gov gov. gen gen. lt. col. sgt. prof prof. rev rev.
president vice prime minister secretary chancellor representative senator congressman congresswoman
governor mayor spokesman spokeswoman spokesperson chief director general commissioner ambassador
judge justice speaker leader chairman chairwoman chair ceo founder king queen prince princess pope
attorney sheriff officer agent professor candidate nominee adviser advisor aide deputy foreign high
""".split())
# Heads that say what someone is without saying which one; matched by their modifiers alone.
GENERIC_ROLES = frozenset("leader official politician figure man woman head".split())
ORG_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC"})
# How far back (characters) a pronoun or description looks for its person.
LOOKBACK = 2500


# Abbreviated and synonymous title words: "Indiana Gov. Mike Pence" is "the Indiana governor".
TITLE_FORMS = {"gov": "governor", "sen": "senator", "rep": "representative", "gen": "general",
               "lt": "lieutenant", "sec": "secretary", "pres": "president", "amb": "ambassador",
               "atty": "attorney", "gop": "republican", "democrat": "democratic"}


def title_word(word: str) -> str:
    word = word.rstrip(".")
    return TITLE_FORMS.get(word, word)


def mention_head(span):
    """The word a speaker mention is about: its last nominal whose head lies outside it."""
    for tok in reversed(span):
        if tok.pos_ in ("PROPN", "NOUN", "PRON") and not span.start <= tok.head.i < span.end:
            return tok
    return span.root


def _clean(name: str) -> str:
    name = name.strip(" ,.;:-\u2014\u2013")
    if name.endswith(("'s", "\u2019s")):
        name = name[:-2]
    return name.strip()


def strip_titles(words: list[str]) -> list[str]:
    """The name after the last title word (["High", "Representative", "Josep", "Borrell"] -> the last two)."""
    last_title = -1
    for i, word in enumerate(words[:-1]):
        if word.lower() in TITLE_WORDS:
            last_title = i
    return words[last_title + 1:]


def _start(person) -> int:
    return person.start


@dataclass
class _Person:
    key: str  # surname, lower case
    name: str
    start: int
    titles: frozenset


@dataclass
class SpeakerNames:
    """Canonical names of the people of one parsed article."""

    doc: object
    people: list[_Person] = field(default_factory=list)
    # People in the foreground, by position: named subjects and resolved speakers.
    _salient: list[tuple[int, str]] = field(default_factory=list)

    def __post_init__(self):
        # Doc.ents builds every entity span on each access: read them once.
        self._ents = list(self.doc.ents)
        self._ent_starts = [e.start for e in self._ents]
        self._by_key: dict[str, list[_Person]] = {}
        self._forms: dict = {}
        for ent in self._ents:
            if ent.label_ == "PERSON":
                words = strip_titles(_clean(ent.text).split())
                if words:
                    self._add_person(_Person(words[-1].lower(), " ".join(words), ent.start_char,
                                             frozenset(self._title_words(ent))))
        self._add_unrecognised_names()
        self._gender: dict[str, list[int]] = {}  # name -> [male, female] evidence
        self._salient_orgs = sorted((e.start_char, _clean(e.text.removeprefix("the ").removeprefix("The ")))
                                    for e in self._ents if e.label_ == "ORG" and self._is_subject(e))
        for ent in self._ents:
            if ent.label_ != "PERSON":
                continue
            words = strip_titles(_clean(ent.text).split())
            if not words:
                continue
            name = self.fullest(" ".join(words), ent.start_char)
            self._note_gender(name, ent)
            if self._is_subject(ent):
                self._salient.append((ent.start_char, name))
        self._salient.sort()

    def _note_gender(self, name: str, ent) -> None:
        """Evidence of a person's gender: an honorific before the name, or the first personal
        pronoun after it in its sentence ("Clinton said her plan ...")."""
        doc = ent.doc
        gender = None
        if ent.start > 0 and doc[ent.start - 1].lower_.rstrip(".") in HONORIFICS:
            gender = HONORIFICS[doc[ent.start - 1].lower_.rstrip(".")]
        elif self._is_subject(ent):
            for tok in doc[ent.end:min(len(doc), ent.end + 12)]:
                if tok.is_sent_start or tok.ent_type_ == "PERSON":
                    break
                # "said her plan", "said she would", "herself" -- not an object ("scolded him").
                if tok.lower_ in GENDERED and (tok.tag_ == "PRP$" or tok.dep_ in ("nsubj", "nsubjpass")
                                               or tok.lower_.endswith("self")):
                    gender = GENDERED[tok.lower_]
                    break
        if gender is not None:
            self._gender.setdefault(name, [0, 0])[gender] += 1

    def _agrees(self, name: str, pronoun: str | None) -> bool:
        wanted = GENDERED.get(pronoun or "")
        if wanted is None or name not in self._gender:
            return True
        votes = self._gender[name]
        return votes[wanted] >= votes[1 - wanted]

    @staticmethod
    def _is_subject(ent) -> bool:
        root = ent.root
        return root.dep_ in ("nsubj", "nsubjpass") or root.head.dep_ in ("nsubj", "nsubjpass") \
            and root.dep_ in ("compound", "appos")

    def _add_person(self, person: _Person) -> None:
        bisect.insort(self.people, person, key=_start)
        self._forms.clear()
        bisect.insort(self._by_key.setdefault(person.key, []), person, key=_start)

    def _ents_in(self, span):
        """Entities lying wholly inside ``span``."""
        i = bisect.bisect_left(self._ent_starts, span.start)
        while i < len(self._ents) and self._ents[i].start < span.end:
            if self._ents[i].end <= span.end:
                yield self._ents[i]
            i += 1

    def _add_unrecognised_names(self) -> None:
        """Proper-noun subjects the entity recogniser missed ("High Representative Josep Borrell")."""
        doc = self.doc
        for tok in doc:
            if tok.dep_ not in ("nsubj", "nsubjpass") or tok.pos_ != "PROPN" or tok.ent_type_ not in ("", "PERSON"):
                continue
            if tok.ent_type_ == "PERSON":
                continue  # already known
            i = tok.i
            while i > 0 and doc[i - 1].pos_ == "PROPN" and doc[i - 1].ent_type_ in ("", "PERSON"):
                i -= 1
            words = strip_titles(_clean(doc[i:tok.i + 1].text).split())
            if len(words) > 1 and words[0][:1].isupper():
                self._add_person(_Person(words[-1].lower(), " ".join(words), doc[i].idx, frozenset()))

    # --- people ------------------------------------------------------------------------
    @staticmethod
    def _title_words(ent) -> set[str]:
        """Words the article puts around a name (titles, roles, appositions), normalised."""
        root = ent.root
        doc = ent.doc
        words = {t.lower_ for t in doc[root.left_edge.i:ent.start] if not (t.is_punct or t.pos_ == "DET")}
        for child in root.children:
            if child.dep_ == "appos":
                words |= {t.lower_ for t in child.subtree if t.pos_ in ("NOUN", "PROPN", "ADJ")}
        if root.dep_ == "appos":
            words |= {t.lower_ for t in root.head.subtree if t.i < ent.start and t.pos_ in ("NOUN", "PROPN", "ADJ")}
        return {title_word(w) for w in words}

    def fullest(self, name: str, at: int | None = None) -> str:
        """The fullest form of ``name`` the article uses (the latest before ``at`` if several)."""
        words = name.split()
        if not words:
            return name
        first = words[0].lower() if len(words) > 1 else None
        longest, starts, names = self._longest_forms(words[-1].lower(), first)
        if len(words) >= longest:
            return name
        i = bisect.bisect_right(starts, at) if at is not None else len(starts)
        return names[i - 1] if i else names[0]

    def _longest_forms(self, key: str, first: str | None) -> tuple[int, list[int], list[str]]:
        """(word count, starts, names) of the longest forms of a surname, cached per article."""
        cached = self._forms.get((key, first))
        if cached is None:
            same = [p for p in self._by_key.get(key, ()) if first is None or p.name.split()[0].lower() == first]
            longest = max((len(p.name.split()) for p in same), default=0)
            full = [p for p in same if len(p.name.split()) == longest]
            cached = (longest, [p.start for p in full], [p.name for p in full])
            self._forms[(key, first)] = cached
        return cached

    def note_speaker(self, at: int, name: str | None) -> None:
        """A resolved speaker comes to the foreground for the pronouns that follow."""
        if name:
            bisect.insort(self._salient, (at, name))

    # --- mentions ----------------------------------------------------------------------
    def name_for(self, span) -> str | None:
        """Canonical name for a speaker mention (a spaCy Span), or None when unclear."""
        if len(span) == 0:
            return None
        head = mention_head(span)
        if len(span) == 1 and head.lower_ in PERSON_PRONOUNS:
            return self._pronoun(span.start_char, head.lower_)
        if len(span) == 1 and head.lower_ == "it":
            return self._organisation_before(span.start_char)
        if len(span) == 1 and head.lower_ in GROUP_PRONOUNS:
            return None
        names = [self._name_of(part, part_head) for part, part_head in self._conjuncts(span, head)]
        names = [n for n in names if n]
        if len(names) > 1:
            return " and ".join(dict.fromkeys(names))
        return names[0] if names else None

    @staticmethod
    def _conjuncts(span, head):
        heads = [head] + [t for t in head.conjuncts if span.start <= t.i < span.end]
        if len(heads) == 1:
            return [(span, head)]
        doc = span.doc
        parts = []
        for h in sorted(heads, key=lambda t: t.i):
            left = h.i
            while left - 1 >= span.start and doc[left - 1].dep_ in ("compound", "amod", "nmod", "det", "poss") \
                    and doc[left - 1].head.i in range(left, h.i + 1):
                left -= 1
            parts.append((doc[left:h.i + 1], h))
        return parts

    def _name_of(self, span, head) -> str | None:
        person = next((e for e in self._ents_in(span) if e.label_ == "PERSON"), None)
        if person is not None:
            words = strip_titles(_clean(person.text).split())
            return self.fullest(" ".join(words), span.start_char) if words else None
        if head.pos_ == "PROPN" and head.lower_ in self._by_key:
            return self.fullest(head.text, span.start_char)  # a known person's surname, whatever its tag
        if head.pos_ == "PROPN" and (head.ent_type_ in ("", "PERSON")):
            run = []
            for t in span:  # the last run of proper nouns up to the head
                if t.i > head.i:
                    break
                run = run + [t] if t.pos_ == "PROPN" else []
            words = strip_titles(_clean(" ".join(t.text for t in run)).split())
            if words:
                name = " ".join(words)
                if len(words) > 1:  # a name the entity recogniser missed: remember it
                    self._add_person(_Person(words[-1].lower(), name, span.start_char, frozenset()))
                return self.fullest(name, span.start_char)
        org = next((e for e in self._ents_in(span) if e.label_ in ORG_LABELS and e.root == head), None)
        if org is not None:
            return _clean(org.text.removeprefix("the ").removeprefix("The "))
        described = self._described(span, head)
        if described:
            return described
        if head.tag_ in ("NNS", "NNPS"):  # a group: "Russian officials", "sources"
            return _clean(" ".join(t.text for t in span if t.pos_ != "DET")) or None
        return None

    def person_before(self, at: int) -> str | None:
        """The person in the foreground at ``at`` (what "he" or "she" there would refer to)."""
        return self._pronoun(at)

    def _pronoun(self, at: int, pronoun: str | None = None) -> str | None:
        """The latest person in the foreground before ``at`` that ``pronoun`` can refer to."""
        i = bisect.bisect_left(self._salient, (at, ""))
        while i and at - self._salient[i - 1][0] <= LOOKBACK:
            name = self._salient[i - 1][1]
            if self._agrees(name, pronoun):
                return name
            i -= 1
        i = bisect.bisect_left(self.people, at, key=_start)
        for person in reversed(self.people[max(0, i - 50):i]):
            name = self.fullest(person.name, at)
            if self._agrees(name, pronoun):
                return name
        return None

    def _organisation_before(self, at: int) -> str | None:
        """'The IMF said ... It added ...': "it" goes to the latest organisation that was a subject."""
        i = bisect.bisect_left(self._salient_orgs, (at, ""))
        if i and at - self._salient_orgs[i - 1][0] <= LOOKBACK:
            return self._salient_orgs[i - 1][1]
        return None

    def _described(self, span, head) -> str | None:
        """'the Russian leader' -> the latest person introduced as Russian President ..."""
        if head.pos_ != "NOUN" or head.tag_ in ("NNS", "NNPS"):
            return None
        mods = {title_word(t.lower_) for t in span if t.i != head.i and t.pos_ in ("ADJ", "PROPN", "NOUN")}
        role = title_word(head.lower_)
        for i in range(bisect.bisect_left(self.people, span.start_char, key=_start) - 1, -1, -1):
            person = self.people[i]
            if span.start_char - person.start > LOOKBACK * 2:
                break
            if (role in person.titles or role in GENERIC_ROLES) and mods <= person.titles \
                    and (mods or role in person.titles):
                return self.fullest(person.name, span.start_char)
        return None
