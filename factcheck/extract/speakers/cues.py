"""Attribution cues in a sentence frame (quotations masked): an ordered list of rules.

Each cue rule looks for one way of saying who asserts a sentence and returns a Cue, or None:
- according_to:   "according to the Institute for Fiscal Studies"
- speech_verb:    "Smith said", "said Smith", '"...," says Mohit Jain', "the ministry denied"
- finding:        "A 2023 study found", "researchers at IBM found", "official figures show"
- quoted_label:   'called the ruling "a victory"', 'described it as "a fait accompli"'
The first rule with a cue wins. Subjects are resolved to speakers by resolve.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from factcheck.extract.sentences import Span
from factcheck.extract.speakers import words as w
from factcheck.extract.speakers.people import DATELINE, NAME_TOKEN
from factcheck.extract.speakers.quotes import MASK
from factcheck.extract.speakers.resolve import (
    ORGANIZATION,
    PERSON,
    Resolution,
    ResolverState,
    resolve,
)


@dataclass(frozen=True)
class Cue:
    speaker: str | None
    speaker_type: str | None
    cites: str | None
    beside_quote: bool  # attribution written next to a quotation: '"...," she said'
    rule: str


def _alternation(words: frozenset[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_PHRASAL = "|".join(p.replace(" ", r"\s+") for p in w.PHRASAL_SPEECH_VERBS)
_VERB = re.compile(rf"(?<![\w'’-])(?:{_PHRASAL}|{_alternation(w.SPEECH_VERBS)})(?![\w-])")
_FINDING = re.compile(rf"(?<![\w'’-])(?:{_alternation(w.FINDING_VERBS)})(?![\w-])")
_ACCORDING_TO = re.compile(r"(?<![\w-])according to\s+", re.IGNORECASE)
_QUOTED_LABEL = re.compile(
    r"(?<![\w'’-])(?:called|described|branded|dubbed|labelled|labeled)(?![\w-])"
)
_TIME_PHRASE = re.compile(
    r"(?:\b(?:on|last|this|next|late|early|earlier)\s+)?\b(?:monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday|week|month|year|weekend|night|morning|afternoon|evening)"
    r"(?:\s+(?:night|morning|afternoon|evening))?\s*$",
    re.IGNORECASE,
)
_CONTRACTION = re.compile(r"[’'](?:ll|ve|d|re|s|m)$")


# --- phrase helpers ------------------------------------------------------------------


def strip_trailing_modifiers(prefix: str) -> tuple[str, bool]:
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
        if lower in w.PASSIVE:
            passive = True
        elif not (
            # Capitalised, it is a name: "May said", "Will said".
            (lower in w.AUXILIARIES and not word[:1].isupper())
            or (word.islower() and lower.endswith("ly") and lower not in w.NOT_ADVERBS)
        ):
            return stripped, passive
        prefix = stripped[: match.start()]


def _is_aside(aside: list[str], before: str, closed: bool) -> bool:
    """An aside between a subject and its verb: 'Chen, 45, added', 'Alvarez, who voted
    against it, said', 'the Whip, speaking privately, described', and, closed by a comma,
    'the council, the first council to try it, says'."""
    if not closed:
        return False  # "Europa, which scientists believe": the subject follows the comma
    if len(aside) == 1 and (aside[0].isdigit() or aside[0].lower() in w.POST_NOMINALS):
        return True
    if aside and aside[0].lower() in w.RELATIVE_PRONOUNS:
        return True
    if closed and aside and aside[0].lower().endswith("ing") and len(aside) <= 4:
        return True
    if aside and aside[0].lower() in w.PARTICIPLES | {"based", "headquartered"} and len(aside) <= 8:
        return True  # "The researchers, based at Penn State, said"
    if closed and 2 <= len(aside) <= 4 and aside[0].lower() in ("for", "in", "on", "by", "at"):
        return True  # "Democrats, for their part, blamed"
    last_word = before.split()[-1] if before.split() else ""
    if (
        closed
        and 1 <= len(aside) <= 2
        and all(x in w.PLACES for x in aside)
        and last_word[:1].isupper()
    ):
        return True  # "Marcus Hale at the University of Reading, UK, says": where it is
    last_before = before.split()[-1] if before.split() else ""
    return bool(
        closed
        and aside
        and aside[0].lower() in ("the", "a", "an")
        and (last_before[:1].isupper() or last_before.lower() in w.SPEAKER_NOUNS)
        and last_before not in w.CALENDAR
        and not has_verb(aside)
    )


def has_verb(words: list[str]) -> bool:
    return any(x.lower() in w.SPEECH_VERBS for x in words)


_THOUSANDS = "\u066c"  # stands in for a comma between digits while clauses are cut


def subject_before(prefix: str) -> tuple[str, str]:
    """The noun phrase ending a verb's prefix, and the text before it (for appositives)."""
    # A trailing comma closes an appositive: "advisor to President Trump, Tom Bossert, told".
    closed = prefix.rstrip().endswith(",")
    # A thousands separator is no clause boundary: "a survey of 60,000 pupils by X".
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", _THOUSANDS, prefix.rstrip().removesuffix(",").rstrip())
    # An acronym in brackets after the subject: "The Office for Budget Responsibility (OBR)".
    text = re.sub(r"\s*\([A-Z][\w.&-]{0,11}\)$", "", text)
    boundary = max(text.rfind(c) for c in ",;:()—–[]" + MASK)
    while boundary > 0 and text[boundary] in ",(—–":
        before = text[:boundary].rstrip(" ,(—–")
        if text[boundary] != "," or not _is_aside(text[boundary + 1 :].split(), before, closed):
            break
        text = re.sub(r"\s*\([A-Z][\w.&-]{0,11}\)$", "", before)  # "Network (CCN), which ..."
        boundary = max(text.rfind(c) for c in ",;:()—–[]" + MASK)
    words = text[boundary + 1 :].split()
    # Stop at the last clause word: "officials believe that the ministry said", "shares rose
    # after the lender said".
    for index in range(len(words) - 1, -1, -1):
        if words[index].lower() in w.CLAUSE_WORDS | {"after", "before", "once"}:
            words = words[index + 1 :]
            break
    while words and (
        words[0].lower() in w.LEADING_DROP
        or words[0].rstrip(",").isdigit()
        or (words[0].rstrip(",") in w.CALENDAR and len(words) > 1)  # not "May said"
    ):
        words = words[1:]
    before = text[: boundary + 1] if boundary >= 0 else ""
    return " ".join(words).replace(_THOUSANDS, ","), before.replace(_THOUSANDS, ",")


