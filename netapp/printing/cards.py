"""QR opt-in cards and "save my contact" cards: planning, drawing, recording batches.

The flow is ``plan_cards`` (reads and checks everything, writes nothing), then either
``render_cards`` (a preview, nothing recorded) or ``print_cards`` (new unique codes, the PDF
written next to its target, then the batch and its cards recorded in one transaction, then the
file moved into place). The batches are stored by :mod:`netapp.store.card_batches` (where
``lookup`` matches a code read back from a sign-up list to its batch and meeting).
"""

from __future__ import annotations

import io
import random
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote_plus, urlencode, urlsplit, urlunsplit

from netapp import card_codes as C
from netapp import fields as F
from netapp.domain import CardKind, Meeting, parse_enum
from netapp.errors import ValidationError
from netapp.files import check_output, output_file, write_output
from netapp.printing import fonts
from netapp.printing.layouts import MM, PRINTER_MARGIN, SAFE, Layout, Rect, get_layout
from netapp.printing.logo import Logo, draw_logo, load_logo
from netapp.printing.qr import QUIET_ZONE, BatchEncoder, Matrix, draw_qr, qr_matrix
from netapp.settings import MAX_OFFER

if TYPE_CHECKING:
    from netapp.store import Store

MAX_COUNT = 2000
MAX_URL = 1000
MIN_MODULE_MM = 0.5  # smaller modules stop reading reliably at arm's length
TRACKING_KEYS = ("utm_source", "utm_medium", "utm_campaign", "ref")
DEFAULT_ACCENT = "#2f6fb2"


@dataclass(frozen=True)
class CardPlan:
    """Everything needed to draw a batch, checked; nothing written yet."""

    kind: CardKind
    layout: Layout
    count: int
    name: str
    business: str
    offer: str
    url: str  # the opt-in URL before tracking parameters ('' for contact cards)
    campaign: str  # the campaign name, or '' for a meeting
    slug: str  # utm_campaign value
    meeting: Meeting | None
    offset_x_mm: float = 0.0
    offset_y_mm: float = 0.0
    contact: str = ""  # the vCard for contact cards
    contact_lines: tuple[str, ...] = field(default_factory=tuple)
    accent: str = DEFAULT_ACCENT  # '#rrggbb': the rule under the name and the arrow
    logo: Logo | None = None

    @property
    def accent_rgb(self) -> Any:
        from reportlab.lib.colors import HexColor

        return HexColor(self.accent)

    def warning(self) -> str:
        """One line naming characters that will be left out (no shipped font has them)."""
        return fonts.missing_warning(
            {
                "your name": self.name,
                "your business": self.business,
                "the offer": self.offer,
                "your contact lines": " ".join(self.contact_lines),
            }
        )

    def payload(self, code: str) -> str:
        """What the QR of the card with ``code`` encodes."""
        if self.kind == CardKind.CONTACT:
            return self.contact
        return tracking_url(self.url, self.slug, code)


@dataclass(frozen=True)
class BatchResult:
    batch_id: int
    codes: list[str]
    path: Path
    pages: int


# -- URLs and payloads ---------------------------------------------------------------------


