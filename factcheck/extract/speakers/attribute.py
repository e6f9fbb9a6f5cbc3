"""Putting it together: each sentence's cue, each quotation's source, interview labels."""

from __future__ import annotations

import re
from dataclasses import dataclass

from factcheck.extract.sentences import Span, split_paragraphs
from factcheck.extract.speakers import words as w
from factcheck.extract.speakers.cues import Cue, find_cue
from factcheck.extract.speakers.names import FEMALE, MALE, first_name_gender, is_first_name
from factcheck.extract.speakers.parse import parse
from factcheck.extract.speakers.people import People, clean, collect_people, name_from_run
from factcheck.extract.speakers.quotes import Quote, find_quotes, frame, is_speech, quote_mask
from factcheck.extract.speakers.resolve import (
    PERSON,
    Resolution,
    ResolverState,
    remember,
)

DIRECT_QUOTE = "direct_quote"
REPORTED = "reported"
NARRATION = "narration"


@dataclass(frozen=True)
class Attribution:
    """Who asserts a sentence: kind is direct_quote, reported or narration.

    speaker_type is "person" or "organization" when there is a speaker; rule names the rules
    that found it ("speech verb: surname", "quote continues"), for measuring them.
    """

    speaker: str | None
    kind: str
    cites: str | None
    speaker_type: str | None = None
    rule: str | None = None


# --- interviews: "Q: ...", "A: ...", "Kim: ...", "Fortune: ..." ---------------------

_QA_LABEL = re.compile(r"([A-Z][\w.’'-]*(?:\s[A-Z][\w.’'-]*){0,2}):\s+\S")
_BYLINE = re.compile(
    r"(?:(?i:interview|interviewed|written|edited)\s+)?(?:by|BY|By)\s+"
    r"([A-Z][\w.’'-]+(?:\s[A-Z][\w.’'-]+){1,2})\b"
)
_LONE_NAME = re.compile(r"([A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+){1,2})")


def _byline_author(text: str, paragraphs: list[Span]) -> str | None:
    """The writer named in a byline above the article, if any: the interviewer of a Q&A."""
    for paragraph in paragraphs[:6]:
        line = paragraph.text.strip()
        match = _BYLINE.match(line) or _LONE_NAME.fullmatch(line)
        # A lone line is a writer's name only when it starts with a first name: a page's
        # button ("Save Article") has the same shape.
        if match and match.re is _LONE_NAME and not is_first_name(line.split()[0]):
            continue
        if match and len(line.split()) <= 8:
            return match.group(1).title() if match.group(1).isupper() else match.group(1)
    return None


_HOST_LINE = re.compile(
    r"([^\W\d_][^\W\d_ .’'-]*(?:[ .’'-]+[^\W\d_]+)*),\s*(?:HOST|ANCHOR|BYLINE):"
)


def _label_name(label: str) -> str:
    """'JANE DUFOUR' -> 'Jane Dufour': transcripts write speaker labels in capitals."""
    return label.title() if label.isupper() and len(label) > 1 else label