def after_quote(prefix: str, sentence: str) -> bool:
    """True for '"...," Smith, the mayor,' before a verb: an attribution after a quotation.

    The quotation must end in a comma, ? or ! (news style when attribution follows) and only
    a short subject may stand between it and the verb.
    """
    closing = prefix.rfind(MASK)
    if closing < 1 or sentence[closing - 1] not in ",?!—–-…":
        return False
    tail = prefix[closing + 1 :].strip(" ,")
    words = [x.lower().strip(",") for x in tail.split()]
    return len(words) <= 12 and not any(x in w.CLAUSE_WORDS | {"and", "but"} for x in words)


def subject_after(suffix: str) -> str:
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
            and bare.lower() not in w.HONORIFICS
            and not re.fullmatch(r"[A-Z]|(?:[A-Z]\.)+[A-Z]", bare)  # "J.", "U.S."
        ):
            words[-1] = bare
            break
    for index, word in enumerate(words):
        lower = word.lower()
        if lower in w.CLAUSE_WORDS | {"in", "on", "at", "during", "to", "after", "before"}:
            words = words[:index]
            break
        if index and lower in w.PARTICIPLES:
            words = words[:index]  # "a study published in Science"
            break
    return " ".join(words)


def is_outlet(name: str, after_told: bool) -> bool:
    name = re.sub(r"^(?:the)\s+", "", name.strip(), flags=re.IGNORECASE)
    if not name or name in w.CALENDAR:
        return False
    last = name.split()[-1]
    if name.lower() in w.KNOWN_OUTLETS:
        return True
    if last in w.OUTLET_HEADS:
        return not (len(name.split()) == 1 and last in w.OUTLET_HEADS)
    # An unknown acronym after "told" is almost always a broadcaster: "told CNN".
    return after_told and name.isupper() and 2 <= len(name) <= 5 and name not in w.PLACES


