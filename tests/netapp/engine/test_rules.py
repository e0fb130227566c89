"""One test per rule of the Return-on-Trust engine, on hand-written histories."""

from __future__ import annotations

from netapp import engine
from netapp.domain import Stage
from netapp.engine.ladder import default_ladder, save_ladder
from tests.netapp.engine.helpers import Builder, d

AS_OF = d("2026-02-01")


def st(b: Builder, pid: int, on: str = "2026-02-01") -> engine.PersonStatus:
    return engine.status(b.store, pid, d(on))


# -- stages and flags -----------------------------------------------------------------


def test_stage_met_once_nothing_since(b: Builder) -> None:
    """Met once and nothing since is the `met` stage."""
    pid = b.person()
    b.meet(pid, "2026-01-20")
    s = st(b, pid)
    assert s.stage is Stage.MET
    assert s.repeat_contacts == 1


def test_stage_visibility_from_repeat_meetings(b: Builder) -> None:
    """Meeting at several meetings makes the relationship `visibility`."""
    pid = b.person()
    b.visible(pid)
    s = st(b, pid)
    assert s.stage is Stage.VISIBILITY
    assert "met at 2 meetings" in s.stage_reason


def test_stage_visibility_from_a_conversation_since(b: Builder) -> None:
    """Met once, then a conversation, is `visibility`."""
    pid = b.person()
    b.meet(pid, "2026-01-01")
    b.log(pid, "2026-01-03", "call")
    assert st(b, pid).stage is Stage.VISIBILITY


def test_stage_credibility_from_one_to_one(b: Builder) -> None:
    """A one-to-one on top of visibility is `credibility`."""
    pid = b.person()
    b.credible(pid)
    assert st(b, pid).stage is Stage.CREDIBILITY


def test_stage_credibility_from_accepted_small_ask(b: Builder) -> None:
    """An accepted small ask from someone who knows you is `credibility`; alone it is not.
    Principle 3 changed this test: visibility must be established *first*, so an ask they
    accepted before they knew you does not count once they do; the next one does."""
    pid = b.person()
    b.meet(pid, "2026-01-01")
    b.log(pid, "2026-01-02", "value-given")
    b.ask(pid, "2026-01-03", "read-article", "accepted")
    assert st(b, pid).stage is Stage.MET  # accepted, but they barely know you yet
    b.meet(pid, "2026-01-08")
    assert st(b, pid).stage is Stage.VISIBILITY  # they know you now; the proof came before
    b.ask(pid, "2026-01-20", "watch-video", "accepted")
    s = st(b, pid)
    assert s.stage is Stage.CREDIBILITY
    assert "credibility since 20 Jan 2026" in s.stage_reason
    assert "accepted your ask “Watch a short video” on 20 Jan 2026" in s.stage_reason


def test_stage_credibility_from_value_answered(b: Builder) -> None:
    """Value you gave that they answered (received and appreciated) is `credibility`."""
    pid = b.person()
    b.visible(pid)
    b.log(pid, "2026-01-10", "value-given")
    assert st(b, pid).stage is Stage.VISIBILITY
    b.log(pid, "2026-01-12", "email", note="Thanks, very useful")
    assert st(b, pid).stage is Stage.CREDIBILITY


def test_stage_profitability_and_customer_flag_from_business(b: Builder) -> None:
    """Business closed is `profitability` and sets the `customer` flag."""
    pid = b.person()
    b.credible(pid)
    b.log(pid, "2026-01-20", "business", amount=1200.0)
    s = st(b, pid)
    assert s.stage is Stage.PROFITABILITY
    assert s.flags == ["customer"]


def test_flag_advocate_from_referral_they_sent(b: Builder) -> None:
    """Someone who referred others to you is an `advocate`, at `profitability`; counted once."""
    pid = b.person()
    b.credible(pid)
    b.referral_from(pid, "2026-01-15")
    s = st(b, pid)
    assert "advocate" in s.flags
    assert s.stage is Stage.PROFITABILITY
    assert any("referred 1 person to you" in e for e in s.evidence)


