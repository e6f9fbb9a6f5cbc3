"""From a subject noun phrase to a speaker: an ordered list of small rules.

Each rule looks at one subject (the words before or after a speech verb, or after
"according to") and either resolves it (a Resolution), rejects it (REJECT: this phrase cannot
be a speaker, try the next cue), or passes (None: the next rule decides). The first rule that
does not pass wins, so the order matters: specific shapes before general ones.

A speaker is always a person's full name, an organisation's name, or a role or group noun
phrase ("a spokesman for the bank", "officials"); never a clause fragment.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from factcheck.extract.speakers import words as w
from factcheck.extract.speakers.names import FEMALE, MALE, first_name_gender, is_first_name
from factcheck.extract.speakers.people import People, Person, clean, has_role_head, is_role_word

PERSON = "person"
ORGANIZATION = "organization"

_CONTRACTION = re.compile(r"[’'](?:ll|ve|d|re|s|m)$")


@dataclass(frozen=True)
class Resolution:
    speaker: str | None
    speaker_type: str | None
    rule: str


class _Reject:
    def __repr__(self) -> str:
        return "REJECT"


REJECT: Final = _Reject()


@dataclass
class Subject:
    """What a rule sees: the phrase, where it stands, and the article's people so far."""

    phrase: str
    position: int
    before_phrase: str
    state: ResolverState

    @property
    def words(self) -> list[str]:
        return self.phrase.split()

    @property
    def lower(self) -> list[str]:
        return [x.lower().rstrip(".,") for x in self.words]

    @property
    def people(self) -> People:
        return self.state.people


@dataclass
class ResolverState:
    """The article's people, and the last speakers named, for pronouns and references."""

    people: People
    paragraph_starts: list[int] = field(default_factory=list)
    last_group: Resolution | None = None
    # Group speakers named so far, as (position, phrase, head noun): "the ministry" refers back.
    groups: list[tuple[int, str, str]] = field(default_factory=list)

    # People who spoke, as (position, person): "he said" prefers them to people only named.
    speakers: list[tuple[int, Person]] = field(default_factory=list)
    # The article's dependency parse (parse.ParsedText) when the speakers extra is installed.
    parsed: Any = None

    def chain_start(self, position: int) -> int:
        """Where the pronoun's search stops: the start of the previous paragraph."""
        starts = [s for s in self.paragraph_starts if s <= position]
        return starts[-2] - 1 if len(starts) >= 2 else -1

    def paragraph_start(self, position: int) -> int:
        starts = [s for s in self.paragraph_starts if s <= position]
        return starts[-1] - 1 if starts else -1

    def last_speaker(self, before: int, gender: str, after: int) -> Person | None:
        earlier = [
            person
            for at, person in self.speakers
            if after < at < before and person.gender in (None, gender)
        ]
        return earlier[-1] if earlier else None


Outcome = Resolution | _Reject | None
Rule = Callable[[Subject], Outcome]


def _person(person: Person | None, rule: str) -> Resolution | None:
    return Resolution(person.name, PERSON, rule) if person is not None else None


def _head(phrase: str) -> str:
    cut = re.split(r"\s+(?:for|of|at|to|in|on|with|from|who|familiar)\s+", phrase)[0].split()
    return clean(cut[-1]).lower() if cut else ""


def _group_type(phrase: str) -> str:
    """A singular role or source is a person ("a spokesman", "one EU diplomat"); the rest
    (plural nouns, institutions) are organisations."""
    head = _head(phrase)
    singular_person = head in w.ROLE_NOUNS or head in w._words(
        "source insider diplomat victim person witness resident neighbour neighbor"
    )
    return PERSON if singular_person else ORGANIZATION


# --- the rules, in order ---


_POSSESSIVES = frozenset("its their his her our my your".split())
_POSSESSIVE_LEADS = frozenset("and or of with for to from by at in on nor".split())


