"""Word lists for speaker attribution: data only, no logic.

Each list is a frozenset of lower-case words unless its name says Capitalised. The rules
that use them live in cues.py, people.py and resolve.py.
"""

from __future__ import annotations


def _words(spec: str) -> frozenset[str]:
    return frozenset(spec.split())


# Speech verbs in the forms that carry an attribution. Verbs of accusation and denial
# ("accused", "denied", "blamed", "claimed") are speech too: their subject is the claimant.
# Left out: "thought", "called", "posted" (more often participles: "the group thought to be
# behind"), and the bare "state", "report" and "counter", far more often nouns
# ("state television showed").
SPEECH_VERBS = _words(
    """
    say says said tell tells told write writes wrote states stated claim claims claimed
    argue argues argued add adds added warn warns warned slam slams slammed accuse accuses
    accused deny denies denied insist insists insisted explain explains explained note notes
    noted announce announces announced confirm confirms confirmed admit admits admitted assert
    asserts asserted allege alleges alleged suggest suggests suggested reports reported
    predict predicts predicted acknowledge acknowledges acknowledged contend contends contended
    maintain maintains maintained tweet tweets tweeted declare declares declared stress stresses
    stressed emphasised emphasized emphasises emphasizes urge urges urged reply replies replied
    respond responds responded conclude concludes concluded criticise criticises criticised
    criticize criticizes criticized blame blames blamed concede concedes conceded reveal reveals
    revealed testify testifies testified dismiss dismisses dismissed reject rejects rejected vow
    vows vowed promise promises promised pledge pledges pledged estimate estimates estimated
    believe believes believed counters countered dispute disputes disputed recall
    recalls recalled ask asks asked observe observes observed caution cautions cautioned
    fumed fumes disagree disagrees disagreed praise praises praised welcome welcomes welcomed
    condemn condemns condemned apologise apologises apologised apologize apologizes apologized
    thank thanks thanked expects forecasts reckon reckons reckoned dubbed dubs characterized
    characterised characterizes characterises describe describes described theorized theorised
    cite cites cited reasoned continued continues
    """
)
# Finite verbs that never sit inside a speaker's noun phrase: "Sleep data came from".
FINITE_VERBS = _words(
    "is are was were has have had did does came went made took gave got shrank rose fell grew "
    "saw knew began became left kept held brought include includes included drove paid sent "
    "spent bought sold"
)
# People named by what they do: "the actor, 38, told", "the 29-year-old actress said". With no
# role recorded for anyone, they mean the person just mentioned.
OCCUPATION_NOUNS = _words(
    """
    actor actress singer star player striker midfielder defender goalkeeper manager chef
    presenter host comedian rapper model designer artist musician dancer athlete driver pilot
    farmer father mother wife husband son daughter grandmother grandfather widow widower
    businessman businesswoman entrepreneur novelist writer poet footballer cricketer golfer
    boxer swimmer runner cyclist quarterback pitcher
    """
)
# Speech verbs that are as often something else ("recalled 50,000 sedans"): they attribute
# only before "that", "how", a colon or a quotation.
# Speech only before what was said ("that", "how", a colon, a quotation): "She continued:
# "...", but "recalled 50,000 sedans", "continued to fall".
AMBIGUOUS_SPEECH_VERBS = _words("recall recalls recalled continued continues")
# Two-word speech verbs: "has called for a permanent standard time".
# A speech verb in -s followed by one of these is a plural noun: "Recent reports have revealed",
# "Estimates suggest", "claims were rejected".
VERBS_AFTER_A_NOUN = _words(
    "have had are were show showed suggest suggested say said found reveal revealed"
)
PHRASAL_SPEECH_VERBS = ("called for", "calls for", "call for", "pointed out", "points out")
# Participles that end a source's noun phrase: "a study published in Science".
PARTICIPLES = _words(
    "published released conducted led carried commissioned funded issued seen obtained based "
    "compiled presented posted produced written"
)
# Verbs of finding: they attribute only for a study-like or research subject.
FINDING_VERBS = _words("found finds find showed shows show concluded")
# Subjects that "find" things: "A 2023 study found", "Researchers at IBM found".
REPORT_NOUNS = _words(
    """
    study studies report reports survey surveys poll polls analysis review audit research
    investigation inquiry paper census data trial experiment assessment evaluation figures
    statistics estimates
    """
)
# Documents whose author speaks through them: "a filing by the X", "analysis by the X".
DOCUMENT_NOUNS = _words(
    """
    filing filings analysis analyses report reports study studies survey surveys letter
    statement review audit paper submission complaint lawsuit poll polling research
    """
)
# Heads of organisations that are no company, for "the company said".
NOT_COMPANY_WORDS = _words(
    """
    Commission Department Ministry Agency Council Committee Office University Institute
    Association Police Court Government Authority Board Service Network Union Parliament
    Senate Congress House Administration Campaign Foundation Trust Charity Society Federation
    """
)
# Words after joint speakers: "Mandal and Grant both said".
JOINT_TAIL = _words("both together jointly")
# People who find things: they attribute only a finding followed by "that" ("Researchers at
# IBM found that"), since "the team found the samples" is narration.
RESEARCHER_NOUNS = _words(
    """
    researchers scientists team organisers organizers authors analysts economists
    investigators astronomers experts
    """
)

