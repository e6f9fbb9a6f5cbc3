"""Decide who asserts each sentence of a news article: a quoted or reported source, or the
article itself (narration).

Pure Python and regular expressions; no NLP library is loaded at run time. The rules are
written for English news copy:

1. Quotations are found per paragraph (curly, straight and guillemet double quotes; single
   quotes too, for British style). Text inside them is masked out of the sentence "frame",
   so verbs and names inside a quotation never attribute it.
2. In each frame an attribution cue is looked for: a speech verb with its subject
   ("Smith said", "said Smith", "the ministry has denied") or "according to X".
3. People are collected from the whole article first (full names, titles, roles such as
   "Microsoft president Brad Smith" or "Homeland security advisor ..., Tom Bossert,"), so a
   surname, "he"/"she" or a role description ("The Microsoft president") resolves to a
   full name.
4. A quotation with no cue of its own takes the speaker of the previous attribution in its
   paragraph, or of the previous paragraph when the quotation opens a paragraph.

Speakers that are not people (organisations, countries, "officials") are returned as the
noun phrase written in the article, e.g. "The US administration". Outlets ("cites") are
returned without a leading "the" ("Wall Street Journal"); self-published channels are
returned as written ("the company’s blog"), because naming the company would be a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from factcheck.extract.sentences import Span, split_paragraphs

__all__ = ["Attribution", "Person", "Quote", "attribute_speakers", "find_people", "find_quotes"]

DIRECT_QUOTE = "direct_quote"
REPORTED = "reported"
NARRATION = "narration"

_MASK = "\ue000"  # private-use character standing in for quoted text in a frame


def _words(spec: str) -> frozenset[str]:
    return frozenset(spec.split())


# Speech verbs in the forms that carry an attribution. "thought", "called" and "posted" are
# left out: they are far more often participles ("the group thought to be behind").
_SPEECH_VERBS = _words(
    """
    say says said tell tells told write writes wrote state states stated claim claims claimed
    argue argues argued add adds added warn warns warned slam slams slammed accuse accuses
    accused deny denies denied insist insists insisted explain explains explained note notes
    noted announce announces announced confirm confirms confirmed admit admits admitted assert
    asserts asserted allege alleges alleged suggest suggests suggested report reports reported
    predict predicts predicted acknowledge acknowledges acknowledged contend contends contended
    maintain maintains maintained tweet tweets tweeted declare declares declared stress stresses
    stressed emphasised emphasized emphasises emphasizes urge urges urged reply replies replied
    respond responds responded conclude concludes concluded criticise criticises criticised
    criticize criticizes criticized blame blames blamed concede concedes conceded reveal reveals
    revealed testify testifies testified dismiss dismisses dismissed reject rejects rejected vow
    vows vowed promise promises promised pledge pledges pledged estimate estimates estimated
    believe believes believed counter counters countered dispute disputes disputed recall
    recalls recalled ask asks asked observe observes observed caution cautions cautioned
    """
)
_VERB_PATTERN = re.compile(
    r"(?<![\w'’-])(?:" + "|".join(sorted(_SPEECH_VERBS, key=len, reverse=True)) + r")(?![\w-])"
)
# "found" and "showed" attribute only for a study-like subject: "A 2023 study found that".
_FINDING_PATTERN = re.compile(r"(?<![\w'’-])(?:found|finds|showed|shows|concluded)(?![\w-])")
_REPORT_NOUNS = _words(
    "study studies report reports survey surveys poll polls analysis review audit research "
    "investigation inquiry paper census data trial experiment assessment evaluation"
)
_ACCORDING_TO = re.compile(r"(?<![\w-])according to\s+", re.IGNORECASE)

# Words that may sit between a subject and its verb ("North Korea has repeatedly denied").
_AUXILIARIES = _words(
    "has have had will would could should may might must can did does do also again later "
    "then now still once previously recently reportedly publicly privately earlier already "
    "never not just first further separately meanwhile today yesterday tonight"
)
_PASSIVE = _words("is are was were be been being")
_NOT_ADVERBS = _words("family ally rally assembly supply monopoly anomaly italy july")
_TIME_PHRASE = re.compile(
    r"(?:\b(?:on|last|this|next|late|early|earlier)\s+)?\b(?:monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday|week|month|year|weekend|night|morning|afternoon|evening)"
    r"(?:\s+(?:night|morning|afternoon|evening))?\s*$",
    re.IGNORECASE,
)

_PRONOUNS_PERSON = _words("he she")
_PRONOUNS_GROUP = _words("they it")
_PRONOUNS_OTHER = _words("i we you one this that these those there who which what")

_PRONOUNS_ALL = _PRONOUNS_PERSON | _PRONOUNS_GROUP | _PRONOUNS_OTHER | _words("me us him her them")
_DETERMINERS = _words("the a an this that these those its his her their our")
# Capitalised words that start sentences or clauses but are never part of a name.
_CAPITALISED_STOP = _words(
    "The A An This That These Those It Its He She They We I You His Her Their Our In On At "
    "According But And Or So If As When While After Before Since Although Though However "
    "Meanwhile Separately Also Yet Still Then There Here What Who Why How Where Which Last "
    "Earlier Later Both Many Some Most All Other Another Every Each No Not For From With By "
    "To Of Under Over Despite Following Amid Among Asked Speaking Writing Because Unless Until "
    "Whether Let Please Did Do Does Can Could Should Would Shall Might Must Is Are Was "
    "Were Have Has Had Now Well Yes Okay OK Thank Thanks Look Listen Just Even Only"
)
# Before a pronoun or determiner they open a question or a request, not a subject: "Can you
# tell us", "Let me say" (but "Will Smith said" and "May said" are people).
_NOT_SUBJECT_START = _words(
    "let please can could did do does should would will shall may might must is are was were "
    "have has had why how"
)
# Words that never sit inside a speaker's noun phrase (in news text): modals, "I", "you",
# "we" ("our correspondent" and "my colleague Jane Roe" can still speak).
_NOT_IN_SUBJECT = _words("could would will can should might must shall may i me you your we us")
_CONTRACTION = re.compile(r"[’'](?:ll|ve|d|re|s|m)$")
_LEADING_DROP = _words(
    "in on at during after before since last earlier later meanwhile separately however also "
    "yet still then when while asked speaking writing but and so"
)
_CLAUSE_WORDS = _words(
    "that which who whom whose because while when where if although though whether than "
    "but or so unless until since"
)
# Someone who speaks for a named person: "a spokesperson for", "a lawyer for".
_PROXY = re.compile(
    r"(?:an?|the)\s+(spokes(?:person|man|woman)|lawyer|attorney|representative|aide)\s+"
    r"(?:for|of|to)\s+",
    re.IGNORECASE,
)
_RELATIVE_PRONOUNS = _words("who whom whose which")
_HONORIFICS = _words(
    "mr mrs ms mx dr prof sir dame lord lady rev fr sen rep gov gen col lt capt sgt"
)

# Nouns that name a role; they turn the words around a name into a role description.
_ROLE_NOUNS = _words(
    """
    president vice-president president-elect advisor adviser minister secretary spokesman
    spokeswoman spokesperson representative senator governor mayor chairman chairwoman chair
    chief executive ceo cfo cto coo director head leader founder co-founder analyst researcher
    professor economist expert official officer ambassador envoy commissioner judge justice
    lawyer attorney prosecutor general admiral commander chancellor premier king queen prince
    princess editor correspondent reporter author scientist manager partner counsel strategist
    aide deputy lawmaker congressman congresswoman mp candidate coach boss inspector detective
    superintendent sheriff principal dean doctor surgeon activist campaigner speaker pope
    secretary-general chairperson administrator regulator consultant owner rabbi imam bishop
    auditor comptroller treasurer ombudsman watchdog statistician accountant engineer
    historian physician nurse teacher pastor priest councilman councilwoman councillor
    councilor alderman alderwoman assemblyman assemblywoman delegate trustee
    """
)
# Heads of noun phrases that can say things even without a capitalised name.
_SPEAKER_NOUNS = _ROLE_NOUNS | _words(
    """
    officials authorities government administration ministry department agency company firm
    police investigators prosecutors lawyers experts analysts researchers scientists critics
    sources source spokespeople report study survey statement court committee council
    commission board union regulator regulators campaigners residents witnesses organisers
    organizers group groups party white house embassy military army navy spokesmen bank
    city county town state district office agencies companies firms charity organisation
    organization hospital university school campaign team airline retailer ministries
    """
)
_ORG_WORDS = _words(
    """
    Group Inc Inc. Corp Corp. Corporation Ltd Ltd. LLC Plc plc Co Co. Company Companies Bank
    Journal Times Post News Press Agency Department Ministry Office Council Committee
    Commission Association Institute University College School Party Government
    Administration Service Services Pictures Studios Technology Technologies Systems Security
    Foundation Fund Network Union Organisation Organization Court House Senate Congress
    Parliament Army Navy Force Forces Police Street Road Avenue Square Hospital Airport Station
    Centre Center Club League Federation Reserve Board Authority Trust Media Labs Holdings
    Partners Capital Motors Airlines Energy Health Bureau Republic Kingdom States Nations Cup
    Games Olympics Act Bill Treaty Accord Day Week Prize Award Awards Valley Coast Island
    Islands Sea Ocean River Mountains Airways Group's Project Program Programme Initiative
    Council's Index Exchange Market Markets Stock Street's Studies Research Affairs Relations
    Policy Sciences Rights Responsibility Statistics Justice Education Defence Defense
    Development Economics Resources Environment Trade Treasury Budget Pharma Pharmaceuticals
    Therapeutics Biotech Solutions Software Insurance Logistics Robotics Electronics Telecom
    """
)
_PLACES = _words(
    """
    Afghanistan Albania Algeria Argentina Armenia Australia Austria Azerbaijan Bahrain
    Bangladesh Belarus Belgium Bolivia Bosnia Brazil Britain Bulgaria Cambodia Cameroon Canada
    Chile China Colombia Congo Croatia Cuba Cyprus Czechia Denmark Ecuador Egypt England
    Estonia Ethiopia Europe Finland France Georgia Germany Ghana Greece Haiti Hungary Iceland
    India Indonesia Iran Iraq Ireland Israel Italy Japan Jordan Kazakhstan Kenya Korea Kosovo
    Kuwait Latvia Lebanon Libya Lithuania Malaysia Mali Mexico Moldova Mongolia Morocco
    Myanmar Nepal Netherlands Nigeria Norway Oman Pakistan Palestine Panama Peru Philippines
    Poland Portugal Qatar Romania Russia Rwanda Scotland Serbia Singapore Slovakia Slovenia
    Somalia Spain Sudan Sweden Switzerland Syria Taiwan Thailand Tunisia Turkey Uganda Ukraine
    Uruguay Venezuela Vietnam Wales Yemen Zambia Zimbabwe Africa Asia America Americas
    Antarctica Arctic Gaza Crimea Kashmir Tibet Washington London Moscow Beijing Pyongyang
    Seoul Tokyo Paris Berlin Brussels Kyiv Kiev Jerusalem Tehran Delhi Mumbai Sydney Toronto
    Geneva Vienna Rome Madrid Dubai Riyadh Cairo Istanbul Ankara Hong Kong York Angeles
    Francisco Chicago Boston California Texas Florida Virginia Ohio Michigan Arizona
    American Americans British Chinese Russian Russians Korean Koreans Japanese Iranian
    Israeli Palestinian Ukrainian European Europeans Indian French German Germans Italian
    Spanish Canadian Australian Mexican Brazilian Turkish Syrian Iraqi Afghan Pakistani
    Saudi Arabian Egyptian African Asian Western Eastern Northern Southern Democrat
    Democrats Republican Republicans Labour Tory Tories Conservative Conservatives Muslim
    Christian Jewish Catholic Protestant North South East West Central Middle Greater Upper
    Lower New United US USA UK EU UN NATO Emirates Arabia Zealand Lanka Leone Rica Salvador
    """
)
_CALENDAR = _words(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
    "June July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep "
    "Sept Oct Nov Dec Christmas Easter"
)

_KNOWN_OUTLETS = _words(
    """
    reuters bloomberg politico axios bbc cnn npr pbs afp ap msnbc cnbc nbc abc cbs itv sky
    guardian economist atlantic vox wired vice buzzfeed huffpost slate salon forbes fortune
    time newsweek techcrunch verge engadget twitter facebook instagram linkedin youtube tiktok
    telegram substack threads bluesky mastodon medium reddit x
    """
)
_OUTLET_HEADS = _words(
    """
    Journal Times Post News Herald Telegraph Tribune Gazette Guardian Review Magazine Radio
    Television TV Daily Press Chronicle Observer Independent Express Mail Wire Network Channel
    Today Insider Monitor Standard Star Mirror Economist Atlantic Sun Globe Record Register
    Bulletin Dispatch Examiner Inquirer Courier Week Weekly Online Podcast Show Programme
    Program Hour Broadcasting Agency Service
    """
)
_SELF_PUBLISHED = re.compile(
    r"\b(?:on|in|via)\s+((?:the|his|her|its|their|[\w-]+[’']s|the\s+[\w-]+[’']s)\s+"
    r"(?:(?:official|personal|own|company|corporate)\s+)?(?:blog|website|web\s?site|site|"
    r"podcast|newsletter|channel|page|account|(?:Twitter|X|Facebook|Instagram|LinkedIn|"
    r"YouTube|TikTok|Telegram)\s+(?:account|page|channel|feed)))\b"
)
_NAME_TOKEN = r"(?:[A-Z][a-z]?\.|[A-Z][\w’'-]*\w|Mc[A-Z]\w*)"
_CAPITALISED_RUN = re.compile(
    rf"{_NAME_TOKEN}(?:\s+(?:(?:de|van|von|der|den|da|di|du|del|la|le|bin|ibn|al|of)\s+)?"
    rf"{_NAME_TOKEN})*"
)
_OUTLET_AFTER = re.compile(
    rf"\b(?:told|to|in|on|with|for|via|by)\s+(?:the\s+)?({_NAME_TOKEN}(?:\s+(?:of\s+)?"
    rf"{_NAME_TOKEN})*)"
)
_POSSESSIVE = re.compile(r"[’']s?$")
_TOKEN = re.compile(r"\ue000+|[\w][\w’'.&-]*|[^\w\s]")


@dataclass(frozen=True)
class Attribution:
    """Who asserts a sentence: kind is direct_quote, reported or narration."""

    speaker: str | None
    kind: str
    cites: str | None


@dataclass(frozen=True)
class Quote:
    """A quotation: start at its opening mark, end after its closing mark.

    ``closed`` is False when the paragraph ends inside the quotation (news style for a
    quotation that runs on into the next paragraph).
    """

    start: int
    end: int
    closed: bool


@dataclass
class Person:
    """A person named in the article, with the role descriptions attached to the name."""

    name: str
    roles: list[str] = field(default_factory=list)
    mentions: list[int] = field(default_factory=list)
    # Lower-cased words of each full role phrase, used to match "the Microsoft president".
    role_words: list[tuple[str, frozenset[str]]] = field(default_factory=list, repr=False)
    # "m" or "f" when a title says so ("Ms Reeves", "the spokeswoman"), so "she" can skip a man.
    gender: str | None = field(default=None, compare=False)

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


@dataclass(frozen=True)
class _Cue:
    speaker: str | None
    is_person: bool
    cites: str | None
    beside_quote: bool  # attribution written next to a quotation: '"...," she said'


# --- quotations ------------------------------------------------------------------------


def find_quotes(text: str) -> list[Quote]:
    """Find quotations paragraph by paragraph; single quotes only outside double ones."""
    quotes: list[Quote] = []
    for paragraph in split_paragraphs(text):
        double: int | None = None
        single: int | None = None
        for i in range(paragraph.start, paragraph.end):
            char = text[i]
            before = text[i - 1] if i > paragraph.start else " "
            after = text[i + 1] if i + 1 < paragraph.end else " "
            if char in "“«" or (char == '"' and double is None):
                if double is None:
                    double, single = i, None
            elif char in "”»" or char == '"':
                if double is not None:
                    quotes.append(Quote(double, i + 1, True))
                    double = None
            elif double is not None:
                continue
            elif single is None and (
                char == "‘" or (char == "'" and not before.isalnum() and after.isalnum())
            ):
                single = i
            elif (
                single is not None and char in "’'" and not after.isalnum() and not before.isspace()
            ):
                quotes.append(Quote(single, i + 1, True))
                single = None
        if double is not None:
            quotes.append(Quote(double, paragraph.end, False))
    return quotes


def _quote_mask(text: str, quotes: list[Quote]) -> bytearray:
    """1 for every character of text inside a quotation, marks included."""
    mask = bytearray(len(text))
    for quote in quotes:
        mask[quote.start : quote.end] = b"\x01" * (quote.end - quote.start)
    return mask


def _frame(span: Span, mask: bytearray) -> tuple[str, float]:
    """The sentence with quoted characters masked, and the share of letters quoted."""
    chars = list(span.text)
    quoted = total = 0
    for offset, char in enumerate(span.text):
        inside = mask[span.start + offset]
        if char.isalnum():
            total += 1
            quoted += inside
        if inside:
            chars[offset] = _MASK
    return "".join(chars), (quoted / total if total else 0.0)


# --- people ----------------------------------------------------------------------------


def _clean(token: str) -> str:
    return _POSSESSIVE.sub("", token).rstrip(".,")


def _is_role_word(word: str) -> bool:
    bare = word.lower().rstrip(".")
    # A plural title counts too: "Senators Ann Kowalski and Ben Harris".
    singular = bare[:-1] if bare.endswith("s") else bare
    return bare in _ROLE_NOUNS or bare in _HONORIFICS or singular in _ROLE_NOUNS


def _has_role_head(phrase: str) -> bool:
    words = _role_head(phrase).split()
    return bool(words) and words[-1].lower().strip(".,") in _ROLE_NOUNS


def _role_head(role: str) -> str:
    """A role phrase cut before its complement: 'advisor to President Trump' -> 'advisor'."""
    cut = re.split(r"\s+(?:to|of|for|at|with|in|on)\s+", role, maxsplit=1)[0]
    return cut.strip(" ,")


class _People:
    """The people named in an article, looked up by full name, surname and role."""

    def __init__(self) -> None:
        self.people: list[Person] = []
        # Companies named in the text, as (position, name): "the company" refers back to them.
        self.companies: list[tuple[int, str]] = []

    def latest_company(self, before: int) -> str | None:
        earlier = [name for position, name in self.companies if position < before]
        return earlier[-1] if earlier else None

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
        """The one person whose first name this is ("Donald" after "Donald Trump"), if one."""
        matches = [p for p in self.people if len(p.name.split()) > 1 and p.name.split()[0] == token]
        return matches[0] if len(matches) == 1 else None

    def by_role(self, phrase: str, before: int) -> Person | None:
        if not _has_role_head(phrase):
            return None
        head = _role_head(phrase).split()[-1].lower().strip(".,")
        words = {w.lower() for w in re.findall(r"[\w-]+", phrase)}
        rest = words - _DETERMINERS - _words("to of for at with in on former acting") - {head}
        matches = [
            p
            for p in self.people
            for role, role_words in p.role_words
            if _role_head(role).split()[-1].lower() == head and rest <= role_words
        ]
        return self._latest(matches, before)

    def latest_mentioned(self, before: int, gender: str | None = None) -> Person | None:
        people = [p for p in self.people if gender is None or p.gender in (None, gender)]
        return self._latest(people, before)

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
            if role.lower().rstrip(".") in _HONORIFICS:
                role = ""
            if role and _role_head(role) not in person.roles:
                person.roles.append(_role_head(role))
                person.role_words.append(
                    (role, frozenset(w.lower() for w in re.findall(r"[\w-]+", role)))
                )
        return person


def _role_before(frame: str, start: int) -> str | None:
    """Role words written just before a name: 'Microsoft president Brad Smith'."""
    words = frame[:start].split()
    if not words or not _is_role_word(words[-1]):
        return None
    taken: list[str] = []
    for word in reversed(words):
        bare = word.rstrip(",.;:")
        if bare != word and taken:
            break
        if bare.lower() in _DETERMINERS or bare.lower() in _SPEECH_VERBS or _MASK in bare:
            break
        if bare.lower() in _CLAUSE_WORDS or len(taken) >= 4:
            break
        taken.append(bare)
        if bare != word:
            break
    return " ".join(reversed(taken)) or None


def _appositive_role(frame: str, start: int, end: int) -> str | None:
    """'Homeland security advisor to X, Tom Bossert,' or 'Tom Bossert, the advisor, said'."""
    before = re.search(r"(?:^|[,;:(—–]\s*)([^,;:()—–\ue000]{3,120}),\s*$", frame[:start])
    if before and _has_role_head(before.group(1)):
        phrase = before.group(1).strip()
        first = phrase.split()[0].lower()
        if len(phrase.split()) <= 10 and first not in _CLAUSE_WORDS | _LEADING_DROP:
            return re.sub(r"^(?:the|a|an)\s+", "", phrase, flags=re.IGNORECASE)
    after = re.match(
        r"\s*,\s*((?:the|a|an)\s+)?([^,;:()\ue000]{3,80}?)\s*(?:,|\.|;|$)", frame[end:]
    )
    if after:
        if len(after.group(2).split()) <= 8 and _has_role_head(after.group(2)):
            return after.group(2)
    return None


def _without_leading_stops(run: str) -> list[str]:
    """A capitalised run's tokens without the sentence-opening words: "But", "The", "Because"."""
    tokens = run.split()
    while tokens and _clean(tokens[0]) in _CAPITALISED_STOP:
        tokens = tokens[1:]
    return tokens