def not_a_subject(subject: Subject) -> Outcome:
    """Questions, requests, clauses and fragments: "Can you tell us", "somebody could come and",
    "Footage broadcast by"."""
    words, lower = subject.words, subject.lower
    if not words or len(words) > 10:
        return REJECT
    first = _CONTRACTION.sub("", lower[0])
    if lower[0] == "please" or (
        lower[0] in w.NOT_SUBJECT_START
        and len(lower) > 1
        and _CONTRACTION.sub("", lower[1]) in w.PRONOUNS_ALL | w.DETERMINERS
    ):
        return REJECT
    if len(words) > 1 and first in w.PRONOUNS_PERSON | w.PRONOUNS_GROUP | w.PRONOUNS_OTHER:
        return REJECT
    if first in w.PRONOUNS_OTHER or first in w.CLAUSE_WORDS:
        return REJECT
    if first == "one" and len(words) == 1:
        return REJECT
    bases = {
        _CONTRACTION.sub("", x.rstrip(".,").lower())
        for x in words
        if x.islower() or _CONTRACTION.sub("", x) == "I"
    }
    if bases & w.NOT_IN_SUBJECT or lower[-1] in w.NOT_SUBJECT_END:
        return REJECT
    date = clean(words[-1]) in w.CALENDAR and subject.people.by_surname(clean(words[-1])) is None
    # A document's own numbers ("a survey of 60,000 pupils by X") are no clause of figures.
    if _DOCUMENT_BY.match(subject.phrase) and not date:
        return None
    if date or any("%" in x or re.search(r"\d[.,]\d", x) for x in words):
        return REJECT  # "revealed Sunday", "the economy shrank by 0.1% in September"
    # A verb form inside a lower-case phrase makes it a clause: "was not involved in",
    # "Sleep data in the Biobank came from questionnaires".
    if any(x in w.PASSIVE | w.SPEECH_VERBS | w.FINITE_VERBS for x in lower[:-1] if x.islower()):
        return REJECT
    if len(lower) > 1 and lower[-1] in w.FINITE_VERBS:
        return REJECT
    # A possessive inside the phrase after a word that cannot lead into it marks a clause:
    # "Analysts at Hargate Stockbrokers cut their profit" (then "forecasts" is a noun), but
    # "Smith and his wife", "friends of the victim and her family" are subjects.
    for before, word in zip(lower, lower[1:], strict=False):
        if word in _POSSESSIVES and before not in _POSSESSIVE_LEADS and words[0][:1].isupper():
            if before.islower() and not before.endswith(("'s", "’s")):
                return REJECT
    return None


def person_pronoun(subject: Subject) -> Outcome:
    """'he' / 'she': the latest person of that gender mentioned in this paragraph or the one
    before (a title or a first name gives the gender); no one further back."""
    pronoun = _CONTRACTION.sub("", subject.lower[0]) if subject.words else ""
    if len(subject.words) != 1 or pronoun not in w.PRONOUNS_PERSON:
        return None
    wanted = MALE if pronoun == "he" else FEMALE
    state = subject.state
    here = state.paragraph_start(subject.position)
    chain = state.chain_start(subject.position)
    people = state.people
    # In order: who spoke last in this paragraph, who was named last in it, who spoke last in
    # the paragraph before, who was named last there. A name in an aside ("Danny, who plays
    # Kev Jones, said") is no speaker, so speakers come first.
    person = (
        state.last_speaker(subject.position, wanted, after=here)
        or people.latest_mentioned(subject.position, wanted, after=here)
        or state.last_speaker(subject.position, wanted, after=chain)
        or people.latest_mentioned(subject.position, wanted, after=chain)
        or _named_next(subject, wanted)
    )
    return _person(person, "pronoun") or Resolution(None, PERSON, "pronoun")


def _named_next(subject: Subject, gender: str) -> Person | None:
    """In an opening paragraph with no one named before it ('A grandmother was attacked ...,
    she said.'), the pronoun points at the person the next paragraph names."""
    state = subject.state
    starts = state.paragraph_starts
    here = [i for i, s in enumerate(starts) if s <= subject.position]
    if not here or any(m < subject.position for p in state.people.people for m in p.mentions):
        return None
    following = starts[here[-1] + 2] if here[-1] + 2 < len(starts) else 1 << 60
    first: tuple[int, Person] | None = None
    for person in state.people.people:
        if person.gender not in (None, gender):
            continue
        for mention in person.mentions:
            if subject.position < mention < following and (first is None or mention < first[0]):
                first = (mention, person)
    return first[1] if first else None