_SELF_PUBLISHED = re.compile(
    r"\b(?:on|in|via)\s+((?:the|his|her|its|their|[\w-]+[’']s|the\s+[\w-]+[’']s)\s+"
    r"(?:(?:official|personal|own|company|corporate)\s+)?(?:blog|website|web\s?site|site|"
    r"podcast|newsletter|channel|page|account|(?:Twitter|X|Facebook|Instagram|LinkedIn|"
    r"YouTube|TikTok|Telegram)\s+(?:account|page|channel|feed)))\b"
)
_OUTLET_AFTER = re.compile(
    rf"\b(?:told|to|in|on|with|for|via|by)\s+(?:the\s+)?({NAME_TOKEN}(?:\s+(?:of\s+)?"
    rf"{NAME_TOKEN})*)"
)


def cites_in(clause: str) -> str | None:
    """The outlet or channel named in an attribution clause."""
    channel = _SELF_PUBLISHED.search(clause)
    for match in _OUTLET_AFTER.finditer(clause):
        if channel and channel.start() < match.start():
            break
        name = match.group(1)
        if is_outlet(name, match.group().lower().startswith("told")):
            return re.sub(r"^The\s+", "", name)
    return channel.group(1) if channel else None


# "Speaking to the BBC's Today programme, Mr Hunt said" / "In an interview with CNN, ...".
_LEAD_IN = re.compile(
    r"\s*(?:(?:speaking|talking|writing)\s+(?:to|with|in|on)|in\s+an?\s+(?:interview|op-ed|"
    r"column|post|podcast|appearance)\s+(?:with|to|in|on|for))\s+(?:the\s+)?([^,;:\ue000]{2,60}),",
    re.IGNORECASE,
)


def lead_in_cites(frame: str) -> str | None:
    """The outlet named in a sentence's opening phrase, when it names one."""
    match = _LEAD_IN.match(frame)
    if not match or not re.search(r"\b[A-Z]", match.group(1)):
        return None
    return match.group(1).strip()


# --- the cue rules -------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    frame: str  # the sentence, quotations masked
    span: Span
    state: ResolverState


CueRule = Callable[[Sentence], "Cue | None"]


def _cue(found: Resolution, cites: str | None, beside: bool, rule: str) -> Cue:
    return Cue(found.speaker, found.speaker_type, cites, beside, f"{rule}: {found.rule}")


def according_to(sentence: Sentence) -> Cue | None:
    """'according to X' names the source, wherever it stands in the sentence."""
    for match in _ACCORDING_TO.finditer(sentence.frame):
        rest = sentence.frame[match.end() :]
        phrase = subject_after(rest)
        # No comma after the source: "According to Rathbun the property was returned".
        named = re.match(r"((?:[A-Z][\w.’'-]*\s+)+?)(?:the|a|an|his|her|its|their)\s", phrase)
        if named:
            phrase = named.group(1).rstrip()
        # "researchers at the University of Cambridge": the institution belongs to the source.
        complement = re.match(
            rf"\s*(?:at|of|from|with)\s+(?:the\s+)?{NAME_TOKEN}(?:\s+(?:of|for|and|&)?\s*{NAME_TOKEN})*",
            rest[len(phrase) + (len(rest) - len(rest.lstrip())) :],
        )
        if phrase and complement and phrase.split()[-1].lower() in w.SPEAKER_NOUNS:
            phrase = phrase + complement.group().rstrip()
        found = resolve(phrase, sentence.span.start + match.start(), sentence.state)
        if found is None:
            continue
        outlet = phrase if is_outlet(phrase, False) else None
        cites = re.sub(r"^(?:the|The)\s+", "", outlet) if outlet else None
        return _cue(found, cites, False, "according to")
    return None


