"""Build hand-written histories through real Store writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from netapp.domain import Consent, Interaction, Kind, Outcome, Person, Referral
from netapp.store import Store


@dataclass
class Builder:
    store: Store

    def person(self, name: str = "Ann Lee", tags: tuple[str, ...] = (), org: str = "") -> int:
        return self.store.people.add(Person(display_name=name, tags=list(tags), org=org))

    def meet(self, pid: int, day: str, group: int | None = None, name: str = "Breakfast") -> int:
        return self.store.meetings.add(name, day, group_id=group, attendee_ids=[pid])

    def log(self, pid: int, day: str, kind: str, **kw: object) -> int:
        if "outcome" in kw and kw["outcome"] is not None:
            kw["outcome"] = Outcome(str(kw["outcome"]))
        return self.store.interactions.add(
            Interaction(person_id=pid, date=day, kind=Kind(kind), **kw)
        )  # type: ignore[arg-type]

    def ask(self, pid: int, day: str, ask: str, outcome: str = "accepted") -> int:
        return self.log(pid, day, "ask", ask_type=ask, outcome=outcome)

    def consent(self, pid: int, day: str) -> int:
        return self.store.consents.add(Consent(person_id=pid, obtained_at=day, method="verbal"))

    def referral_from(
        self, pid: int, day: str, status: str = "new", value: float | None = None
    ) -> int:
        return self.store.referrals.add(
            Referral(referrer_id=pid, prospect_name="Pat Doe", date=day, status=status, value=value)  # type: ignore[arg-type]
        )

    def visible(self, pid: int, day: str = "2026-01-05") -> None:
        """Met twice: visibility."""
        self.meet(pid, "2026-01-01")
        self.meet(pid, day)

    def credible(self, pid: int) -> None:
        """Met twice and a one-to-one: credibility."""
        self.visible(pid)
        self.log(pid, "2026-01-10", "one-to-one")


def d(text: str) -> date:
    return date.fromisoformat(text)