def _interview_speakers(
    text: str,
    sentences: list[Span],
    paragraph_of: list[int],
    paragraphs: list[Span],
    people: People,
) -> dict[int, Resolution]:
    """Speakers of Q&A and transcript paragraphs, by sentence index; empty for an article
    that is neither."""
    hosts = {
        index: _label_name(match.group(1))
        for index, span in enumerate(paragraphs)
        if (match := _HOST_LINE.fullmatch(span.text.strip()))
    }
    labelled: dict[int, str] = {}
    for index in sorted(set(paragraph_of)):
        match = _QA_LABEL.match(paragraphs[index].text) if index >= 0 else None
        if match:
            labelled[index] = clean(_label_name(match.group(1)))
    interviewer = _byline_author(text, paragraphs)

    def speaker_of(label: str) -> str | None:
        person = people.by_surname(label) or people.find(label)
        if person is not None:
            return person.name
        host = next((h for h in hosts.values() if h.split()[-1] == label or h == label), None)
        if host is not None:
            return host
        # A label of several words that names no one in the article ("DER SPIEGEL:") is
        # the outlet asking, as the label says; a surname or first name is the interviewer.
        if len(label.split()) >= 2 and not is_first_name(label.split()[0]):
            return label
        return label if label.istitle() and hosts else interviewer

    labels = list(labelled.values())
    named = [
        said
        for x in labels
        if x not in ("Q", "A") and (said := speaker_of(x)) not in (None, interviewer)
    ]
    question_answer = labels.count("Q") >= 1 and labels.count("A") >= 1
    if not question_answer and not any(named.count(x) >= 2 for x in named):
        return {}
    body_start = sentences[0].start if sentences else 0
    intro = [p for p in people.people if min(p.mentions, default=len(text)) >= body_start]
    interviewee = next((p.name for p in intro if p.name != interviewer), None)
    if interviewee is None:
        interviewee = _named_outside_body(text, sentences, interviewer)
    speakers: dict[int, Resolution] = {}
    current: Resolution | None = None
    first_label = min([*labelled, *hosts], default=len(paragraphs))
    for i, span in enumerate(sentences):
        number = paragraph_of[i]
        if number < first_label:
            continue
        host_above = [h for h in hosts if h < number]
        if host_above and not any(host_above[-1] < x <= number for x in labelled):
            current = Resolution(hosts[host_above[-1]], PERSON, "interview")
        if number in labelled and span.start == paragraphs[number].start:
            label = labelled[number]
            said = (
                interviewer if label == "Q" else interviewee if label == "A" else speaker_of(label)
            )
            current = Resolution(said, PERSON if said else None, "interview")
        if current is not None:
            speakers[i] = current
    return speakers


def _named_outside_body(text: str, sentences: list[Span], interviewer: str | None) -> str | None:
    """The first person a Q&A page names above its questions, when its text names nobody:
    the photo caption ('Morag Finlay at the north light. Photograph: ...') or the box under
    it that the furniture rules kept out of the sentences."""
    first_question = sentences[0].start if sentences else len(text)
    for match in _NAME_RUN.finditer(text[:first_question]):
        name = match.group(0)
        parts = name.split()
        if name == interviewer or "." in name or len(parts) > 3:
            continue
        # a first name the list knows, or two or three words none of which is a stop word
        # ("Morag Finlay"; not "The Observer")
        if first_name_gender(parts[0]) or not {clean(x) for x in parts} & w.CAPITALISED_STOP:
            return name
    return None


_INTERVIEWER = re.compile(
    r"([A-Z][\w.’'-]*(?:\s[A-Z][\w.’'-]*){0,3})\s+(?:has\s+|have\s+)?(?:"
    + "|".join(v.replace(" ", r"\s+") for v in w.INTERVIEW_VERBS)
    + r")\b"
)
_INTRO_PARAGRAPHS = 4
_INTRO_MAX = 7
_QUESTION_WORDS = 90
# "Biologist Nick Bos tells Wikinews about ...": the subject is the interviewee.
_TELLS_OUTLET = re.compile(
    r"([A-Z][\w.’'-]*(?:\s[A-Z][\w.’'-]*){1,3})\s+(?:"
    + "|".join(v.replace(" ", r"\s+") for v in w.TELLS_OUTLET_VERBS)
    + r")\s+(Wikinews|[A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+)?)\b"
)
_INTERVIEW_WITH = re.compile(r"\b[Ii]nterview\s+with\s+")
_NAME_RUN = re.compile(r"[A-Z][^\W\d_]+(?:\s[A-Z][^\W\d_.]*\.?)*\s[A-Z][^\W\d_’'-]+(?:-[A-Z]\w+)?")


# "How did you come to be involved with this discovery": a question that lost its mark.
_UNMARKED_QUESTION = re.compile(
    r"(?:How|What|Why|When|Where|Who|Which|Do|Does|Did|Is|Are|Can|Could|Would|Will|Have|Has)"
    r"\s[^.!?\"“”]{5,200}"
)


def _is_question_paragraph(paragraph: str) -> bool:
    """A question, or a short lead-in and a question; a long answer that ends in a
    rhetorical question ("... is there any reason why it should exist?") is no question."""
    if len(paragraph.split()) > _QUESTION_WORDS:
        return False
    return _is_question(paragraph) or bool(_UNMARKED_QUESTION.fullmatch(paragraph))