# Words that may sit between a subject and its verb ("North Korea has repeatedly denied").
AUXILIARIES = _words(
    "has have had will would could should may might must can did does do also again later "
    "then now still once previously recently reportedly publicly privately earlier already "
    "never not just first further separately meanwhile today yesterday tonight"
)
PASSIVE = _words("is are was were be been being")
NOT_ADVERBS = _words("family ally rally assembly supply monopoly anomaly italy july")

PRONOUNS_PERSON = _words("he she")
PRONOUNS_GROUP = _words("they it")
PRONOUNS_OTHER = _words("i we you this that these those there who which what")
PRONOUNS_ALL = PRONOUNS_PERSON | PRONOUNS_GROUP | PRONOUNS_OTHER | _words("one me us him her them")
DETERMINERS = _words("the a an this that these those its his her their our")
NUMBER_WORDS = _words("one two three four five six seven eight nine ten several some many")

# Capitalised words that start sentences or clauses but are never part of a name.
CAPITALISED_STOP = _words(
    "The A An This That These Those It Its He She They We I You His Her Their Our In On At "
    "According But And Or So If As When While After Before Since Although Though However "
    "Meanwhile Separately Also Yet Still Then There Here What Who Why How Where Which Last "
    "Earlier Later Both Many Some Most All Other Another Every Each No Not For From With By "
    "To Of Under Over Despite Following Amid Among Asked Speaking Writing Because Unless Until "
    "Whether Let Please Did Do Does Can Could Should Would Shall Might Must Is Are Was "
    "Were Have Has Had Now Well Yes Okay OK Thank Thanks Look Listen Just Even Only Rival "
    "Former"
)
# Before a pronoun or determiner they open a question or a request, not a subject: "Can you
# tell us", "Let me say" (but "Will Smith said" and "May said" are people).
NOT_SUBJECT_START = _words(
    "let please can could did do does should would will shall may might must is are was were "
    "have has had why how"
)
# Words that never sit inside a speaker's noun phrase (in news text): modals, "I", "you",
# "we" ("our correspondent" and "my colleague Jane Roe" can still speak).
NOT_IN_SUBJECT = _words("could would will can should might must shall may i me you your we us")
# A subject never ends with one of these: "Footage broadcast by", "officials in".
NOT_SUBJECT_END = _words(
    "by of for to in on at with from and or but as than that which who whose into onto about"
)
LEADING_DROP = _words(
    "in on at during after before since last earlier later meanwhile separately however also "
    "yet still then when while asked speaking writing but and so as"
)
# Letters after a name, set off by commas: "Tom Molomby, SC, said" is Tom Molomby speaking.
POST_NOMINALS = _words("qc kc sc mp msp mep obe mbe cbe jr jr. sr sr. phd md esq")
CLAUSE_WORDS = _words(
    "that which who whom whose because while when where if although though whether than "
    "but or so unless until since"
)
RELATIVE_PRONOUNS = _words("who whom whose which")
HONORIFICS = _words(
    "mr mrs ms mx dr prof sir dame lord lady rev fr sen rep gov gen col lt capt sgt det con "
    "supt insp cllr baroness baron"
)
PROXY_NOUNS = _words("spokesperson spokesman spokeswoman lawyer attorney representative aide")