_FOLLOWING_VERB = "|".join(sorted(w.VERBS_AFTER_A_NOUN))


def _verb_is_not_speech(frame: str, start: int, end: int) -> bool:
    verb, suffix, before = frame[start:end], frame[end:], frame[:start]
    if verb in w.AMBIGUOUS_SPEECH_VERBS and not re.match(
        r"\s*(?:that\b|how\b|:|,?\s*\ue000)", suffix
    ):
        return True  # "recalled 50,000 sedans", "estimated at $5 billion"
    if verb in ("add", "adds", "added") and re.match(r"\s+(?:\$|£|€)?\d", suffix):
        return True  # "Towns added 27 points", "the index added 3%"
    if re.search(r"\bwhat\s+[^,.;:\ue000]{1,60}$", before, re.IGNORECASE):
        return True  # "Here's what the White House said": a heading, not an attribution
    if re.match(r"\s+by\b", suffix) or (verb == "accused" and re.match(r"\s+of\b", suffix)):
        return True  # passive: "was accused by", "accused of"
    if verb.endswith("s") and re.match(rf"\s+(?:{_FOLLOWING_VERB})\b", suffix):
        return True  # a plural noun with its own verb: "Recent reports have revealed"
    if re.search(r"(?<![\w-])to\s+$", before):
        return True  # an infinitive asserts nothing: "quick to respond", "declined to confirm"
    if re.search(r"(?:\bnot|\bnever|n[’']t)\s+(?:\w+ly\s+)?$", before, re.IGNORECASE):
        return True  # nor does a negated verb: "did not respond", "has never confirmed"
    # "has promised that before": the verb's object is a pronoun, not what was said.
    return bool(
        re.match(r"\s+(?:that|this|it)\s+(?:before|again|too|already)?\s*[.!?]?\s*$", suffix)
    )


_RELATIVE = re.compile(
    # "the schools minister, Tom Ridley, who said", "Harbour Outreach, a non-profit that says"
    r"^(.*?)((?-i:[A-Z])[\w.&’'-]*(?:\s+(?:(?:of|for|the|and|on|de)\s+)*(?-i:[A-Z])[\w.&’'-]*)*)"
    r"\s*(?:\([^()]{1,40}\))?,\s*(?:(?:an?|the)\s+[\w\s-]{1,40}?\s+)?(?:who|that|which)\s*$"
)


def relative_speaker(prefix: str, position: int, state: ResolverState) -> Resolution | None:
    """'it was the schools minister, Tom Ridley, who said', 'run by Harbour Outreach, a
    non-profit that says': the verb's subject is the relative pronoun, and the pronoun
    stands for the name just before its comma. A relative after a common noun ('the law,
    which says') names no one and finds nothing."""
    match = _RELATIVE.match(prefix.rstrip())
    if match is None:
        return None
    name = match.group(2)
    if name.split()[0].lower() in w.DETERMINERS | w.CALENDAR:
        return None
    return resolve(name, position, state, match.group(1))


