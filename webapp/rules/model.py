"""What an assessment is made of, before any language is chosen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .answers import Answers
from .text import Text

MET, NOT_MET, UNKNOWN, NOT_APPLICABLE = "met", "not_met", "unknown", "not_applicable"
ELIGIBLE, NOT_ELIGIBLE, INCOMPLETE = "eligible", "not_eligible", "incomplete"


@dataclass(frozen=True, slots=True)
class Advice:
    """Something the person can do instead, and who says so."""

    text: Text
    source: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One criterion's verdict: `source` is the key of the section it comes from."""

    id: str
    status: str
    reason: Text
    source: str
    also: tuple[str, ...] = ()
    instead: tuple[Advice, ...] = ()


@dataclass(frozen=True, slots=True)
class FieldEntry:
    """An exact entry to type into a form box. `suggestion` entries are ours, not IRCC's."""

    form: str
    box: str
    label: Text
    value: str
    source: str
    suggestion: bool = False
    note: Text | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """A checklist item and what it proves. `suggestion` items are ours, not the manual's."""

    id: str
    text: Text
    proves: Text
    source: str
    suggestion: bool = False


@dataclass(frozen=True, slots=True)
class Warning:
    id: str
    text: Text
    source: str
    suggestion: bool = False


@dataclass(frozen=True, slots=True)
class Fee:
    id: str
    amount: int
    label: Text
    source: str


@dataclass(slots=True)
class Assessment:
    """The verdict on one set of answers as of one date. Built once by `assess`; not changed."""

    answers: Answers
    assessment_date: date
    purpose: str
    outcome: str
    summary: Text
    criteria: tuple[Finding, ...]
    form: str | None
    processing_office: Text | None
    submission_deadline: date | None
    permit_months: int | None
    capped_by_passport_expiry: date | None
    permit_valid_until: date | None
    exemption_code: str | None
    field_entries: tuple[FieldEntry, ...]
    checklist: tuple[Document, ...]
    warnings: tuple[Warning, ...]
    fees: tuple[Fee, ...]

    def not_met(self) -> list[str]:
        return [c.id for c in self.criteria if c.status == NOT_MET]
