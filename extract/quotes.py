"""People quoted: who spoke, in what role, for which body.

A speech verb ("said", "added", "commented") whose subject holds a person's
name, or which is followed by one ("..., said Cllr Jane Smith"), makes a
quote; "he said" and "Mr Smith added" are tied to the person named before.
The words around the name in the subject ("Leader of X Council",
"cabinet member for Finance at X Council") give the role, and the body
named in them the organisation.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from spacy.tokens import Doc, Span, Token

from lgkg.extract.lexicon import load
from lgkg.extract.mentions import (
    COUNCIL_LABEL,
    Mention,
    can_be_member,
    generic_body_words,
    name_word,
)
from lgkg.extract.names import one_word_titles, strip_titles
from lgkg.extract.records import Body, Evidence, Quote
from lgkg.extract.service import area_counts, remits
from lgkg.extract.tokens import features, text_of


@dataclass
class Speaker:
    name: str
    role: str
    organisation: Body | None


@cache
def _speech() -> dict:
    return load("speech")


@cache
def _party_labels() -> frozenset[str]:
    """Party names in lower case ("labour", "lib dem"), from ``people.json``."""
    return frozenset(w.lower() for w in load("people")["not_names"])


@cache
def _role_titles() -> frozenset[str]:
    return frozenset(w.lower() for w in load("people")["role_titles"])


@cache
def _role_words() -> frozenset[str]:
    """Words of a role ("director", "leader"), lower case: ``people.json``'s role words and
    role titles."""
    return frozenset(load("people")["role_words"]) | _role_titles()


@cache
def _role_verbs() -> frozenset[str]:
    """Verbs of leading a body ("lead", "chair"), ``people.json``'s role verbs."""
    return frozenset(load("people")["role_verbs"])


def speaker_name(name: str) -> str:
    """A speaker's name without titles, post-nominals or role words before it.

    >>> speaker_name("Cllr Fiona Colley")
    'Fiona Colley'
    >>> speaker_name("Leader Councillor Dr Jane Smith OBE")
    'Jane Smith'
    """
    words = name.split()
    if len(words) > 1 and words[0].lower() == "the":
        words.pop(0)
    while len(words) > 1 and words[0].lower().rstrip(".") in _role_titles():
        words.pop(0)
    return strip_titles(" ".join(words)).strip(" '\"")


def _person_spans(tokens: Span | list[Token]) -> list[Span]:
    doc = tokens[0].doc if len(tokens) else None
    if doc is None:
        return []
    idx = {t.i for t in tokens}
    out = [  # "chief executive of Charles Taylor's department": an owner, not the speaker;
        e  # "Jane Roe (Con, *Pulborough*)": a ward
        for e in features(doc).ents
        if e.label_ == "PERSON" and e.start in idx and not _possessive(e) and not _bracketed(e)
    ]
    out = [_run_on(e) for e in out]
    if out:
        sent = out[0].sent  # a "name" inside a remit is the model's misreading of its words
        remit = [(sent.start_char + a, sent.start_char + b) for a, b in remits(text_of(sent))]
        out = [
            e
            for e in out
            if not any(a <= e.start_char < b for a, b in remit) or _after_lowercase_remit(e)
        ]
    if out:
        return out
    # Capitalised words before a party and ward ("Brian Roe (Con, Pulborough)").
    toks = list(tokens)
    for i, tok in enumerate(toks):
        if tok.text == "(" and _party_after(doc[toks[0].i : tok.i]):
            j = i
            while j > 0 and toks[j - 1].i == toks[j].i - 1 and name_word(toks[j - 1]):
                j -= 1
            if i - j >= 2:
                return [doc[toks[j].i : tok.i]]
    # A title followed by capitalised words ("Cllr Cox") where the model saw no PERSON.
    t = one_word_titles()
    for i, tok in enumerate(toks):
        if tok.lower_.rstrip(".") in t and i + 1 < len(toks) and toks[i + 1].is_title:
            j = i + 1
            while j < len(toks) and toks[j].is_title and not _in_long_entity(toks[j], tok):
                j += 1
            return [doc[tok.i : toks[j - 1].i + 1]]
    return []


