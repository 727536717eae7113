"""Permission cases for every committee action (tests/actions/support.py): a database where
the action could succeed, a principal who may perform it (the body's secretary, a report
author, the member themself) and one who may not (a member who is not a secretary, or the
secretary of another body)."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlmodel import select

from s75.app import App
from tests.actions.support import Case, case
from tests.principals import FULL_COVER
from workflows.committee.call_in_actions import CallIn, MakeUrgent, ResolveCallIn
from workflows.committee.interest_actions import (
    DeclareInterest,
    GrantDispensation,
    RegisterInterest,
)
from workflows.committee.item_actions import (
    AcceptItem,
    AddItem,
    Decide,
    DeferItem,
    EditItem,
    PublishItem,
    RecordKeyDecision,
    ReorderItem,
    ReturnItem,
    RouteItem,
    SubmitItem,
    WithdrawItem,
)
from workflows.committee.meeting_actions import (
    AddAction,
    AddMeeting,
    ApproveMinutes,
    CancelMeeting,
    CloseAction,
    CorrectMinute,
    HoldMeeting,
    PublishMeeting,
    RecordAttendance,
    ScheduleMeetings,
    SignMinutes,
    WriteMinute,
)
from workflows.committee.tables import AgendaItemRow

APRIL = (date(2019, 4, 1), date(2019, 4, 30))
QUARTER = (date(2019, 4, 1), date(2019, 6, 30))
COUNCIL = ("leader", "exec_adults", "exec_children", "dass", "dph", "s151")
CCG = ("ccg_chair", "accountable_officer", "cfo", "gp_director_1")
CABINET = ("leader", "exec_adults", "exec_children", "exec_resources")


def meetings(app: App, body: str, span: tuple[date, date] = APRIL) -> list[int]:
    """Schedule ``body``'s meetings in ``span`` (as the operator); their ids."""
    return app.perform(ScheduleMeetings(body, *span),
                       lambda _uow, rows: [m.id for m in rows if m.id is not None])


def item(app: App, meeting: int, state: str = "draft") -> int:
    """An item 'Winter beds' on ``meeting``, taken as far as ``state``."""
    iid = app.perform(AddItem(meeting, "Winter beds", cover=FULL_COVER),
                      lambda _uow, i: i.id)
    assert iid is not None
    steps = ("submitted", "accepted", "published")
    if state in steps:
        app.perform(SubmitItem(iid, submitted_on=date(2019, 3, 20)))
    if state in steps[1:]:
        app.perform(AcceptItem(iid))
    if state == "published":
        app.perform(PublishItem(iid, published_on=date(2019, 4, 1)))
    return iid


# Meetings ----------------------------------------------------------------------------------
@case("meeting schedule")
def _schedule(app: App) -> Case:
    return Case(ScheduleMeetings("ccg_board", *APRIL), "board_secretary", "cfo")


@case("meeting add")
def _add(app: App) -> Case:
    return Case(AddMeeting("ccg_board", date(2019, 5, 15), time(14, 0)), "board_secretary",
                "ccg_chair")


@case("meeting cancel")
def _cancel(app: App) -> Case:
    m = meetings(app, "jcc")[0]
    return Case(CancelMeeting(m, "Not quorate"), "democratic_services", "board_secretary")


@case("meeting hold")
def _hold(app: App) -> Case:
    m = meetings(app, "ccg_board")[0]
    return Case(HoldMeeting(m), "board_secretary", "cfo")


@case("meeting publish")
def _publish(app: App) -> Case:
    m = meetings(app, "jcc")[0]
    item(app, m, "accepted")
    return Case(PublishMeeting(m, published_on=date(2019, 4, 1)), "democratic_services",
                "exec_adults")


@case("attendance")
def _attendance(app: App) -> Case:
    m = meetings(app, "jcc")[0]
    return Case(RecordAttendance(m, ("leader", "dass")), "democratic_services",
                "board_secretary")


@case("action add")
def _action_add(app: App) -> Case:
    m = meetings(app, "ccg_board")[0]
    return Case(AddAction(m, "Report back on winter beds", "cfo", date(2019, 5, 31)),
                "board_secretary", "cfo")


@case("action close")
def _action_close(app: App) -> Case:
    m = meetings(app, "jcc")[0]
    a = app.perform(AddAction(m, "Report back on winter beds", "dass", date(2019, 5, 31)),
                    lambda _uow, row: row.id)
    assert a is not None
    return Case(CloseAction(a, "Reported"), "democratic_services", "dass")


def _held_with_next(app: App) -> int:
    first = meetings(app, "ccg_board", QUARTER)[0]
    app.perform(HoldMeeting(first))
    return first