def group_pronoun(subject: Subject) -> Outcome:
    """'they' / 'it': the last organisation or group that spoke."""
    pronoun = _CONTRACTION.sub("", subject.lower[0]) if subject.words else ""
    if len(subject.words) != 1 or pronoun not in w.PRONOUNS_GROUP:
        return None
    last = subject.state.last_group
    if last is not None:
        return Resolution(last.speaker, last.speaker_type, "pronoun")
    organisation = subject.people.latest_organisation(subject.position)
    if organisation is not None:
        return Resolution(organisation.name, ORGANIZATION, "pronoun")
    return Resolution(None, ORGANIZATION, "pronoun")


_PROXY = re.compile(
    r"(?:an?|the)\s+(" + "|".join(sorted(w.PROXY_NOUNS)) + r")\s+(?:for|of|to)\s+(.+)$",
    re.IGNORECASE,
)


def spokesperson_for(subject: Subject) -> Outcome:
    """'A spokesperson for Governor Dana Whitfield': the spokesperson speaks for her."""
    proxy = _PROXY.match(subject.phrase)
    if not proxy:
        return None
    inner = Subject(proxy.group(2), subject.position, "", subject.state)
    for rule in (full_name, surname_or_first_name):
        found = rule(inner)
        if isinstance(found, Resolution) and found.speaker:
            return Resolution(f"{proxy.group(1).lower()} for {found.speaker}", PERSON, "proxy")
    return None


def _named(subject: Subject) -> list[Person]:
    return [
        p for p in subject.people.people if re.search(rf"\b{re.escape(p.name)}\b", subject.phrase)
    ]


def joint_speakers(subject: Subject) -> Outcome:
    """'Senators Ann Kowalski and Ben Harris said': both, as one speaker."""
    named = _named(subject)
    if len(named) < 2 or not re.search(r"\s(?:and|&)\s", subject.phrase):
        return None
    named.sort(key=lambda p: subject.phrase.find(p.name))
    names = ", ".join(p.name for p in named[:-1]) + " and " + named[-1].name
    return Resolution(names, ORGANIZATION, "joint speakers")


def joint_surnames(subject: Subject) -> Outcome:
    """'Mandal and Grant both told MPs': each part a surname or a full name the article gave,
    as one speaker with the names as introduced."""
    words = [x for x in subject.words if x.lower().strip(",.") not in w.JOINT_TAIL]
    parts = re.split(r"\s*(?:,\s*and|,|\band\b|&)\s*", " ".join(words))
    if len(parts) < 2 or not all(parts):
        return None
    names: list[str] = []
    for part in parts:
        inner = Subject(part, subject.position, "", subject.state)
        found = full_name(inner) or surname_or_first_name(inner)
        if not isinstance(found, Resolution) or found.speaker is None:
            return None
        names.append(found.speaker)
    return Resolution(", ".join(names[:-1]) + " and " + names[-1], ORGANIZATION, "joint speakers")


_NAME_RUN = r"(?-i:[A-Z])[\w.&’'-]*(?:\s+(?:(?:of|for|the|on|de)\s+)*(?-i:[A-Z])[\w.&’'-]*)*"
_JOINT_NAMED = re.compile(
    rf"(?:the\s+)?{_NAME_RUN}(?:,\s*(?:the\s+)?{_NAME_RUN})*,?\s+(?:and|&)\s+(?:the\s+)?{_NAME_RUN}"
)


def joint_named(subject: Subject) -> Outcome:
    """'Carers Together and the Older People's Trust said in a joint statement': names or
    organisations the article has not introduced, joined by 'and', speak together, as
    written. A name with 'and' in it ('Procter and Gamble') comes out the same."""
    phrase = subject.phrase.rstrip(",")
    if not _JOINT_NAMED.fullmatch(phrase):
        return None
    # A person the article knows inside it is one speaker with a title or an outlet ("Work
    # and Pensions Secretary Liz Kendall", "Matthew Ingram of The Globe and Mail").
    if re.search(r"\sof\s", phrase):
        return None
    parts = [re.sub(r"^the\s+", "", x) for x in re.split(r"\s*(?:,\s*and|,|\band\b|&)\s*", phrase)]
    for person in _named(subject):
        if not any(part == person.name for part in parts):
            return None
    return Resolution(phrase, ORGANIZATION, "joint speakers")