def test_flag_opted_in_until_withdrawn(b: Builder) -> None:
    """`opted_in` holds while a consent is on file and not withdrawn."""
    pid = b.person()
    b.visible(pid)
    b.consent(pid, "2026-01-06")
    assert "opted_in" in st(b, pid).flags
    b.store.consents.withdraw(pid, "2026-01-20")
    assert "opted_in" not in st(b, pid).flags
    assert "opted_in" in st(b, pid, "2026-01-10").flags  # as it was before the withdrawal


# -- trust -----------------------------------------------------------------------------


def test_trust_more_positive_evidence_never_lowers(b: Builder) -> None:
    """Adding a one-to-one, value received and an accepted ask raises trust."""
    pid = b.person()
    b.visible(pid, "2026-01-25")
    before = st(b, pid).trust
    b.log(pid, "2026-01-10", "one-to-one")
    b.log(pid, "2026-01-11", "value-received")
    mid = st(b, pid).trust
    b.log(pid, "2026-01-12", "value-given")
    b.ask(pid, "2026-01-13", "read-article")
    after = st(b, pid).trust
    assert 0 < before < mid < after <= 100


def test_trust_one_to_one_weighs_more_than_sharing_a_room(b: Builder) -> None:
    """Depth: a one-to-one adds more trust than one more shared meeting."""
    a, c = b.person("Ann"), b.person("Cy")
    for pid in (a, c):
        b.meet(pid, "2026-01-01")
    b.meet(a, "2026-01-20")
    b.log(c, "2026-01-20", "one-to-one")
    assert st(b, c).trust > st(b, a).trust


def test_trust_time_without_contact_lowers_it_by_half_life(b: Builder) -> None:
    """Trust falls with time since the last touch, faster with a shorter half-life."""
    pid = b.person()
    b.credible(pid)
    t1, t2, t3 = (st(b, pid, day).trust for day in ("2026-01-10", "2026-04-10", "2026-12-10"))
    assert t1 > t2 > t3 > 0
    b.store.settings.set("trust.half_life_days", 30)
    assert st(b, pid, "2026-04-10").trust < t2


def test_trust_declined_ask_costs_less_when_ignored(b: Builder) -> None:
    """A declined ask lowers trust; an ignored one (a soft decline) lowers it less."""
    base, ign, dec = b.person("A"), b.person("B"), b.person("C")
    for pid in (base, ign, dec):
        b.credible(pid)
        b.log(pid, "2026-01-10", "call")
    b.ask(ign, "2026-01-10", "read-article", "ignored")
    b.ask(dec, "2026-01-10", "read-article", "declined")
    assert st(b, base).trust > st(b, ign).trust > st(b, dec).trust


# -- the ladder ------------------------------------------------------------------------


def test_ladder_ask_above_stage_is_blocked_with_reason(b: Builder) -> None:
    """At visibility a referral is premature: blocked, and the reason says so."""
    pid = b.person()
    b.visible(pid)
    s = st(b, pid)
    assert "download-ebook" in s.allowed_asks
    blocked = {x.ask: x.reason for x in s.blocked_asks}
    assert "premature" in blocked["referral"] and "visibility" in blocked["referral"]
    assert "read-article" in st(b, b.person("New"), "2026-02-01").allowed_asks


def test_ladder_email_optin_needs_value_given(b: Builder) -> None:
    """email-optin is blocked until at least one piece of value was given."""
    pid = b.person()
    b.visible(pid)
    assert "email-optin" not in st(b, pid).allowed_asks
    b.log(pid, "2026-01-10", "value-given")
    assert "email-optin" in st(b, pid).allowed_asks