def slugify(text: str, limit: int = 60) -> str:
    """ASCII slug (``BNI Downtown 2026-01-02`` → ``bni-downtown-2026-01-02``); '' if none."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")
    return slug[:limit].strip("-")


def campaign_slug(campaign: str = "", meeting: Meeting | None = None) -> str:
    """The ``utm_campaign`` value for a meeting or a named campaign."""
    if meeting is not None:
        base = slugify(meeting.name, 48) or f"meeting-{meeting.id}"
        return f"{base}-{meeting.date}"
    slug = slugify(campaign)
    if slug:
        return slug
    # A name with no Latin letters (e.g. all CJK): keep it, lower-cased, words joined by '-'.
    return "-".join(campaign.lower().split())[:60]


def validate_url(url: str, field: str = "url") -> str:
    """An absolute http(s) URL, with a non-ASCII host or path made ASCII; else ValidationError."""
    if not isinstance(url, str) or not url.strip():
        raise ValidationError(field, "is empty; set your opt-in URL (profile.optin_url) or --url")
    url = url.strip()
    if len(url) > MAX_URL:
        raise ValidationError(field, f"is {len(url)} characters long; the limit is {MAX_URL}")
    if any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in url):
        raise ValidationError(field, f"{url[:80]!r} contains spaces or control characters")
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError as exc:
        raise ValidationError(field, f"{url[:80]!r} is not a valid URL ({exc})") from None
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise ValidationError(
            field, f"{url[:80]!r} is not a web address; it must start with https:// or http://"
        )
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValidationError(field, f"{host!r} is not a valid host name") from None
    netloc = ascii_host if port is None else f"{ascii_host}:{port}"
    if parts.username or parts.password:
        raise ValidationError(field, "must not contain a user name or password")
    safe = "/%:@!$&'()*+,;=-._~"
    return urlunsplit(
        (
            parts.scheme.lower(),
            netloc,
            quote(parts.path, safe=safe),
            quote(parts.query, safe=safe + "?"),
            quote(parts.fragment, safe=safe + "?#"),
        )
    )


def tracking_url(url: str, slug: str, code: str) -> str:
    """``url`` plus ``utm_source=netapp&utm_medium=qr-card&utm_campaign=<slug>&ref=<code>``.

    Parameters the URL already has are kept verbatim, in order (any earlier values of these
    four keys are replaced); the fragment stays at the end.
    """
    parts = urlsplit(url)
    kept = [
        seg
        for seg in parts.query.split("&")
        if seg and unquote_plus(seg.split("=", 1)[0]) not in TRACKING_KEYS
    ]
    ours = urlencode(
        {"utm_source": "netapp", "utm_medium": "qr-card", "utm_campaign": slug, "ref": code},
        quote_via=quote,
    )
    query = "&".join([*kept, ours])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def _vcard_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def vcard(
    name: str, business: str = "", email: str = "", phone: str = "", website: str = ""
) -> str:
    """A vCard 3.0 for the "save my contact" QR (phones' cameras offer to add it)."""
    given, family = F.split_name(name)
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{_vcard_escape(family)};{_vcard_escape(given)};;;",
        f"FN:{_vcard_escape(name)}",
    ]
    if business:
        lines.append(f"ORG:{_vcard_escape(business)}")
    if phone:
        lines.append(f"TEL;TYPE=CELL:{_vcard_escape(phone)}")
    if email:
        lines.append(f"EMAIL:{_vcard_escape(email)}")
    if website:
        lines.append(f"URL:{_vcard_escape(website)}")
    lines.append("END:VCARD")
    return "\r\n".join(lines)


# -- planning --------------------------------------------------------------------------------


def _check_count(count: int) -> None:
    if isinstance(count, bool) or not isinstance(count, int):
        raise ValidationError("count", f"expected a whole number, got {count!r}")
    if count < 1:
        raise ValidationError("count", f"must be at least 1 (got {count})")
    if count > MAX_COUNT:
        raise ValidationError("count", f"is {count}; print at most {MAX_COUNT} cards per batch")


def _source(
    store: Store, meeting: int | str | None, campaign: str | None
) -> tuple[Meeting | None, str]:
    """The meeting the cards are for, or the campaign name."""
    if (meeting is None) == (campaign is None):
        raise ValidationError("meeting", "name either a meeting or a campaign (not both)")
    if meeting is not None:
        return store.meetings.get(meeting), ""  # NotFoundError names the meeting
    camp = F.clean_text("campaign", campaign)
    if not camp:
        raise ValidationError("campaign", "is empty")
    if len(camp) > 100:
        raise ValidationError("campaign", f"is {len(camp)} characters long; the limit is 100")
    return None, camp


def _contact_card(s: Any, name: str, business: str) -> tuple[str, tuple[str, ...]]:
    """The vCard a contact card's QR carries, and the contact lines printed on it."""
    email = F.clean_text("profile.email", s["profile.email"])
    phone = F.clean_text("profile.phone", s["profile.phone"])
    website = F.clean_text("profile.website", s["profile.website"])
    return vcard(name, business, email, phone, website), tuple(
        x for x in (phone, email, website) if x
    )


