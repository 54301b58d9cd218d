"""Dates worth a calendar entry, worked out from an assessment. Pure: no file format here
(webapp.ics writes them as iCalendar).

- the last day to submit a first application, when it is on or after the assessment date
  (manual, opening paragraphs: the days to submit after receiving the letter of invitation, or
  the CSQ's expiry when it comes first); none for someone not eligible (CONTRACT.md v2);
- for an extension, a reminder to apply well before the current permit expires (the number of
  days is our suggestion, a dated parameter; none when not eligible) and the day the permit
  expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import parameters
from .dates import add_days
from .model import NOT_ELIGIBLE, Assessment
from .text import Text, msg

# Calendar alarms, in days before each reminder: our choice, not an IRCC rule.
ALARM_DAYS = (7, 1)


@dataclass(frozen=True, slots=True)
class Reminder:
    """A date worth a calendar entry: `day`, its `title` and `description`, `source` (a key of
    webapp.rules.sources.SOURCES); `suggestion` reminders are ours, not IRCC's."""

    id: str
    day: date
    title: Text
    description: Text
    source: str  # a key of webapp.rules.sources.SOURCES
    suggestion: bool = False


def reminders(a: Assessment) -> tuple[Reminder, ...]:
    """The reminders of an `Assessment` that fall on or after its date, in this order:
    the last day to submit (manual, opening paragraphs), or for an extension the day to apply
    (our suggestion: the `extension_reminder_days` parameter, in days before expiry) and the day
    the current permit expires (manual, "Extensions"). Empty when nothing is ahead."""
    on = a.assessment_date
    out: list[Reminder] = []
    # No reminder to apply for someone not eligible: the assessment then has no deadline.
    deadline = a.submission_deadline
    if a.purpose == "initial" and deadline is not None and deadline >= on:
        if a.deadline_is_csq_expiry:
            description = msg(
                "IRCC must receive your open work permit application under code A76 by this "
                "day: your CSQ expires then, before the %(days)s days from the day you received "
                "Quebec’s letter of invitation are over, and you have not told us of a permanent "
                "residence application submitted before it.", days=a.submission_window_days)
            source = "eligibility"
        else:
            description = msg(
                "IRCC must receive your open work permit application under code A76 by this "
                "day: you have %(days)s days from the day you received Quebec’s letter of "
                "invitation.", days=a.submission_window_days)
            source = "intro"
        out.append(Reminder("submission_deadline", deadline, msg(
            "Last day to submit your IMP+ work permit application (A76)"), description, source))
    expiry = a.answers.current_permit_expiry
    if a.purpose == "extension" and expiry is not None and expiry >= on:
        days = parameters.snapshot(on)["extension_reminder_days"]  # None before 2022-05-24
        apply_by = add_days(expiry, -days) if days is not None else None
        if apply_by is not None and apply_by >= on and a.outcome != NOT_ELIGIBLE:
            out.append(Reminder("apply_for_extension", apply_by, msg(
                "Apply to extend your A76 work permit"), msg(
                "Your work permit expires on %(expiry)s. Our suggestion: apply for the extension "
                "now, %(days)s days ahead, with proof that IRCC acknowledged receipt of your "
                "permanent residence application.", expiry=expiry, days=days), "ours", True))
        months = parameters.in_force_or_first("extension_months", on)
        if months == 12:
            lasts = msg("An extension is considered case by case while your permanent residence "
                        "application is in processing, and lasts %(years)s year.",
                        years=months // 12)
        else:
            lasts = msg("An extension is considered case by case while your permanent residence "
                        "application is in processing, and lasts %(months)s months.",
                        months=months)
        out.append(Reminder("permit_expires", expiry, msg("Your A76 work permit expires"), lasts,
                            "extensions"))
    return tuple(out)