def test_ladder_upsell_only_for_customer(b: Builder) -> None:
    """upsell, the value ladder, is only for a customer, once they have had the settle-in
    period to see the results (principle 5 changed this test: not the day after the sale)."""
    pid = b.person()
    b.credible(pid)
    assert "upsell" not in st(b, pid).allowed_asks
    b.log(pid, "2026-01-11", "business", amount=100.0)
    blocked = {x.ask: x.reason for x in st(b, pid).blocked_asks}
    assert "bought on 11 Jan 2026: let them see the results first" in blocked["upsell"]
    assert "upsell" in st(b, pid, "2026-02-10").allowed_asks


def test_ladder_edit_changes_recommendation_at_once(b: Builder) -> None:
    """Raising an ask's minimum stage in the user's ladder blocks it immediately."""
    pid = b.person()
    b.visible(pid)
    assert "download-ebook" in st(b, pid).allowed_asks
    ladder = default_ladder()
    for a in ladder:
        if a.id == "download-ebook":
            a.min_stage = Stage.CREDIBILITY
    save_ladder(b.store, ladder)
    assert "download-ebook" not in st(b, pid).allowed_asks


# -- timing ----------------------------------------------------------------------------


def test_timing_follow_up_new_contact_within_two_days(b: Builder) -> None:
    """A new contact met once with nothing since is followed up 2 days after meeting."""
    pid = b.person()
    b.meet(pid, "2026-01-30")
    step = st(b, pid).next_step
    assert (step.kind, step.due) == ("follow-up", d("2026-02-01"))
    assert "30 Jan 2026" in step.reason
    b.store.settings.set("followup.new_contact_days", 5)
    assert st(b, pid).next_step.due == d("2026-02-04")


def test_timing_cadence_by_stage_and_any_touch_resets_clock(b: Builder) -> None:
    """Keep in touch every N days by stage; a logged touch restarts the clock."""
    pid = b.person()
    b.credible(pid)
    b.log(pid, "2026-01-10", "value-given")
    b.ask(pid, "2026-01-11", "referral", "accepted")
    b.log(pid, "2026-01-12", "value-given")
    b.ask(pid, "2026-01-13", "purchase", "declined")
    b.log(pid, "2026-01-14", "value-given")
    step = st(b, pid).next_step
    assert step.kind == "keep-in-touch"
    assert step.due == d("2026-01-28")  # credibility: 14 days after the last touch
    b.log(pid, "2026-01-20", "message")
    assert st(b, pid).next_step.due == d("2026-02-03")
    b.store.settings.set("cadence.credibility", 7)
    assert st(b, pid).next_step.due == d("2026-01-27")


def test_timing_give_before_you_ask(b: Builder) -> None:
    """With no value given since the last ask, the next step is to give value, not to ask."""
    pid = b.person()
    b.visible(pid)
    first = st(b, pid).next_step
    assert first.kind == "give-value" and "give before you ask" in first.reason
    b.log(pid, "2026-01-06", "value-given")
    assert st(b, pid).next_step.kind == "ask"
    b.ask(pid, "2026-01-07", "download-ebook", "accepted")
    step = st(b, pid, "2026-02-10").next_step
    assert step.kind == "give-value"
    assert "nothing given since your last ask on 7 Jan 2026" in step.reason


def test_timing_value_given_long_ago_is_given_again_before_asking(b: Builder) -> None:
    """An ask rides on recent value: after 60 days without giving, give again first.
    Principle 10 changed this test: the ask left undone for two months, for someone who has
    not answered since, lapses into a reconnect; after their call the old gift is stale."""
    pid = b.person()
    b.visible(pid)
    b.log(pid, "2026-01-06", "value-given")
    assert st(b, pid, "2026-01-20").next_step.kind == "ask"
    stale = st(b, pid, "2026-03-07").next_step
    assert (stale.kind, stale.reconnect) == ("keep-in-touch", True)
    assert "the ask “Read an article” due on 6 Jan 2026 went stale" in stale.reason
    b.log(pid, "2026-03-10", "call")
    assert st(b, pid, "2026-03-07").next_step.reconnect  # as it was before the call
    step = st(b, pid, "2026-03-15").next_step
    assert step.kind == "give-value"
    assert "the value you gave on 6 Jan 2026 was 68 days ago" in step.reason