def plan_cards(
    store: Store,
    *,
    meeting: int | str | None = None,
    campaign: str | None = None,
    offer: str | None = None,
    layout: str | None = None,
    count: int = 10,
    kind: str = CardKind.OPTIN,
    url: str | None = None,
) -> CardPlan:
    """Check the request against the profile settings; raises a named error, writes nothing."""
    s = store.settings
    kind = parse_enum(CardKind, kind, "kind")
    lay = get_layout(layout or s["print.layout"])
    _check_count(count)
    meet, camp = _source(store, meeting, campaign)
    name = F.clean_text("profile.name", s["profile.name"])
    if not name:
        raise ValidationError("profile.name", "is empty; set your name in Settings first")
    business = F.clean_text("profile.business", s["profile.business"])
    the_offer = F.clean_text("offer", offer if offer is not None else s["profile.offer"])
    if len(the_offer) > MAX_OFFER:
        raise ValidationError(
            "offer", f"is {len(the_offer)} characters long; a card fits {MAX_OFFER}"
        )
    base_url, contact = "", ""
    contact_lines: tuple[str, ...] = ()
    if kind == CardKind.OPTIN:
        if not the_offer:
            raise ValidationError(
                "offer", "is empty; give an offer (e.g. 'Free e-book: …') or set profile.offer"
            )
        base_url = validate_url(url if url is not None else s["profile.optin_url"])
    else:
        contact, contact_lines = _contact_card(s, name, business)
    plan = CardPlan(
        kind=kind,
        layout=lay,
        count=count,
        name=name,
        business=business,
        offer=the_offer,
        url=base_url,
        campaign=camp,
        slug=campaign_slug(camp, meet),
        meeting=meet,
        offset_x_mm=float(s["print.offset_x_mm"]),
        offset_y_mm=float(s["print.offset_y_mm"]),
        contact=contact,
        contact_lines=contact_lines,
        accent=s["print.accent"],
        logo=load_logo(s["print.logo"]) if s["print.logo"] else None,
    )
    _check_module_size(plan)
    _check_offer_fits(plan)
    return plan


def _check_module_size(plan: CardPlan) -> None:
    sample = plan.payload(C.new_code())
    matrix, _, _ = qr_matrix(sample)
    r = plan.layout.slots()[0]
    _, _, side = _qr_block(plan, Rect(0, 0, r.w, r.h), len(matrix))
    module_mm = side / (len(matrix) + 2 * QUIET_ZONE) / MM
    if module_mm < MIN_MODULE_MM:
        what = "url" if plan.kind == CardKind.OPTIN else "profile"
        raise ValidationError(
            what,
            f"makes a QR code with {module_mm:.2f} mm modules on {plan.layout.key} cards, "
            f"too small for a phone at arm's length (needs {MIN_MODULE_MM} mm); "
            "use a shorter URL or a larger layout",
        )


def _check_offer_fits(plan: CardPlan) -> None:
    """The offer wraps into the room the card has for it at the smallest size, or the
    request is refused naming the offer (never printed cut short)."""
    if not plan.offer:
        return
    r = plan.layout.slots()[0]
    box = Rect(0, 0, r.w, r.h)
    crowd: list[str] = []
    if plan.layout.key == "a6":
        room = FLYER_OFFER_LINES
        fits = fonts.fits(plan.offer, r.w - 2 * FLYER_PAD, 10, room, bold=True)
    else:
        column = _column(plan, box, _sample_modules(plan))
        room = column.offer_lines
        fits = fonts.fits(
            plan.offer, column.width, MIN_TEXT, room, bold=plan.kind == CardKind.OPTIN
        )
        two_lines = (("name", column.name), ("business", column.business))
        crowd = [what for what, (lines, _) in two_lines if len(lines) > 1]
        crowd += ["logo"] if plan.logo is not None else []
        crowd += ["contact lines"] if plan.kind == CardKind.CONTACT else []
    if not fits:
        raise ValidationError("offer", _offer_too_long(plan.layout.key, room, crowd))