_DOCUMENT_BY = re.compile(
    # "a 2024 survey by the Urban Libraries Council", "a new study from the University of
    # Washington": the named organisation, not the document
    r"^(?:(?:an?|the)\s+)?(?:[\w-]+\s+){0,2}(?:"
    + "|".join(sorted(w.DOCUMENT_NOUNS))
    # "a survey of 60,000 pupils by the Reading Futures Trust": what it surveyed, then who
    + r")(?:\s+of\s+(?:[^,;]|(?<=\d),(?=\d)){1,40}?)?\s+(?:by|from)\s+(?:the\s+)?((?-i:[A-Z]).*)$",
    re.IGNORECASE,
)


def document_by_author(subject: Subject) -> Outcome:
    """'a filing by the Western Grain Shippers Association', 'Analysis by the Campaign for
    Better Transport': the author of the document speaks through it."""
    match = _DOCUMENT_BY.match(subject.phrase)
    if match is None or not match.group(1)[:1].isupper():
        return None
    author = re.sub(r"^the\s+", "", match.group(1).strip(), flags=re.IGNORECASE)
    if author.lower() in w.KNOWN_OUTLETS or author.split()[-1] in w.OUTLET_HEADS:
        return None  # "analysis by The Times": an outlet's own work is labelled as written
    inner = Subject(match.group(1), subject.position, "", subject.state)
    for rule in (full_name, surname_or_first_name):
        found = rule(inner)
        if isinstance(found, Resolution) and found.speaker:
            return found
    return Resolution(match.group(1).rstrip(",."), ORGANIZATION, "document's author")


_LEAD_AND_TEAM = re.compile(
    r"(?:^|\s)([A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+)?)\s+and\s+(?:his\s+|her\s+|their\s+)?(?:"
    + "|".join(w.TEAM_NOUNS)
    + r")$"
)


def lead_and_team(subject: Subject) -> Outcome:
    """'In a recently-accepted paper Bos and colleagues describe': the person named, for the
    team; whatever comes before the name (a place, a paper) is not the speaker."""
    match = _LEAD_AND_TEAM.search(subject.phrase)
    if match is None:
        return None
    name = match.group(1)
    people = subject.people
    person = people.find(name) or people.by_surname(name.split()[-1], subject.position)
    return _person(person, "lead and team")


def full_name(subject: Subject) -> Outcome:
    """A full name written in the phrase: 'Microsoft president Brad Smith'."""
    named = _named(subject)
    if not named:
        return None
    return _person(max(named, key=lambda p: subject.phrase.rfind(p.name)), "full name")


def surname_or_first_name(subject: Subject) -> Outcome:
    """A surname, possibly with an honorific ('Mr. Smith'), or the one person's first name."""
    bare = [clean(x) for x in subject.words if clean(x).lower() not in w.HONORIFICS]
    while len(bare) > 1 and is_role_word(bare[0]):
        bare = bare[1:]  # "Whip Pym", "Superintendent Walker"
    if len(bare) != 1 or not bare[0][:1].isupper():
        return None
    people = subject.people
    person = people.by_surname(bare[0], subject.position) or people.by_first_name(bare[0])
    return _person(person, "surname")


def person_of_organisation(subject: Subject) -> Outcome:
    """'Tu Le of Sino Auto Insights', 'Marcus Hale at King's College London': the person."""
    match = re.match(r"^(.+?)\s+(?:of|at|from)\s+(?:the\s+)?[A-Z]", subject.phrase)
    if not match:
        return None
    inner = Subject(match.group(1), subject.position, "", subject.state)
    for rule in (full_name, surname_or_first_name):
        found = rule(inner)
        if isinstance(found, Resolution) and found.speaker:
            return Resolution(found.speaker, PERSON, "person of organisation")
    words = match.group(1).split()
    if 2 <= len(words) <= 3 and all(
        x[:1].isupper() and clean(x) not in w.ORG_WORDS | w.PLACES | w.CAPITALISED_STOP
        for x in words
    ):
        return Resolution(match.group(1), PERSON, "person of organisation")
    return None