def _run_on(person: Span) -> Span:
    """The name, with the capitalised words the model left out of it that it hangs on
    ("*Cllr Ray* Morgon said": "Morgon" read as an organisation, "Ray" its compound)."""
    doc, end = person.doc, person.end
    while (
        end < len(doc)
        and doc[end - 1].dep_ == "compound"
        and doc[end - 1].head.i == end
        and doc[end].pos_ == "PROPN"
        and doc[end].is_title
        and doc[end].ent_type_ != COUNCIL_LABEL
    ):
        end += 1
    return doc[person.start : end] if end > person.end else person


def _possessive(person: Span) -> bool:
    """Is the name followed by a possessive ending ("Charles Taylor's")?"""
    after = person.doc[person.end] if person.end < len(person.doc) else None
    return person[-1].tag_ == "POS" or (after is not None and after.tag_ == "POS")


def _after_lowercase_remit(person: Span) -> bool:
    """Does a name follow a remit written in lower case ("cabinet member for finance *Brian
    Smith* said")? A remit in capitals runs on ("for Families and *Young People*")."""
    before = person.doc[person.start - 1] if person.start > 0 else None
    return before is not None and before.is_alpha and before.is_lower and not before.is_stop


def _in_long_entity(tok: Token, title: Token | None = None) -> bool:
    """Is the token part of an ORG, or of a council name of two words or more? An ORG that
    starts at the person's ``title`` ("Cllr Lynden Stowe") is the model misreading a person."""
    ent = next((e for e in features(tok.doc).ents if e.start <= tok.i < e.end), None)
    if tok.ent_type_ == "ORG":
        return not (title is not None and ent is not None and ent.start == title.i)
    return ent is not None and ent.label_ == COUNCIL_LABEL and len(ent) > 1


def _role_and_org(
    subject: list[Token], person: Span, mentions: list[Mention], publisher: Body | None = None
) -> tuple[str, Body | None]:
    relative = {t.i for t in subject if t.dep_ == "relcl" for t in t.subtree}
    idx = {t.i for t in subject} - set(range(person.start, person.end)) - relative
    t = one_word_titles()
    role_idx = sorted(
        i for i in idx if not (doc_tok := person.doc[i]).is_punct or doc_tok.text in ",&"
    )
    role_idx = [i for i in role_idx if person.doc[i].lower_.rstrip(".") not in t]
    runs: list[list[int]] = []
    for i in role_idx:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    parts = [person.doc[r[0] : r[-1] + 1].text.strip(" ,") for r in runs]
    role = ", ".join(p for p in parts if p)
    role = re.sub(r"^(?:the|a|an)\s+", "", role, flags=re.I)
    in_role = [m for m in mentions if any(i in idx for i in range(m.start, m.end))]
    bodies = list(dict.fromkeys(m.body for m in in_role))
    org = _named_after_role(person.doc, idx, mentions)  # what the role is of, first
    if org is None and len(bodies) == 1:
        # "leader of the council" in a council's own document is its leader
        referred = all(m.kind == "reference" for m in in_role)
        org = publisher if referred and publisher is not None else bodies[0]
    if org is None and not bodies:
        org = _body_led(subject, mentions)
    if org is None and not bodies:
        ents = [e for e in features(person.doc).ents if e.label_ == "ORG" and e.start in idx]
        ents = [e for e in ents if not {t.lower_ for t in e} <= generic_body_words()]
        ents = [e for e in ents if not _bracketed(e)]
        org = Body(_body_name(ents[0])) if ents else _named_before_role(person.doc, sorted(idx))
    return role, org


def _body_led(subject: list[Token], mentions: list[Mention]) -> Body | None:
    """The one body a relative clause on the speaker says they lead ("Jane Smith, *who
    leads Rutland County Council*, said"; ``role_verbs`` in ``people.json``), else None."""
    objects = [
        t
        for clause in subject
        if clause.dep_ == "relcl" and clause.lemma_ in _role_verbs()
        for c in clause.children
        if c.dep_ == "dobj"
        for t in c.subtree
    ]
    at = {t.i for t in objects}
    bodies = {m.body for m in mentions if m.kind == "name" and m.start in at}
    return bodies.pop() if len(bodies) == 1 else None