def speech_verb(sentence: Sentence) -> Cue | None:
    """'Smith said', '"...," said Smith', ', says Mohit Jain', 'the ministry has denied'."""
    frame, span, state = sentence.frame, sentence.span, sentence.state
    for match in _VERB.finditer(frame):
        start, end = match.span()
        if _verb_is_not_speech(frame, start, end):
            continue
        prefix, passive = strip_trailing_modifiers(frame[:start])
        if passive:
            continue
        suffix = frame[end:]
        clause = frame[start:end] + re.split(r"\bthat\b|\ue000|;", suffix, maxsplit=1)[0]
        phrase, before_phrase = subject_before(prefix)
        beside = after_quote(prefix, span.text) or bool(
            # '"...," she said', 'said: "..."', 'told The Sun's TV Mag: "..."'
            re.match(r"\s*[:,]?\s*\ue000|[^\ue000.;]{0,60}:\s*\ue000", suffix)
        )
        position = span.start + start
        found: Resolution | None = None
        inverted = (re.search(r"(?:\ue000|,)\s*,?\s*$", prefix) or not prefix.strip()) and (
            frame[start:end] not in ("told", "tells", "tell")  # "told The Sun" names a listener
        )
        if phrase and not (inverted and phrase.lower() in w.LEADING_DROP):
            found = resolve(phrase, position, state, before_phrase)
        # Not "who had told Montalvo he would ...": telling someone is an event narrated.
        if found is None and not phrase and frame[start:end] not in ("told", "tells", "tell"):
            found = relative_speaker(prefix, position, state)
        if found is None and inverted:
            # Inverted: '"...," said Smith.' or '..., says Mohit Jain.'
            phrase = subject_after(suffix)
            found = resolve(phrase, position, state) if phrase else None
            clause = suffix[len(phrase) + 1 :] if phrase else clause
        if found is None:
            continue
        return _cue(found, cites_in(clause) or lead_in_cites(frame), beside, "speech verb")
    return None


def finding(sentence: Sentence) -> Cue | None:
    """'A 2023 study found', 'Researchers at IBM found', 'official figures show'."""
    frame = sentence.frame
    for match in _FINDING.finditer(frame):
        start, end = match.span()
        if _verb_is_not_speech(frame, start, end):
            continue
        prefix, passive = strip_trailing_modifiers(frame[:start])
        if passive:
            continue
        phrase, _ = subject_before(prefix)
        participles = "|".join(sorted(w.PARTICIPLES))
        head = re.split(rf"\s+(?:by|of|from|for|at|in|on|with|{participles})\b", phrase)[0].split()
        noun = head[-1].lower().strip(",.") if head else ""
        last = phrase.split()[-1].lower().strip(",.") if phrase.split() else ""
        # "found that", or "found in a survey last year that"
        that = re.match(r"(?:\s+(?:in|from)\s+[^,;.\ue000]{1,40}?)?\s+that\b", frame[end:])
        researchers = noun in w.RESEARCHER_NOUNS and that
        if last in w.REPORT_NOUNS:
            noun = last  # "The Bank of England's own survey"
        # "The National League of Cities found that ...": a named organisation's finding.
        organisation = that and head and head[-1][:1].isupper() and head[0].lower() == "the"
        if noun not in w.REPORT_NOUNS and not researchers and not organisation:
            continue
        found = resolve(phrase, sentence.span.start + start, sentence.state)
        if found is not None:
            return _cue(found, None, False, "finding")
    return None


def quoted_label(sentence: Sentence) -> Cue | None:
    """'X called the ruling "a victory"': a label in quotation marks is X's words."""
    frame = sentence.frame
    for match in _QUOTED_LABEL.finditer(frame):
        start, end = match.span()
        if MASK not in frame[end : end + 60]:
            continue
        prefix, passive = strip_trailing_modifiers(frame[:start])
        if passive:
            continue
        phrase, before_phrase = subject_before(prefix)
        found = resolve(phrase, sentence.span.start + start, sentence.state, before_phrase)
        if found is not None:
            return _cue(found, None, False, "quoted label")
    return None


_SAYING = re.compile(
    r",\s+(?:saying|adding|arguing|insisting|claiming|warning|blaming|citing|noting)\b"
)
_WITH_SAYING = re.compile(
    r"\bwith\s+((?:[\w'’-]+\s+){0,4}?[\w'’-]+)\s+(?:saying|warning|arguing|insisting|claiming|"
    r"stating|adding)\b"
)
_SPEAKING_TO = re.compile(
    r"\s+(?:speaking|talking|writing)\s+(?:to|on|in|after)\b[^:\ue000]{0,80}:\s*\ue000"
)