def appositive_role(subject: Subject) -> Outcome:
    """A role after a name: 'Tom Bossert, the homeland security adviser, said'."""
    if not subject.before_phrase or not has_role_head(subject.phrase):
        return None
    name = re.split(r"[,;:(\ue000]", subject.before_phrase.rstrip(", "))[-1].strip()
    if not name[:1].isupper():
        return None
    inner = Subject(name, subject.position, "", subject.state)
    for rule in (full_name, surname_or_first_name):
        found = rule(inner)
        if isinstance(found, Resolution) and found.speaker:
            return Resolution(found.speaker, PERSON, "appositive")
    return None


def acronym(subject: Subject) -> Outcome:
    """'The ONS said' after 'the Office for National Statistics'."""
    bare = [clean(x) for x in subject.words if x.lower() != "the"]
    if len(bare) != 1 or not re.fullmatch(r"[A-Z][A-Z.&]{1,8}", bare[0]):
        return None
    organisation = subject.people.by_acronym(bare[0].replace(".", ""))
    if organisation is None:
        return None
    return Resolution(organisation.name, ORGANIZATION, "acronym")


def company_reference(subject: Subject) -> Outcome:
    """'The company announced': the company named last, with or without a company ending
    ('JPMorgan Chase', 'Acme Inc')."""
    lower = subject.lower
    singular = "company" if lower[-1] == "companies" else lower[-1].removesuffix("s")
    if len(lower) < 2 or lower[0] not in ("the", "this", "both"):
        return None
    if lower[-1] not in w.COMPANY_NOUNS and singular not in w.COMPANY_NOUNS:
        return None
    if not all(_describes(x) for x in subject.words[1:-1]) or not subject.words[-1].islower():
        return None  # "the Memphis-based lender", "the UK chipmaker" yes, "the Royal Bank" no
    if lower[-1] in ("companies", "firms", "groups", "banks"):
        # "the companies said": the two companies named last.
        names: list[str] = []
        for named in sorted(
            (
                o
                for o in subject.people.organisations
                if o.position < subject.position and o.is_company
            ),
            key=lambda o: -o.position,
        ):
            if named.name not in names:
                names.append(named.name)
        if len(names) < 2:
            return None
        return Resolution(f"{names[1]} and {names[0]}", ORGANIZATION, "company")
    organisation = subject.people.latest_organisation(subject.position, company=True)
    spoke = _named_organisation_speaker(subject)
    if spoke is not None and (organisation is None or spoke[0] > organisation.position):
        return Resolution(spoke[1], ORGANIZATION, "company")
    if organisation is None:
        return None
    return Resolution(organisation.name, ORGANIZATION, "company")


def described_organisation(subject: Subject) -> Outcome:
    """'Shares in Arm Holdings rose after the UK chip designer said': a description of an
    organisation stands for the organisation its paragraph named last before it (any kind:
    'the space agency', 'the chip designer', 'the watchdog'), never for words of its own."""
    lower, words = subject.lower, subject.words
    if len(lower) < 2 or lower[0] not in ("the", "this") or not words[-1].islower():
        return None
    if lower[-1] not in w.COMPANY_NOUNS | w.DESCRIPTION_NOUNS or lower[-1] in ("group", "network"):
        return None
    if not all(_describes(x) for x in words[1:-1]):
        return None
    start = subject.state.paragraph_start(subject.position)
    # A company noun stands for a company, a public body's noun for a public body: "the
    # agency" is not the rail company the regulator is investigating.
    public = lower[-1] not in w.COMPANY_NOUNS and lower[-1] != "designer"
    named = [
        o
        for o in subject.people.organisations
        if start <= o.position < subject.position
        and bool({clean(x) for x in o.name.split()} & w.NOT_COMPANY_WORDS) == public
    ]
    if not named:
        return None
    organisation = max(named, key=lambda o: o.position)
    return Resolution(organisation.name, ORGANIZATION, "described organisation")


