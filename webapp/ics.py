"""The reminders of an assessment (webapp.rules.reminders) as an iCalendar file (RFC 5545).

Each date is an all-day event with alarms a week and a day before. Its UID is what it reminds of
and the answers file's `file_id` (CONTRACT.md v2), so importing the calendar of a corrected file
updates its events instead of adding copies, and two people's files never collide. The file's
`label`, the person's own name for it, is in each event's title.

A calendar program replaces an event it already has only with a newer revision of it: RFC 5545
(3.8.7.4) has the revision's SEQUENCE grow, and RFC 5546 (2.1.5) takes the higher SEQUENCE, or
at an equal one the later DTSTAMP, as the newer. Nothing is stored on our side to count
revisions with, so SEQUENCE is the number of seconds from SEQUENCE_EPOCH to the moment the file
is made, and DTSTAMP that same moment: a file made later, from corrected answers, always carries
a higher SEQUENCE than one made before it. It fits the 32-bit integer of RFC 5545 until 2093
(seconds since 1970 would overflow in 2038).
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timedelta, timezone

from icalendar import Alarm, Calendar, Event

from .i18n import localize
from .report import citation
from .rules import Assessment, msg
from .rules.reminders import ALARM_DAYS, reminders

PRODID = "-//IMP+ Check//Verif PMI+//EN"
# For answers without a file_id (the callers that write files give them one first): a UUID
# derived from the answers themselves, so that the same answers give the same events.
_NAMESPACE = uuid.UUID("5b0c7d2e-3f43-4c8a-9d0e-6a1f2b3c4d5e")
SEQUENCE_EPOCH = datetime(2025, 1, 1, tzinfo=timezone.utc)


def sequence(stamp: datetime) -> int:
    """The SEQUENCE of events made at `stamp` (an aware datetime): whole seconds since
    SEQUENCE_EPOCH, 0 before it, never past RFC 5545's largest INTEGER (2**31 - 1)."""
    seconds = int((stamp - SEQUENCE_EPOCH).total_seconds())
    return min(max(seconds, 0), 2**31 - 1)


def file_key(assessment: Assessment) -> str:
    """The answers' `file_id`, or a UUID derived from the answers when they have none."""
    answers = assessment.answers
    if answers.file_id:
        return answers.file_id
    return str(uuid.uuid5(_NAMESPACE, json.dumps(answers.to_dict(), sort_keys=True)))


def calendar_file(assessment: Assessment, lang: str,
                  now: datetime | None = None) -> bytes | None:
    """The .ics file (RFC 5545, UTF-8 bytes) of the assessment's reminders
    (webapp.rules.reminders) in `lang` ("en" or "fr"), each cited through
    webapp.report.citation; None when there is no date ahead. `now` (an aware datetime; default:
    the clock) is the moment the file is made: its DTSTAMP, and its SEQUENCE (`sequence`)."""
    items = reminders(assessment)
    if not items:
        return None
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", localize(msg("IMP+ work permit (A76)"), lang))
    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    key, label = file_key(assessment), assessment.answers.label
    for r in items:
        title = localize(r.title, lang)
        if label:
            title = localize(msg("%(title)s (%(label)s)", title=title, label=label), lang)
        url, cited = citation(r.source, lang)
        source = localize(msg("Source: %(citation)s", citation=cited), lang)
        event = Event()
        event.add("uid", f"{r.id}-{key}@impplus-check")
        event.add("dtstamp", stamp)
        event.add("sequence", sequence(stamp))
        event.add("dtstart", r.day)
        if r.day < date.max:  # an all-day event without DTEND lasts the day (RFC 5545)
            event.add("dtend", r.day + timedelta(days=1))
        event.add("summary", title)
        event.add("description", "\n\n".join(filter(None, (
            localize(r.description, lang), source + (f" ({url})" if url else ""),
            localize(msg("Made by IMP+ Check, an independent tool: not IRCC, not MIFI, not "
                         "legal advice."), lang)))))
        if url:
            event.add("url", url)
        event.add("transp", "TRANSPARENT")
        for days in ALARM_DAYS:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", title)
            alarm.add("trigger", timedelta(days=-days))
            event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()