# A sentence subject with its description: a capitalised word, one to three lower-case
# words, then the name ("Danish container shipper Nordvik Line cut its forecast, saying").
_DESCRIBED_SUBJECT = re.compile(
    r"\s*([A-Z][\w.&'’-]*\s+((?:[a-z][\w-]*\s+){1,3})(?:[A-Z][\w.&'’-]*\s+){1,4})(?=[a-z])"
)
_NOT_AGENT_NOUNS = frozenset(
    "after under over other rather further either neither never ever whether later earlier".split()
)


def _describes_a_maker(lower: list[str]) -> bool:
    """'container shipper', 'chip designer', 'budget airline': the words end in a noun for
    what a company does, so the capitalised words after them are its name; 'agreed to buy'
    is a verb phrase and the name after it is its object."""
    last = lower[-1]
    if any(x in w.AUXILIARIES | w.SPEECH_VERBS | w.CLAUSE_WORDS or x.endswith("ed") for x in lower):
        return False
    if last in w.COMPANY_NOUNS | w.DESCRIPTION_NOUNS:
        return True
    return bool(re.fullmatch(r"[a-z]{3,}(?:er|or)", last)) and last not in _NOT_AGENT_NOUNS


def saying(sentence: Sentence) -> Cue | None:
    """'Novara cut its forecast, saying ...': the sentence's subject says it."""
    frame = sentence.frame
    match = _SAYING.search(frame)
    if not match:
        return None
    dateline = DATELINE.match(frame)
    if dateline:  # "HOUSTON, Dec 1 (Reuters) - Exxon Mobil agreed ..., saying"
        frame = frame[dateline.end() :]
    subject = re.match(r"\s*((?:[A-Z][\w.&'’-]*\s+){0,5}?)(?=[a-z])", frame)
    phrase = subject.group(1).strip() if subject else ""
    described = _DESCRIBED_SUBJECT.match(frame)
    if described and _describes_a_maker(described.group(2).split()):
        phrase = described.group(1).strip()  # "Danish container shipper Nordvik Line"
    if not phrase:
        phrase = " ".join(frame.split()[:3])
    found = resolve(phrase, sentence.span.start + match.start(), sentence.state)
    if found is None or found.speaker is None:
        return None
    return _cue(found, None, False, "saying")


def with_saying(sentence: Sentence) -> Cue | None:
    """'..., with negotiators warning a deal could slip': the negotiators."""
    match = _WITH_SAYING.search(sentence.frame)
    if not match:
        return None
    found = resolve(match.group(1), sentence.span.start + match.start(), sentence.state)
    return _cue(found, None, False, "with saying") if found is not None else None


def speaking_to(sentence: Sentence) -> Cue | None:
    """'Arsenal manager Mikel Arteta speaking to BBC Match of the Day: "..."'."""
    match = _SPEAKING_TO.search(sentence.frame)
    if not match:
        return None
    phrase, before_phrase = subject_before(sentence.frame[: match.start()])
    found = resolve(phrase, sentence.span.start + match.start(), sentence.state, before_phrase)
    if found is None:
        return None
    return _cue(found, lead_in_cites(sentence.frame[match.start() :]), True, "speaking to")


_TRAILING = re.compile(
    r",\s*([^,;:\ue000]{2,60}?)\s+(?:(?:have|has|had)\s+)?(?:said|says|told\s+[^,;:\ue000]{1,30}|"
    r"added|reported|report|estimated|warned|confirmed|announced|heard)(?:\s+(?:on\s+)?"
    r"[A-Z]?[a-z]+day|\s+in\s+a\s+statement|\s+in\s+(?:the\s+)?journal\s+[A-Z][\w&-]*"
    r"(?:\s+[A-Z][\w&-]*){0,3}|\s+(?:late|early)?\s*(?:on\s+)?\w+)?\s*[.!?]?\s*$"
)