def _describes(word: str) -> bool:
    """A word of a description rather than of a name: lower case, '-based', or a place
    ('the UK chipmaker', 'the Swiss bank')."""
    return (
        word.islower()
        or word.endswith(("-based", "-headquartered"))
        or clean(word) in w.PLACES
        or bool(re.fullmatch(r"(?:[A-Z]\.?){2,3}", clean(word)))
    )


def _named_organisation_speaker(subject: Subject) -> tuple[int, str] | None:
    """The latest organisation that spoke under its own name ('Northgate Rail denied'), for
    'the company' when the name has no company ending."""
    named = [
        (position, phrase)
        for position, phrase, _ in subject.state.groups
        if position < subject.position
        and phrase[:1].isupper()
        and phrase == phrase.strip()
        # an organisation the article names, not a group ("Democrats blamed ...")
        and phrase in {o.name for o in subject.people.organisations}
        # a regulator or a ministry is no company: "The Securities and Exchange Commission"
        and not {clean(x) for x in phrase.split()} & w.NOT_COMPANY_WORDS
    ]
    # A name the person rules took that is no person's: no first name, no title, no role, no
    # gender ("according to National Grid", "according to Cumberland Electric").
    named += [
        (position, person.name)
        for position, person in subject.state.speakers
        if position < subject.position
        and len(person.name.split()) >= 2
        and not is_first_name(person.name.split()[0])
        and not person.roles
        and person.gender is None
        and clean(person.name.split()[0]).lower() not in w.HONORIFICS
        and not {clean(x) for x in person.name.split()} & (w.NOT_COMPANY_WORDS | w.PLACES)
    ]
    return max(named) if named else None


def same_noun_reference(subject: Subject) -> Outcome:
    """'The ministry said' after 'Saudi Arabia's energy ministry denied'; 'the federation'
    after 'The Civic Federation': the latest speaker or organisation with that head noun."""
    lower = subject.lower
    if not 2 <= len(lower) <= 4 or lower[0] not in ("the", "this"):
        return None
    if any(x[:1].isupper() for x in subject.words[1:]):
        return None  # a name of its own: "the Civic Federation"
    noun = "-".join(lower[1:]) if "-".join(lower[1:]) in w.REFERENCE_SYNONYMS else lower[-1]
    heads = {noun, *w.REFERENCE_SYNONYMS.get(noun, ())}
    described = " ".join(lower[1:])  # "the sheriff's office" is "Ulster County Sheriff's Office"
    state = subject.state
    earlier = [(p, phrase) for p, phrase, h in state.groups if h in heads and p < subject.position]
    for head in heads:
        organisation = state.people.latest_organisation(subject.position, head=head)
        if organisation is not None and (
            len(lower) == 2 or organisation.name.lower().endswith(described)
        ):
            earlier.append((organisation.position, organisation.name))
    candidates = earlier
    if not candidates:
        return None
    _, phrase = max(candidates)
    phrase = re.sub(r"^(?:the|a|an)\s+", "", phrase, flags=re.IGNORECASE)
    return Resolution(phrase, _group_type(phrase), "same noun")


def demonym_reference(subject: Subject) -> Outcome:
    """'The Italian fumed': the latest person mentioned in this paragraph or the one before."""
    lower = subject.lower
    if len(lower) != 2 or lower[0] != "the" or clean(subject.words[1]) not in w.PLACES:
        return None
    if not re.search(r"(?:an|ese|ish|i|ch)$", lower[1]):
        return None  # "the US", "the UK" are countries, not people
    state = subject.state
    person = state.people.latest_mentioned(
        subject.position, after=state.chain_start(subject.position)
    )
    return _person(person, "demonym") or REJECT


def role_reference(subject: Subject) -> Outcome:
    """'The Microsoft president said': the person given that role."""
    return _person(subject.people.by_role(subject.phrase, subject.position), "role")


def occupation_reference(subject: Subject) -> Outcome:
    """'The actor, 38, told', 'the 29-year-old actress said': the person just mentioned."""
    lower = subject.lower
    if len(lower) < 2 or lower[0] not in ("the", "this") or lower[-1] not in w.OCCUPATION_NOUNS:
        return None
    if any(x[:1].isupper() for x in subject.words[1:]):
        return None
    state = subject.state
    chain = state.chain_start(subject.position)
    person = state.people.latest_mentioned(subject.position, after=chain)
    return _person(person, "occupation")