def _name_from_run(run: str) -> tuple[str, str] | None:
    """Split a capitalised run into (role, name), or None if it is not a person's name."""
    tokens = _without_leading_stops(run)
    if not tokens:
        return None
    titled = max((i for i, t in enumerate(tokens) if _is_role_word(_clean(t))), default=-1)
    role, name_tokens = tokens[: titled + 1], tokens[titled + 1 :]
    # A title's complement belongs to the title: "Secretary of State Antony Blinken".
    while role and len(name_tokens) > 3 and name_tokens[0] in ("of", "for"):
        role, name_tokens = role + name_tokens[:2], name_tokens[2:]
    name_tokens = [_clean(t) if i == len(name_tokens) - 1 else t for i, t in enumerate(name_tokens)]
    if not name_tokens or len(name_tokens) > 4:
        return None
    if len(name_tokens) == 1 and not role:
        return None
    if any(_clean(t) in _ORG_WORDS | _PLACES for t in name_tokens):
        return None
    # "Monday Smith" is a date then a name; a month can still be a surname: "Theresa May".
    if any(_clean(t) in _CALENDAR for t in name_tokens[:-1]) or (
        len(name_tokens) == 1 and _clean(name_tokens[0]) in _CALENDAR
    ):
        return None
    if any(t.isupper() and len(t) > 1 for t in name_tokens):
        return None  # acronyms: NHS, WHO, FBI
    if len(name_tokens[-1].rstrip(".")) < 2:
        return None
    return " ".join(role), " ".join(name_tokens)