def _body_name(span: Span) -> str:
    """An organisation's name as written, without "the" and with the words that end it
    ("Welsh Assembly" + "Government")."""
    end = span.end
    ending = set(load("bodies")["name_endings"])
    while end < len(span.doc) and span.doc[end].is_title and span.doc[end].lower_ in ending:
        end += 1
    name = span.doc[span.start : end].text
    return name[4:] if name.lower().startswith("the ") else name


def _named_before_role(doc: Doc, idx: list[int]) -> Body | None:
    """ "EM LawShare head Jane Smith": proper nouns right before a role word name the body."""
    roles = _role_words()
    run: list[int] = []
    for i in idx:
        tok = doc[i]
        if tok.pos_ == "PROPN" and (tok.is_title or tok.is_upper or tok.text[:1].isupper()):
            run.append(i)
            continue
        if run and tok.lower_ in roles and run[-1] == i - 1:
            words = {doc[j].lower_ for j in run}
            if words <= generic_body_words():
                return None  # "Council leader Jane Smith": the council of the document
            return Body(doc[run[0] : run[-1] + 1].text)
        run = []
    return None


def _named_after_role(doc: Doc, idx: set[int], mentions: list[Mention]) -> Body | None:
    """ "director of Veritau", "secretary of the Redditch branch of Unison": the proper
    noun a role word's "of" or "at" leads to, through common nouns, names the body (a
    council when it is one's name)."""
    roles, leading = _role_words(), frozenset(load("people")["role_prepositions"])
    found = sorted(i for i in idx if doc[i].lower_ in roles)
    by_token = {i: m for m in mentions for i in range(m.start, m.end)} if found else {}
    for i in found:
        head = doc[i]
        for _ in range(3):  # role -> of -> (common noun -> of ->) proper noun
            prep = next(
                (c for c in head.children if c.dep_ == "prep" and c.lower_ in leading), None
            )
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep else None
            if obj is None or obj.i not in idx:
                break
            if obj.i in by_token:  # a council's name; not "of both councils"
                return None if by_token[obj.i].kind == "reference" else by_token[obj.i].body
            if obj.pos_ == "PROPN":
                words = [t for t in obj.subtree if t.i <= obj.i and t.dep_ != "det"]
                name = doc[words[0].i : obj.i + 1].text if words else ""
                if (
                    not name
                    or area_counts(name)
                    or set(name.lower().split()) <= generic_body_words()
                ):
                    return None  # a remit, or "Leader of the Council": the document's council
                return Body(name)
            head = obj
    return None


def _councillor(person: Span) -> bool:
    """Is the person called a councillor ("Cllr Jane Smith", "Councillor Smith")?"""
    council_titles = set(_speech()["council_titles"])
    before = [person.doc[person.start - 1]] if person.start > 0 else []
    return any(t.lower_.rstrip(".") in council_titles for t in [*before, *person[:2]])


def _party_after(person: Span) -> bool:
    """ "Jane Smith (Con, Southwater)": a party label in brackets marks a councillor."""
    after = person.doc[person.end : person.end + 4]
    parties = set(load("people")["party_abbreviations"])
    return len(after) > 1 and after[0].text == "(" and after[1].text in parties


def _reports_that(verb: Token) -> bool:
    """Reported speech: "explained that he had agreed" (not "explaining how councils can")."""
    return any(
        c.dep_ == "ccomp" and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)
        for c in verb.children
    )


def _bracketed(span: Span) -> bool:
    """Is the span inside brackets ("(Con, Southwater)", a party and ward)?"""
    for tok in reversed(span.doc[max(0, span.start - 10) : span.start]):
        if tok.text in "()":
            return tok.text == "("
    return False


def _subject_tokens(verb: Token) -> list[Token]:
    subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if subj:
        # "Leader of X Council, Cllr Jane Smith said": the role may hang off the verb,
        # left of the subject
        lead = [
            c
            for c in verb.lefts
            if c.dep_ in ("advcl", "npadvmod", "dep", "nmod", "prep") and c.i < subj[0].i
        ]
        lead = [c for c in lead if not any(t.text == '"' for t in c.subtree)]
        return sorted({t for s in lead + subj for t in s.subtree}, key=lambda t: t.i)
    # "..., said Cllr Jane Smith, leader of X Council."
    after = [
        c for c in verb.rights if c.dep_ in ("nsubj", "dobj", "attr", "npadvmod", "appos", "dep")
    ]
    return [t for s in after for t in s.subtree]


