"""The instruction sheet: what the result page and the PDF show, built once from an assessment.

It is the JSON report of the assessment (webapp.report) plus what a person needs to read it:
headings, dates written out in the language, key facts, entries grouped by form, the citations.
Nothing is decided here; the rules decided it all. The page (templates/result.html) and the PDF
(webapp.pdf) are two renderers of this one object.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from .i18n import format_day, format_money, localize
from .report import citation, report
from .rules import Assessment, msg, parameters
from .rules.reminders import reminders
from .rules.sources import SOURCES, Source
from .timeline import Geometry, geometry
from .timeline_svg import svg

HEADINGS = {
    "eligible": msg("You are eligible"),
    "not_eligible": msg("You are not eligible"),
    "incomplete": msg("We cannot tell yet"),
}
STATUS_LABELS = {
    "met": msg("Met"),
    "not_met": msg("Not met"),
    "unknown": msg("Cannot tell yet"),
    "not_applicable": msg("Does not apply"),
}
STATUS_ORDER = ("not_met", "unknown", "met", "not_applicable")
FEE_IDS = ("work_permit_processing", "open_work_permit_holder", "biometrics")
# The labels of the key facts and of the envelope's entries.
ASSESSED_AS_OF, FORM, NONE_APPLIES = msg("Assessed as of"), msg("Form"), msg("None applies")
# The form depends on where the applicant lives: while that is not known, both are shown.
FORM_NOT_KNOWN = msg("Not known yet: it depends on where you live")
PROCESSED_BY, LAST_DAY = msg("Processed by"), msg("Last day to submit")
PERMIT_VALIDITY, EXEMPTION_CODE = msg("Permit validity"), msg("Exemption code")
ON_THE_ENVELOPE = msg("On the envelope")
YOUR_LABEL = msg("Your name for this file")
NOT_ASKED = msg("Not asked: would not change the result")
OUR_SUGGESTION = msg("Our suggestion")
IN_ENGLISH = msg("(in English)")

# A short name for each criterion id (CONTRACT.md), so that two criteria with the same status
# never read alike. They live here, beside the status labels, because they are words of the
# page and the PDF, not of the rules: the report (JSON) names a criterion by its id.
# `submission_window`'s days are the parameter in force (webapp/rules/parameters.toml).
CRITERION_TITLES = {
    "program": msg("The category on that date"),
    "residence": msg("Where you live"),
    "r206_permit": msg("A work permit under IRPR s. 206"),
    "status_in_canada": msg("Your status in Canada"),
    "inside_canada_application": msg("Applying from inside Canada"),
    "intent": msg("Living and working in Quebec"),
    "csq_category": msg("Your CSQ’s category"),
    "csq_validity": msg("Your CSQ’s validity"),
    "invitation": msg("Your letter of invitation"),
    "submission_window": msg("The %(days)s days after your letter"),
    "channel": msg("How you apply"),
    "current_permit": msg("Your current permit’s code"),
    "current_permit_valid": msg("Your current permit’s expiry"),
    "pr_in_progress": msg("Your permanent residence application"),
    "aor_received": msg("The acknowledgment of receipt"),
    "relationship": msg("Your relationship to the principal applicant"),
    "principal_permit": msg("The principal applicant’s permit"),
    "principal_authorization": msg("How long the principal applicant may work"),
    "principal_in_quebec": msg("Where the principal applicant lives"),
    "accompanying_dependant": msg("Included in the permanent residence application"),
}
# The `instead` items that another journey of this tool checks, with the words of the button
# that starts it: "extension" and "family" start at the wizard's purpose question with that
# answer, "permit_check" at the permit check's start page (webapp.permit_wizard).
JOURNEYS = {
    "extension": msg("Check an extension"),
    "family": msg("Check a family member’s permit"),
    "permit_check": msg("Check a permit you already have"),
}
# Hosts of governments that publish in English and French: the Government of Canada's (IRCC's
# pages, the Justice Laws site, IRCC's web forms and Help Centre) and Quebec's (French first).
BILINGUAL_HOSTS = ("canada.ca", "gc.ca", "quebec.ca")
# The texts of a report item that may already say "Our suggestion".
TEXT_FIELDS = ("text", "proves", "note", "title", "description", "label")


def english_only(source: Source) -> bool:
    """Whether a source exists only in English, as far as its URL tells: neither a page of a
    bilingual government's site (BILINGUAL_HOSTS; its French version is at another address,
    which our data does not hold) nor our own suggestion. The background article is the one
    such source today."""
    if source.key == "ours":
        return False
    host = (urlsplit(source.url).hostname or "").lower()
    return not any(host == h or host.endswith("." + h) for h in BILINGUAL_HOSTS)


@lru_cache(maxsize=None)
def _english_only_citations(lang: str) -> frozenset[tuple[str | None, str]]:
    """(url, citation) of every English-only source, in `lang`, as report items carry them."""
    return frozenset(citation(key, lang) for key, s in SOURCES.items() if english_only(s))


def _mark_english_only(data: Any, lang: str) -> None:
    """Adds `in_english`, the words "(in English)" in `lang`, to every item of a report (in
    place) whose source exists only in English; on French sheets only."""
    if lang == "en":
        return
    marked, words = _english_only_citations(lang), localize(IN_ENGLISH, lang)
    stack = [data]
    while stack:  # only containers go on the stack: a report is mostly strings
        item = stack.pop()
        values = item.values() if isinstance(item, dict) else item
        if values is not item and "citation" in item and \
                (item.get("source"), item["citation"]) in marked:
            item["in_english"] = words
        stack += [v for v in values if isinstance(v, (dict, list))]
# The timeline's entries (`InstructionSheet.timeline`), by kind, in the order of a same day.
TIMELINE_KINDS = (
    "csq_issued", "pr_submitted", "letter_dated", "letter_received", "assessment_date",
    "csq_expiry", "submission_deadline", "window_end", "current_permit_expiry", "restoration_end",
    "principal_permit_expiry", "principal_needed_until", "permit_end", "passport_expiry")
TIMELINE_LABELS = {
    "csq_issued": msg("CSQ issued"),
    "csq_expiry": msg("CSQ expiry"),
    "pr_submitted": msg("Permanent residence application submitted"),
    "letter_dated": msg("Date on the letter of invitation"),
    "letter_received": msg("Letter of invitation received"),
    "submission_deadline": LAST_DAY,
    "assessment_date": msg("Date of this assessment"),
    "permit_end": msg("End of the permit, if issued on the date of this assessment"),
    "current_permit_expiry": msg("Expiry of your current permit"),
    "restoration_end": msg("Last day to apply to restore your status"),
    "principal_permit_expiry": msg("Expiry of the principal applicant’s permit"),
    "passport_expiry": msg("Passport expiry"),
}


class per_sheet:  # noqa: N801 - used as a decorator, like functools.cached_property
    """Decorator: a property worked out on first read and kept on the sheet itself, so it lives
    only as long as the sheet (functools.cached_property without the class-wide lock Python
    3.11's takes: a sheet is built and read within one request, by one thread)."""

    def __init__(self, func) -> None:
        self.func, self.name, self.__doc__ = func, func.__name__, func.__doc__

    def __get__(self, sheet, owner=None):
        if sheet is None:
            return self
        value = sheet.__dict__[self.name] = self.func(sheet)
        return value


@dataclass
class InstructionSheet:
    """What the result page and the PDF show for one assessment in one language: `lang` ("en"
    or "fr"), the `assessment` (webapp.rules.Assessment) and `data`, its JSON report
    (webapp.report.report). Its properties word and group what the rules decided; they decide
    nothing."""

    lang: str
    assessment: Assessment
    data: dict[str, Any]

    @classmethod
    def build(cls, assessment: Assessment, lang: str) -> "InstructionSheet":
        """The sheet of `assessment` in `lang`, its report made once; on a French sheet, items
        citing a source that exists only in English carry `in_english` (english_only)."""
        data = report(assessment, lang)
        _mark_english_only(data, lang)
        return cls(lang, assessment, data)

    def t(self, text) -> str:
        """A `Text` in the sheet's language (webapp.i18n.localize)."""
        return localize(text, self.lang)

    def day(self, value: date | str | None) -> str | None:
        """A date, or an ISO date string, written out in the sheet's language; None for None.
        Raises ValueError for a string that is not an ISO date."""
        if value is None:
            return None
        if isinstance(value, str):
            value = date.fromisoformat(value)
        return format_day(value, self.lang)

    @property
    def heading(self) -> str:
        """The outcome as a heading ("You are eligible"...)."""
        return self.t(HEADINGS[self.data["outcome"]])

    def status_label(self, status: str) -> str:
        """The label of a criterion's status ("met", "not_met", "unknown", "not_applicable").
        Raises KeyError for any other."""
        return self.t(STATUS_LABELS[status])

    @per_sheet
    def criteria_by_status(self) -> dict[str, list[dict]]:
        """{status: the report's criteria with it, in the report's order}, for every status."""
        out: dict[str, list[dict]] = {s: [] for s in STATUS_ORDER}
        for c in self.data["criteria"]:
            out[c["status"]].append(c)
        return out

    def unsettled(self, criterion: dict) -> bool:
        """Whether a criterion could not be told but cannot change the outcome: unknown while
        another is not met (CONTRACT.md: any criterion not met makes the outcome not eligible).
        The wizard stops asking once the outcome is settled (webapp.flow), so these were not
        asked; the page and the PDF name them apart, never with their "Tell us" reason."""
        return criterion["status"] == "unknown" and self.data["outcome"] == "not_eligible"

    @property
    def criteria_in_order(self) -> list[dict]:
        """The criteria that decide or can still change the result, each with its `title`: not
        met first, then unknown, met, and does not apply."""
        return [{**c, "title": self.criterion_title(c["id"])}
                for s in STATUS_ORDER for c in self.criteria_by_status[s]
                if not self.unsettled(c)]

    @property
    def not_asked(self) -> list[str]:
        """The titles of the criteria that would not change the result (`unsettled`)."""
        return [self.criterion_title(c["id"]) for c in self.data["criteria"]
                if self.unsettled(c)]

    @property
    def not_asked_heading(self) -> str:
        """The heading of the criteria that would not change the result."""
        return self.t(NOT_ASKED)

    def criterion_title(self, criterion_id: str) -> str:
        """A criterion's short name (CRITERION_TITLES). Raises KeyError for an unknown id."""
        title = CRITERION_TITLES[criterion_id]
        if criterion_id == "submission_window":
            days = self.assessment.submission_window_days or parameters.in_force_or_first(
                "submission_window_days", self.assessment.assessment_date)
            title = msg(title.msgid, days=days)
        return self.t(title)

    @per_sheet
    def instead(self) -> list[dict]:
        """What the person can do instead (the report's `instead`, each id once), each with
        `journey` (its id, when another journey of this tool checks it: JOURNEYS) and `start`
        (the words of the button that starts it), else None for both."""
        out = []
        for i in self.data["instead"]:
            journey = i["id"] if i["id"] in JOURNEYS else None
            out.append({**i, "journey": journey,
                        "start": self.t(JOURNEYS[journey]) if journey else None})
        return out

    def says_suggestion(self, item: dict) -> bool:
        """Whether one of an item's texts already says "Our suggestion" in the sheet's
        language."""
        word = self.suggestion_word
        return any(word in (item.get(f) or "").casefold() for f in TEXT_FIELDS)

    @per_sheet
    def suggestion_word(self) -> str:
        """"Our suggestion" in the sheet's language, case-folded, to find it in a text."""
        return self.t(OUR_SUGGESTION).casefold()

    @per_sheet
    def ours(self) -> str:
        """The citation of our own suggestions ("Our suggestion, not an IRCC requirement") in
        the sheet's language."""
        return self.t(SOURCES["ours"].title)

    def cited(self, item: dict) -> bool:
        """Whether to show an item's source. One "Our suggestion" per item: an item whose text
        says it and whose source is only our suggestion has no other source to show."""
        return not (item["citation"] == self.ours and self.says_suggestion(item))

    def tag(self, item: dict) -> bool:
        """Whether an item carries the "Our suggestion" tag: a suggestion (`suggestion`) whose
        text does not say so and whose source is not "Our suggestion, not an IRCC
        requirement"."""
        return (bool(item.get("suggestion")) and not self.says_suggestion(item)
                and item["citation"] != self.ours)

    @per_sheet
    def entries_by_form(self) -> list[tuple[str, list[dict]]]:
        """[(form, its entries)], in the report's order ("envelope" is a form here)."""
        groups: dict[str, list[dict]] = {}
        for e in self.data["field_entries"]:
            groups.setdefault(e["form"], []).append(e)
        return list(groups.items())

    @staticmethod
    def shared_note(entries: list[dict]) -> str | None:
        """The note every one of a form's entries carries, when there are several and it is the
        same (an extension's "Our suggestion: …" on each box): said once, under the form's
        heading, rather than after each entry. None otherwise."""
        notes = {e.get("note") for e in entries}
        return notes.pop() if len(entries) > 1 and len(notes) == 1 else None

    def form_heading(self, form: str) -> str:
        """The heading of a form's entries: its name, or "On the envelope"."""
        return self.t(ON_THE_ENVELOPE) if form == "envelope" else form

    @property
    def prominent(self) -> list[dict]:
        """The report's warnings marked `prominent` (CONTRACT.md v2: shown beside the verdict,
        on the page and in the PDF): that letters are no longer sent, an expired passport. That
        letters are no longer sent is said once: not here when the summary already says it."""
        said = self.assessment.summary_says_closed
        return [w for w in self.data["warnings"] if w["prominent"]
                and not (said and w["id"] == "invitations_stopped")]

    @property
    def other_warnings(self) -> list[dict]:
        """The report's other warnings, shown under "Good to know"."""
        return [w for w in self.data["warnings"] if not w["prominent"]]

    @property
    def conditions(self) -> list[dict]:
        """The conditions the instructions say the permit carries (the report's
        `permit.conditions`: id, text, source, citation); none without a permit."""
        return (self.data["permit"] or {}).get("conditions", [])

    @property
    def permit_text(self) -> str | None:
        """The permit's validity in words, or None when no permit length applies (a family
        member's): none while the passport has expired, until the passport's expiry when it cuts
        the permit short, else the permit's length in calendar months (manual, "Final decision –
        Approval"). The rules decided each of these (`Assessment.passport_expired`,
        `capped_by_passport_expiry`, `permit_months`); this only words them."""
        a, permit = self.assessment, self.data["permit"]
        if permit is None:  # not eligible: no permit to describe (CONTRACT.md v2)
            return None
        if permit["ends_no_later_than"]:  # a family member's
            return self.t(msg("Ends no later than %(date)s (the principal applicant’s permit "
                              "or the family member’s passport, whichever ends first)",
                              date=date.fromisoformat(permit["ends_no_later_than"])))
        if not a.permit_months:
            return None
        if a.passport_expired:
            return self.t(msg("None while your passport has expired (it expired on %(date)s): "
                              "officers cannot issue a work permit beyond the validity of the "
                              "passport.", date=a.answers.passport_expiry))
        if a.capped_by_passport_expiry:
            return self.t(msg("Until %(date)s, when your passport expires (otherwise "
                              "%(months)s months)", date=a.capped_by_passport_expiry,
                              months=a.permit_months))
        if permit["capped_if_issued_after"]:
            return self.t(msg("%(months)s months from the date of issue; a permit issued after "
                              "%(after)s ends on %(date)s, when your passport expires",
                              months=a.permit_months,
                              after=date.fromisoformat(permit["capped_if_issued_after"]),
                              date=a.answers.passport_expiry))
        return self.t(msg("%(months)s months from the date of issue", months=a.permit_months))

    @per_sheet
    def facts(self) -> list[tuple[str, str]]:
        """[(label, value)] of the key facts, in the order both renderers show them: the
        date, the form, who processes it, the last day to submit, the permit's validity and
        the exemption code, as the rules decided them."""
        s = self.data
        out = [(self.t(YOUR_LABEL), self.assessment.answers.label)] \
            if self.assessment.answers.label else []
        out += [(self.t(ASSESSED_AS_OF), self.day(s["assessment_date"])),
               (self.t(FORM), s["form"] or self.t(
                   FORM_NOT_KNOWN if self.assessment.answers.residence is None else NONE_APPLIES))]
        if s["processing_office"]:
            out.append((self.t(PROCESSED_BY), s["processing_office"]["text"]))
        if s["submission_deadline"]:
            out.append((self.t(LAST_DAY), self.day(s["submission_deadline"])))
        permit = self.permit_text
        if permit:
            out.append((self.t(PERMIT_VALIDITY), permit))
        if s["exemption_code"]:
            out.append((self.t(EXEMPTION_CODE), s["exemption_code"]))
        return out

    @per_sheet
    def timeline(self) -> list[dict]:
        """The person's dates, in date order (a same day in the order of TIMELINE_KINDS), as
        dicts of `date` (ISO), `day` (written out), `label` and `kind`; only the dates known.
        Every purpose has the date of this assessment; a first application the CSQ's issue and
        expiry, the permanent residence application, the letter's date and receipt, and the
        last day to submit (or, with none, the end of the days after the letter); an extension
        the permanent residence application and the current permit's expiry (once it has expired,
        the last day to apply to restore the status); a family member
        the principal's permit expiry and the day the principal must be authorized to work
        until. The permit's end if issued on the assessment date (first application,
        extension), and the passport's expiry when it matters: a family member's (the permit
        ends no later than it), or one that has expired or cuts the permit short. The rules
        worked out each date (webapp.rules.Assessment); this only picks and words them. Empty
        when only the assessment's date is known."""
        a, ans, purpose = self.assessment, self.assessment.answers, self.assessment.purpose
        found: list[tuple[str, date | None, Any]] = [("assessment_date", a.assessment_date, None)]
        if purpose == "initial":
            found += [("csq_issued", ans.csq.issued, None), ("csq_expiry", a.csq_expiry, None),
                      ("letter_dated", ans.invitation.dated, None),
                      ("letter_received", ans.invitation.received_on, None),
                      ("submission_deadline", a.submission_deadline, None)]
            if a.submission_window_end not in (None, a.submission_deadline):
                found.append(("window_end", a.submission_window_end, msg(
                    "End of the %(days)s days after the letter", days=a.submission_window_days)))
        if purpose in ("initial", "extension"):
            found.append(("pr_submitted", ans.pr_application.submitted_on, None))
            if not a.passport_expired:
                found.append(("permit_end", a.permit_valid_until, None))
        if purpose == "extension":
            found.append(("current_permit_expiry", ans.current_permit_expiry, None))
            found.append(("restoration_end", a.restoration_until, None))
        if purpose == "family":
            found.append(("principal_permit_expiry", ans.principal.permit_expiry, None))
            if ans.principal.applying_together is not True:
                found.append(("principal_needed_until", a.principal_needed_until, msg(
                    "%(months)s months after this assessment: the principal applicant must be "
                    "authorized to work until at least this day", months=a.principal_months)))
        if purpose == "family" or a.passport_expired or a.capped_by_passport_expiry:
            found.append(("passport_expiry", ans.passport_expiry, None))
        order = {kind: i for i, kind in enumerate(TIMELINE_KINDS)}
        known = sorted(((day, order[kind], kind, label) for kind, day, label in found
                        if day is not None), key=lambda f: f[:2])
        if len(known) < 2:  # the assessment's date alone is no timeline: the key facts give it
            return []
        return [{"date": day.isoformat(), "day": self.day(day),
                 "label": self.t(label or TIMELINE_LABELS[kind]), "kind": kind}
                for day, _, kind, label in known]

    def timeline_svg(self) -> Markup | None:
        """The result page's drawing of the timeline (webapp.timeline_svg, 720 pixels wide);
        None without dates."""
        found = self.timeline_geometry(width=720, char=7.6, line=17)
        return svg(found) if found is not None else None

    def timeline_geometry(self, **units: Any) -> Geometry | None:
        """The timeline laid out for drawing in a renderer's `units` (webapp.timeline.geometry:
        width, char, line, wrap...); None when there is no date."""
        return geometry(self.timeline, **units)

    @per_sheet
    def reminders(self) -> list[dict]:
        """Dates worth a calendar entry (webapp.rules.reminders), as both renderers show them:
        dicts of id, ISO date, date written out, title, description, suggestion, and the
        source's url and citation (webapp.report.citation)."""
        out = []
        for r in reminders(self.assessment):
            url, cited = citation(r.source, self.lang)
            out.append({"id": r.id, "date": r.day.isoformat(), "day": self.day(r.day),
                        "title": self.t(r.title), "description": self.t(r.description),
                        "suggestion": r.suggestion, "source": url, "citation": cited})
        return out

    @property
    def fee_sources(self) -> list[dict]:
        """The report's fees, one per distinct citation, to cite each fee source once."""
        seen, out = set(), []
        for f in self.data["fees"]:
            if f["citation"] not in seen:
                seen.add(f["citation"])
                out.append(f)
        return out

    @property
    def fee_total(self) -> str:
        """Processing + open work permit holder + biometrics for one person, written as money
        (the amounts are whole Canadian dollars; IRCC fee pages, not the manual)."""
        total = sum(f["amount"] for f in self.data["fees"] if f["id"] in FEE_IDS)
        return format_money(total, self.lang)