_MALE_TITLES = _words(
    "mr sir lord king prince duke baron spokesman chairman congressman councilman assemblyman "
    "alderman businessman"
)
_FEMALE_TITLES = _words(
    "mrs ms dame lady queen princess duchess baroness spokeswoman chairwoman congresswoman "
    "councilwoman assemblywoman alderwoman businesswoman"
)


def _gender_of(*roles: str | None) -> str | None:
    """'m' or 'f' when a title or role word says which, else None."""
    words = {w.lower().rstrip(".,") for role in roles if role for w in role.split()}
    male, female = bool(words & _MALE_TITLES), bool(words & _FEMALE_TITLES)
    return "m" if male and not female else "f" if female and not male else None


# A capitalised run ending in one of these names a company: "Novalis Pharma", "Acme Inc".
_COMPANY_ENDINGS = _words(
    "Inc Inc. Corp Corp. Corporation Ltd Ltd. LLC Plc plc Co Co. Company Group Holdings Pharma "
    "Pharmaceuticals Therapeutics Biotech Motors Airlines Airways Technologies Systems Labs "
    "Software Insurance Logistics Robotics Electronics Telecom Energy Bank"
)
# "The company said": a generic noun standing for the company named before.
_COMPANY_REFERENCE = re.compile(
    r"(?:the|this)\s+(?:company|firm|group|carrier|airline|bank|retailer|manufacturer|"
    r"drugmaker|drug\s+maker|carmaker|insurer|lender|startup|chain|conglomerate)",
    re.IGNORECASE,
)