def test_timing_no_ask_within_cooldown(b: Builder) -> None:
    """No ask within 14 days of the previous ask: every ask is blocked, the next one waits."""
    pid = b.person()
    b.credible(pid)
    b.log(pid, "2026-01-11", "value-given")
    b.ask(pid, "2026-01-12", "download-ebook", "accepted")
    b.log(pid, "2026-01-13", "value-given")
    s = st(b, pid, "2026-01-20")
    assert s.allowed_asks == []
    assert "no ask before 26 Jan 2026" in s.blocked_asks[0].reason
    assert s.next_step.kind == "ask" and s.next_step.due is not None
    assert s.next_step.due >= d("2026-01-26")


def test_timing_wait_after_decline(b: Builder) -> None:
    """After a decline, no ask for 45 days."""
    pid = b.person()
    b.credible(pid)
    b.log(pid, "2026-01-11", "value-given")
    b.ask(pid, "2026-01-12", "free-sample", "declined")
    s = st(b, pid, "2026-02-20")  # past the 14-day cool-down, inside the 45 days
    assert s.allowed_asks == []
    assert any("wait until 26 Feb 2026" in x.reason for x in s.blocked_asks)
    assert "read-article" in st(b, pid, "2026-02-26").allowed_asks


def test_timing_never_repeat_declined_ask_type_within_90_days(b: Builder) -> None:
    """A declined ask type stays blocked for 90 days, others return after 45."""
    pid = b.person()
    b.credible(pid)
    b.ask(pid, "2026-01-12", "free-sample", "declined")
    s = st(b, pid, "2026-03-15")
    assert "read-article" in s.allowed_asks
    assert "free-sample" not in s.allowed_asks
    assert "free-sample" in st(b, pid, "2026-04-12").allowed_asks


def test_timing_ignored_ask_is_a_soft_decline(b: Builder) -> None:
    """An ignored ask starts the same waits as a decline."""
    pid = b.person()
    b.credible(pid)
    b.ask(pid, "2026-01-12", "free-sample", "ignored")
    s = st(b, pid, "2026-02-20")
    assert s.allowed_asks == []
    assert any("ignored your ask “Try a free sample”" in x.reason for x in s.blocked_asks)


def test_timing_referral_at_next_regular_group_meeting(b: Builder) -> None:
    """A referral ask is due at the next meeting of a group the person attends regularly."""
    gid = b.store.groups.add("Thursday Breakfast", "weekly", 3)
    pid = b.person()
    for day in ("2026-01-01", "2026-01-08", "2026-01-15", "2026-01-22"):
        b.meet(pid, day, group=gid, name="Thursday Breakfast")
    b.log(pid, "2026-01-23", "one-to-one")
    b.consent(pid, "2026-01-23")  # on the list already: the referral is the next rung
    b.log(pid, "2026-01-24", "value-given")
    s = st(b, pid, "2026-02-02")  # a Monday
    assert s.next_step.kind == "ask" and s.next_step.ask == "referral"
    assert s.next_step.due == d("2026-02-05")  # the next Thursday
    assert "Thursday Breakfast meeting on 5 Feb 2026" in s.next_step.reason


def test_timing_referral_falls_back_to_one_to_one_without_regular_group(b: Builder) -> None:
    """Without a group the person attends regularly, the referral is asked over a one-to-one."""
    pid = b.person()
    b.credible(pid)
    b.consent(pid, "2026-01-23")
    b.log(pid, "2026-01-24", "value-given")
    step = st(b, pid).next_step
    assert step.ask == "referral" and "over a one-to-one" in step.reason


def test_timing_email_optin_right_after_value_received(b: Builder) -> None:
    """When value was delivered and answered, the next ask is the email opt-in."""
    pid = b.person()
    b.visible(pid)
    b.log(pid, "2026-01-10", "value-given")
    b.log(pid, "2026-01-11", "email", note="Loved it")
    step = st(b, pid).next_step
    assert (step.kind, step.ask) == ("ask", "email-optin")
    assert "right after the value you gave on 10 Jan 2026" in step.reason


