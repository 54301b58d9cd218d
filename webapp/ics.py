"""The reminders of an assessment (webapp.rules.reminders) as an iCalendar file (RFC 5545).

Each date is an all-day event with alarms a week and a day before. Its UID is derived from what
it reminds of and the day, so importing a newer file updates the event instead of adding a copy.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from icalendar import Alarm, Calendar, Event

from .i18n import localize
from .report import citation
from .rules import Assessment, msg
from .rules.reminders import ALARM_DAYS, reminders

PRODID = "-//IMP+ Check//Verif PMI+//EN"


def calendar_file(assessment: Assessment, lang: str) -> bytes | None:
    """The .ics file (RFC 5545, UTF-8 bytes) of the assessment's reminders
    (webapp.rules.reminders) in `lang` ("en" or "fr"), each cited through
    webapp.report.citation; None when there is no date ahead."""
    items = reminders(assessment)
    if not items:
        return None
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", localize(msg("IMP+ work permit (A76)"), lang))
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    for r in items:
        title = localize(r.title, lang)
        url, cited = citation(r.source, lang)
        source = localize(msg("Source: %(citation)s", citation=cited), lang)
        event = Event()
        event.add("uid", f"{r.id}-{r.day.isoformat()}@impplus-check")
        event.add("dtstamp", stamp)
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