def _company_name(run: str) -> str | None:
    tokens = _without_leading_stops(run)
    if len(tokens) < 2 or _clean(tokens[-1]) not in _COMPANY_ENDINGS:
        return None
    return " ".join(tokens[:-1] + [_clean(tokens[-1])])


def find_people(
    text: str, sentences: list[Span], quotes: list[Quote] | None = None
) -> list[Person]:
    """Collect the people named outside quotations, with their roles, in text order."""
    quotes = find_quotes(text) if quotes is None else quotes
    return _collect_people(text, sentences, quotes).people


def _collect_people(text: str, sentences: list[Span], quotes: list[Quote]) -> _People:
    people = _People()
    mask = _quote_mask(text, quotes)
    for span in sentences:
        frame, _ = _frame(span, mask)
        covered: list[tuple[int, int]] = []  # runs already taken as names
        for run in _CAPITALISED_RUN.finditer(frame):
            preceding = frame[: run.start()].split()
            if (
                preceding
                and preceding[-1].lower() in ("the", "a", "an")
                and not _is_role_word(run.group().split()[0])
            ):
                continue  # "the North Korean government", "the Wall Street Journal"
            run_text = run.group()
            if (
                len(preceding) >= 2
                and preceding[-1] in ("for", "of", "&")
                and preceding[-2][:1].isupper()
            ):
                if not (_is_role_word(preceding[-2]) and len(run_text.split()) >= 3):
                    continue  # the rest of a name: "Institute for Fiscal Studies"
                # "Minister for Health Jane Doe": the complement joins the title.
                run_text = f"{preceding[-2]} {preceding[-1]} " + run_text
            parsed = _name_from_run(run_text)
            if parsed is None:
                company = _company_name(run.group())
                if company:
                    people.companies.append((span.start + run.start(), company))
                continue
            run_role, name = parsed
            position = span.start + run.start()
            known = people.by_surname(name) if len(name.split()) == 1 else None
            if known is not None:
                known.mentions.append(position)
                known.gender = known.gender or _gender_of(run_role)
                covered.append((run.start(), run.end()))
                continue
            role = run_role or None
            extra = _role_before(frame, run.start()) if not run_role else None
            if extra:
                role = extra
            elif run_role and (extra_before := _role_before(frame, run.start())):
                role = f"{extra_before} {run_role}"
            appositive = _appositive_role(frame, run.start(), run.end())
            covered.append((run.start(), run.end()))
            person = people.add(name, position, role)
            person.gender = person.gender or _gender_of(run_role, role, appositive)
            if appositive and role != appositive:
                people.add(person.name, position, appositive)
                person.mentions.pop()
        # Bare surnames ("Bossert wrote") are mentions of someone already introduced.
        for token in re.finditer(r"\b[A-Z][\w’'-]+", frame):
            if any(a <= token.start() < b for a, b in covered):
                continue
            mentioned = people.by_surname(_clean(token.group()))
            if mentioned is not None:
                mentioned.mentions.append(span.start + token.start())
    for person in people.people:
        person.mentions.sort()
    return people