def trailing_attribution(sentence: Sentence) -> Cue | None:
    """'Maricopa County has confirmed a case, health officials said Sunday.': the source at
    the end of the sentence, not the subject of its clause."""
    match = _TRAILING.search(sentence.frame)
    if not match or MASK in sentence.frame[: match.start()]:
        return None
    phrase = match.group(1)
    if not phrase.split():
        return None  # ",\t\t said": only white space before the verb
    if phrase.split()[0].lower() in w.CLAUSE_WORDS | (w.PRONOUNS_ALL - w.PRONOUNS_PERSON):
        return None
    heard = re.search(r"\sheard\b", match.group())
    if heard and phrase.split()[-1].lower() not in w.HEARING_NOUNS:
        return None  # only a court or an inquest "heard": "Bristol Crown Court heard"
    found = resolve(phrase, sentence.span.start + match.start(1), sentence.state)
    if found is None or found.speaker is None:
        return None
    return _cue(found, cites_in(match.group()), False, "trailing attribution")


# --- parser rules: only with the speakers extra (state.parsed set) ---------------------


def _subject_tokens(head: Any) -> list[Any]:
    """The subject's own words: its head with what modifies it, without relative clauses,
    participle phrases and asides; the contiguous run around the head."""
    dropped: set[int] = set()
    for child in head.children:
        joined = child.dep_ == "punct" and not child.whitespace_ and child.text in "-‐"
        if child.dep_ in w.PARSED_DROP_DEPS and not joined:  # "al-Amr" stays whole
            dropped.update(t.i for t in child.subtree)
    kept = {t.i for t in head.subtree} - dropped
    start = end = head.i
    while start - 1 in kept:
        start -= 1
    while end + 1 in kept:
        end += 1
    return [t for t in head.doc[start : end + 1]]


def _named_entity(head: Any, tokens: list[Any]) -> str | None:
    """A PERSON or ORG entity that holds the head, or a person in apposition: the name, not
    the description around it ("Lumen CEO Martina Kessler", "its vice-president, Prof Neil
    Castell")."""
    for child in head.children:
        if child.dep_ == "appos" and child.ent_type_ == "PERSON":
            entity = next((e for e in head.doc.ents if e.start <= child.i < e.end), None)
            if entity is not None:
                return str(entity.text)
    if head.ent_type_ in ("PERSON", "ORG"):
        entity = next((e for e in head.doc.ents if e.start <= head.i < e.end), None)
        if entity is not None and entity.start >= tokens[0].i and entity.end <= tokens[-1].i + 1:
            return str(entity.text)
    return None


def _noun_phrase(head: Any, tokens: list[Any]) -> Resolution | None:
    """A group the name rules do not know ("media", "Some individuals"): a plural noun with
    only determiners, adjectives and nouns before it, as written; never a clause fragment."""
    if head.tag_ != "NNS" or any(t.pos_ not in w.PARSED_NOUN_PHRASE_POS for t in tokens):
        return None
    words = [t.text for t in tokens]
    while words and words[0].lower() in w.DETERMINERS | w.QUANTIFIERS | {"some", "many"}:
        words = words[1:]
    if not words:
        return None
    return Resolution(" ".join(words), ORGANIZATION, "parsed noun phrase")


def _is_speech_token(token: Any, subject: Any) -> bool:
    lemma = token.lemma_.lower()
    if token.pos_ not in ("VERB", "AUX") or any(c.dep_ == "neg" for c in token.children):
        return False
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children):
        return False  # an infinitive asserts nothing: "declined to comment"
    # What was said: a clause ("said the plan failed"); an object only for verbs that take
    # their claim as one ("denied the allegations", "praised the staff").
    clause = any(c.dep_ in ("ccomp", "xcomp") for c in token.children)
    thing = any(c.dep_ == "dobj" for c in token.children)
    if lemma in w.PARSED_FINDING_LEMMAS:
        return clause and subject.lower_ in w.REPORT_NOUNS | w.SPEAKER_NOUNS
    if lemma in w.PARSED_SPEECH_LEMMAS:
        return clause or (thing and lemma not in w.PARSED_CLAUSE_ONLY_LEMMAS)
    return False


