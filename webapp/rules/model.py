"""What an assessment is made of, before any language is chosen.

Every `source` is a key of webapp.rules.sources.SOURCES (the manual section, or another source
that says it is not the manual); every `Text` is translated by webapp.i18n.localize.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .answers import Answers
from .text import Text

# A criterion's status, and an assessment's outcome (CONTRACT.md, "Assessment").
MET, NOT_MET, UNKNOWN, NOT_APPLICABLE = "met", "not_met", "unknown", "not_applicable"
ELIGIBLE, NOT_ELIGIBLE, INCOMPLETE = "eligible", "not_eligible", "incomplete"


@dataclass(frozen=True, slots=True)
class Advice:
    """Something the person can do instead (`text`), and who says so (`source`)."""

    text: Text
    source: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One criterion's verdict: `id` (the criterion's function name), `status` (MET, NOT_MET,
    UNKNOWN or NOT_APPLICABLE), `reason`, `source` the section it rests on, `also` further
    source keys, `instead` what the person can do instead when it is not met."""

    id: str
    status: str
    reason: Text
    source: str
    also: tuple[str, ...] = ()
    instead: tuple[Advice, ...] = ()


@dataclass(frozen=True, slots=True)
class FieldEntry:
    """An exact entry to type into a form box: `form` ("IMM 1295", "IMM 5710" or "envelope"),
    `box` (its number), `label`, `value` (typed in English, verbatim), an optional `note`.
    `suggestion` entries are ours, not IRCC's."""

    form: str
    box: str
    label: Text
    value: str
    source: str
    suggestion: bool = False
    note: Text | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """A checklist item (`text`) and what it `proves`. `suggestion` items are ours, not the
    manual's."""

    id: str
    text: Text
    proves: Text
    source: str
    suggestion: bool = False


@dataclass(frozen=True, slots=True)
class Warning:
    """Something else to know (`text`), with its `id` and `source`; `suggestion` warnings are
    ours, not IRCC's."""

    id: str
    text: Text
    source: str
    suggestion: bool = False


@dataclass(frozen=True, slots=True)
class Fee:
    """A fee: `id` (as in the `fee_<id>` parameter), `amount` in whole Canadian dollars, its
    `label` and `source` (an IRCC fee page, not the manual)."""

    id: str
    amount: int
    label: Text
    source: str


@dataclass(slots=True)
class Assessment:
    """The verdict on one set of answers as of one date. Built once by `assess`; not changed.

    `purpose` is "initial", "extension" or "family"; `outcome` ELIGIBLE, NOT_ELIGIBLE or
    INCOMPLETE. `submission_deadline` and `submission_window_days` (the days to submit counted
    from the letter, manual opening paragraphs) are None unless a first application's letter
    gives a start. `permit_months` is the permit's length in calendar months (manual, "Final
    decision – Approval", or "Extensions"); `capped_by_passport_expiry` the passport's expiry
    when it ends the permit sooner; `permit_valid_until` the estimated last day of validity;
    `passport_expired` whether the passport expired before the assessment date (then no permit
    can be valid until it is renewed).
    """

    answers: Answers
    assessment_date: date
    purpose: str
    outcome: str
    summary: Text
    criteria: tuple[Finding, ...]
    form: str | None
    processing_office: Text | None
    submission_deadline: date | None
    submission_window_days: int | None
    permit_months: int | None
    capped_by_passport_expiry: date | None
    permit_valid_until: date | None
    passport_expired: bool
    exemption_code: str | None
    field_entries: tuple[FieldEntry, ...]
    checklist: tuple[Document, ...]
    warnings: tuple[Warning, ...]
    fees: tuple[Fee, ...]

    def not_met(self) -> list[str]:
        """The ids of the criteria that are not met, in order."""
        return [c.id for c in self.criteria if c.status == NOT_MET]