# --- attribution cues ------------------------------------------------------------------


def _strip_trailing_modifiers(prefix: str) -> tuple[str, bool]:
    """Drop auxiliaries, adverbs and time phrases before a verb; report a passive."""
    passive = False
    while True:
        stripped = prefix.rstrip()
        time = _TIME_PHRASE.search(stripped)
        if time and time.start() > 0:
            prefix = stripped[: time.start()]
            continue
        match = re.search(r"(\S+)$", stripped)
        if not match:
            return stripped, passive
        word = match.group(1)
        lower = word.lower()
        if lower in _PASSIVE:
            passive = True
        elif not (
            # Capitalised, it is a name: "May said", "Will said".
            (lower in _AUXILIARIES and not word[:1].isupper())
            or (word.islower() and lower.endswith("ly") and lower not in _NOT_ADVERBS)
        ):
            return stripped, passive
        prefix = stripped[: match.start()]


def _subject_before(prefix: str) -> tuple[str, str]:
    """The noun phrase ending a verb's prefix, and the text before it (for appositives)."""
    # A trailing comma closes an appositive: "advisor to President Trump, Tom Bossert, told".
    text = prefix.rstrip().removesuffix(",").rstrip()
    # An acronym in brackets after the subject: "The Office for Budget Responsibility (OBR)".
    text = re.sub(r"\s*\([A-Z][\w.&-]{0,11}\)$", "", text)
    boundary = max(text.rfind(c) for c in ",;:()—–[]" + _MASK)
    # Skip an aside between the subject and its verb: "Chen, 45, added" or
    # "Rick Alvarez, who voted against it, said".
    while boundary > 0 and text[boundary] in ",(—–":
        aside = text[boundary + 1 :].split()
        if not (
            (len(aside) == 1 and aside[0].isdigit())
            or (aside and aside[0].lower() in _RELATIVE_PRONOUNS)
        ):
            break
        text = text[:boundary].rstrip(" ,(—–")
        boundary = max(text.rfind(c) for c in ",;:()—–[]" + _MASK)
    words = text[boundary + 1 :].split()
    # Stop at the last clause word: "officials believe that the ministry said".
    for index in range(len(words) - 1, -1, -1):
        if words[index].lower() in _CLAUSE_WORDS:
            words = words[index + 1 :]
            break
    while words and (
        words[0].lower() in _LEADING_DROP
        or words[0].rstrip(",").isdigit()
        or (words[0].rstrip(",") in _CALENDAR and len(words) > 1)  # not "May said"
    ):
        words = words[1:]
    return " ".join(words), (text[: boundary + 1] if boundary >= 0 else "")