def test_timing_opted_in_never_asked_to_opt_in_again(b: Builder) -> None:
    """Someone already on the list is never asked to opt in again."""
    pid = b.person()
    b.visible(pid)
    b.log(pid, "2026-01-10", "value-given")
    b.log(pid, "2026-01-11", "email")
    b.consent(pid, "2026-01-11")
    s = st(b, pid)
    assert s.next_step.ask != "email-optin"
    assert "already on your email list" in {x.ask: x.reason for x in s.blocked_asks}["email-optin"]


def test_timing_withdrawn_consent_blocks_optin_until_new_consent(b: Builder) -> None:
    """A withdrawn consent blocks email-optin until the person opts in anew."""
    pid = b.person()
    b.visible(pid)
    b.log(pid, "2026-01-10", "value-given")
    b.consent(pid, "2026-01-11")
    b.store.consents.withdraw(pid, "2026-01-15")
    s = st(b, pid, "2026-06-01")
    assert (
        "withdrew consent on 15 Jan 2026"
        in {x.ask: x.reason for x in s.blocked_asks}["email-optin"]
    )
    b.consent(pid, "2026-05-01")
    assert "opted_in" in st(b, pid, "2026-06-01").flags


def test_timing_next_meeting_follows_recurrence(b: Builder) -> None:
    """Weekly, fortnightly (in step with the last meeting) and monthly (first weekday) dates."""
    from netapp.engine.history import load_context
    from netapp.engine.timing import next_meeting

    weekly = b.store.groups.add("W", "weekly", 3)
    fort = b.store.groups.add("F", "fortnightly", 2)
    monthly = b.store.groups.add("M", "monthly", 1)
    b.store.meetings.add("F", "2026-01-14", group_id=fort)  # a Wednesday
    groups = load_context(b.store, d("2026-02-02")).groups
    start = d("2026-02-02")
    assert next_meeting(groups[weekly], start) == d("2026-02-05")
    assert next_meeting(groups[fort], start) == d("2026-02-11")
    assert next_meeting(groups[monthly], start) == d("2026-02-03")  # first Tuesday of Feb
    assert next_meeting(groups[monthly], d("2026-02-04")) == d("2026-03-03")


# -- value over a year -------------------------------------------------------------------


def test_value_12m_business_plus_won_referrals_and_forecast(b: Builder) -> None:
    """Value over a year sums business and won referrals in the trailing 12 months."""
    pid = b.person()
    b.credible(pid)
    b.log(pid, "2025-01-15", "business", amount=999.0)  # older than 12 months
    b.log(pid, "2026-01-20", "business", amount=1000.0)
    rid = b.referral_from(pid, "2026-01-21", status="new", value=500.0)
    b.referral_from(pid, "2026-01-22", status="lost", value=700.0)
    s = st(b, pid)
    assert s.value_12m == 1000.0
    b.store.referrals.set_status(rid, "won")
    s = st(b, pid)
    assert s.value_12m == 1500.0
    assert 0 < s.forecast_12m <= 1500.0 * 1.5
    assert st(b, b.person("Nobody")).forecast_12m == 0.0


# -- the value library -------------------------------------------------------------------


def test_library_give_value_prefers_matching_tags_and_skips_received(b: Builder) -> None:
    """A give-value step names an unreceived item, tag matches first, an intro when dry."""
    from netapp.domain import LibraryItem

    plain = b.store.library.add(LibraryItem(title="General tips", kind="article"))
    legal = b.store.library.add(LibraryItem(title="GDPR guide", kind="ebook", tags=["legal"]))
    pid = b.person(tags=("legal",))
    b.visible(pid)
    step = st(b, pid).next_step
    assert (step.kind, step.item_id) == ("give-value", legal)
    assert "GDPR guide" in step.reason and "matches legal" in step.reason
    b.log(pid, "2026-01-10", "value-given", library_item_id=legal)
    b.ask(pid, "2026-01-11", "download-ebook", "accepted")
    assert st(b, pid).next_step.item_id == plain
    b.log(pid, "2026-01-12", "value-given", library_item_id=plain)
    b.ask(pid, "2026-01-13", "free-sample", "accepted")
    step = st(b, pid, "2026-02-10").next_step
    assert step.item_id is None and "introduction" in step.reason


