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
    """Something the person can do instead (`text`), with its fixed `id` (CONTRACT.md v2:
    extension, family, permit_check, restoration, a73, a75, ask_representative), and who says
    so (`source`)."""

    id: str
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
    prominent: bool = False  # shown beside the verdict, never only further down


@dataclass(frozen=True, slots=True)
class Condition:
    """A condition the instructions say is imposed on the permit: `id` ("location", "province",
    "medical"), `text`, `source`."""

    id: str
    text: Text
    source: str


@dataclass(frozen=True, slots=True)
class Permit:
    """The permit an eligible (or not yet decided) application would give (CONTRACT.md v2,
    "permit"): `months` (36 initial, 12 extension, None family); `capped_by_passport_expiry` the
    passport's expiry when it falls before the assessment date + `months`;
    `capped_if_issued_after` the passport's expiry minus `months` (a permit issued after that
    day ends on the passport's expiry); `ends_no_later_than` (family) the earlier of the
    principal's permit expiry and the passport's; `valid_until` the last day if issued on the
    assessment date (None for a family member); `conditions`."""

    months: int | None
    capped_by_passport_expiry: date | None
    capped_if_issued_after: date | None
    ends_no_later_than: date | None
    valid_until: date | None
    conditions: tuple[Condition, ...]


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
    INCOMPLETE. `submission_deadline` (the last day an application can be received and still
    meet every dated criterion; None unless a first application's letter gives a start, and None
    when not eligible), `deadline_is_csq_expiry` (True when that day is the CSQ's expiry, which
    comes before the letter's last day), and `submission_window_days` (the days to submit counted
    from the letter, manual opening paragraphs). `permit` is None when not eligible (CONTRACT.md
    v2); `permit_months`, `capped_by_passport_expiry` and `permit_valid_until` repeat its fields
    (None without a permit); `passport_expired` whether the passport expired before the
    assessment date (then no permit can be valid until it is renewed). `processing_office` and
    `processing_office_source` say who processes the application, and where the manual says so.
    `instead`: what the person can do instead, when not eligible (fixed ids).
    `summary_says_closed`: the summary already says that MIFI no longer sends letters.
    The dates the criteria worked out (webapp.rules.criteria.Case), for the timeline of the
    person's dates: `csq_expiry` (the CSQ's expiry, given or issue date + its validity),
    `submission_window_end` (the last of the days to submit counted from the letter, whatever
    the outcome), `principal_months` and `principal_needed_until` (a family member's: the day
    the principal applicant must be authorized to work until, at least), `restoration_until`
    (an extension's, when the current permit has expired: the last day to apply to restore the
    status, IRPR s. 182, past or not); None when unknown or not of this purpose.
    """

    answers: Answers
    assessment_date: date
    purpose: str
    outcome: str
    summary: Text
    criteria: tuple[Finding, ...]
    form: str | None
    processing_office: Text | None
    processing_office_source: str | None
    submission_deadline: date | None
    deadline_is_csq_expiry: bool
    submission_window_days: int | None
    permit: Permit | None
    permit_months: int | None
    capped_by_passport_expiry: date | None
    permit_valid_until: date | None
    passport_expired: bool
    exemption_code: str | None
    field_entries: tuple[FieldEntry, ...]
    checklist: tuple[Document, ...]
    warnings: tuple[Warning, ...]
    fees: tuple[Fee, ...]
    instead: tuple[Advice, ...] = ()
    summary_says_closed: bool = False  # the summary says MIFI no longer sends letters
    csq_expiry: date | None = None
    submission_window_end: date | None = None
    principal_months: int | None = None
    principal_needed_until: date | None = None
    restoration_until: date | None = None

    def not_met(self) -> list[str]:
        """The ids of the criteria that are not met, in order."""
        return [c.id for c in self.criteria if c.status == NOT_MET]