def participle_phrase(subject: Subject) -> Outcome:
    """'Astronomers using the James Webb Space Telescope': the astronomers. 'A leaked letter
    seen by Sky News', 'other sites such as Gawker.com': the letter, the sites."""
    words, lower = subject.words, subject.lower
    for index in range(1, len(words)):
        modifier = (lower[index] in w.PARTICIPLES and index + 1 < len(words)) or (
            lower[index : index + 2] == ["such", "as"] or lower[index] == "including"
        )
        # "a study funded by the NIH" stays whole: who did the study is part of its name.
        report = lower[index - 1] in w.REPORT_NOUNS
        if modifier and words[index].islower() and words[index - 1].islower() and not report:
            phrase = " ".join(words[:index])
            return Resolution(phrase, _group_type(phrase), "participle")
        if lower[index].endswith("ing") and words[index].islower():
            head = lower[index - 1]
            if head in w.SPEAKER_NOUNS or head in w.RESEARCHER_NOUNS:
                phrase = " ".join(words[:index])
                return Resolution(phrase, _group_type(phrase), "participle")
            return None
    return None


_ANONYMOUS = re.compile(
    rf"^(?:(?:the|a|an|{'|'.join(sorted(w.NUMBER_WORDS))})\s+)?((?:[\w-]+\s+){{0,2}}"
    rf"(?:sources?|people|persons?|officials?|insiders?)\s+(?:{w.ANONYMOUS_SOURCE_TAIL})\b.*)$",
    re.IGNORECASE,
)


def anonymous_source(subject: Subject) -> Outcome:
    """'two sources familiar with the talks', 'a person with knowledge of the plans'."""
    match = _ANONYMOUS.match(subject.phrase)
    if not match:
        return None
    phrase = match.group(1).rstrip(",.")
    return Resolution(phrase, _group_type(phrase), "anonymous source")


def name_after_descriptor(subject: Subject) -> Outcome:
    """'the disaster agency AFAD', 'florist Margaret Kaur': the name, not the description."""
    words = subject.words
    tail: list[str] = []
    for word in reversed(words):
        if not word[:1].isupper() or clean(word) in w.CAPITALISED_STOP:
            break
        tail.insert(0, word)
    if not tail or len(tail) == len(words):
        return None
    if any(not x.islower() for x in words[: len(words) - len(tail)][1:]):
        return None  # "Pacific Gas & Electric" is one name, not a description of "Electric"
    descriptor = [x.lower() for x in words[: len(words) - len(tail)]]
    if not set(descriptor) - w.DETERMINERS or descriptor[-1] in w.NOT_SUBJECT_END | w._words(
        "'s ’s"
    ):
        return None
    if any(x.endswith(("'s", "’s")) for x in descriptor):
        return None  # "Saudi Arabia's energy ministry" is a phrase of its own
    if any(x.endswith("ing") or x in w.PARTICIPLES for x in descriptor):
        return None  # "Astronomers using the James Webb Space Telescope" are not the telescope
    name = " ".join(tail[:-1] + [clean(tail[-1])])
    person = subject.people.find(name)
    if person is None and len(tail) == 1:
        person = subject.people.by_surname(name, subject.position)
    if person is not None:
        return Resolution(person.name, PERSON, "descriptor")
    # "CEO of the Refugee Council Enver Solomon": the organisation's name ends the descriptor
    # and a person's name (a first name, then a surname) ends the tail.
    if len(tail) > 2 and is_first_name(tail[-2]) and not is_first_name(tail[-3]):
        return Resolution(f"{tail[-2]} {clean(tail[-1])}", PERSON, "descriptor")
    is_person = is_first_name(tail[0]) and not any(clean(x) in w.ORG_WORDS for x in tail)
    return Resolution(name, PERSON if is_person else ORGANIZATION, "descriptor")


