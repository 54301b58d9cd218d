"""The permit check's result as a PDF, typeset by Typst from webapp/templates/permit.typ.

A second renderer of the permit check's report (webapp.report.permit_check_report), after the
result page (templates/permit_result.html): the same summary, what to do, checks, values and
sources, in the same order (the checks that differ first: `displayed`), and the permit as the
person read it. `view` turns the report into plain data, every text already in its language;
webapp.typeset makes a tagged PDF/UA-1 of it, as of the instruction sheet (webapp.pdf): title
shown by the reader, subject, keywords, /Lang en-CA or fr-CA, the outline from its headings,
and the permit as read attached as `permit.json` (impplus-permit/1, application/json), which
`impplus check-permit` reads back.

The words the page and the PDF share (each check's title, the status labels, how an expected
or found value is written) are here, outside Flask, so that the command line can write the PDF.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from . import permit_flow, typeset
from .i18n import LIST_SEPARATOR, format_day, localize
from .pdf import BRAND
from .rules.permit_check import DIFFERS, CANNOT_TELL, PermitAsPrinted
from .rules.text import msg

TEMPLATE = "permit.typ"
PERMIT_NAME = "permit.json"
PERMIT_DESCRIPTION = "IMP+ Check: the permit as read (impplus-permit/1)"
LANG_TAGS = typeset.LANG_TAGS
KEYWORDS = ["IMP+", "PMI+", "IRCC", "A76", "C41", "C46", "C49"]

CHECK_TITLES = {
    "validity": msg("Expiry date"),
    "province": msg("Province and city"),
    "employer": msg("Employer"),
    "occupation": msg("Occupation"),
    "location_condition": msg("Location condition"),
    "medical_condition": msg("Restriction on occupations (no medical examination)"),
}
STATUS_LABELS = {"ok": msg("Matches"), "differs": msg("Differs"),
                 "cannot_tell": msg("Cannot tell")}
HEADING = msg("Your permit, checked against IRCC’s instructions")
DISCLAIMER = msg("This tool is not IRCC and not legal advice: it compares what you entered with "
                 "IRCC’s published instructions. Only IRCC can change a permit.")


def outcome(report: dict) -> str:
    """The colour of the verdict, as the result page draws it: "not_eligible" when a check
    differs, "incomplete" when one cannot tell, else "eligible"."""
    statuses = {c["status"] for c in report["checks"]}
    return ("not_eligible" if DIFFERS in statuses else
            "incomplete" if CANNOT_TELL in statuses else "eligible")


def nothing_to_do(report: dict) -> str | None:
    """What the result says when there is nothing to do (a Text's msgid's message), or None
    when there is something."""
    if report["what_to_do"]:
        return None
    return (msg("Nothing: every check we could make matches the instructions.")
            if outcome(report) == "eligible" else msg("Nothing to correct in what we could check."))


def displayed(checks: list[dict]) -> list[dict]:
    """The checks of a report as the page and the PDF show them: those that differ first, then
    the others, each in the report's order (the report itself keeps CHECK_IDS' order, as
    CONTRACT.md says)."""
    return sorted(checks, key=lambda c: c["status"] != DIFFERS)


def shown(item: dict, lang: str, code: str | None) -> dict[str, str]:
    """A check's expected and found values (of a permit_check_report item) as written in
    `lang`: dates written out, a family member's expiry as a latest day, yes/no as shown or not
    on the permit, "Open" and "Quebec" in the language, text as printed."""
    def one(value, expected: bool) -> str:
        if value is None:
            return localize(msg("not known") if expected else msg("not given"), lang)
        # Only the two conditions are yes/no, and both are feminine in French (« condition »,
        # « restriction »): the French agrees with them.
        if value is True:
            return localize(msg("shown on the permit"), lang)
        if value is False:
            return localize(msg("not on the permit"), lang)
        if item["id"] == "validity":
            day = date.fromisoformat(value)
            if expected and code != "A76":  # a family member's: a latest day, not a day
                return localize(msg("no later than %(day)s", day=day), lang)
            return format_day(day, lang)
        if value == "Open" and expected:
            return localize(msg("Open"), lang)
        if value == "Quebec" and expected:
            return localize(msg("Quebec"), lang)
        return value
    return {"expected": one(item["expected"], True), "found": one(item["found"], False)}


def permit_rows(permit: dict, lang: str) -> list[tuple[str, str]]:
    """(label, value) of each question that applies to `permit` (an impplus-permit/1 object),
    in the questions' order, as the check-your-answers page writes them: a field not given is
    "It is not printed / I don't know" (a yes/no, "I don't know")."""
    rows = []
    for node in permit_flow.ORDER:
        if not permit_flow.applies(node, permit):
            continue
        q = permit_flow.QUESTIONS[node]
        value = permit.get(node)
        if value is None:
            text = (q.choices[-1].label if q.kind == "choice"
                    else permit_flow.dont_know_label(node))
            rows.append((localize(q.short or q.title, lang), localize(text, lang)))
            continue
        if q.kind == "choice":
            shown_value = next(localize(c.label, lang) for c in q.choices if c.value == value)
        elif q.kind == "date":
            shown_value = format_day(date.fromisoformat(value), lang)
        else:
            shown_value = str(value)
        rows.append((localize(q.short or q.title, lang), shown_value))
    return rows


def title(report: dict) -> str:
    """The document's title in the report's language, naming the permit's code when known."""
    lang = report["lang"]
    if report["code"]:
        return localize(msg("Work permit %(code)s checked against IRCC’s instructions",
                            code=report["code"]), lang)
    return localize(msg("Work permit checked against IRCC’s instructions"), lang)


