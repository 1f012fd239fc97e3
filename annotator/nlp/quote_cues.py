"""Cues (verbs and phrases of saying) and the speakers they point to, read off the parse."""
from __future__ import annotations

# Verbs that report speech or writing; lemmas as the sm pipeline gives them.
SPEECH_VERBS = frozenset("""
say tell add ask announce answer argue assert claim comment confirm declare deny explain insist
note reply report respond state warn write suggest acknowledge admit allege caution concede
contend emphasize emphasise maintain mention predict promise recall remark reiterate stress
tweet vow testify urge complain joke boast proclaim shout yell chant scream whisper exclaim
observe retort counter quip concur lament muse marvel recount assure remind
""".split())
# Verbs that report speech only when a quotation follows ("she continued, '...'").
QUOTE_ONLY_VERBS = frozenset("continue begin conclude put sing cry laugh sigh snap read".split())
PHRASAL = {"point": "out", "go": "on", "sum": "up", "fire": "back", "shoot": "back", "chime": "in"}
MODALS = frozenset("would could might may should must".split())
SUBJECTS = ("nsubj", "nsubjpass")
# Dependencies through which a cue verb borrows its subject ("rejected it, saying ...").
BORROWS_SUBJECT = ("advcl", "xcomp", "conj", "pcomp", "acl", "prep", "ccomp")


def verb_forms(tok) -> set[str]:
    """The lemma and plausible bare forms of a verb (the sm lemmatizer gives "rated" -> "rat")."""
    word = tok.lower_
    forms = {tok.lemma_.lower(), word}
    if word.endswith("ied"):
        forms.add(word[:-3] + "y")
    if word.endswith("ed"):
        forms |= {word[:-2], word[:-1]}
    if word.endswith("ing"):
        forms |= {word[:-3], word[:-3] + "e"}
    if word.endswith("es"):
        forms.add(word[:-2])
    if word.endswith("s"):
        forms.add(word[:-1])
    return forms


def is_cue(tok, with_quote: bool = False) -> bool:
    """True for a verb of saying (``with_quote``: one that introduces a quotation)."""
    if tok.lower_ == "according":
        return any(c.lower_ == "to" for c in tok.children)
    if tok.pos_ not in ("VERB", "AUX") and not (tok.tag_.startswith("VB")):
        return False
    forms = verb_forms(tok)
    if forms & SPEECH_VERBS:
        return True
    for lemma in forms & PHRASAL.keys():
        if any(c.dep_ == "prt" and c.lower_ == PHRASAL[lemma] for c in tok.children):
            return True
    return with_quote and bool(forms & QUOTE_ONLY_VERBS)


def is_hedged(tok) -> bool:
    """Hypothetical or denied speech: "would say", "did not say", "if he says"."""
    for child in tok.children:
        if child.dep_ == "neg" or (child.dep_ == "aux" and child.lower_ in MODALS):
            return True
        if child.dep_ == "mark" and child.lower_ in ("if", "unless", "whether"):
            return True
    return False


def subject_of(verb, depth: int = 0):
    """The subject token of ``verb``, borrowed from the verb it hangs on for participles."""
    subjects = [c for c in verb.children if c.dep_ in SUBJECTS]
    if subjects:
        # Nearest first: a quote's own words can be misread as a second subject.
        child = min(subjects, key=lambda c: abs(c.i - verb.i))
        if child.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
            return verb.head  # "Obama, who said ..." -> Obama
        return child
    if depth < 3 and verb.dep_ in BORROWS_SUBJECT and verb.head.i != verb.i:
        return subject_of(verb.head, depth + 1)
    return None


def speaker_token(cue):
    """The token heading the speaker of ``cue`` (None when the parse gives none)."""
    if cue.lower_ == "according":
        to = next((c for c in cue.children if c.lower_ == "to"), None)
        return next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    subj = subject_of(cue)
    if subj is not None:
        return subj
    # Quotative inversion the parser read as an object: "..., said Trump."
    for child in cue.children:
        if child.i > cue.i and child.dep_ in ("dobj", "attr", "npadvmod", "appos", "dative") \
                and child.pos_ in ("PROPN", "NOUN") and child.ent_type_ not in ("DATE", "TIME"):
            return child
    return None


def mention_bounds(tok) -> tuple[int, int]:
    """Token range [start, end) of the noun phrase headed by ``tok``, with its conjuncts."""
    doc = tok.doc
    start = tok.left_edge.i
    while start < tok.i and (doc[start].is_punct or doc[start].is_space):
        start += 1
    # Keep a name whole when the parser hung part of it elsewhere ("... Josep Borrell").
    while start > 0 and tok.pos_ == "PROPN" and doc[start - 1].pos_ == "PROPN":
        start -= 1
    # A mention never reaches back across a line break (the parser sometimes hangs a
    # caption or an "Advertisement" line on the next paragraph's subject).
    for i in range(tok.i - 1, start - 1, -1):
        if "\n" in doc[i].text_with_ws:
            start = i + 1
            break
    # A dateline is not part of the speaker: "LONDON (Reuters) - Britain's minister ...".
    for i in range(tok.i - 1, start - 1, -1):
        if doc[i].text in ("-", "--", "\u2014", "\u2013") and doc[i].whitespace_ and doc[i - 1].whitespace_:
            start = i + 1
            break
    end = tok.i + 1
    for conj in tok.conjuncts:
        if conj.i >= end and conj.i - end < 12 and "\n" not in doc[tok.i:conj.i].text:
            end = conj.i + 1
    # Keep the name going when the parser split it ("Josep Borrell" as two heads).
    while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].head.i == tok.i and doc[end].dep_ == "compound":
        end += 1
    return start, end


# Words that announce a title or a name rather than speech: the book "...", a motto "...".
TITLE_CUES = frozenset("""
book novel film movie show series song album play poem article column essay report op-ed headline
titled entitled called dubbed named nicknamed slogan motto hashtag campaign program programme
operation act bill law
""".split())
# Thought, not speech: "She thought: '...'" is no quote.
THOUGHT_VERBS = frozenset("think wonder imagine feel believe hope wish dream fear worry know realize guess".split())
# Verbs by which someone characterises, praises or attacks in their own quoted words:
# 'Cruz called Trump a "pathological liar"', 'Christie described Clinton as a "disgrace"'.
CHARACTERISING_VERBS = frozenset("""
call describe characterize characterise label dub brand liken compare term deem praise laud hail
blast slam attack criticize criticise condemn denounce decry dismiss mock ridicule accuse admire
tout pledge demand stress urge use cite quote refer promise vow insist reject defend reference
rate blame bemoan exhort encourage greet specify question welcome celebrate applaud thank
""".split())