def _is_question(paragraph: str) -> bool:
    return paragraph.rstrip().rstrip("\"”'’").endswith("?")


def _party(clause: str, people: People, loose: bool = False) -> str | None:
    """The person a clause names: one the people pass knows, a name whose first word is a
    first name, or (loose: the object of "interviews", the subject of "tells Wikinews") any
    run of two or three capitalised words without an organisation word ("Marymegan Daly")."""
    runs = []
    for run in reversed(_NAME_RUN.findall(clause)):
        parsed = name_from_run(run)  # "Biologist Nick Bos" is Nick Bos
        runs.append(parsed[1] if parsed and len(parsed[1].split()) > 1 else run)
    for name in runs:
        person = people.find(name) or people.by_surname(name.split()[-1])
        if person is not None:
            # "Professor Chomsky" in the text, "Noam Chomsky" here: the fuller name.
            fuller = len(name.split()) > len(person.name.split()) and bool(_parses_as_name(name))
            return name if fuller else person.name
        if first_name_gender(name.split()[0]) in (MALE, FEMALE):
            return name
    for name in runs if loose else []:
        tokens = name.split()
        # "President of the International Brotherhood of Magicians" names no one.
        if 2 <= len(tokens) <= 3 and not any(clean(t) in w.ORG_WORDS for t in tokens):
            # nor does a nickname, in quotation marks or after "the" ("the 'Mets Poet'")
            if not re.search(rf"(?:\b(?:of|the)\s+|[\"“‘'])['‘\"“]?{re.escape(name)}", clause):
                return name
    return None


def _parses_as_name(name: str) -> bool:
    parsed = name_from_run(name)
    return parsed is not None and parsed[1] == name


def _clause_after(text: str, end: int) -> str:
    return re.split(r"[.,;:?!]|\s(?:about|on|for|at|ahead|before|after)\s", text[end:])[0]


def _interview_parties(intro: list[Span], people: People) -> tuple[str | None, str] | None:
    """(interviewer, interviewee) from the title and the first paragraphs: "Wikinews
    interviewed academic Simon Ličen about ...", "Wikinews interviews Marymegan Daly on ...",
    "Biologist Nick Bos tells Wikinews about ...", "Interview with ... Noam Chomsky". With
    "X sat down with Y" either may be the interviewee: the one another form names is."""
    pairs: list[tuple[str | None, str]] = []  # (interviewer, interviewee) as written
    named: list[str] = []  # interviewees a one-sided form gives
    for paragraph in intro:
        text = paragraph.text
        for match in _INTERVIEWER.finditer(text):
            interviewer = re.split(r"\.\s", match.group(1))[-1]
            loose = match.group(0).split()[-1].lower().startswith("interview")
            said = _party(_clause_after(text, match.end()), people, loose)
            if said is not None and said != interviewer:
                pairs.append((interviewer, said))
        for match in _TELLS_OUTLET.finditer(text):
            said = _party(match.group(1), people, loose=True)
            if said is not None:
                pairs.append((match.group(2), said))
        for match in _INTERVIEW_WITH.finditer(text):
            said = _party(_clause_after(text, match.end()), people, loose=True)
            if said is not None:
                named.append(said)
    for interviewer, said in pairs:
        if interviewer is not None and interviewer in named:
            return said, interviewer  # "Chomsky sat down with Michael Dranove"
        surname = interviewer.split()[-1] if interviewer else ""
        if any(n.split()[-1] == surname for n in named):
            return said, next(n for n in named if n.split()[-1] == surname)
    if pairs:
        return pairs[0]
    return (None, named[0]) if named else None