# Nouns that name a role; they turn the words around a name into a role description.
ROLE_NOUNS = _words(
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
    auditor comptroller treasurer ombudsman statistician accountant engineer
    historian physician nurse teacher pastor priest councilman councilwoman councillor
    councilor alderman alderwoman assemblyman assemblywoman delegate trustee fellow
    meteorologist neurologist astrophysicist student whip undersecretary under-secretary
    """
)
# Heads of noun phrases that can say things even without a capitalised name.
SPEAKER_NOUNS = (
    ROLE_NOUNS
    | REPORT_NOUNS
    | RESEARCHER_NOUNS
    | _words(
        """
        officials authorities government administration ministry department agency company
        firm police investigators prosecutors lawyers experts analysts critics sources source
        spokespeople statement court committee council commission board union regulator
        regulators campaigners residents witnesses organisers organizers group groups party
        white house embassy military army navy spokesmen bank city county town state district
        office agencies companies firms charity organisation organization hospital university
        school campaign team airline retailer ministries diplomat diplomats insider insiders
        forecasters advocates tenants people person victim federation institute foundation
        trust thinktank think-tank watchdog democrats republicans historians cops order leaders senators
        release memo letter filing complaint lawsuit indictment ruling tank academy
        negotiators activists protesters demonstrators voters parents teachers doctors
        nurses workers traders investors lawmakers legislators senators ministers
        """
    )
)
# "sources familiar with the talks", "a person with knowledge of the plans".
ANONYMOUS_SOURCE_TAIL = (
    "familiar with|with knowledge of|close to|briefed on|who asked not to be named|"
    "speaking on condition of anonymity|with direct knowledge of"
)

ORG_WORDS = _words(
    """
    Rail Railway Railways Railroad Freight Transit Group Inc Inc. Corp Corp. Corporation Ltd Ltd. LLC Plc plc Co Co. Company Companies Bank
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
    Securities Foods Survey Palace Kremlin Pentagon Vatican High Academy Primary
    """
)
PLACES = _words(
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
    Manhattan Brooklyn Queens Bronx Staten Westminster Whitehall Brussels Budapest Essex
    Alabama Alaska Arkansas Colorado Connecticut Delaware Hawaii Idaho Illinois Iowa Kansas
    Kentucky Louisiana Maine Maryland Massachusetts Minnesota Mississippi Missouri Nebraska
    Nevada Hampshire Jersey Oklahoma Oregon Pennsylvania Rhode Tennessee Utah Vermont
    Wisconsin Wyoming
    """
)
CALENDAR = _words(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
    "June July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep "
    "Sept Oct Nov Dec Christmas Easter"
)

KNOWN_OUTLETS = _words(
    """
    reuters bloomberg politico axios bbc cnn npr pbs afp ap msnbc cnbc nbc abc cbs itv sky
    guardian economist atlantic vox wired vice buzzfeed huffpost slate salon forbes fortune
    time newsweek techcrunch verge engadget twitter facebook instagram linkedin youtube tiktok
    telegram substack threads bluesky mastodon medium reddit x wikinews
    """
)
OUTLET_HEADS = _words(
    """
    Journal Times Post News Herald Telegraph Tribune Gazette Guardian Review Magazine Radio
    Television TV Daily Press Chronicle Observer Independent Express Mail Wire Network Channel
    Today Insider Monitor Standard Star Mirror Economist Atlantic Sun Globe Record Register
    Bulletin Dispatch Examiner Inquirer Courier Week Weekly Online Podcast Show Programme
    Program Hour Broadcasting Agency Service Six Sports Sport Mag
    """
)

MALE_TITLES = _words(
    "mr sir lord king prince duke baron spokesman chairman congressman councilman assemblyman "
    "alderman businessman"
)
FEMALE_TITLES = _words(
    "mrs ms dame lady queen princess duchess baroness spokeswoman chairwoman congresswoman "
    "councilwoman assemblywoman alderwoman businesswoman"
)

# "Valeska Paris, an Australian woman,": nouns that make the name before them a person's even
# when no list holds the first name and the surname is a place; each says the gender.
FEMALE_PERSON_NOUNS = _words("woman girl mother grandmother daughter sister wife widow")
MALE_PERSON_NOUNS = _words("man boy father grandfather son brother husband widower")

