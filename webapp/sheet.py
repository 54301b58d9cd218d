"""The instruction sheet: what the result page (and the PDF) show, built once from an assessment.

It is the JSON report of the assessment (webapp.report) plus what a person needs to read it:
dates written out in the language, entries grouped by form, the citations. Nothing is decided
here; the rules decided it all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .i18n import format_day, format_money
from .report import report
from .rules import Assessment


@dataclass
class InstructionSheet:
    lang: str
    assessment: Assessment
    data: dict[str, Any]

    @classmethod
    def build(cls, assessment: Assessment, lang: str) -> "InstructionSheet":
        return cls(lang, assessment, report(assessment, lang))

    def day(self, value: date | str | None) -> str | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = date.fromisoformat(value)
        return format_day(value, self.lang)

    @property
    def criteria_by_status(self) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {"not_met": [], "unknown": [], "met": [],
                                      "not_applicable": []}
        for c in self.data["criteria"]:
            out[c["status"]].append(c)
        return out

    @property
    def instead(self) -> list[dict]:
        seen, out = set(), []
        for c in self.data["criteria"]:
            if c["status"] != "not_met":
                continue
            for i in c["instead"]:
                if i["text"] not in seen:
                    seen.add(i["text"])
                    out.append(i)
        return out

    @property
    def entries_by_form(self) -> list[tuple[str, list[dict]]]:
        groups: dict[str, list[dict]] = {}
        for e in self.data["field_entries"]:
            groups.setdefault(e["form"], []).append(e)
        return list(groups.items())

    @property
    def fee_total(self) -> str:
        """Processing + open work permit holder + biometrics for one person."""
        ids = ("work_permit_processing", "open_work_permit_holder", "biometrics")
        total = sum(f["amount"] for f in self.data["fees"] if f["id"] in ids)
        return format_money(total, self.lang)
