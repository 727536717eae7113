"""``referral place``: the secretary of the receiving body places a referral that had no
meeting on one of that body's later scheduled meetings (workflows/committee/referrals.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from decisions.principals import SECRETARY, Scope
from workflows.actions import Action, body_scope
from workflows.committee import common, referrals
from workflows.committee.records import ReferralRow
from workflows.committee.tables import AgendaItemRow, MeetingRow
from workflows.events import UnitOfWork


@dataclass(frozen=True)
class PlaceReferral(Action[AgendaItemRow]):
    """Place referral ``referral_id`` on meeting ``meeting_id`` of the receiving body."""

    name = "referral place"
    permission = SECRETARY
    referral_id: int
    meeting_id: int
    urgency_reason: str | None = None
    chair_consent_by: str | None = None
    """After the meeting's item deadline: the special circumstances and the chair who
    consented (LGA 1972 s100B(4))."""

    def load(self, uow: UnitOfWork) -> tuple[ReferralRow, MeetingRow]:
        return (referrals.get(uow.session, self.referral_id),
                common.meeting(uow.session, self.meeting_id))

    def scope(self, uow: UnitOfWork, loaded: Any) -> Scope:
        r, _ = loaded
        body = uow.config.body_by_id(r.to_body_id)
        return body_scope(uow.config, f"referral {r.id} to the {body.name}", r.to_body_id)

    def check(self, uow: UnitOfWork, loaded: Any) -> None:
        r, m = loaded
        referrals.check_place(uow, r, m,
                              urgent=bool(self.urgency_reason or self.chair_consent_by))

    def write(self, uow: UnitOfWork, loaded: Any) -> AgendaItemRow:
        return referrals.place(uow, self.referral_id, self.meeting_id,
                               urgency_reason=self.urgency_reason,
                               chair_consent_by=self.chair_consent_by)