def _unlabelled_interview(
    sentences: list[Span],
    paragraph_of: list[int],
    paragraphs: list[Span],
    people: People,
) -> dict[int, Resolution]:
    """Speakers of a Q&A printed without labels: an introduction says who interviewed whom
    ("Wikinews interviewed ...", "X spoke with Y"), then question paragraphs (ending in "?")
    alternate with answers. Questions are the interviewer's, the rest the interviewee's."""
    numbers = sorted({n for n in paragraph_of if n >= 0})
    questions = [n for n in numbers if _is_question_paragraph(paragraphs[n].text)]
    # The introduction runs to the first question (a title, a date, a caption, a biography
    # and then "X sat down with Y"), within limits.
    intro_end = max(_INTRO_PARAGRAPHS, min(questions[0] if questions else 0, _INTRO_MAX))
    answered = [q for q in questions if q + 1 in numbers and q + 1 not in questions]
    found = (
        _interview_parties(paragraphs[:intro_end], people)
        or _qa_by_shape(paragraphs, questions, answered, people)
        or _qa_by_caption(paragraphs, questions, answered, people)
    )
    if found is None:
        return {}
    interviewer, interviewee = found
    if len(answered) < 2:
        return {}
    speakers: dict[int, Resolution] = {}
    for i, number in enumerate(paragraph_of):
        if number < questions[0]:
            continue
        if number in questions:
            speakers[i] = Resolution(
                interviewer, PERSON if interviewer else None, "interview without labels"
            )
        else:
            speakers[i] = Resolution(interviewee, PERSON, "interview without labels")
    return speakers


_ADDRESSED = re.compile(r"\byou(?:r|rs|rself)?\b", re.IGNORECASE)
_SHAPE_ANSWERED = 3


def _qa_by_shape(
    paragraphs: list[Span], questions: list[int], answered: list[int], people: People
) -> tuple[str | None, str] | None:
    """A Q&A no introduction names: at least three short questions each answered by the next
    paragraph, most of them addressed to "you", under a title that names a person ("Frank
    Messina: An Interview with ..."). The interviewee is that person; the interviewer stays
    unnamed, as the page does not say."""
    if len(answered) < _SHAPE_ANSWERED or not paragraphs:
        return None
    addressed = sum(1 for q in questions if _ADDRESSED.search(paragraphs[q].text))
    if addressed * 2 < len(questions):
        return None  # rhetorical questions in a story, an FAQ box
    said = _party(paragraphs[0].text, people, loose=True)
    if said is None:
        return None
    return _outlet_interviewer(paragraphs[: questions[0]], people), said


# A caption ends in its credit: "... in Arizona. Photo courtesy of the University of Arizona".
_CAPTION_CREDIT = re.compile(
    r"[.!?]\s+(?:photo|photograph|picture|image)s?\s*(?::|courtesy\b|by\b)", re.IGNORECASE
)
_CAPTION_QUESTION_WORDS = 30


def _qa_by_caption(
    paragraphs: list[Span], questions: list[int], answered: list[int], people: People
) -> tuple[str | None, str] | None:
    """A Q&A whose title names no one and whose interviewee only a photo caption above the
    first question names ("Astronomer Lydia Ferrante at the observatory. Photo courtesy of
    ..."): at least three short questions, each a paragraph of its own answered by the next.
    The interviewer is the outlet when the introduction says it spoke with someone."""
    if len(answered) < _SHAPE_ANSWERED:
        return None
    if any(len(paragraphs[q].text.split()) > _CAPTION_QUESTION_WORDS for q in questions):
        return None  # long questions are a story's rhetoric, not an interviewer's turns
    if _party(paragraphs[0].text, people, loose=True) is not None:
        return None  # a title that names someone is _qa_by_shape's
    for paragraph in paragraphs[1 : questions[0]]:
        caption = _CAPTION_CREDIT.search(paragraph.text)
        if caption is None:
            continue
        said = _party(paragraph.text[: caption.start()], people)
        if said is not None:
            return _outlet_interviewer(paragraphs[: questions[0]], people), said
    return None


def _outlet_interviewer(intro: list[Span], people: People) -> str | None:
    """'Desert Sky Monthly spoke with the observatory's director': the outlet that asks, when
    the subject of an interview verb in the introduction is no person."""
    for paragraph in intro:
        for match in _INTERVIEWER.finditer(paragraph.text):
            name = re.split(r"\.\s", match.group(1))[-1]
            if name.split()[0] in ("I", "We", "He", "She", "They", "It"):
                continue
            if people.find(name) is None and first_name_gender(name.split()[0]) is None:
                return name
    return None


# --- quotations and their sources ---------------------------------------------------