def _after_quotation(verb: Token, sent: Span) -> list[Token]:
    """The words after a speech verb that follows a closing quotation mark ("…," *added*
    X Council chief executive John Brown.), to the end of the sentence: its subject,
    whatever the parse made of the verb (it reads "added chief executive" as an
    adjective); none if the verb does not follow one."""
    doc = verb.doc
    before = doc[sent.start : verb.i]
    marks = [t.i for t in before if t.text == '"']
    if len(marks) < 2 or len(marks) % 2 or marks[-1] != verb.i - 1:
        return []
    return [t for t in doc[verb.i + 1 : sent.end] if not t.is_punct or t.text in ",-'"]


def _is_anonymous(subject: list[Token]) -> bool:
    anon = set(_speech()["anonymous"])
    return any(t.lower_ in anon and t.dep_ in ("nsubj", "nsubjpass") for t in subject)


class QuoteFinder:
    """Walks a document's sentences in order, remembering who spoke last."""

    def __init__(self, doc: Doc, mentions: list[Mention], publisher: Body | None = None):
        self.doc = doc
        self.mentions = mentions
        self.publisher = publisher  # the council whose own document it is, if known
        self.known: dict[str, Speaker] = {}  # full name -> speaker
        self.last: Speaker | None = None
        self._persons = [e for e in features(doc).ents if e.label_ == "PERSON"]

    def _resolve(self, name: str) -> Speaker | None:
        """A surname or a full name seen before."""
        for full, sp in self.known.items():
            if full == name or full.split()[-1] == name.split()[-1]:
                return sp
        return None

    def sentence(self, sent: Span, evidence: Evidence) -> tuple[list[Quote], Speaker | None]:
        """Quotes attributed in ``sent``, and the speaker of its quoted words if known."""
        verbs = set(_speech()["verbs"])
        plain = set(_speech()["plain_verbs"])
        quoted = '"' in text_of(sent)
        pronouns = set(_speech()["pronouns"])
        quotes: list[Quote] = []
        speaker: Speaker | None = None
        f = features(sent.doc)
        for i in range(sent.start, sent.end):
            lemma = f.lemma[i]
            if lemma not in verbs:
                continue
            tok = f.tokens[i]
            inverted = _after_quotation(tok, sent)
            if f.pos[i] not in ("VERB", "AUX") and not inverted:
                continue
            if lemma not in plain and not quoted and not _reports_that(tok):
                continue
            subject = _subject_tokens(tok) or inverted
            if not subject or _is_anonymous(subject):
                continue
            persons = _person_spans(subject)
            if (
                not persons
                and any(t.lower_ in pronouns and t.dep_ == "nsubj" for t in subject)
                and self.last
            ):
                persons = [None]
            for k, person in enumerate(persons):
                own = subject
                if person is not None and len(persons) > 1:
                    nxt = persons[k + 1].start if k + 1 < len(persons) else tok.i
                    own = [t for t in subject if person.start <= t.i < nxt]
                q = self._quote(tok, sent, own, person, evidence)
                if q is not None:
                    quotes.append(q)
                    speaker = self.last
        if not quotes:
            q = (
                self._according_to(sent, evidence) or self._colon_attribution(sent, evidence)
                if quoted or text_of(sent).rstrip().endswith(":")
                else self._signature(sent, evidence)
            )
            if q is not None:
                quotes.append(q)
                speaker = self.last
        if (
            speaker is None
            and '"' in text_of(sent)
            and self.last is not None
            and _continues_quote(sent)
        ):
            speaker = self.last
        return quotes, speaker

    def _according_to(self, sent: Span, evidence: Evidence) -> Quote | None:
        """A quotation attributed to a person with no speech verb: "According to Jane Smith,
        leader of X Council, "…"" (``attributions`` in ``speech.json``)."""
        words = set(_speech()["attributions"])
        for tok in sent:
            if tok.lower_ not in words:
                continue
            for to in (c for c in tok.children if c.lower_ == "to"):
                for obj in (c for c in to.children if c.dep_ == "pobj"):
                    subject = list(obj.subtree)
                    persons = _person_spans(subject)
                    if persons:
                        return self._quote(tok, sent, subject, persons[0], evidence)
        return None

    def _colon_attribution(self, sent: Span, evidence: Evidence) -> Quote | None:
        """A quotation after a colon that follows the person who opens the sentence, with no
        speech verb: "Cllr Jane Smith, leader of X Council: "…"" (a press release's way), the
        quotation in the same sentence or opening the next ("... is pleased with the
        progress so far:" then "…")."""
        doc = sent.doc
        for tok in sent:
            if tok.text != ":":
                continue
            j = tok.i + 1
            while j < len(doc) and doc[j].is_space:
                j += 1
            if j == len(doc) or doc[j].text != '"':
                return None
            verb = sent.root  # "X, finance director, is pleased so far:": X and the role
            end = verb.i if verb.pos_ in ("VERB", "AUX") and verb.i < tok.i else tok.i
            before = [t for t in sent if t.i < end]
            persons = _person_spans(before)
            if persons and persons[0].start - sent.start <= 2:  # after a title at most
                return self._quote(tok, doc[j].sent, before, persons[0], evidence)
            return None
        return None

    def _signature(self, sent: Span, evidence: Evidence) -> Quote | None:
        """A name and role on a line of their own, no verb, after a quotation (a press
        release's signature): "…" then "Jane Smith, Cabinet Member for the Environment"."""
        doc = sent.doc
        if sent.start == 0 or any(t.pos_ in ("VERB", "AUX") for t in sent):
            return None
        said = doc[sent.start - 1].sent
        if not text_of(said).rstrip().endswith('"'):
            return None
        tokens = [t for t in sent if not t.is_space]
        persons = _person_spans(tokens)
        if not persons or persons[0].start - sent.start > 1:  # after a title at most
            return None
        return self._quote(persons[0].root, said, tokens, persons[0], evidence)

    def remember(self, sent: Span) -> None:
        """Note every full name in ``sent``, with the role and body the words around it give
        ("Gravesham Council leader Mike Snelling introduced ..."), so a later "Cllr Snelling
        said" finds who he is."""
        for ent in self._persons:  # sent.ents, of them the people
            if sent.start <= ent.start and ent.end <= sent.end:
                name = speaker_name(ent.text)
                if len(name.split()) >= 2 and name not in self.known:
                    other = {  # "X, county council leader, and *city council leader Y*"
                        t.i for c in ent.root.children if c.dep_ == "conj" for t in c.subtree
                    }
                    around = [
                        t
                        for t in ent.root.subtree
                        if sent.start <= t.i < sent.end and t.i not in other and t.dep_ != "cc"
                    ]
                    self.known[name] = Speaker(name, *self._role_and_body(around, ent))

    def _quote(
        self, tok: Token, sent: Span, subject: list[Token], person: Span | None, evidence: Evidence
    ) -> Quote | None:
        sp: Speaker | None = None
        conf = 0.85
        if person is None:
            sp, conf = self.last, 0.7
        if person is not None:
            name = speaker_name(person.text)
            if not name or (len(name.split()) > 1 and not is_name(name)):
                return None
            role, org = self._role_and_body(subject, person)
            if org is None and (
                _generic_council_role(role)
                or _party_after(person)
                or _councillor(person)
                or role.lower() in _party_labels()
            ):
                org = self._main_council()
            prior = self._resolve(name)
            if len(name.split()) == 1 or (prior is not None and not role):
                if prior is None:
                    return None
                sp, conf = prior, 0.75
                if sp.organisation is None:  # "Cllr Snelling said": a councillor, at least
                    sp.organisation = org
            if sp is None:
                sp = Speaker(name, role, org)
                if prior is not None and not org:
                    sp.organisation = prior.organisation
                    sp.role = sp.role or prior.role
                self.known[name] = sp
        if sp is None:
            return None
        self.last = sp
        return Quote(
            speaker=sp.name,
            role=sp.role,
            organisation=sp.organisation,
            text=_said_text(sent, tok),
            evidence=evidence,
            confidence=conf,
            rule="quote.speech-verb",
        )

    def _checked(self, org: Body | None) -> Body | None:
        """An organisation read from the words by a name, checked against the document: a
        council it names inside them ("Fellow Havant councillor"), else the document's main
        council for a party label ("Labour's Jane Smith") or a service's name ("head of
        Legal Services Jane Smith"): a remit, not a body."""
        if org is None or org.is_council:
            return org
        words = org.name.lower().split()
        for body in dict.fromkeys(m.body for m in self.mentions if m.body.is_council):
            name = body.name.lower().split()
            if any(words[i : i + len(name)] == name for i in range(len(words) - len(name) + 1)):
                return body
        if org.name.lower() in _party_labels():
            return self._main_council()
        if area_counts(org.name) and not can_be_member(org):
            return self._main_council()
        return org

    def _role_and_body(self, words: list[Token], person: Span) -> tuple[str, Body | None]:
        """The role the words around a name give, and the body it is of: the council of the
        kind the role names, else the one the words name, checked (:meth:`_checked`)."""
        role, org = _role_and_org(words, person, self.mentions, self.publisher)
        return role, self._council_of_kind(role) or self._checked(org)

    def _council_of_kind(self, role: str) -> Body | None:
        """The one council the document names with the kind a role gives ("*county
        council* leader", "the city council's chief executive"), else None."""
        words = role.lower().replace("'s", "").split()
        kinds = {w for w, nxt in pairwise(words) if nxt == "council"} & _council_kinds()
        if len(kinds) != 1:
            return None
        (kind,) = kinds
        found = {
            m.body
            for m in self.mentions
            if m.body.is_council and m.kind == "name" and f"{kind} council" in self._text(m)
        }
        return found.pop() if len(found) == 1 else None

    def _text(self, m: Mention) -> str:
        """A mention's words in lower case."""
        return self.doc[m.start : m.end].text.lower()

    def _main_council(self) -> Body | None:
        """The council whose own document it is, else the council the document names most
        often (the first named on a tie)."""
        named = [m.body for m in self.mentions if m.body.is_council and m.kind != "reference"]
        if self.publisher is not None or not named:
            return self.publisher
        counts = Counter(named)
        return max(named, key=lambda b: counts[b])