def _after_quote(prefix: str, sentence: str) -> bool:
    """True for '"...," Smith, the mayor,' before a verb: an attribution after a quotation.

    The quotation must end in a comma, ? or ! (news style when attribution follows) and only
    a short subject may stand between it and the verb.
    """
    closing = prefix.rfind(_MASK)
    if closing < 1 or sentence[closing - 1] not in ",?!—–-…":
        return False
    tail = prefix[closing + 1 :].strip(" ,")
    words = [w.lower().strip(",") for w in tail.split()]
    return len(words) <= 12 and not any(w in _CLAUSE_WORDS | {"and", "but"} for w in words)


def _subject_after(suffix: str) -> str:
    """The noun phrase after an inverted verb: 'said Brad Smith, the company's president'."""
    match = re.match(r"\s*([^,;:()\ue000—–]+)", suffix)
    if not match:
        return ""
    words: list[str] = []
    for word in match.group(1).split():
        bare = word.rstrip(".")
        words.append(word)
        # A full stop ends the phrase unless it closes an honorific or an initial.
        if (
            word.endswith(".")
            and bare.lower() not in _HONORIFICS
            and not re.fullmatch(r"[A-Z]", bare)
        ):
            words[-1] = bare
            break
    for index, word in enumerate(words):
        if word.lower() in _CLAUSE_WORDS | {"in", "on", "at", "during", "to", "after", "before"}:
            words = words[:index]
            break
    return " ".join(words)


def _is_outlet(name: str, after_told: bool) -> bool:
    name = re.sub(r"^(?:the)\s+", "", name.strip(), flags=re.IGNORECASE)
    if not name or name in _CALENDAR:
        return False
    last = name.split()[-1]
    if name.lower() in _KNOWN_OUTLETS:
        return True
    if last in _OUTLET_HEADS:
        return not (len(name.split()) == 1 and last in _OUTLET_HEADS)
    # An unknown acronym after "told" is almost always a broadcaster: "told CNN".
    return after_told and name.isupper() and 2 <= len(name) <= 5 and name not in _PLACES


def _cites(clause: str) -> str | None:
    """The outlet or channel named in an attribution clause."""
    channel = _SELF_PUBLISHED.search(clause)
    for match in _OUTLET_AFTER.finditer(clause):
        if channel and channel.start() < match.start():
            break
        name = match.group(1)
        if _is_outlet(name, match.group().lower().startswith("told")):
            return re.sub(r"^The\s+", "", name)
    return channel.group(1) if channel else None


# "Speaking to the BBC's Today programme, Mr Hunt said" / "In an interview with CNN, ...".
_LEAD_IN = re.compile(
    r"\s*(?:(?:speaking|talking|writing)\s+(?:to|with|in|on)|in\s+an?\s+(?:interview|op-ed|"
    r"column|post|podcast|appearance)\s+(?:with|to|in|on|for))\s+(?:the\s+)?([^,;:\ue000]{2,60}),",
    re.IGNORECASE,
)


def _lead_in_cites(frame: str) -> str | None:
    """The outlet named in a sentence's opening phrase, when it names one."""
    match = _LEAD_IN.match(frame)
    if not match or not re.search(r"\b[A-Z]", match.group(1)):
        return None
    return match.group(1).strip()