@case("minutes approve")
def _minutes_approve(app: App) -> Case:
    return Case(ApproveMinutes(_held_with_next(app), sign=False), "board_secretary", "cfo")


@case("minutes sign")
def _minutes_sign(app: App) -> Case:
    first = _held_with_next(app)
    app.perform(ApproveMinutes(first, sign=False))
    return Case(SignMinutes(first), "board_secretary", "ccg_chair")


@case("minutes write")
def _minutes_write(app: App) -> Case:
    first = _held_with_next(app)
    with app.session() as s:
        i = s.exec(select(AgendaItemRow.id).where(AgendaItemRow.meeting_id == first,
                                                  AgendaItemRow.standing == "aob")).one()
    return Case(WriteMinute(first, i, "The Chair thanked the outgoing Chief Financial Officer."),
                "board_secretary", "cfo")


@case("minutes correct")
def _minutes_correct(app: App) -> Case:
    first = _held_with_next(app)
    with app.session() as s:
        i = s.exec(select(AgendaItemRow.id).where(AgendaItemRow.meeting_id == first,
                                                  AgendaItemRow.standing == "aob")).one()
    app.perform(ApproveMinutes(first, sign=False))
    return Case(CorrectMinute(first, i, "There was no other business.", "Typing error"),
                "board_secretary", "cfo")


# Items -------------------------------------------------------------------------------------
@case("item add")
def _item_add(app: App) -> Case:
    m = meetings(app, "jcc")[0]
    return Case(AddItem(m, "Winter beds", cover={"decisions_required": "Approve"}),
                "commissioning_lead", "exec_adults")


@case("item submit")
def _item_submit(app: App) -> Case:
    i = item(app, meetings(app, "jcc")[0])
    return Case(SubmitItem(i, submitted_on=date(2019, 3, 20)), "commissioning_lead",
                "board_secretary")


@case("item accept")
def _item_accept(app: App) -> Case:
    i = item(app, meetings(app, "ccg_board")[0], "submitted")
    return Case(AcceptItem(i), "board_secretary", "cfo")


@case("item return")
def _item_return(app: App) -> Case:
    i = item(app, meetings(app, "ccg_board")[0], "submitted")
    return Case(ReturnItem(i, "The finance section is missing"), "board_secretary",
                "commissioning_lead")


@case("item publish")
def _item_publish(app: App) -> Case:
    i = item(app, meetings(app, "jcc")[0], "accepted")
    return Case(PublishItem(i, published_on=date(2019, 4, 1)), "democratic_services",
                "exec_adults")


@case("item edit")
def _item_edit(app: App) -> Case:
    i = item(app, meetings(app, "jcc")[0])
    return Case(EditItem(i, {"title": "Winter beds: revised"}), "commissioning_lead",
                "exec_adults")


@case("item reorder")
def _item_reorder(app: App) -> Case:
    m = meetings(app, "jcc")[0]
    item(app, m)
    i = item(app, m)
    return Case(ReorderItem(i, 1), "democratic_services", "board_secretary")


@case("item withdraw")
def _item_withdraw(app: App) -> Case:
    i = item(app, meetings(app, "jcc")[0], "accepted")
    return Case(WithdrawItem(i, "Superseded"), "democratic_services", "board_secretary")


@case("item defer")
def _item_defer(app: App) -> Case:
    i = item(app, meetings(app, "ccg_board", QUARTER)[0], "accepted")
    return Case(DeferItem(i, "Awaiting the audit"), "board_secretary", "cfo")


@case("item route")
def _item_route(app: App) -> Case:
    i = item(app, meetings(app, "jcc")[0], "accepted")
    board = meetings(app, "ccg_board")[0]
    # the secretary of the body the report goes to may not send it there
    return Case(RouteItem(i, board), "democratic_services", "board_secretary")


@case("key-decision record")
def _key_decision(app: App) -> Case:
    i = item(app, meetings(app, "cabinet", QUARTER)[0], "submitted")
    # Dated the day the item was drafted (real time here): not before it existed.
    today = datetime.now(ZoneInfo("Europe/London")).date()
    return Case(RecordKeyDecision(i, forward_plan_published_on=today),
                "democratic_services", "exec_resources")


@case("decide")
def _decide(app: App) -> Case:
    m = meetings(app, "jcc")[0]
    i = item(app, m, "published")
    app.perform(RecordAttendance(m, COUNCIL + CCG))
    return Case(Decide(i), "democratic_services", "exec_adults")