def _introduction(frame_text: str, people: People) -> Cue | None:
    """'Here's Kallum Pickering, chief economist at Peel Hunt:' introduces the next quote."""
    if not frame_text.rstrip().endswith(":"):
        return None
    found = [
        (match.start(), p.name)
        for p in people.people
        if (match := re.search(rf"\b{re.escape(p.name)}\b", frame_text))
    ]
    if not found:
        return None
    return Cue(min(found)[1], PERSON, None, False, "introduction")


def _quote_sources(
    sentences: list[Span],
    cues: list[Cue | None],
    intros: list[Cue | None],
    quotes: list[Quote],
    paragraph_of: list[int],
    paragraphs: list[Span],
) -> dict[int, Cue]:
    """The attribution each quotation takes, by index into quotes."""
    touched = [
        [i for i, s in enumerate(sentences) if s.start < quote.end and quote.start < s.end]
        for quote in quotes
    ]
    sources: dict[int, Cue] = {}

    def sentence_source(i: int) -> Cue | None:
        cue = cues[i]
        if cue is not None and cue.speaker is not None:
            return cue
        inside = [q for q, sents in enumerate(touched) if i in sents and q in sources]
        return sources[inside[-1]] if inside else intros[i]

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
        # A quotation that opens a paragraph continues the previous paragraph's speaker.
        opens = paragraph >= 0 and quote.start == paragraphs[paragraph].start
        if q not in sources and opens and first > 0 and paragraph_of[first - 1] == paragraph - 1:
            source = sentence_source(first - 1)
            if source is not None:
                sources[q] = source
    return sources


def attribute_speakers(text: str, sentences: list[Span]) -> list[Attribution]:
    """Attribute each sentence to a speaker (direct quote or reported) or to narration."""
    quotes = find_quotes(text)
    people = collect_people(text, sentences, quotes)
    paragraphs = split_paragraphs(text)
    state = ResolverState(people, [p.start for p in paragraphs], parsed=parse(text))
    paragraph_of = [
        next((j for j, p in enumerate(paragraphs) if p.start <= s.start < p.end), -1)
        for s in sentences
    ]

    frames: list[tuple[str, float]] = []
    cues: list[Cue | None] = []
    intros: list[Cue | None] = []
    mask = quote_mask(text, quotes)
    for span in sentences:
        framed, quoted = frame(span, mask)
        cue = find_cue(framed, span, state)
        if cue is not None:
            remember(
                state,
                Resolution(cue.speaker, cue.speaker_type, cue.rule.split(": ")[-1]),
                span.start,
            )
        frames.append((framed, quoted))
        cues.append(cue)
        intros.append(_introduction(framed, people))

    interview = _interview_speakers(
        text, sentences, paragraph_of, paragraphs, people
    ) or _unlabelled_interview(sentences, paragraph_of, paragraphs, people)
    sources = _quote_sources(sentences, cues, intros, quotes, paragraph_of, paragraphs)
    attributions: list[Attribution] = []
    for i, span in enumerate(sentences):
        _, quoted = frames[i]
        cue = cues[i]
        if i in interview:
            said = interview[i]
            attributions.append(
                Attribution(said.speaker, DIRECT_QUOTE, None, said.speaker_type, said.rule)
            )
            continue
        touching = [
            q for q, quote in enumerate(quotes) if quote.start < span.end and span.start < quote.end
        ]
        speech = [q for q in touching if is_speech(text, quotes[q]) or q in sources]
        if speech and ((cue is not None and cue.beside_quote) or quoted >= 0.5):
            own = cue is not None
            source = cue if own else next((sources[q] for q in speech if q in sources), None)
            if source is not None:
                rule = source.rule if own else "quote continues"
                attributions.append(
                    Attribution(
                        source.speaker, DIRECT_QUOTE, source.cites, source.speaker_type, rule
                    )
                )
            else:
                attributions.append(Attribution(None, DIRECT_QUOTE, None))
        elif cue is not None:
            attributions.append(
                Attribution(cue.speaker, REPORTED, cue.cites, cue.speaker_type, cue.rule)
            )
        else:
            attributions.append(Attribution(None, NARRATION, None))
    return attributions