def test_library_stats_count_accepted_asks_within_30_days(b: Builder) -> None:
    """Per item: times given, and times an accepted ask followed within 30 days."""
    from netapp.domain import LibraryItem

    item = b.store.library.add(LibraryItem(title="Pitch video", kind="video"))
    a, c = b.person("A"), b.person("C")
    b.log(a, "2026-01-01", "value-given", library_item_id=item)
    b.ask(a, "2026-01-20", "read-article", "accepted")
    b.log(c, "2026-01-01", "value-given", library_item_id=item)
    b.ask(c, "2026-03-01", "read-article", "accepted")  # too late to count
    (stats,) = engine.library_stats(b.store)
    assert (stats.item_id, stats.given, stats.followed_by_accept) == (item, 2, 1)
    assert stats.accept_rate == 0.5


def test_ladder_next_ask_is_the_lowest_rung_not_yet_climbed(b: Builder) -> None:
    """The next ask climbs the ladder in order: the e-book before the opt-in before a referral."""
    pid = b.person()
    b.credible(pid)  # a one-to-one: rungs below it are skipped
    b.log(pid, "2026-01-11", "value-given")
    assert st(b, pid).next_step.ask == "email-optin"
    b.ask(pid, "2026-01-12", "email-optin", "accepted")
    b.consent(pid, "2026-01-12")
    b.log(pid, "2026-01-13", "value-given")
    assert st(b, pid, "2026-01-26").next_step.ask == "referral"
    fresh = b.person("Fresh")
    b.visible(fresh)
    b.log(fresh, "2026-01-06", "value-given")
    assert st(b, fresh).next_step.ask == "read-article"


# -- proportionate follow-ups: lapse, dormancy, the capture's follow-up mark -------------


def test_timing_missed_follow_up_lapses_into_reconnect_after_met_cadence(b: Builder) -> None:
    """A follow-up more than the `met` cadence late becomes a lower-priority reconnect step."""
    pid = b.person()
    b.meet(pid, "2026-01-01")  # follow-up due 3 Jan; the met cadence is 30 days
    on_time = st(b, pid, "2026-02-02").next_step  # 30 days late: still a follow-up
    assert (on_time.kind, on_time.reconnect, on_time.overdue) == ("follow-up", False, True)
    step = st(b, pid, "2026-02-03").next_step  # 31 days late: lapsed
    assert (step.kind, step.reconnect, step.due, step.overdue) == (
        "keep-in-touch",
        True,
        d("2026-01-03"),
        True,
    )
    assert "lapsed" in step.reason and "reconnect" in step.reason
    assert step.priority > on_time.priority
    b.store.settings.set("cadence.met", 60)
    assert st(b, pid, "2026-02-03").next_step.kind == "follow-up"


def test_timing_met_once_and_silent_past_dormancy_window_is_dormant(b: Builder) -> None:
    """Met once and silent for longer than the dormancy window: dormant, off the agenda,
    and listed under the coming meeting of the group where you met them."""
    gid = b.store.groups.add("Thursday Breakfast", "weekly", 3)
    pid = b.person("Dora Mant")
    b.meet(pid, "2026-01-01", group=gid, name="Thursday Breakfast")
    assert not st(b, pid, "2026-06-30").next_step.dormant  # 180 days: not yet
    step = st(b, pid, "2026-07-06").next_step  # a Monday, 186 days on
    assert step.dormant and step.kind == "keep-in-touch"
    assert (step.due, step.group_id) == (d("2026-07-09"), gid)  # the next Thursday
    assert "dormant" in step.reason and "Thursday Breakfast meeting on 9 Jul 2026" in step.reason
    assert pid not in {s.person_id for s in engine.agenda(b.store, d("2026-07-06"), days=30)}
    meetings = engine.upcoming_meetings(b.store, d("2026-07-06"))
    assert [s.person_id for s in meetings[0].reconnect] == [pid]
    assert all(m.reconnect == [] for m in meetings[1:])
    b.store.settings.set("followup.dormant_days", 365)
    assert not st(b, pid, "2026-07-06").next_step.dormant