# A capitalised run ending in one of these names a company: "Novalis Pharma", "Acme Inc".
COMPANY_ENDINGS = _words(
    "Inc Inc. Corp Corp. Corporation Ltd Ltd. LLC Plc plc Co Co. Company Group Holdings Pharma "
    "Pharmaceuticals Therapeutics Biotech Motors Airlines Airways Technologies Systems Labs "
    "Software Insurance Logistics Robotics Electronics Telecom Energy Bank Foods Water "
    "Securities Partners Capital Resources Industries Enterprises Brands Homes"
)
# Legal forms dropped from a company's name: "Novara Foods Inc." is "Novara Foods".
LEGAL_FORMS = _words("inc corp ltd llc plc co")
# Generic nouns that stand for the company named before: "the company said".
COMPANY_NOUNS = _words(
    "company firm group carrier airline bank retailer manufacturer drugmaker carmaker insurer "
    "lender startup chain conglomerate utility supplier developer publisher broadcaster "
    "chipmaker automaker miner grocer brewer operator producer maker giant platform "
    "streamer network outlet"
)
# Nouns that describe an organisation the paragraph has just named ("the UK chip designer",
# "the space agency", "the watchdog"): see resolve.described_organisation.
DESCRIPTION_NOUNS = _words(
    "agency regulator watchdog designer organisation organization body charity broadcaster "
    "ministry department authority"
)
# "The utility denied": with no company named before, the phrase itself speaks.
SPEAKER_NOUNS = SPEAKER_NOUNS | COMPANY_NOUNS
# Verbs after which a capitalised sentence subject is an organisation rather than a person
# when its first word is not a known first name: "Morgan Stanley plans to cut".
SUBJECT_VERBS = _words(
    "plans plan has have had will is are was were said says announced reported posted cut "
    "cuts agreed expects expected fell rose reported warned denied confirmed recalled recalls "
    "launched raised sold bought hired lost makes made shipped opened closed"
)

# A later noun that refers back to an earlier speaker with another head noun:
# "A source told Page Six ... the insider said".
REFERENCE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "insider": ("source",),
    "source": ("insider",),
    "thinktank": ("institute", "foundation", "fund", "trust"),
    "think-tank": ("institute", "foundation", "fund", "trust"),
    "watchdog": ("authority", "commission", "office", "regulator"),
    "regulator": ("authority", "commission", "office", "watchdog"),
}

# Nouns that describe an organisation in an apposition: "Healthwatch Bristol, the watchdog,".
ORGANISATION_NOUNS = _words(
    "watchdog regulator charity union thinktank think-tank agency body organisation organization "
    "association federation institute foundation nonprofit non-profit campaign coalition "
    "developer builder practice trust council authority"
)

# What "heard" evidence in court reporting: ", Bristol Crown Court heard."
HEARING_NOUNS = _words("court inquest tribunal jury hearing committee magistrates inquiry")
# Before a capitalised run these make it a place, not a person: "in Victoria Park".
PLACE_PREPOSITIONS = _words("in at near outside inside across through around")
# Leading words dropped from a group speaker: "two administration officials", "some
# literacy researchers" are "administration officials", "literacy researchers".
QUANTIFIERS = (NUMBER_WORDS - {"one"}) | _words("most all both few")  # "One victim" stays

# An introduction that makes an article a Q&A: "Wikinews interviewed ...", "X spoke with Y".
# "Bos and colleagues describe": the named lead speaks for these.
TEAM_NOUNS = ("colleagues", "co-authors", "coauthors", "collaborators", "team", "co-workers")

# "X tells Wikinews", "He now discusses his work with Wikinews": the subject is interviewed.
TELLS_OUTLET_VERBS = ("tells", "told", "talks to", "talked to")

INTERVIEW_VERBS = (
    "interviewed",
    "interviews",
    "spoke with",
    "spoke to",
    "talked with",
    "talked to",
    "sat down with",
)

# --- the parser rules (speakers extra): lemmas, as spaCy's lemmatizer gives them -----------
# Speech verbs for "parsed subject": the SPEECH_VERBS above as lemmas.
PARSED_SPEECH_LEMMAS = _words(
    """
    say tell write state claim argue add warn slam accuse deny insist explain note announce
    confirm admit assert allege suggest report predict acknowledge contend maintain tweet
    declare stress emphasise emphasize urge reply respond conclude criticise criticize blame
    concede reveal testify dismiss reject vow promise pledge estimate counter dispute ask
    observe caution fume disagree praise welcome condemn apologise apologize thank forecast
    reckon dub characterize characterise describe theorize theorise cite reason
    """
)
# Verbs that are speech only before what was said (a clause, a colon, a quotation).
PARSED_CLAUSE_ONLY_LEMMAS = _words("recall continue add describe ask")
# Finding verbs: speech only for a study, report or research subject ("the researchers found").
PARSED_FINDING_LEMMAS = _words("find show conclude suggest")
# Dependants of a subject's head that are not part of the speaker's name: relative clauses,
# participle phrases, asides, punctuation ("researchers, based at Penn State, said").
PARSED_DROP_DEPS = _words("relcl acl appos punct advcl parataxis dep")
# Parts of speech of a plain noun phrase: a subject with only these is no clause fragment.
PARSED_NOUN_PHRASE_POS = _words("DET ADJ NOUN NUM")