def _cites(item: dict) -> list[dict[str, str | None]]:
    """The sources of a report item (its own, then those it cites `also`): text and URL."""
    return [{"text": c["citation"], "url": c["source"]} for c in (item, *item.get("also", ()))]


def view(report: dict, permit: dict, on: date) -> dict[str, Any]:
    """The view-model of permit.typ: `report` (webapp.report.permit_check_report, in its
    language) as plain data, with `permit` (the impplus-permit/1 object checked) as the person
    read it, checked on the day `on`."""
    lang = report["lang"]

    def t(text) -> str:
        return localize(text, lang)

    code = report["code"]
    done = nothing_to_do(report)
    return {
        "lang": lang, "title": title(report), "author": t(BRAND),
        "keywords": KEYWORDS, "subject": f'{title(report)}. {report["summary"]}',
        "brand": t(msg("IMP+ Check – a work permit checked against IRCC’s instructions on "
                       "%(date)s", date=on)),
        "footer": t(msg("IMP+ Check – not IRCC, not MIFI, not legal advice")),
        "page_of": t(msg("Page %(page)s of %(pages)s", page="{page}", pages="{pages}")),
        "labels": {
            "todo": t(msg("What you can do")), "checks": t(msg("Check by check")),
            "expected": t(msg("The instructions say")), "found": t(msg("Your permit")),
            "source": t(msg("Source:")), "permit": t(msg("The permit as you read it")),
        },
        "separator": LIST_SEPARATOR[lang],
        "outcome": outcome(report), "heading": t(HEADING), "summary": report["summary"],
        "code": t(msg("Code on the permit: %(code)s", code=code)) if code else None,
        "what_to_do": [{"text": i["text"], "cites": _cites(i)} for i in report["what_to_do"]],
        "nothing_to_do": t(done) if done else None,
        "checks": [{"title": t(CHECK_TITLES[c["id"]]), "status": c["status"],
                    "label": t(STATUS_LABELS[c["status"]]), **shown(c, lang, code),
                    "reason": c["text"], "cites": _cites(c)} for c in displayed(report["checks"])],
        "permit": [[label, value] for label, value in permit_rows(permit, lang)],
        "permit_note": t(msg("What you entered is attached to this PDF as permit.json: "
                             "“impplus check-permit” reads it back.")),
        "disclaimer": t(DISCLAIMER),
    }


def permit_json(permit: dict) -> bytes:
    """The permit file embedded in the PDF: `permit` (impplus-permit/1) as indented UTF-8
    JSON."""
    return (json.dumps(permit, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render(report: dict, permit: PermitAsPrinted, on: date,
           now: datetime | None = None) -> bytes:
    """The finished PDF of `report` (webapp.report.permit_check_report of `permit`, in its
    language), checked on `on`, dated `now` (default: the current time); the permit rides inside
    as permit.json. Raises typeset.TypesetError only on a bug of the template."""
    saved = permit.to_dict()
    attached = typeset.Attachment(PERMIT_NAME, permit_json(saved), "application/json",
                                  PERMIT_DESCRIPTION)
    return typeset.pdf(TEMPLATE, view(report, saved, on), attachments=[attached], now=now)