def named_or_group(subject: Subject) -> Outcome:
    """An organisation or a group, named as written: 'The US administration', 'officials'."""
    words = subject.words
    named_thing = any(x[:1].isupper() and clean(x) not in w.CAPITALISED_STOP for x in words)
    head = subject.lower[-1]
    if not (named_thing or head in w.SPEAKER_NOUNS):
        return REJECT
    phrase = re.sub(r"^(?:the|a|an)\s+", "", subject.phrase.rstrip(",."), flags=re.IGNORECASE)
    if named_thing and not any(x.islower() for x in phrase.split()):
        person = subject.people.find(phrase)
        if person is not None:
            return _person(person, "named")
    first = clean(phrase.split()[0]) if phrase.split() else ""
    if head in w.SPEAKER_NOUNS:
        kind = _group_type(phrase)
    elif (
        phrase == subject.phrase.rstrip(",.")  # nobody is "the Lawrence Hill Health Centre"
        and len(phrase.split()) <= 3
        and not any(clean(x) in w.ORG_WORDS for x in phrase.split())
        and (first.lower() in w.HONORIFICS or first_name_gender(first) in (MALE, FEMALE))
    ):
        kind = PERSON  # "Tom", "Baroness Warnock": a person the article names once
    else:
        kind = ORGANIZATION
    written = subject.phrase.rstrip(",")
    # "Our public health office" is the office; "a 20-year study of Pacific reefs" the study
    if _group_type(written) == ORGANIZATION:  # "Our correspondent" stays the outlet's own
        written = re.sub(r"^[Oo]ur\s+(?=[a-z])", "", written)
    written = re.sub(
        rf"^((?:(?:[Aa]n?|[Tt]he)\s+)?(?:[\w-]+\s+){{0,2}}(?:{'|'.join(sorted(w.REPORT_NOUNS))}))"
        r"\s+of\s+.*$",
        r"\1",
        written,
    )
    if not re.search(r"(?:\b[A-Z]\.){2,}$", written):  # keep the stop of "the M.E.N."
        written = written.rstrip(".")
    if len(written.split()) > 1 and written.split()[0].lower() in w.QUANTIFIERS:
        written = " ".join(written.split()[1:])  # "two administration officials"
    if kind == ORGANIZATION and written.split()[-1].rstrip(".").lower() in w.LEGAL_FORMS:
        written = " ".join(written.split()[:-1]).rstrip(
            ","
        )  # "Novara Foods Inc." -> "Novara Foods"
    return Resolution(written, kind, "organisation or group")


RULES: list[Rule] = [
    not_a_subject,
    person_pronoun,
    group_pronoun,
    spokesperson_for,
    joint_speakers,
    joint_surnames,
    joint_named,
    document_by_author,
    lead_and_team,
    appositive_role,
    full_name,
    surname_or_first_name,
    person_of_organisation,
    acronym,
    company_reference,
    described_organisation,
    same_noun_reference,
    demonym_reference,
    role_reference,
    occupation_reference,
    participle_phrase,
    anonymous_source,
    name_after_descriptor,
    named_or_group,
]


def resolve(
    phrase: str, position: int, state: ResolverState, before_phrase: str = ""
) -> Resolution | None:
    """The speaker a subject phrase names, or None when it cannot be a speaker."""
    subject = Subject(phrase.strip(), position, before_phrase, state)
    for rule in RULES:
        outcome = rule(subject)
        if outcome is REJECT:
            return None
        if isinstance(outcome, Resolution):
            return outcome
    return None


def remember(state: ResolverState, resolution: Resolution | None, position: int) -> None:
    """Keep who spoke: people for 'he' and 'she', groups and organisations for 'they', 'it'
    and 'the ministry'."""
    if resolution is None or resolution.speaker is None:
        return
    if resolution.speaker_type == PERSON:
        person = state.people.find(resolution.speaker) or state.people.add_speaker(
            resolution.speaker, position
        )
        if person is not None:
            state.speakers.append((position, person))
    if resolution.speaker_type == ORGANIZATION:
        state.last_group = resolution
    if resolution.speaker_type == ORGANIZATION or resolution.rule in (
        "organisation or group",
        "anonymous source",
        "same noun",
    ):
        state.groups.append((position, resolution.speaker, _head(resolution.speaker)))