@cache
def _council_kinds() -> frozenset[str]:
    """The kinds of council a role may name ("county", "city"), ``speech.json``."""
    return frozenset(_speech()["council_kinds"])


def _generic_council_role(role: str) -> bool:
    """Does the role speak for a council without naming it ("Council leader", "cabinet member")?"""
    return bool(set(role.lower().split()) & set(_speech()["council_roles"]))


def is_name(name: str) -> bool:
    """A person's name: two or more capitalised words, not a party label.

    >>> is_name("Jane Smith"), is_name("portfolio holder"), is_name("Lib Dem")
    (True, False, False)
    """
    words = name.split()
    people = load("people")
    if len(words) < 2 or name.lower() in {n.lower() for n in people["not_names"]}:
        return False
    if {w.lower() for w in words} & set(people["role_words"]):
        return False
    return all(
        w[0].isupper() or w.lower() in ("de", "van", "von", "der", "la", "le") for w in words
    )


def _continues_quote(sent: Span) -> bool:
    return text_of(sent).lstrip().startswith('"')


def _said_text(sent: Span, verb: Token) -> str:
    m = re.search(r'"([^"]+)"?', sent.text)
    if m:
        return m.group(1).strip()
    ccomp = [c for c in verb.children if c.dep_ in ("ccomp", "xcomp")]
    if ccomp:
        sub = list(ccomp[0].subtree)
        return sent.doc[sub[0].i : sub[-1].i + 1].text
    return sent.text


def merge_quotes(quotes: list[Quote]) -> list[Quote]:
    """One quote per (speaker, organisation), the first said."""
    seen: dict[tuple[str, Body | None], Quote] = {}
    for q in quotes:
        key = (q.speaker.lower(), q.organisation)
        if key not in seen:
            seen[key] = q
    return list(seen.values())