def _offer_too_long(layout: str, room: int, crowd: list[str]) -> str:
    """What to do about an offer that does not fit: the room it has, and what else takes the
    card's room (a two-line name or business, the logo, a contact card's lines)."""
    listed = ", ".join(crowd[:-1]) + " and " + crowd[-1] if len(crowd) > 1 else "".join(crowd)
    beside = f"beside your {listed} " if crowd else ""
    lines = f"{room} line{'' if room == 1 else 's'}"
    ways = ["shorten it"]
    own = [w for w in ("name", "business") if w in crowd]
    ways += [f"shorten your {' or '.join(own)}"] if own else []
    ways += ["leave the logo out"] if "logo" in crowd else []
    return (
        f"does not fit on {layout} cards: {beside}there is room for {lines} at "
        f"{MIN_TEXT:g} pt; {', '.join(ways)} or choose a larger layout"
    )


# -- drawing ---------------------------------------------------------------------------------

MIN_TEXT = 7.0  # points: the smallest text on a card (call to action, contact lines, offer)
URL_SIZE = 7.0
CODE_SIZE = 8.5
FLYER_PAD = 12 * MM
FLYER_OFFER_LINES = 7
# Under the QR: a gap, the short URL line and the code line, with the code's descent.
UNDER_QR = 1.5 + URL_SIZE * 0.95 + CODE_SIZE * 1.2 + CODE_SIZE * 0.3


def _sample_modules(plan: CardPlan) -> int:
    return len(
        qr_matrix(plan.payload(C.new_code()) if plan.kind == CardKind.OPTIN else plan.contact)[0]
    )


def _qr_block(plan: CardPlan, r: Rect, modules: int) -> tuple[float, float, float]:
    """The QR square, quiet zone included: ``(x, y, side)`` in PDF coordinates. Its dark
    modules keep SAFE from the card's top and right edges; the URL and code lines go under
    it, outside its quiet zone, and keep SAFE from the bottom edge."""
    under = UNDER_QR if plan.kind == CardKind.OPTIN else 0.0  # contact cards have no lines under it
    per = modules + 2 * QUIET_ZONE
    side = r.h - SAFE - under  # when the quiet zone alone is at least SAFE wide
    if QUIET_ZONE * side / per < SAFE:
        side = (r.h - 2 * SAFE - under) / (1 - QUIET_ZONE / per)
    side = min(side, r.w * 0.48)  # the name and offer keep half the card
    inset = max(0.0, SAFE - QUIET_ZONE * side / per)
    if not under:  # centred in the card's height
        return r.x + r.w - inset - side, r.y + (r.h - side) / 2, side
    return r.x + r.w - inset - side, r.y + r.h - inset - side, side


@dataclass(frozen=True)
class _Column:
    """The text column left of the QR: where each part goes (PDF coordinates)."""

    x: float
    width: float
    top: float  # the name's first baseline
    bottom: float  # the call to action's baseline
    name: tuple[list[str], float]
    business: tuple[list[str], float]
    offer_top: float  # the offer's first baseline
    offer_lines: int  # how many offer lines fit at MIN_TEXT