class _Resolver:
    """Turns a subject noun phrase into a speaker, using the article's people."""

    def __init__(self, people: _People) -> None:
        self.people = people
        self.last_person: Person | None = None
        self.last_group: str | None = None

    def resolve(
        self, phrase: str, position: int, before_phrase: str = ""
    ) -> tuple[str | None, bool] | None:
        """(speaker, is_person), or None when the phrase cannot be a speaker."""
        words = phrase.split()
        if not words or len(words) > 10:
            return None
        lower = [w.lower().rstrip(".,") for w in words]
        first = _CONTRACTION.sub("", lower[0])  # "they'll say" -> they
        if lower[0] == "please" or (
            # A question or a request: "Can you tell us", "Did you say", "Let me say".
            lower[0] in _NOT_SUBJECT_START
            and len(lower) > 1
            and _CONTRACTION.sub("", lower[1]) in _PRONOUNS_ALL | _DETERMINERS
        ):
            return None
        if len(words) == 1 and first in _PRONOUNS_PERSON:
            wanted = "m" if first == "he" else "f"
            person = self.last_person or self.people.latest_mentioned(position)
            if person is not None and person.gender not in (None, wanted):
                # "She" cannot be the man who spoke last: the latest person who can be.
                person = self.people.latest_mentioned(position, wanted)
            return (person.name if person else None), True
        if len(words) == 1 and first in _PRONOUNS_GROUP:
            return self.last_group, False
        if first in _PRONOUNS_OTHER | _PRONOUNS_PERSON | _PRONOUNS_GROUP or first in _CLAUSE_WORDS:
            return None
        # Lower-case words only ("US" is not "us"), and "I" in any form.
        bases = {
            _CONTRACTION.sub("", w.rstrip(".,").lower())
            for w in words
            if w.islower() or _CONTRACTION.sub("", w) == "I"
        }
        if bases & _NOT_IN_SUBJECT or lower[-1] in ("and", "or", "but"):
            return None  # a clause, not a noun phrase: "somebody could come and"
        # A full name written in the phrase: "Microsoft president Brad Smith".
        named = [p for p in self.people.people if re.search(rf"\b{re.escape(p.name)}\b", phrase)]
        proxy = _PROXY.match(phrase)
        if proxy and named:
            # "A spokesperson for Governor Dana Whitfield said": the spokesperson speaks.
            return f"{proxy.group(1).lower()} for {named[-1].name}", False
        if len(named) > 1 and re.search(r"\s(?:and|&)\s", phrase):
            # Joint speakers: "Senators Ann Kowalski and Ben Harris said". Not one person, so
            # a later "they" refers back to both.
            named.sort(key=lambda p: phrase.find(p.name))
            return ", ".join(p.name for p in named[:-1]) + " and " + named[-1].name, False
        if named:
            return max(named, key=lambda p: phrase.rfind(p.name)).name, True
        # A surname, possibly with an honorific: "Bossert", "Mr. Smith".
        bare = [_clean(w) for w in words if _clean(w).lower() not in _HONORIFICS]
        if len(bare) == 1 and bare[0][:1].isupper():
            person = self.people.by_surname(bare[0], position) or self.people.by_first_name(bare[0])
            if person is not None:
                return person.name, True
        # An appositive role after a name: "Tom Bossert, the homeland security adviser, said".
        if before_phrase and _has_role_head(phrase):
            name = re.split(r"[,;:(\ue000]", before_phrase.rstrip(", "))[-1].strip()
            earlier = self.resolve(name, position) if name[:1].isupper() else None
            if earlier and earlier[0]:
                return earlier[0], True
        if _COMPANY_REFERENCE.fullmatch(phrase.strip(" ,.")):
            company = self.people.latest_company(position)
            if company is not None:
                return company, False
        by_role = self.people.by_role(phrase, position)
        if by_role is not None:
            return by_role.name, True
        head = lower[-1]
        named_thing = any(w[:1].isupper() and _clean(w) not in _CAPITALISED_STOP for w in words)
        if named_thing or head in _SPEAKER_NOUNS:
            return phrase.rstrip(",."), False
        return None

    def remember(self, speaker: str | None, is_person: bool) -> None:
        if speaker is None:
            return
        if is_person:
            self.last_person = self.people.find(speaker) or self.last_person
        else:
            self.last_group = speaker