@case("call-in")
def _call_in(app: App) -> Case:
    m = meetings(app, "cabinet", QUARTER)[0]
    i = item(app, m, "published")
    app.perform(RecordAttendance(m, CABINET))
    d = app.perform(Decide(i, votes=dict.fromkeys(CABINET, "for"), reasons="Demand is rising",
                           alternatives_rejected="Do nothing",
                           resolution="The winter beds plan was approved."),
                    lambda _uow, r: (r.decision.id, r.decision.decision_date))
    return Case(CallIn(d[0], "chair of scrutiny", "Costs not set out"),
                "democratic_services", "exec_adults")


def _cabinet_decision(app: App) -> int:
    m = meetings(app, "cabinet", QUARTER)[0]
    i = item(app, m, "published")
    app.perform(RecordAttendance(m, CABINET))
    return app.perform(Decide(i, votes=dict.fromkeys(CABINET, "for"), reasons="Demand rises",
                              alternatives_rejected="Do nothing",
                              resolution="The winter beds plan was approved."),
                       lambda _uow, r: int(r.decision.id))


@case("call-in resolve")
def _call_in_resolve(app: App) -> Case:
    d = _cabinet_decision(app)
    c = app.perform(CallIn(d, "exec_children", "Costs not set out"), lambda _uow, r: r.id)
    return Case(ResolveCallIn(c, "upheld", "The costs were explained"),
                "democratic_services", "exec_adults")


@case("decision urgent")
def _decision_urgent(app: App) -> Case:
    return Case(MakeUrgent(_cabinet_decision(app), "Cllr Ann Lee, scrutiny chair",
                           "Beds needed before winter"), "democratic_services", "exec_adults")


# Interests ---------------------------------------------------------------------------------
@case("interest register")
def _register(app: App) -> Case:
    return Case(RegisterInterest("exec_adults", "pecuniary", "Director of a care home"),
                "exec_adults", "exec_children")


@case("dispensation grant")
def _dispensation(app: App) -> Case:
    i = item(app, meetings(app, "ccg_board")[0], "accepted")
    return Case(GrantDispensation("cfo", "Audit Committee", "Needed for quorum", item_id=i),
                "board_secretary", "cfo")


@case("interest declare")
def _declare(app: App) -> Case:
    i = item(app, meetings(app, "jcc")[0], "published")
    return Case(DeclareInterest(i, "exec_adults", "non_pecuniary", "Trustee of a care charity"),
                "exec_adults", "exec_children")


# Referrals (issue 13) ------------------------------------------------------------------------
@case("referral place")
def _referral_place(app: App) -> Case:
    from workflows.committee.referral_actions import PlaceReferral

    m = meetings(app, "jcc")[0]
    iid = app.perform(AddItem(m, "Community services", cover=FULL_COVER,
                              pool_line_id="adult_community"), lambda _uow, i: i.id)
    assert iid is not None
    app.perform(SubmitItem(iid, submitted_on=date(2019, 3, 20)))
    app.perform(AcceptItem(iid))
    app.perform(PublishItem(iid, published_on=date(2019, 4, 1)))
    app.perform(RecordAttendance(m, COUNCIL + CCG))
    ref = app.perform(Decide(iid, objections=("cfo",)), lambda _uow, r: r.referrals[0].id)
    board = app.perform(AddMeeting("ccg_board", date(2019, 4, 12), time(9, 30)),
                        lambda _uow, row: row.id)
    # a member of the referring body may not place it on the receiving body's agenda
    return Case(PlaceReferral(ref, board, "The contract ends in May", "ccg_chair"),
                "board_secretary", "exec_adults")


# Corrections -------------------------------------------------------------------------------
def _cabinet_decision(app: App) -> int:
    m = meetings(app, "cabinet", QUARTER)[0]
    i = item(app, m, "published")
    app.perform(RecordAttendance(m, CABINET))
    return int(app.perform(Decide(i, votes=dict.fromkeys(CABINET, "for"),
                                  reasons="Demand is rising", alternatives_rejected="Do nothing",
                                  resolution="The winter beds plan was approved."),
                           lambda _uow, r: r.decision.id))


@case("decision correct")
def _decision_correct(app: App) -> Case:
    from workflows.committee.corrections import CorrectDecision

    return Case(CorrectDecision(_cabinet_decision(app), "The resolution omitted the review",
                                resolution="The winter beds plan was approved, with a review "
                                           "in March."),
                "democratic_services", "exec_adults")


@case("decision rescind")
def _decision_rescind(app: App) -> Case:
    from workflows.committee.corrections import RescindDecision

    return Case(RescindDecision(_cabinet_decision(app), "Recorded on the wrong item"),
                "democratic_services", "exec_adults")
