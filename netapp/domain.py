"""Domain vocabulary and dataclasses shared by the store, the engine, import/export and the UI."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Stage(StrEnum):
    """Relationship stage on Ivan Misner's VCP model, plus ``met`` for a first encounter."""

    MET = "met"
    VISIBILITY = "visibility"
    CREDIBILITY = "credibility"
    PROFITABILITY = "profitability"

    @property
    def rank(self) -> int:
        return STAGE_ORDER.index(self)


STAGE_ORDER: tuple[Stage, ...] = (
    Stage.MET,
    Stage.VISIBILITY,
    Stage.CREDIBILITY,
    Stage.PROFITABILITY,
)


# The tag that marks someone to follow up on (capture sets it; the engine reads it).
FOLLOW_UP_TAG = "follow-up"


class CardLayout(StrEnum):
    """The card sheets netapp prints on (their geometry: ``netapp.printing.layouts``)."""

    AVERY_5371 = "avery-5371"
    AVERY_C32011 = "avery-c32011"
    A4 = "a4"
    LETTER = "letter"
    LETTER_US = "letter-us"
    A6 = "a6"


class Kind(StrEnum):
    """Kinds of interaction. The values are the command-line spellings."""

    MET = "met"  # met at a meeting (recorded with attendance)
    ONE_TO_ONE = "one-to-one"
    CALL = "call"
    EMAIL = "email"
    MESSAGE = "message"
    VALUE_GIVEN = "value-given"
    VALUE_RECEIVED = "value-received"
    ASK = "ask"
    REFERRAL_GIVEN = "referral-given"
    REFERRAL_RECEIVED = "referral-received"
    BUSINESS = "business"


# Kinds the command line's ``netapp log`` accepts (``met`` comes from meetings).
LOGGABLE_KINDS: tuple[Kind, ...] = tuple(k for k in Kind if k is not Kind.MET)
# Two-way conversations: they count as a touch and as a step beyond sharing a room.
CONVERSATION_KINDS: frozenset[Kind] = frozenset(
    {Kind.ONE_TO_ONE, Kind.CALL, Kind.EMAIL, Kind.MESSAGE}
)


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    PENDING = "pending"
    IGNORED = "ignored"


class ReferralStatus(StrEnum):
    NEW = "new"
    CONTACTED = "contacted"
    WON = "won"
    LOST = "lost"


class ConsentMethod(StrEnum):
    CARD = "card"
    PAPER = "paper"
    VERBAL = "verbal"
    WEB = "web"
    IMPORT = "import"


class Recurrence(StrEnum):
    NONE = "none"
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"


class LibraryKind(StrEnum):
    ARTICLE = "article"
    VIDEO = "video"
    EBOOK = "ebook"
    SAMPLE = "sample"
    TEMPLATE = "template"
    INTRO = "intro"


class ContactKind(StrEnum):
    """What a contact in People is: a person, or an organisation (a supplier, a venue, the
    chamber itself) whose display name is the organisation's name."""

    PERSON = "person"
    ORGANISATION = "organisation"


@dataclass
class Phone:
    """A phone number: ``number`` is E.164 (with ``;ext=N`` for an extension) when ``valid``,
    otherwise the text exactly as typed ("not normalised": its country is not certain)."""

    number: str
    label: str = ""
    valid: bool = True


@dataclass
class Email:
    address: str
    label: str = ""


@dataclass
class Person:
    """A person as stored. ``birthday`` is ``YYYY-MM-DD`` or ``--MM-DD`` when the year is unknown."""

    id: int | None = None
    uuid: str = ""
    display_name: str = ""
    given_name: str = ""
    family_name: str = ""
    org: str = ""
    department: str = ""
    title: str = ""
    emails: list[Email] = field(default_factory=list)
    phones: list[Phone] = field(default_factory=list)
    website: str = ""
    links: list[str] = field(default_factory=list)
    birthday: str = ""
    note: str = ""
    tags: list[str] = field(default_factory=list)
    photo: bytes | None = None
    photo_type: str = ""
    source: str = ""
    kind: ContactKind = ContactKind.PERSON
    created_at: str = ""
    updated_at: str = ""

    def to_json(self) -> dict[str, object]:
        """The interchange shape used by ``netapp person show --json``."""
        return {
            "id": self.id,
            "uuid": self.uuid,
            "display_name": self.display_name,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "org": self.org,
            "department": self.department,
            "title": self.title,
            "emails": [e.address for e in self.emails],
            "phones": [p.number for p in self.phones],
            "note": self.note,
            "birthday": self.birthday or None,
            "tags": list(self.tags),
        }


@dataclass
class Group:
    id: int | None = None
    uuid: str = ""
    name: str = ""
    recurrence: Recurrence = Recurrence.NONE
    weekday: int | None = None  # 0 = Monday
    venue: str = ""


@dataclass
class Meeting:
    id: int | None = None
    uuid: str = ""
    name: str = ""
    date: str = ""
    group_id: int | None = None
    venue: str = ""
    note: str = ""


@dataclass
class Interaction:
    id: int | None = None
    uuid: str = ""
    person_id: int = 0
    date: str = ""
    kind: Kind = Kind.CALL
    note: str = ""
    ask_type: str | None = None
    outcome: Outcome | None = None
    amount: float | None = None
    library_item_id: int | None = None
    meeting_id: int | None = None
    referral_id: int | None = None


@dataclass
class Referral:
    """``referrer`` introduced ``prospect`` to ``provider``. ``None`` means the user."""

    id: int | None = None
    uuid: str = ""
    referrer_id: int | None = None
    provider_id: int | None = None
    prospect_id: int | None = None
    prospect_name: str = ""
    status: ReferralStatus = ReferralStatus.NEW
    value: float | None = None
    prospect_agreed: bool = False
    date: str = ""
    note: str = ""
    updated_at: str = ""

    @property
    def direction(self) -> str:
        """``given`` when the user referred someone onwards, ``received`` when sent to the user."""
        return "given" if self.referrer_id is None else "received"


@dataclass
class Consent:
    id: int | None = None
    uuid: str = ""
    person_id: int = 0
    email: str = ""
    method: ConsentMethod = ConsentMethod.VERBAL
    obtained_at: str = ""
    meeting_id: int | None = None
    card_code: str = ""
    wording: str = ""
    source: str = ""
    withdrawn_at: str | None = None


@dataclass
class LibraryItem:
    id: int | None = None
    uuid: str = ""
    title: str = ""
    kind: LibraryKind = LibraryKind.ARTICLE
    url: str = ""
    description: str = ""
    tags: list[str] = field(default_factory=list)
    retired_at: str | None = None


@dataclass(frozen=True)
class CardBatch:
    """One printed batch of cards, as recorded in ``card_batches``."""

    id: int
    uuid: str
    meeting_id: int | None
    campaign: str
    offer: str
    layout: str
    kind: str
    count: int
    url: str
    printed_at: str
