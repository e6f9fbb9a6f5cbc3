"""The people and organisations an article names, with their roles, found before attribution.

People come from capitalised runs outside quotations ("Microsoft president Brad Smith",
"Homeland security advisor to President Trump, Tom Bossert,"); organisations from runs with a
company ending ("Acme Inc"), an organisation word ("Civic Federation"), an acronym in
brackets, or a sentence subject that is not a person ("Morgan Stanley plans to cut").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from factcheck.extract.sentences import Span
from factcheck.extract.speakers import words as w
from factcheck.extract.speakers.names import FEMALE, MALE, first_name_gender, is_first_name
from factcheck.extract.speakers.quotes import MASK, Quote, find_quotes, frame, quote_mask

NAME_TOKEN = r"(?:(?:[A-Z]\.){2,}|[A-Z][a-z]?\.|[A-Z][\w’'-]*\w|Mc[A-Z]\w*)"
CAPITALISED_RUN = re.compile(
    rf"{NAME_TOKEN}(?:\s+(?:(?:de|van|von|der|den|da|di|du|del|la|le|bin|ibn|al|of)\s+)?"
    rf"{NAME_TOKEN})*"
)
# Organisation names may hold lower-case joining words: "Institute for Fiscal Studies",
# "Department for Environment, Food & Rural Affairs", "U.S. Department of Energy".
_ORG_RUN = re.compile(
    rf"{NAME_TOKEN}(?:\s+(?:(?:of|for|and|&|on|the|de)\s+)*{NAME_TOKEN})*(?:\s*\(([A-Z][\w.&]{{1,9}})\))?"
)
_POSSESSIVE = re.compile(r"[’']s?$")


def clean(token: str) -> str:
    return _POSSESSIVE.sub("", token).rstrip(".,")


@dataclass
class Person:
    """A person named in the article, with the role descriptions attached to the name."""

    name: str
    roles: list[str] = field(default_factory=list)
    mentions: list[int] = field(default_factory=list)
    # Lower-cased words of each full role phrase, used to match "the Microsoft president".
    role_words: list[tuple[str, frozenset[str]]] = field(default_factory=list, repr=False)
    # "m" or "f" when a title or the first name says so, so "she" can skip a man.
    gender: str | None = field(default=None, compare=False)

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


@dataclass(frozen=True)
class Organisation:
    """An organisation named at position: its name, the noun it is known by, an acronym."""

    position: int
    name: str
    heads: frozenset[str]  # nouns it goes by: {"institute", "studies"}, {"company"}
    acronym: str | None
    is_company: bool


def is_role_word(word: str) -> bool:
    bare = word.lower().rstrip(".")
    # A plural title counts too: "Senators Ann Kowalski and Ben Harris".
    singular = bare[:-1] if bare.endswith("s") else bare
    return bare in w.ROLE_NOUNS or bare in w.HONORIFICS or singular in w.ROLE_NOUNS


def role_head(role: str) -> str:
    """A role phrase cut before its complement: 'advisor to President Trump' -> 'advisor'."""
    cut = re.split(r"\s+(?:to|of|for|at|with|in|on)\s+", role, maxsplit=1)[0]
    return cut.strip(" ,")


def has_role_head(phrase: str) -> bool:
    words = role_head(phrase).split()
    return bool(words) and words[-1].lower().strip(".,") in w.ROLE_NOUNS


def gender_of(*roles: str | None) -> str | None:
    """'m' or 'f' when a title or role word says which, else None."""
    words = {x.lower().rstrip(".,") for role in roles if role for x in role.split()}
    male, female = bool(words & w.MALE_TITLES), bool(words & w.FEMALE_TITLES)
    return MALE if male and not female else FEMALE if female and not male else None


def _name_gender(name: str) -> str | None:
    gender = first_name_gender(name.split()[0]) if len(name.split()) > 1 else None
    return gender if gender in (MALE, FEMALE) else None


class People:
    """The people and organisations of an article, looked up by name, surname and role."""

    def __init__(self) -> None:
        self.people: list[Person] = []
        self.organisations: list[Organisation] = []
        # Where an organisation is described as one ("X, the watchdog,"): no person there.
        self.described: set[int] = set()

    # --- organisations ---
    def latest_organisation(
        self, before: int, head: str | None = None, company: bool = False
    ) -> Organisation | None:
        earlier = [
            o
            for o in self.organisations
            if o.position < before
            and (head is None or head in o.heads)
            and (not company or o.is_company)
        ]
        return max(earlier, key=lambda o: o.position, default=None)

    def by_acronym(self, token: str) -> Organisation | None:
        for organisation in reversed(self.organisations):
            if organisation.acronym == token:
                return organisation
        return None

    def add_organisation(
        self,
        position: int,
        name: str,
        company: bool,
        acronym: str | None = None,
        also: frozenset[str] = frozenset(),
    ) -> None:
        name = re.sub(r"^(?:The|the)\s+", "", name)
        if any(o.position == position for o in self.organisations):
            return
        initials = "".join(t[0] for t in name.split() if t[:1].isupper())
        self.organisations.append(
            Organisation(
                position,
                name,
                also | frozenset({"company"})
                if company
                else also
                | frozenset(
                    clean(t).lower()
                    for t in name.split()
                    if clean(t) in w.ORG_WORDS or t is name.split()[-1]
                ),
                acronym or (initials if len(initials) >= 2 else None),
                company,
            )
        )

    # --- people ---
    def add_speaker(self, name: str, position: int) -> Person | None:
        """A person a rule named as a speaker that the people pass missed ('Matthew Ingram of
        The Globe and Mail dubbed'), so that 'he' and 'Ingram' can find them later."""
        tokens = name.split()
        if not 2 <= len(tokens) <= 4 or not all(t[:1].isupper() for t in tokens):
            return None
        person = Person(name, mentions=[position], gender=_name_gender(name))
        self.people.append(person)
        return person

    def find(self, name: str) -> Person | None:
        for person in self.people:
            if person.name == name:
                return person
        return None

    def by_surname(self, token: str, before: int | None = None) -> Person | None:
        matches = [p for p in self.people if p.surname == token and len(p.name.split()) > 1]
        matches = matches or [p for p in self.people if p.surname == token]
        return self._latest(matches, before)

    def by_first_name(self, token: str) -> Person | None:
        """The one person whose first name this is ("Keith" after "Keith Dunn"), if one."""
        matches = [p for p in self.people if len(p.name.split()) > 1 and p.name.split()[0] == token]
        return matches[0] if len(matches) == 1 else None

    def by_role(self, phrase: str, before: int) -> Person | None:
        if not has_role_head(phrase):
            return None
        head = role_head(phrase).split()[-1].lower().strip(".,")
        words = {x.lower() for x in re.findall(r"[\w-]+", phrase)}
        rest = words - w.DETERMINERS - w._words("to of for at with in on former acting") - {head}
        matches = [
            p
            for p in self.people
            for role, role_words in p.role_words
            if role_head(role).split()[-1].lower() == head and rest <= role_words
        ]
        return self._latest(matches, before)

    def latest_mentioned(
        self, before: int, gender: str | None = None, after: int = -1
    ) -> Person | None:
        """The person mentioned last before `before` (and after `after`), of a gender."""
        people = [p for p in self.people if gender is None or p.gender in (None, gender)]
        best: Person | None = None
        best_at = after
        for person in people:
            for mention in person.mentions:
                if best_at < mention < before:
                    best, best_at = person, mention
        return best

    @staticmethod
    def _latest(people: list[Person], before: int | None) -> Person | None:
        def last_mention(person: Person) -> int:
            earlier = [m for m in person.mentions if before is None or m < before]
            return max(earlier, default=-1)

        ranked = [p for p in people if last_mention(p) >= 0] or (people if before is None else [])
        return max(ranked, key=last_mention, default=None)

    def add(self, name: str, position: int, role: str | None) -> Person:
        person = self.find(name)
        if person is None:
            # "President Trump" then "Donald Trump": the fuller name wins, one person.
            single = self.find(name.split()[-1]) if len(name.split()) > 1 else None
            if single is not None:
                single.name = name
                person = single
            else:
                person = Person(name)
                self.people.append(person)
        person.mentions.append(position)
        if role:
            role = role.strip(" ,")
            if role.lower().rstrip(".") in w.HONORIFICS:
                role = ""
            if role and role_head(role) not in person.roles:
                person.roles.append(role_head(role))
                person.role_words.append(
                    (role, frozenset(x.lower() for x in re.findall(r"[\w-]+", role)))
                )
        return person


def role_before(text: str, start: int) -> str | None:
    """Role words written just before a name: 'Microsoft president Brad Smith'."""
    words = text[:start].split()
    if not words or not is_role_word(words[-1]):
        return None
    taken: list[str] = []
    for word in reversed(words):
        bare = word.rstrip(",.;:")
        if bare != word and taken:
            break
        if bare.lower() in w.DETERMINERS or bare.lower() in w.SPEECH_VERBS or MASK in bare:
            break
        if bare.lower() in w.CLAUSE_WORDS or len(taken) >= 4:
            break
        taken.append(bare)
        if bare != word:
            break
    return " ".join(reversed(taken)) or None


def appositive_role(text: str, start: int, end: int) -> str | None:
    """'Homeland security advisor to X, Tom Bossert,' or 'Tom Bossert, the advisor, said'."""
    before = re.search(r"(?:^|[,;:(—–]\s*)([^,;:()—–\ue000]{3,120}),\s*$", text[:start])
    if before and has_role_head(before.group(1)):
        phrase = before.group(1).strip()
        first = phrase.split()[0].lower()
        if len(phrase.split()) <= 10 and first not in w.CLAUSE_WORDS | w.LEADING_DROP:
            return re.sub(r"^(?:the|a|an)\s+", "", phrase, flags=re.IGNORECASE)
    after = re.match(r"\s*,\s*((?:the|a|an)\s+)?([^,;:()\ue000]{3,80}?)\s*(?:,|\.|;|$)", text[end:])
    if after and len(after.group(2).split()) <= 8 and has_role_head(after.group(2)):
        return after.group(2)
    return None


def without_leading_stops(run: str) -> list[str]:
    """A capitalised run's tokens without the sentence-opening words: "But", "The", "Because"."""
    tokens = run.split()
    while tokens and clean(tokens[0]) in w.CAPITALISED_STOP:
        tokens = tokens[1:]
    return tokens


def name_from_run(run: str) -> tuple[str, str] | None:
    """Split a capitalised run into (role, name), or None if it is not a person's name."""
    tokens = without_leading_stops(run)
    # A capitalised trade before a name is a description: "Developer Caddington Homes".
    while len(tokens) > 2 and tokens[0].lower() in w.ORGANISATION_NOUNS | w.OCCUPATION_NOUNS:
        tokens = tokens[1:]
    # "Prof Mark Thomas of University College London": the person, then where they work.
    if "of" in tokens[2:]:
        cut = tokens.index("of", 2)
        last_role = max(
            (i for i, t in enumerate(tokens[:cut]) if is_role_word(clean(t))), default=-1
        )
        named_before = cut - last_role - 1 >= 2  # not "U.S. Secretary of Energy Carla Brandt"
        if named_before and any(clean(t) in w.ORG_WORDS | w.PLACES for t in tokens[cut + 1 :]):
            tokens = tokens[:cut]
    if not tokens:
        return None
    titled = max((i for i, t in enumerate(tokens) if is_role_word(clean(t))), default=-1)
    # A surname that is also a title, after a first name: "Aaron Judge", "Martin King".
    if titled == len(tokens) - 1 and titled >= 1 and first_name_gender(tokens[titled - 1]):
        titled = max(
            (i for i, t in enumerate(tokens[: titled - 1]) if is_role_word(clean(t))), default=-1
        )
    role, name_tokens = tokens[: titled + 1], tokens[titled + 1 :]
    # A title's complement belongs to the title: "Secretary of State Antony Blinken".
    while role and len(name_tokens) > 3 and name_tokens[0] in ("of", "for"):
        role, name_tokens = role + name_tokens[:2], name_tokens[2:]
    # A descriptor before a first name is a role: "Parent Aisha Brown", "Evacuee Janet Cole".
    if len(name_tokens) >= 3 and not is_first_name(name_tokens[0]):
        first = next((i for i, t in enumerate(name_tokens[:-1]) if is_first_name(t)), None)
        if first:
            role, name_tokens = role + name_tokens[:first], name_tokens[first:]
    name_tokens = [clean(t) if i == len(name_tokens) - 1 else t for i, t in enumerate(name_tokens)]
    if not name_tokens or len(name_tokens) > 4:
        return None
    if len(name_tokens) == 1 and not role:
        return None
    # "Bill", "Georgia" and "Virginia" are first names, "Jordan" and "Washington" surnames:
    # after a known first name only organisation words count against a name.
    first_is_name = first_name_gender(name_tokens[0]) in (MALE, FEMALE)
    if first_is_name:
        if any(clean(t) in w.ORG_WORDS for t in name_tokens[1:]):
            return None
    elif any(clean(t) in w.ORG_WORDS | w.PLACES for t in name_tokens):
        return None
    # "Monday Smith" is a date then a name; a month can still be a surname: "Theresa May".
    if any(clean(t) in w.CALENDAR for t in name_tokens[:-1]) or (
        len(name_tokens) == 1 and clean(name_tokens[0]) in w.CALENDAR
    ):
        return None
    initials = len(name_tokens) == 2 and re.fullmatch(r"[A-Z]{2}", name_tokens[0]) and role
    if any(t.isupper() and len(t) > 1 for t in name_tokens) and not initials:
        return None  # acronyms: NHS, WHO, FBI (but "Chief Executive RJ Scaringe")
    if (
        len(name_tokens) > 1
        and not role
        and not is_first_name(name_tokens[0])
        and re.search(
            r"(?:ers|ies|ics|ings|works|ists|ants|ries|forms|ments|tions|sions|systems|labs)$",
            name_tokens[-1],
        )
    ):
        return None  # a plural trade, not a surname: "Lakeview Builders", "Apex Dynamics"
    if len(name_tokens[-1].rstrip(".")) < 2:
        return None
    return " ".join(role), " ".join(name_tokens)


_PERSON_NOUN = re.compile(
    r",\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,4}?("
    + "|".join(sorted(w.FEMALE_PERSON_NOUNS | w.MALE_PERSON_NOUNS))
    + r")\b"
)


def described_person(run: str, after: str) -> tuple[str, str] | None:
    """'Valeska Paris, an Australian woman,': a name the lists reject (an unknown first name,
    a surname that is a place) is a person's when an apposition calls them a woman or a man.
    The noun goes in as the role, so it gives the gender."""
    tokens = run.split()
    if not 2 <= len(tokens) <= 3 or not all(re.fullmatch(r"[A-Z][a-zà-ÿ’'-]+", t) for t in tokens):
        return None
    if any(clean(t) in w.ORG_WORDS | w.CALENDAR for t in tokens) or (
        tokens[0].lower() in w.CLAUSE_WORDS | w.LEADING_DROP
    ):
        return None
    noun = _PERSON_NOUN.match(after)
    if noun is None:
        return None
    return ("Mrs" if noun.group(1) in w.FEMALE_PERSON_NOUNS else "Mr"), run


def _looks_like_outlet(run: str) -> bool:
    tokens = run.split()
    return clean(tokens[-1]) in w.OUTLET_HEADS or run.lower() in w.KNOWN_OUTLETS


def _company_name(run: str) -> str | None:
    """'Novalis Pharma Inc.' -> 'Novalis Pharma' (a legal form is not part of the name used);
    'Halvern Water' stays whole."""
    tokens = without_leading_stops(run)
    if len(tokens) < 2 or clean(tokens[-1]) not in w.COMPANY_ENDINGS:
        return None
    if clean(tokens[-1]).rstrip(".").lower() in w.LEGAL_FORMS:
        return " ".join(tokens[:-2] + [clean(tokens[-2])])
    return " ".join(tokens[:-1] + [clean(tokens[-1])])


_SUBJECT_ORG = re.compile(
    rf"^\W*({NAME_TOKEN}(?:\s+(?:&\s+)?{NAME_TOKEN}){{0,3}})"
    rf"(?:\s+(\w+)|\s*,\s*(?:one of|an?|the)\s+([^,]+),)"
)


DATELINE = re.compile(
    r"^[A-Z][A-Za-z .,'’-]{1,40}?(?:,\s*[A-Z][\w.]*\s*\d{0,2})?\s*(?:\([^)]{1,30}\)\s*)*[-—–]\s+"
)


def _subject_organisation(frame_text: str, people: People) -> str | None:
    """A sentence-opening name that acts like a company: 'Morgan Stanley plans to cut',
    'Foxcomp, one of Apple's biggest suppliers, plans', after any dateline
    ('NEW YORK (Reuters) - JPMorgan Chase will pay'). Not a person's name."""
    dateline = DATELINE.match(frame_text)
    if dateline:
        frame_text = frame_text[dateline.end() :]
    match = _SUBJECT_ORG.match(frame_text)
    if not match:
        return None
    if match.group(1).split()[0] in ("The", "the"):
        return None  # "The Kremlin denied": a government or a place, not a company
    tokens = without_leading_stops(match.group(1))
    if not tokens or any(clean(t) in w.PLACES | w.CALENDAR for t in tokens):
        return None
    first_gender = first_name_gender(tokens[0])
    if first_gender in (MALE, FEMALE) or any(is_role_word(clean(t)) for t in tokens):
        return None  # "Interior Minister Ali Yerlikaya said" is a person
    if len(tokens) == 1 and (
        tokens[0].endswith("s") or tokens[0].lower() in w.SPEAKER_NOUNS | w.COMPANY_NOUNS
    ):
        return None  # "Holders will get", "Police said": common nouns opening a sentence
    name = " ".join(clean(t) if i == len(tokens) - 1 else t for i, t in enumerate(tokens))
    if people.find(name) is not None and first_gender is None and len(tokens) > 1:
        return None
    if people.by_surname(name) is not None or people.by_acronym(name) is not None:
        return None  # a person, or an agency named before: "NHTSA said"
    verb, apposition = match.group(2), match.group(3)
    if verb is not None:
        return name if verb.lower() in w.SUBJECT_VERBS else None
    nouns = {x.lower().rstrip("s") for x in (apposition or "").split()}
    return name if nouns & w.COMPANY_NOUNS else None


def find_people(
    text: str, sentences: list[Span], quotes: list[Quote] | None = None
) -> list[Person]:
    """Collect the people named outside quotations, with their roles, in text order."""
    quotes = find_quotes(text) if quotes is None else quotes
    return collect_people(text, sentences, quotes).people


def collect_people(text: str, sentences: list[Span], quotes: list[Quote]) -> People:
    people = People()
    mask = quote_mask(text, quotes)
    for span in sentences:
        framed, _ = frame(span, mask)
        _collect_organisations(framed, span.start, people)
        covered: list[tuple[int, int]] = []  # runs already taken as names
        for run in CAPITALISED_RUN.finditer(framed):
            preceding = framed[: run.start()].split()
            if (
                preceding
                and preceding[-1].lower() in ("the", "a", "an")
                and not is_role_word(run.group().split()[0])
            ):
                continue  # "the North Korean government", "the Wall Street Journal"
            run_text = run.group()
            org_before = any(clean(x) in w.ORG_WORDS for x in preceding[-5:-1])
            if (
                (preceding and preceding[-1] == "&")
                or re.match(r"\s*&\s*[A-Z]", framed[run.end() :])
                or (len(preceding) >= 2 and preceding[-1] == "and" and org_before)
            ):
                continue  # part of an organisation: "Pacific Gas & Electric", "Department
                # of Forestry and Fire Protection"
            if (
                preceding
                and preceding[-1] in w.PLACE_PREPOSITIONS
                and not is_role_word(run.group().split()[0])
            ):
                continue  # "walking in Victoria Park": a place
            if (
                preceding
                and preceding[-1].lower() in ("told", "tells")
                and _looks_like_outlet(run.group())
            ):
                continue  # "told Sky Sports"
            if (
                len(preceding) >= 2
                and preceding[-1] in ("for", "of", "&")
                and preceding[-2][:1].isupper()
            ):
                if not (is_role_word(preceding[-2]) and len(run_text.split()) >= 3):
                    continue  # the rest of a name: "Institute for Fiscal Studies"
                # "Minister for Health Jane Doe": the complement joins the title.
                run_text = f"{preceding[-2]} {preceding[-1]} " + run_text
            parsed = name_from_run(run_text) or described_person(run_text, framed[run.end() :])
            if parsed is None or span.start + run.start() in people.described:
                continue  # "Lakeview Builders, a developer," is no person
            run_role, name = parsed
            position = span.start + run.start()
            known = people.by_surname(name) if len(name.split()) == 1 else None
            if known is not None:
                known.mentions.append(position)
                known.gender = known.gender or gender_of(run_role)
                covered.append((run.start(), run.end()))
                continue
            role = run_role or None
            extra = role_before(framed, run.start()) if not run_role else None
            if extra:
                role = extra
            elif run_role and (extra_before := role_before(framed, run.start())):
                role = f"{extra_before} {run_role}"
            appositive = appositive_role(framed, run.start(), run.end())
            covered.append((run.start(), run.end()))
            person = people.add(name, position, role)
            person.gender = (
                person.gender or gender_of(run_role, role, appositive) or _name_gender(person.name)
            )
            if appositive and role != appositive:
                people.add(person.name, position, appositive)
                person.mentions.pop()
        # Bare surnames ("Bossert wrote") are mentions of someone already introduced.
        for token in re.finditer(r"\b[A-Z][\w’'-]+", framed):
            if any(a <= token.start() < b for a, b in covered):
                continue
            mentioned = people.by_surname(clean(token.group()))
            if mentioned is not None:
                mentioned.mentions.append(span.start + token.start())
    for person in people.people:
        person.mentions.sort()
    return people


# "Healthwatch Bristol, the patient watchdog," / "Lakeview Builders, a developer,": an
# organisation described by what it is.
_DESCRIBED_ORG = re.compile(
    rf"({NAME_TOKEN}(?:\s+{NAME_TOKEN}){{0,4}}),\s+(?:the|a|an)\s+(?:[\w-]+\s+){{0,3}}?"
    rf"({'|'.join(sorted(w.ORGANISATION_NOUNS | w.COMPANY_NOUNS, key=len, reverse=True))})\b"
)


def _collect_organisations(framed: str, offset: int, people: People) -> None:
    for run in CAPITALISED_RUN.finditer(framed):
        company = _company_name(run.group())
        if company:
            people.add_organisation(offset + run.start(), company, True)
    for run in _ORG_RUN.finditer(framed):
        tokens = without_leading_stops(run.group().split("(")[0].strip())
        if not tokens:
            continue
        last = clean(tokens[-1])
        if last in w.ORG_WORDS and last not in w.COMPANY_ENDINGS and len(tokens) >= 2:
            people.add_organisation(
                offset + run.start(), " ".join(tokens[:-1] + [last]), False, run.group(1)
            )
        elif run.group(1) and len(tokens) >= 2:
            people.add_organisation(offset + run.start(), " ".join(tokens), False, run.group(1))
        elif (
            len(tokens) >= 3
            and clean(tokens[0]) in w.ORG_WORDS
            and tokens[1].lower() in ("of", "for")
            and clean(tokens[0]).lower() not in w.COMPANY_ENDINGS
        ):
            # "the Bank of England", "the Department for Transport": the organisation word
            # leads, and "the bank", "the department" refer to it
            name = " ".join(tokens[:-1] + [clean(tokens[-1])])
            people.add_organisation(
                offset + run.start(), name, False, also=frozenset({clean(tokens[0]).lower()})
            )
    for match in _DESCRIBED_ORG.finditer(framed):
        tokens = without_leading_stops(match.group(1))
        noun = match.group(2).lower()
        if tokens and not is_first_name(tokens[0]):
            name = " ".join(tokens[:-1] + [clean(tokens[-1])])
            people.add_organisation(
                offset + match.start(1), name, noun in w.COMPANY_NOUNS, also=frozenset({noun})
            )
            people.described.add(offset + match.start(1))
    subject = _subject_organisation(framed, people)
    if subject is not None:
        people.add_organisation(offset + max(framed.find(subject), 0), subject, True)