def _find_cue(frame: str, span: Span, resolver: _Resolver) -> _Cue | None:
    """The first attribution cue in a sentence frame whose subject is a possible speaker."""
    candidates: list[tuple[int, str, int]] = []  # (position, kind, end)
    candidates += [(m.start(), "according", m.end()) for m in _ACCORDING_TO.finditer(frame)]
    candidates += [(m.start(), "verb", m.end()) for m in _VERB_PATTERN.finditer(frame)]
    candidates += [(m.start(), "finding", m.end()) for m in _FINDING_PATTERN.finditer(frame)]
    for start, kind, end in sorted(candidates):
        position = span.start + start
        if kind == "according":
            phrase = _subject_after(frame[end:])
            resolved = resolver.resolve(phrase, position)
            if resolved is None:
                continue
            outlet = phrase if _is_outlet(phrase, False) else None
            cites = re.sub(r"^(?:the|The)\s+", "", outlet) if outlet else None
            return _Cue(resolved[0], resolved[1], cites, False)
        verb = frame[start:end]
        suffix = frame[end:]
        if re.match(r"\s+by\b", suffix) or (verb == "accused" and re.match(r"\s+of\b", suffix)):
            continue  # passive: "was accused by", "accused of"
        if re.search(r"(?<![\w-])to\s+$", frame[:start]):
            continue  # an infinitive asserts nothing: "quick to respond", "declined to confirm"
        if re.search(r"(?:\bnot|\bnever|n[’']t)\s+(?:\w+ly\s+)?$", frame[:start], re.IGNORECASE):
            continue  # nor does a negated verb: "did not respond", "has never confirmed"
        prefix, passive = _strip_trailing_modifiers(frame[:start])
        if passive:
            continue
        if kind == "finding":
            phrase, _ = _subject_before(prefix)
            head = re.split(r"\s+(?:by|of|from|for|at|in|on|with)\s+", phrase)[0].split()
            if not head or head[-1].lower() not in _REPORT_NOUNS:
                continue
            return _Cue(phrase.rstrip(",."), False, None, False)
        clause = verb + re.split(r"\bthat\b|\ue000|;", suffix, maxsplit=1)[0]
        phrase, before_phrase = _subject_before(prefix)
        beside_quote = _after_quote(prefix, span.text) or bool(
            re.match(r"\s*[:,]?\s*\ue000", suffix)
        )
        if phrase:
            resolved = resolver.resolve(phrase, position, before_phrase)
        elif re.search(r"(?:\ue000|,)\s*,?\s*$", prefix) or not prefix.strip():
            # Inverted: '"...," said Smith.'
            phrase = _subject_after(suffix)
            resolved = resolver.resolve(phrase, position) if phrase else None
            clause = suffix[len(phrase) + 1 :] if phrase else clause
        else:
            resolved = None
        if resolved is None:
            continue
        return _Cue(resolved[0], resolved[1], _cites(clause) or _lead_in_cites(frame), beside_quote)
    return None


# --- putting it together ---------------------------------------------------------------


def _quote_sources(
    sentences: list[Span],
    cues: list[_Cue | None],
    quotes: list[Quote],
    paragraph_of: list[int],
    paragraphs: list[Span],
) -> dict[int, _Cue]:
    """The attribution each quotation takes, by index into quotes."""
    touched = [
        [i for i, s in enumerate(sentences) if s.start < quote.end and quote.start < s.end]
        for quote in quotes
    ]
    sources: dict[int, _Cue] = {}

    def sentence_source(i: int) -> _Cue | None:
        cue = cues[i]
        if cue is not None and cue.speaker is not None:
            return cue
        inside = [q for q, sents in enumerate(touched) if i in sents and q in sources]
        return sources[inside[-1]] if inside else None

    # Own cue: a sentence the quotation touches attributes it beside the quotation.
    for q, sents in enumerate(touched):
        for i in reversed(sents):
            cue = cues[i]
            if cue is not None and cue.beside_quote:
                sources[q] = cue
                break
    # A quotation left open at a paragraph end continues in the next paragraph's quotation.
    for q in range(len(quotes) - 2, -1, -1):
        if q not in sources and not quotes[q].closed and q + 1 in sources:
            sources[q] = sources[q + 1]
    for q, quote in enumerate(quotes):
        if q in sources or not touched[q]:
            continue
        first = touched[q][0]
        paragraph = paragraph_of[first]
        # The latest attribution earlier in the same paragraph.
        for i in range(first - 1, -1, -1):
            if paragraph_of[i] != paragraph:
                break
            source = sentence_source(i)
            if source is not None:
                sources[q] = source
                break
        else:
            # A quotation that opens a paragraph continues the previous paragraph's speaker.
            opens = paragraph >= 0 and quote.start == paragraphs[paragraph].start
            if opens and first > 0 and paragraph_of[first - 1] == paragraph - 1:
                source = sentence_source(first - 1)
                if source is not None:
                    sources[q] = source
    return sources


def attribute_speakers(text: str, sentences: list[Span]) -> list[Attribution]:
    """Attribute each sentence to a speaker (direct quote or reported) or to narration."""
    quotes = find_quotes(text)
    people = _collect_people(text, sentences, quotes)
    resolver = _Resolver(people)
    paragraphs = split_paragraphs(text)
    paragraph_of = [
        next((j for j, p in enumerate(paragraphs) if p.start <= s.start < p.end), -1)
        for s in sentences
    ]

    frames: list[tuple[str, float]] = []
    cues: list[_Cue | None] = []
    mask = _quote_mask(text, quotes)
    for span in sentences:
        frame, quoted = _frame(span, mask)
        cue = _find_cue(frame, span, resolver)
        if cue is not None:
            resolver.remember(cue.speaker, cue.is_person)
        frames.append((frame, quoted))
        cues.append(cue)

    sources = _quote_sources(sentences, cues, quotes, paragraph_of, paragraphs)
    attributions: list[Attribution] = []
    for i, span in enumerate(sentences):
        _, quoted = frames[i]
        cue = cues[i]
        touching = [
            q for q, quote in enumerate(quotes) if quote.start < span.end and span.start < quote.end
        ]
        speech = [q for q in touching if _is_speech(text, quotes[q]) or q in sources]
        if speech and ((cue is not None and cue.beside_quote) or quoted >= 0.5):
            source = (
                cue if cue is not None else next((sources[q] for q in speech if q in sources), None)
            )
            if source is not None:
                attributions.append(Attribution(source.speaker, DIRECT_QUOTE, source.cites))
            else:
                attributions.append(Attribution(None, DIRECT_QUOTE, None))
        elif cue is not None:
            attributions.append(Attribution(cue.speaker, REPORTED, cue.cites))
        else:
            attributions.append(Attribution(None, NARRATION, None))
    return attributions


def _is_speech(text: str, quote: Quote) -> bool:
    """Long enough to be speech rather than a scare quote ('wake-up call')."""
    return len(text[quote.start : quote.end].split()) >= 4