def test_timing_dormancy_needs_a_single_meeting_and_silence(b: Builder) -> None:
    """Met once with one email long ago is dormant; someone met at several meetings, at
    credibility, or in two-way contact lately is not. Principle 3 changed this test (a
    single one-to-one is the conversation that makes them visible, not also the proof of
    credibility), and principle 2 (a gift of yours with no answer does not end the silence)."""
    once = b.person("Once")
    b.meet(once, "2025-01-01")
    b.log(once, "2025-01-03", "email")  # visibility, then a year of silence
    assert st(b, once, "2026-02-01").next_step.dormant
    known = b.person("Known")
    b.visible(known, "2025-01-08")
    assert not st(b, known, "2026-02-01").next_step.dormant
    close = b.person("Close")
    b.meet(close, "2025-01-01")
    b.log(close, "2025-01-02", "email")
    b.log(close, "2025-01-03", "one-to-one")  # credibility
    assert not st(b, close, "2026-02-01").next_step.dormant
    recent = b.person("Recent")
    b.meet(recent, "2025-01-01")
    b.log(recent, "2026-01-20", "value-given")  # one-way: they are still silent
    assert st(b, recent, "2026-02-01").next_step.dormant
    b.log(recent, "2026-01-25", "call")  # they spoke: the clock restarts
    assert not st(b, recent, "2026-02-01").next_step.dormant


def test_timing_follow_up_mark_is_an_explicit_follow_up_at_latest_meeting(b: Builder) -> None:
    """The capture's `follow-up` tag asks for a follow-up dated at the latest meeting,
    whatever the stage, until you reach out after that meeting."""
    pid = b.person(tags=("follow-up",))
    b.credible(pid)  # a stage that would otherwise give value or ask
    b.meet(pid, "2026-01-20")
    b.log(pid, "2026-01-20", "value-given")  # given at the meeting itself
    step = st(b, pid).next_step
    assert (step.kind, step.due) == ("follow-up", d("2026-01-22"))
    assert "you marked them to follow up after 20 Jan 2026" in step.reason
    b.store.settings.set("followup.new_contact_days", 5)
    assert st(b, pid).next_step.due == d("2026-01-25")
    b.log(pid, "2026-01-23", "email")  # you followed up
    assert st(b, pid).next_step.kind != "follow-up"


def test_timing_capture_met_note_does_not_hide_the_new_contact_follow_up(b: Builder) -> None:
    """The `met` interaction the quick capture logs with a meeting is not contact since."""
    pid = b.person()
    mid = b.meet(pid, "2026-01-30")
    b.log(pid, "2026-01-30", "met", meeting_id=mid, note="Runs a bakery")
    step = st(b, pid).next_step
    assert (step.kind, step.due) == ("follow-up", d("2026-02-01"))


def test_agenda_reconnect_steps_come_after_every_genuine_step(b: Builder) -> None:
    """Lapsed follow-ups stay flagged overdue but sort after this week's steps."""
    lapsed = b.person("Lapsed")
    b.meet(lapsed, "2025-12-01")  # follow-up 60 days late
    fresh = b.person("Fresh")
    b.meet(fresh, "2026-01-31")  # follow-up due 2 Feb, within the week
    steps = engine.agenda(b.store, AS_OF, days=7)
    assert [s.person_id for s in steps] == [fresh, lapsed]
    assert steps[1].reconnect and steps[1].overdue and not steps[0].overdue
