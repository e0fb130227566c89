"""Domain vocabulary and dataclasses shared by the store, the engine, import/export and the UI."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from netapp.errors import ValidationError

E = TypeVar("E", bound=StrEnum)


def parse_enum(enum: type[E], value: object, field: str) -> E:
    """``value`` as a member of ``enum`` (its value as written, or with other case and blanks
    around it), or a ValidationError naming ``field`` and listing the values allowed."""
    if isinstance(value, enum):
        return value
    text = str(value) if isinstance(value, str) else ""
    for candidate in (text, text.strip().casefold()):
        try:
            return enum(candidate)
        except ValueError:
            continue
    return _refuse(enum, value, field)


def _refuse(enum: type[StrEnum], value: object, field: str) -> Any:
    raise ValidationError(field, f"{value!r} is not one of {', '.join(m.value for m in enum)}")


def values(enum: type[StrEnum]) -> list[str]:
    """The values of ``enum``, in declared order (for a command line's ``choices=``)."""
    return [m.value for m in enum]


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


class CardKind(StrEnum):
    """What a printed batch of cards is: QR opt-in cards, or "save my contact" cards."""

    OPTIN = "optin"
    CONTACT = "contact"


class StepKind(StrEnum):
    """The kinds of next step the engine plans (``none``: nothing to do now)."""

    FOLLOW_UP = "follow-up"
    GIVE_VALUE = "give-value"
    ASK = "ask"
    KEEP_IN_TOUCH = "keep-in-touch"
    NONE = "none"


class Flag(StrEnum):
    """What a person's relationship is flagged with: the engine writes these into its cached
    status (``person_status.flags``), and the People page filters by them in SQL."""

    OPTED_IN = "opted_in"
    CUSTOMER = "customer"
    ADVOCATE = "advocate"
    OVERDUE = "overdue"  # the next step was due before today
    QUIET = "quiet"  # going quiet: no two-way contact for longer than the engine's window

    @property
    def label(self) -> str:
        return _FLAG_LABELS[self]


_FLAG_LABELS = {
    Flag.OPTED_IN: "Opted in",
    Flag.CUSTOMER: "Customer",
    Flag.ADVOCATE: "Advocate",
    Flag.OVERDUE: "Overdue",
    Flag.QUIET: "Going quiet",
}


class Topic(StrEnum):
    """What a committed write was about: the store tells its listeners (and the app's pages)
    ``(topic, person ids)`` after each commit."""

    PEOPLE = "people"
    MEETINGS = "meetings"
    INTERACTIONS = "interactions"
    REFERRALS = "referrals"
    CONSENTS = "consents"
    LIBRARY = "library"
    CARDS = "cards"
    CAPTURES = "captures"
    SNOOZES = "snoozes"
    NOTES = "notes"  # journal notes
    SYNC = "sync"  # the CardDAV account and its links
    SETTINGS = "settings"
    STATUS = "status"  # the engine's cached status was recomputed (the app's refresher)
    SETTINGS_UI = "settings-ui"  # a preference only the app's window shows


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


class AttendanceRole(StrEnum):
    """Why someone was at a meeting, for chapter figures (schema: attendance.role)."""

    MEMBER = "member"
    VISITOR = "visitor"  # brought_by: the member who invited them
    SUBSTITUTE = "substitute"  # brought_by: the member they stood in for


class SearchKind(StrEnum):
    """What search everywhere finds, in the order its groups are shown."""

    PERSON = "person"
    MEETING = "meeting"
    GROUP = "group"
    REFERRAL = "referral"
    LIBRARY = "library"
    NOTE = "note"
    INTERACTION = "interaction"


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


def _detail(
    label: str = "",
    *,
    csv: str = "",
    edit: bool = False,
    merge: bool = False,
    stored: str = "column",
    multiline: bool = False,
    default: Any = "",
    json: bool = False,
) -> Any:
    """One field of a person's details, with what each part of netapp needs to know of it:
    ``label`` (shown to the user), ``csv`` (the header of the CSV export; "" = not exported),
    ``edit`` (edited on the People page), ``merge`` (chosen field by field when merging),
    ``stored`` ("column" of ``people``, "json" in a column, "child" rows of their own table),
    ``json`` (in the ``person show --json`` shape)."""
    meta = {
        "label": label,
        "csv": csv,
        "edit": edit,
        "merge": merge,
        "stored": stored,
        "multiline": multiline,
        "json": json,
    }
    if isinstance(default, list):
        return field(default_factory=list, metadata=meta)
    return field(default=default, metadata=meta)


@dataclass
class ContactDetails:
    """A person's details, declared once, in the order the CSV export lists them.

    The store builds its columns and row mapping from this declaration, and the CSV export,
    merging, the import's raw records and the People page read it (:func:`detail_fields`).
    """

    display_name: str = _detail("Name", csv="Name", edit=True, merge=True, json=True)
    given_name: str = _detail("First name", csv="First Name", merge=True, json=True)
    family_name: str = _detail("Last name", csv="Last Name", merge=True, json=True)
    org: str = _detail("Organisation", csv="Organisation", edit=True, merge=True, json=True)
    department: str = _detail("Department", csv="Department", merge=True, json=True)
    title: str = _detail("Title", csv="Title", edit=True, merge=True, json=True)
    emails: list[Email] = _detail(
        "Emails", csv="Emails", edit=True, stored="child", default=[], json=True
    )
    phones: list[Phone] = _detail(
        "Phones", csv="Phones", edit=True, stored="child", default=[], json=True
    )
    website: str = _detail("Website", csv="Website", edit=True, merge=True, json=True)
    links: list[str] = _detail(
        "Links", csv="Links", edit=True, stored="json", default=[], json=True
    )
    birthday: str = _detail("Birthday", csv="Birthday", edit=True, merge=True, json=True)
    tags: list[str] = _detail("Tags", csv="Tags", edit=True, stored="child", default=[], json=True)
    note: str = _detail("Note", csv="Note", edit=True, merge=True, multiline=True, json=True)
    remind_on: str = _detail("Remind me on", edit=True, json=True)
    photo: bytes | None = _detail("Photo", merge=True, default=None)
    photo_type: str = _detail("Photo type")
    source: str = _detail("Source")
    kind: ContactKind = _detail("Kind", csv="Kind", default=ContactKind.PERSON)


def detail_fields(**wanted: object) -> tuple[str, ...]:
    """Names of the person's details whose declaration has these values, in declared order:
    e.g. ``detail_fields(stored="column")``,
    ``detail_fields(merge=True)``, ``detail_fields(edit=True)``."""
    return tuple(
        f.name
        for f in fields(ContactDetails)
        if all(f.metadata[key] == value for key, value in wanted.items())
    )


def json_value(value: object) -> Any:
    """A value as JSON: an email its address, a phone its number, a date ISO, a record its
    ``to_json()``, a list item by item; anything else as it is."""
    if isinstance(value, Email):
        return value.address
    if isinstance(value, Phone):
        return value.number
    if isinstance(value, date):
        return value.isoformat()
    to_json = getattr(value, "to_json", None)
    if callable(to_json):
        return to_json()
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    return value


def json_fields(record: Any, names: Iterable[str] | None = None) -> dict[str, Any]:
    """A dataclass record as JSON, field by field in declared order (or only ``names``), so a
    record's JSON shape is read from its declaration instead of written out again."""
    if names is None:
        names = [f.name for f in fields(record)]
    return {name: json_value(getattr(record, name)) for name in names}


def detail(name: str, key: str) -> Any:
    """One part of a detail's declaration, e.g. ``detail("org", "label")``."""
    return ContactDetails.__dataclass_fields__[name].metadata[key]


def detail_text(value: object, name: str) -> str:
    """A detail as one line of text (lists joined), e.g. for a CSV cell."""
    if isinstance(value, list):
        sep = ", " if name == "tags" else "; "
        return sep.join(
            v.address if isinstance(v, Email) else v.number if isinstance(v, Phone) else str(v)
            for v in value
        )
    return "" if value is None else str(value)


@dataclass
class Person(ContactDetails):
    """A person as stored. ``birthday`` is ``YYYY-MM-DD`` or ``--MM-DD`` when the year is unknown."""

    id: int | None = None
    uuid: str = ""
    created_at: str = ""
    updated_at: str = ""

    def to_json(self) -> dict[str, object]:
        """The interchange shape used by ``netapp person show --json``: the id, the uuid and
        the details declared ``json=True``."""
        out = json_fields(self, ("id", "uuid", *detail_fields(json=True)))
        out["birthday"] = self.birthday or None
        out["remind_on"] = self.remind_on or None
        return out


@dataclass
class Note:
    """A dated journal note on a person ("talked about her daughter's exams")."""

    id: int | None = None
    uuid: str = ""
    person_id: int = 0
    date: str = ""
    text: str = ""
    created_at: str = ""
    updated_at: str = ""

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "person_id": self.person_id, "date": self.date, "text": self.text}


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
