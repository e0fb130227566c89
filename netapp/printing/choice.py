"""What to print, as plain values, and the PDF for it: the Print page's choices, made into a
PDF by one function of a store, so that the app can build its preview on a worker thread's
own connection (a card preview takes about 0.4 s: font subsetting and QR codes) while the
page stays responsive.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from netapp.domain import CardKind
from netapp.errors import NetappError
from netapp.printing import cards, sheets
from netapp.store import Store


@dataclass(frozen=True)
class PrintChoice:
    """The choices of the Print page: ``kind`` is a CardKind value or ``followups``,
    ``agenda``, ``briefing``, ``calibration``; the rest only matter for the kinds that use
    them (a campaign replaces the meeting on cards)."""

    kind: str
    today: date
    meeting: int | None = None
    campaign: str = ""
    offer: str = ""
    layout: str = ""
    count: int = 10
    url: str = ""
    days: int = 7
    paper: str = "a4"

    def is_cards(self) -> bool:
        return self.kind in tuple(CardKind)


@dataclass(frozen=True)
class Printed:
    """A PDF and the one-line note of what it leaves out ("" when nothing)."""

    data: bytes
    warning: str = ""


def plan(store: Store, choice: PrintChoice) -> cards.CardPlan:
    """The card plan of a card choice (raises a NetappError naming the field at fault)."""
    campaign = choice.campaign.strip()
    return cards.plan_cards(
        store,
        meeting=None if campaign else choice.meeting,
        campaign=campaign or None,
        offer=choice.offer or None,
        layout=choice.layout,
        count=choice.count,
        kind=choice.kind,
        url=choice.url.strip() or None,
    )


def build_pdf(store: Store, choice: PrintChoice, *, preview: bool) -> Printed:
    """The PDF for ``choice``. A preview shows the first page of cards, with dashed edges and
    sample codes that are the same every time (same choices, same preview)."""
    if choice.is_cards():
        card_plan = plan(store, choice)
        codes = cards.sample_codes(card_plan.count) if choice.kind == CardKind.OPTIN else None
        data = cards.render_cards(card_plan, codes, outline=preview, pages=1 if preview else None)
        return Printed(data, card_plan.warning())
    if choice.kind == "calibration":
        s = store.settings
        page = cards.calibration_page(choice.layout, s["print.offset_x_mm"], s["print.offset_y_mm"])
        return Printed(page)
    today = choice.today
    if choice.kind == "agenda":
        sheet = sheets.followup_sheet(store, today, on=today, days=choice.days)
    elif choice.kind == "briefing":
        sheet = sheets.briefing_sheet(store, today, meeting=_meeting(choice))
    else:
        sheet = sheets.followup_sheet(store, today, meeting=_meeting(choice))
    return Printed(sheets.render_for(store, sheet, choice.paper), sheet.warning())


def _meeting(choice: PrintChoice) -> int:
    if choice.meeting is None:
        raise NetappError("record a meeting first: there is no meeting to print for")
    return choice.meeting