def _column(plan: CardPlan, r: Rect, modules: int) -> _Column:
    qx, _, _ = _qr_block(plan, r, modules)
    x = r.x + SAFE
    width = qx - x - 2
    top = r.y + r.h - SAFE - 12.5 * 0.75
    if plan.logo is not None:
        top -= _logo_size(plan, width)[1] + 2 * MM
    bottom = r.y + SAFE + 2.5  # the call to action's descenders stay clear of SAFE
    name = fonts.fit(plan.name, width, 12.5, 9, 2, bold=True)
    business = fonts.fit(plan.business, width, 8.5, MIN_TEXT, 2) if plan.business else ([], 0)
    y = top - len(name[0]) * name[1] * 1.15 - len(business[0]) * business[1] * 1.2
    offer_top = y - 11  # the accent rule sits in between
    reserved = MIN_TEXT * 1.6 if plan.kind == CardKind.OPTIN else MIN_TEXT * 1.6 + 3 * 9
    lines = int((offer_top - bottom - reserved) // (MIN_TEXT * 1.2)) + 1
    return _Column(x, width, top, bottom, name, business, offer_top, max(lines, 0))


LOGO_MAX_H = 9 * MM


def _logo_size(plan: CardPlan, width: float) -> tuple[float, float]:
    assert plan.logo is not None
    return plan.logo.fit(width * 0.7, LOGO_MAX_H)


def short_url(url: str) -> str:
    """The opt-in address as someone would type it: host and path, no scheme, no 'www.',
    no query (the card code goes on its own line)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return (host + parts.path).rstrip("/")


def _typed_url(plan: CardPlan, width: float) -> str:
    full = short_url(plan.url)
    if fonts.width(full, URL_SIZE) <= width:
        return full
    host = full.split("/", 1)[0]
    return fonts.ellipsize(host, width, URL_SIZE)


def _draw_card(
    c: Any, plan: CardPlan, r: Rect, matrix: Matrix, code: str, *, outline: bool
) -> None:
    if outline:
        c.saveState()
        c.setStrokeColorRGB(0.75, 0.75, 0.75)
        c.setLineWidth(0.4)
        c.setDash(2, 2)
        c.rect(r.x, r.y, r.w, r.h, stroke=1, fill=0)
        c.restoreState()
    if plan.layout.key == "a6":
        _draw_flyer(c, plan, r, matrix, code)
        return
    qx, qy, side = _qr_block(plan, r, len(matrix))
    draw_qr(c, matrix, qx, qy, side)
    if plan.kind == CardKind.OPTIN:
        _under_qr(c, plan, qx + side / 2, qy, side, code)
    col = _column(plan, r, len(matrix))
    # A right-to-left name (Arabic, Hebrew, ...) sets the column flush right, as a card printed
    # in that script is: logo, lines, rule and call to action end at the column's right edge.
    edge = _Edge(col.x, col.width, fonts.direction(plan.name))
    if plan.logo is not None:
        lw, lh = _logo_size(plan, col.width)
        draw_logo(c, plan.logo, edge.start(lw), r.y + r.h - SAFE - lh, lw, lh)
    y = _lines(c, edge, col.top, col.name, 1.15, plan.name, bold=True)
    y = _lines(c, edge, y, col.business, 1.2, plan.business)
    c.saveState()
    c.setStrokeColor(plan.accent_rgb)
    c.setLineWidth(1.2)
    rule = min(col.width, 40)
    c.line(edge.start(rule), y + 1, edge.start(rule) + rule, y + 1)
    c.restoreState()
    if plan.kind == CardKind.OPTIN:
        offer = fonts.fit(plan.offer, col.width, 10, MIN_TEXT, col.offer_lines, bold=True)
        _lines(c, edge, col.offer_top, offer, 1.2, plan.offer, bold=True)
        _call_to_action(c, plan, edge, col.bottom, "Scan the code to get it")
        return
    y = col.offer_top
    if plan.offer:
        offer = fonts.fit(plan.offer, col.width, 8, MIN_TEXT, col.offer_lines)
        y = _lines(c, edge, y, offer, 1.2, plan.offer) - 2
    for line in plan.contact_lines[:3]:
        fonts.draw(c, edge.at, y, fonts.ellipsize(line, col.width, 7.5), 7.5, align=edge.align)
        y -= 9
    _call_to_action(c, plan, edge, col.bottom, "Scan to save my contact")


@dataclass(frozen=True)
class _Edge:
    """Where a card's text column is set from: its left edge, or its right one when the card
    is right-to-left."""

    x: float
    width: float
    right: bool

    @property
    def at(self) -> float:
        return self.x + self.width if self.right else self.x

    @property
    def align(self) -> str:
        return "right" if self.right else "left"

    def start(self, w: float) -> float:
        """The left end of something ``w`` wide set from this edge."""
        return self.x + self.width - w if self.right else self.x


def _lines(
    c: Any,
    edge: _Edge,
    y: float,
    fitted: tuple[list[str], float],
    leading: float,
    text: str,
    *,
    bold: bool = False,
) -> float:
    """Draw wrapped lines from baseline ``y`` down, set from ``edge``; returns the next
    baseline."""
    lines, size = fitted
    rtl = fonts.direction(text)
    for line in lines:
        fonts.draw(c, edge.at, y, line, size, bold=bold, rtl=rtl, align=edge.align)
        y -= size * leading
    return y


def _under_qr(c: Any, plan: CardPlan, centre: float, qy: float, side: float, code: str) -> None:
    """The address to type and the card's code, under the QR's quiet zone."""
    y = qy - 1.5 - URL_SIZE * 0.75
    fonts.draw(c, centre, y, _typed_url(plan, side), URL_SIZE, align="center")
    if code:
        y -= CODE_SIZE * 1.2
        fonts.draw(c, centre, y, f"Code {C.display(code)}", CODE_SIZE, bold=True, align="center")


def _call_to_action(c: Any, plan: CardPlan, edge: _Edge, y: float, text: str) -> None:
    """The call to action and an arrow in the accent colour pointing at the QR."""
    size = MIN_TEXT + 0.5
    w = fonts.width(text, size, bold=True)
    arrow = fonts.width("→", size, bold=True)
    x = edge.start(w + 2 + arrow)
    fonts.draw(c, x, y, text, size, bold=True)
    c.saveState()
    c.setFillColor(plan.accent_rgb)
    fonts.draw(c, x + w + 2, y, "→", size, bold=True)
    c.restoreState()


def _draw_flyer(c: Any, plan: CardPlan, r: Rect, matrix: Matrix, code: str) -> None:
    pad = FLYER_PAD
    cx = r.x + r.w / 2
    width = r.w - 2 * pad
    y = r.y + r.h - pad - 14
    if plan.logo is not None:
        lw, lh = plan.logo.fit(width * 0.6, 16 * MM)
        draw_logo(c, plan.logo, cx - lw / 2, r.y + r.h - pad - lh, lw, lh)
        y -= lh + 3 * MM
    lines, size = fonts.fit(plan.name, width, 20, 11, 2, bold=True)
    for line in lines:
        fonts.draw(c, cx, y, line, size, bold=True, align="center", rtl=fonts.direction(plan.name))
        y -= size * 1.15
    if plan.business:
        lines, size = fonts.fit(plan.business, width, 12, 8, 2)
        for line in lines:
            fonts.draw(c, cx, y, line, size, align="center")
            y -= size * 1.2
    c.saveState()
    c.setStrokeColor(plan.accent_rgb)
    c.setLineWidth(1.5)
    c.line(cx - 20, y, cx + 20, y)
    c.restoreState()
    y -= 8 + 16 * 0.75  # the offer's first baseline, clear of the rule
    text = plan.offer if plan.kind == CardKind.OPTIN else (plan.offer or "Save my contact")
    lines, size = fonts.fit(text, width, 16, 10, FLYER_OFFER_LINES, bold=True)
    for line in lines:
        fonts.draw(c, cx, y, line, size, bold=True, align="center")
        y -= size * 1.2
    # Under the QR, outside its quiet zone: the call to action, the address, the code.
    below = 10 * 1.2 + 9 * 1.2 + (12 * 1.3 if code else 0)
    room = y - size - (r.y + pad + below)  # between the offer and the lines under the QR
    side = min(r.w * 0.62, room)
    qy = r.y + pad + below + (room - side) / 2
    draw_qr(c, matrix, cx - side / 2, qy, side)
    label = (
        "Scan with your phone camera" if plan.kind == CardKind.OPTIN else "Scan to save my contact"
    )
    ty = qy - 2 - 10 * 0.8
    fonts.draw(c, cx, ty, label, 10, align="center")
    if plan.kind == CardKind.OPTIN:
        ty -= 9 * 1.25
        fonts.draw(c, cx, ty, f"or visit {_typed_url(plan, width)}", 9, align="center")
    if code:
        ty -= 12 * 1.3
        fonts.draw(c, cx, ty, f"Code {C.display(code)}", 12, bold=True, align="center")


def _crop_marks(c: Any, layout: Layout, rects: list[Rect]) -> None:
    """Marks at every cut line, outside the cards, ending PRINTER_MARGIN from the paper's
    edge (shortened where the margin is narrow)."""
    gap = 2 * MM
    xs = sorted({round(v, 3) for r in rects for v in (r.x, r.x + r.w)})
    ys = sorted({round(v, 3) for r in rects for v in (r.y, r.y + r.h)})
    left, right, bottom, top = xs[0], xs[-1], ys[0], ys[-1]
    w, h = layout.page
    c.saveState()
    c.setLineWidth(0.3)
    c.setStrokeColorRGB(0, 0, 0)
    up = min(5 * MM, h - PRINTER_MARGIN - top - gap)
    down = min(5 * MM, bottom - PRINTER_MARGIN - gap)
    out_left = min(5 * MM, left - PRINTER_MARGIN - gap)
    out_right = min(5 * MM, w - PRINTER_MARGIN - right - gap)
    for x in xs:
        if up > 0:
            c.line(x, top + gap, x, top + gap + up)
        if down > 0:
            c.line(x, bottom - gap, x, bottom - gap - down)
    for y in ys:
        if out_left > 0:
            c.line(left - gap, y, left - gap - out_left, y)
        if out_right > 0:
            c.line(right + gap, y, right + gap + out_right, y)
    c.restoreState()


def _new_canvas(buf: io.BytesIO, layout: Layout, title: str) -> Any:
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(buf, pagesize=layout.page, pageCompression=1, invariant=1)
    c.setTitle(title)
    c.setAuthor("netapp")
    c.setCreator("netapp")
    return c


def render_cards(
    plan: CardPlan,
    codes: list[str] | None = None,
    *,
    outline: bool = False,
    pages: int | None = None,
    encoder: BatchEncoder | None = None,
) -> bytes:
    """The batch as a PDF. ``codes`` (one per card) are required for opt-in cards; a preview
    may pass sample codes and ``pages=1``. ``outline`` draws dashed card edges (previews)."""
    count = plan.count
    if plan.kind == CardKind.OPTIN and (codes is None or len(codes) != count):
        raise ValueError("render_cards needs one code per card")
    lay = plan.layout
    if pages is not None:
        count = min(count, pages * lay.per_page)
    encoder = encoder or BatchEncoder()
    contact_matrix = encoder.encode(plan.contact) if plan.kind == CardKind.CONTACT else None
    buf = io.BytesIO()
    c = _new_canvas(buf, lay, f"netapp cards: {plan.slug}")
    rects = lay.rects(plan.offset_x_mm, plan.offset_y_mm)
    for start in range(0, count, lay.per_page):
        on_page = min(lay.per_page, count - start)
        for i in range(on_page):
            code = codes[start + i] if plan.kind == CardKind.OPTIN and codes else ""
            matrix = contact_matrix or encoder.encode(plan.payload(code))
            _draw_card(c, plan, rects[i], matrix, code, outline=outline)
        if lay.crop_marks:
            _crop_marks(c, lay, rects)
        c.showPage()
    c.save()
    return buf.getvalue()


def sample_codes(n: int) -> list[str]:
    """Codes for a preview: valid-looking, never recorded, and the same every time (the
    same choices give the same preview; screenshots do not change from run to run)."""
    rand = random.Random("netapp sample codes").randrange  # noqa: S311 - not a secret
    return C.new_codes(n, lambda _codes: (), rand)  # distinct, as a batch's are


# -- recording ---------------------------------------------------------------------------------


def write_pdf(data: bytes, out: Path, *, database: Path) -> None:
    """Write ``data`` to ``out`` through :func:`netapp.files.write_output` (never over the
    database or a backup; a temporary file renamed into place; 0600)."""
    write_output(out, data, database=database)


def print_cards(store: Store, plan: CardPlan, out: Path, printed_at: str) -> BatchResult:
    """Make new unique codes, write the PDF to ``out`` and record the batch and its cards.

    The batch is recorded in one transaction only once the PDF is complete; the file is moved
    into place only after that commit, so a failure leaves neither a half file nor a batch
    without its cards.
    """
    check_output(out, database=store.path)
    codes: list[str] = []
    if plan.kind == CardKind.OPTIN:
        codes = C.new_codes(plan.count, store.card_batches.taken)
    data = render_cards(plan, codes or None)
    with output_file(out, database=store.path) as fh:
        fh.write(data)
        batch_id = store.card_batches.record(
            meeting_id=plan.meeting.id if plan.meeting else None,
            campaign=plan.campaign,
            offer=plan.offer,
            layout=plan.layout.key,
            kind=plan.kind,
            count=plan.count,
            url=plan.url,
            printed_at=printed_at,
            codes=codes,
        )
    return BatchResult(batch_id, codes, out, plan.layout.pages_for(plan.count))


# -- calibration -------------------------------------------------------------------------------


def calibration_page(layout_key: str, offset_x_mm: float = 0.0, offset_y_mm: float = 0.0) -> bytes:
    """A page that shows where the printer puts things, to find the print offset.

    Draws the layout's card outlines (with the current offset) and two measuring crosses
    whose centres should sit exactly 20 mm from the paper's left and top edges.
    """
    lay = get_layout(layout_key)
    buf = io.BytesIO()
    c = _new_canvas(buf, lay, f"netapp calibration: {lay.key}")
    w, h = lay.page
    dx, dy = offset_x_mm * MM, -offset_y_mm * MM
    c.saveState()
    c.setStrokeColorRGB(0.55, 0.55, 0.55)
    c.setLineWidth(0.5)
    c.setDash(3, 2)
    for r in lay.rects(offset_x_mm, offset_y_mm):  # within the printer's margin
        x0, y0 = max(r.x, PRINTER_MARGIN), max(r.y, PRINTER_MARGIN)
        x1, y1 = min(r.x + r.w, w - PRINTER_MARGIN), min(r.y + r.h, h - PRINTER_MARGIN)
        if x1 > x0 and y1 > y0:
            c.rect(x0, y0, x1 - x0, y1 - y0, stroke=1, fill=0)
    c.restoreState()
    c.setLineWidth(0.4)
    for cx, cy in ((20 * MM, h - 20 * MM), (w - 20 * MM, h - 20 * MM)):
        cx, cy = cx + dx, cy + dy
        c.line(cx - 8 * MM, cy, cx + 8 * MM, cy)
        c.line(cx, cy - 8 * MM, cx, cy + 8 * MM)
        c.circle(cx, cy, 3 * MM)
        for k in range(-5, 6):  # a 1 mm scale along both arms
            t = 1.5 * MM if k % 5 == 0 else 0.8 * MM
            c.line(cx + k * MM, cy - t, cx + k * MM, cy + t)
            c.line(cx - t, cy + k * MM, cx + t, cy + k * MM)
    size = 9 if lay.key != "a6" else 7
    x0 = 12 * MM + dx
    y = h - 40 * MM + dy
    lines = [
        f"Calibration page for {lay.name}",
        f"Current offset: x {offset_x_mm:+.1f} mm, y {offset_y_mm:+.1f} mm",
        "1. Print this page at 100 % (turn off 'fit to page').",
        "2. Measure from the paper's left edge to the centre of the left cross:",
        "    it should be 20 mm. If it is more, lower the x offset by the difference.",
        "3. Measure from the paper's top edge to the centre of the cross:",
        "    it should be 20 mm. If it is more, lower the y offset by the difference.",
        "4. Enter them as 'Print offset x (mm)' and 'Print offset y (mm)' in Settings →",
        "    Printing, and print this page again: the dashed outlines should match the cards.",
    ]
    placed: list[tuple[float, float, str, bool]] = []  # x, y, text, bold
    for line in lines:
        bold = line.startswith("Calibration")
        indent = 8.0 if line.startswith("    ") else 0.0
        for part in fonts.wrap(line, w - x0 - indent - 10 * MM, size, bold):
            placed.append((x0 + indent, y, part, bold))
            y -= size * 1.4
            indent = 8.0 if line[:1].isdigit() else indent
    # A white panel under the text, so the dashed card outlines do not run through it.
    pad = 2 * MM
    right = max(x + fonts.width(t, size, b) for x, _y, t, b in placed)
    top, bottom = placed[0][1] + size + pad, placed[-1][1] - size * 0.4 - pad
    c.saveState()
    c.setFillColorRGB(1, 1, 1)
    c.setStrokeColorRGB(0.55, 0.55, 0.55)
    c.setLineWidth(0.4)
    c.rect(x0 - pad, bottom, right - x0 + 2 * pad, top - bottom, stroke=1, fill=1)
    c.restoreState()
    for x, ty, text, bold in placed:
        fonts.draw(c, x, ty, text, size, bold=bold)
    c.showPage()
    c.save()
    return buf.getvalue()
