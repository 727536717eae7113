"""``GET /calendar/personal/<token>.ics``: a member's personal iCalendar subscription link.

The secret in the path is a token of scope ``calendar`` (``s75 token add MEMBER --name ..
--scope calendar``, or the member's own "Your calendar link" page); revoking it ends the link
(401). The feed is
``notifications.ical.member_feed``: the member's bodies' meetings and the deadlines they own."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from notifications.ical import member_feed
from s75 import api_tokens
from s75.web.api.auth import app_of
from s75.web.api.errors import JsonRoute, TokenRefused

router = APIRouter(route_class=JsonRoute, include_in_schema=False)


@router.get("/calendar/personal/{secret}.ics")
def personal_calendar(request: Request, secret: str) -> Response:
    a = app_of(request)
    with a.session() as s:
        member = api_tokens.principal_for(s, secret, "calendar", now=a.clock.now())
        s.commit()
        if member is None:
            raise TokenRefused("this calendar link is not valid: it was revoked or never "
                               "existed; ask for a new one")
        # The feed leaves the site (calendar services keep copies): a Part 2 action is titled
        # as in the public feeds, whoever holds the link.
        data = member_feed(s, a.config, member, a.clock.now(), base_url=str(request.base_url),
                           redact_exempt=True)
    return Response(data, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": 'inline; filename="my-meetings.ics"',
                             "Cache-Control": "private, no-store"})