# Any form of a speech or finding verb: a sentence without one is never parsed (the parse
# is the slow part). Stems catch the regular forms ("rates", "reckoned"); the lists hold
# the irregular ones ("said", "told", "wrote", "found").
_SPEECH_FORM = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(
        sorted(
            {re.sub(r"(?:e|y)$", "", lemma) for lemma in w.PARSED_SPEECH_LEMMAS}
            | set(w.SPEECH_VERBS)
            | set(w.FINDING_VERBS)
            | {"shown"},
            key=len,
            reverse=True,
        )
    )
    + r")\w*",
    re.IGNORECASE,
)


def _parsed_cues(sentence: Sentence) -> list[Cue]:
    """Every speech verb's subject the parse finds outside quotations, as cues, in order."""
    parsed = sentence.state.parsed
    if parsed is None or not _SPEECH_FORM.search(sentence.frame):
        return []  # no speech verb's form outside quotations: nothing to parse for
    span, frame = sentence.span, sentence.frame
    found_cues: list[Cue] = []
    for token in parsed.tokens(span.start, span.end):
        offset = token.idx - span.start
        if not 0 <= offset < len(frame) or frame[offset] == MASK:
            continue
        subjects = [c for c in token.children if c.dep_ == "nsubj"]
        if not subjects or not _is_speech_token(token, subjects[0]):
            continue
        if _verb_is_not_speech(frame, offset, offset + len(token.text)):
            continue  # the same exclusions as speech_verb: "added 27 points", "what X said"
        head = subjects[0]
        if not 0 <= head.idx - span.start < len(frame) or frame[head.idx - span.start] == MASK:
            continue
        tokens = _subject_tokens(head)
        entity = _named_entity(head, tokens)
        phrase = entity or "".join(t.text_with_ws for t in tokens).strip()
        found = resolve(phrase, head.idx, sentence.state) or _noun_phrase(head, tokens)
        if found is None or found.speaker is None:
            continue
        if entity and head.ent_type_ == "PERSON" and entity != found.speaker in entity:
            # The parse keeps "Suleiman al-Amr" whole where the name list saw "Suleiman".
            found = Resolution(entity, PERSON, "entity")
        low = min(token.idx, tokens[0].idx) - span.start
        high = max(token.idx + len(token), tokens[-1].idx + len(tokens[-1])) - span.start
        beside = bool(
            re.search(r"\ue000[\s,]*$", frame[: max(low, 0)])
            or re.match(r"[\s,:]*\ue000", frame[high:])
        )
        rule = f"parsed subject: {found.rule}"
        found_cues.append(Cue(found.speaker, found.speaker_type, None, beside, rule))
    return found_cues


def parsed_subject(sentence: Sentence) -> Cue | None:
    """With the parser: the subject (nsubj) of a speech verb outside quotations, trimmed to a
    name, role or organisation; for sentences the rules above found no cue in ("But media
    have said", "the United Nations rates ...")."""
    found = _parsed_cues(sentence)
    return found[0] if found else None


CUE_RULES: list[CueRule] = [
    according_to,
    trailing_attribution,
    speech_verb,
    finding,
    quoted_label,
    speaking_to,
    saying,
    with_saying,
    parsed_subject,
]


def find_cue(frame: str, span: Span, state: ResolverState) -> Cue | None:
    """The first attribution cue the rules find in a sentence frame."""
    sentence = Sentence(frame, span, state)
    for rule in CUE_RULES:
        cue = rule(sentence)
        if cue is not None:
            return cue
    return None
