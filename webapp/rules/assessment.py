"""`assess(answers, on=date)`: the whole verdict for one set of answers, as of one date.

Everything the page, the PDF and the JSON show is decided here, once, in no language; the
renderers only translate and lay it out.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from . import parameters
from .answers import Answers
from .criteria import CONSTANT_FINDINGS, CRITERIA, IN_CANADA, Case
from .dates import add_months
from .model import (ELIGIBLE, INCOMPLETE, NOT_ELIGIBLE, NOT_MET, UNKNOWN, Assessment, Document,
                    Fee, FieldEntry, Finding, Warning)
from .text import Text, msg

MONTREAL = ZoneInfo("America/Montreal")
IMM_1295, IMM_5710 = "IMM 1295", "IMM 5710"

# The exact entries of the manual ("Receipt of open work permit applications"); the dash is U+2013.
OPEN_WORK_PERMIT = "Open Work Permit"
JOB_TITLE = "CSQ holder outside Quebec – OWP"
DUTIES = "A76: International Mobility Program Plus"
ENVELOPE = "International Mobility Program Plus – A76 cap"


def today() -> date:
    """Today in Montreal, the default assessment date."""
    return datetime.now(MONTREAL).date()


def outcome_of(criteria: tuple[Finding, ...]) -> str:
    statuses = {c.status for c in criteria}
    if NOT_MET in statuses:
        return NOT_ELIGIBLE
    if UNKNOWN in statuses:
        return INCOMPLETE
    return ELIGIBLE


def assess(answers: Answers, on: date | None = None) -> Assessment:
    """Assess `answers` as of `on` (else the answers' own date, else today in Montreal)."""
    on = on or answers.assessment_date or today()
    purpose = answers.purpose or "initial"
    case = Case(answers, on)
    criteria = tuple([check(case) for check in CRITERIA[purpose]])
    outcome = outcome_of(criteria)
    form = _form(answers, purpose)
    months = (case.p["permit_months"] if purpose == "initial"
              else case.p["extension_months"] if purpose == "extension" else None)
    capped, valid_until = _permit_end(answers.passport_expiry, on, months)
    code = _exemption_code(answers, purpose)
    return Assessment(
        answers=answers,
        assessment_date=on,
        purpose=purpose,
        outcome=outcome,
        summary=_summary(case, purpose, outcome, criteria, code),
        criteria=criteria,
        form=form,
        processing_office=_office(answers, purpose, form),
        submission_deadline=case.submission_deadline if purpose == "initial" else None,
        permit_months=months,
        capped_by_passport_expiry=capped,
        permit_valid_until=valid_until,
        exemption_code=code,
        field_entries=_entries(answers, purpose, form),
        checklist=_checklist(case, purpose, code),
        warnings=_warnings(case, purpose, code, capped),
        fees=_fees(on),
    )


def _form(a: Answers, purpose: str) -> str | None:
    if purpose == "extension":
        return IMM_5710
    if a.residence == "outside_canada":
        return IMM_1295
    if a.residence == IN_CANADA or (purpose == "family" and a.residence == "quebec"):
        return IMM_5710
    return None


_MIGRATION_OFFICE = msg("The IRCC migration office responsible for your application "
                        "(applications made outside Canada on IMM 1295).")
_CENTRALIZED_NETWORK = msg("IRCC’s Centralized Network (applications on IMM 5710 from people "
                           "living in Canada outside Quebec).")


def _office(a: Answers, purpose: str, form: str | None) -> Text | None:
    if purpose != "initial" or form is None:
        return None
    return _MIGRATION_OFFICE if form == IMM_1295 else _CENTRALIZED_NETWORK


def _permit_end(passport: date | None, on: date, months: int | None):
    """(passport expiry if it cuts the permit short, else None; estimated last day of validity)."""
    if months is None:
        return None, None
    full = add_months(on, months)
    if passport is not None and passport < full:
        return passport, passport
    return None, full


def _exemption_code(a: Answers, purpose: str) -> str | None:
    if purpose != "family":
        return "A76"
    if a.principal.pr_submitted is True:
        return "C49"
    if a.principal.pr_submitted is False:
        return {"spouse": "C41", "child": "C46"}.get(a.family_member or "")
    return None


def _summary(case: Case, purpose: str, outcome: str, criteria, code: str | None) -> Text:
    on = case.on
    if purpose == "initial":
        stopped = case.p["invitations_stopped_on"]
        failed = {c.id for c in criteria if c.status == NOT_MET}
        if stopped is not None and failed & {"invitation", "submission_window"}:
            return msg("As of %(date)s, a first A76 application cannot succeed for you. MIFI has "
                       "sent no letters of invitation since %(stopped)s; only letters dated up to "
                       "%(cutoff)s, are processed, within 90 days of receipt.", date=on,
                       stopped=stopped,
                       cutoff=case.p["invitation_last_letter_date"])
        if outcome == ELIGIBLE:
            return msg("Eligible as of %(date)s: you meet every criterion of the A76 category. "
                       "Submit by %(deadline)s.", date=on, deadline=case.submission_deadline)
    if purpose == "extension" and outcome == ELIGIBLE:
        return msg("As of %(date)s, an extension of your A76 permit can be considered: every "
                   "criterion is met. Officers decide extensions case by case.", date=on)
    if purpose == "family" and outcome == ELIGIBLE:
        if code:
            return msg("As of %(date)s, the family member can apply for an open work permit "
                       "under code %(code)s.", date=on, code=code)
        return msg("As of %(date)s, the principal applicant’s permit qualifies the family "
                   "member; answer the remaining questions to find the code.", date=on)
    if outcome == NOT_ELIGIBLE:
        return msg("Not eligible as of %(date)s: at least one criterion is not met. The reasons "
                   "are below.", date=on)
    return msg("Cannot tell yet as of %(date)s: some answers are missing. The criteria below say "
               "which.", date=on)


_BOX1 = msg("Box 1: What type of work permit are you applying for?")
_BOX4_TITLE = msg("Box 4: My occupation in Canada will be: Job title")
_BOX4_DUTIES = msg("Box 4: My occupation in Canada will be: Brief description of duties")
_ENVELOPE = FieldEntry("envelope", "envelope", msg("On the envelope"), ENVELOPE, "eligibility")
_EXTENSION_NOTE = msg("Our suggestion: the manual gives these entries for first applications and "
                      "none for extensions; using the same ones keeps your file recognizable as "
                      "A76.")
_FAMILY_BOX1_NOTE = msg("Our suggestion: a family member of an A76 holder applies for an open "
                        "work permit.")
_FAMILY_BOX3_NOTE = msg("The manual says the province of destination of a family member should "
                        "be “Quebec”, not “unknown”.")


def _initial_entries(form: str) -> tuple[FieldEntry, ...]:
    return (FieldEntry(form, "1", _BOX1, OPEN_WORK_PERMIT, "owp"),
            FieldEntry(form, "4", _BOX4_TITLE, JOB_TITLE, "owp"),
            FieldEntry(form, "4", _BOX4_DUTIES, DUTIES, "owp"))


def _family_entries(form: str) -> tuple[FieldEntry, ...]:
    return (FieldEntry(form, "1", _BOX1, OPEN_WORK_PERMIT, "ours", True, _FAMILY_BOX1_NOTE),
            FieldEntry(form, "3", msg("Box 3: Intended location: province"), "Quebec", "permits",
                       False, _FAMILY_BOX3_NOTE))


_ENTRIES = {
    ("initial", IMM_1295): _initial_entries(IMM_1295),
    ("initial", IMM_5710): _initial_entries(IMM_5710),
    ("family", IMM_1295): _family_entries(IMM_1295),
    ("family", IMM_5710): _family_entries(IMM_5710),
    ("extension", IMM_5710): tuple(
        FieldEntry(IMM_5710, e.box, e.label, e.value, "ours", True, _EXTENSION_NOTE)
        for e in _initial_entries(IMM_5710)),
}


def _entries(a: Answers, purpose: str, form: str | None) -> tuple[FieldEntry, ...]:
    """The exact entries for the form that applies (both forms while it is not known)."""
    out = (_ENTRIES[purpose, form] if form
           else _ENTRIES[purpose, IMM_1295] + _ENTRIES[purpose, IMM_5710])
    if purpose == "initial" and a.channel == "paper":
        out += (_ENVELOPE,)
    return out


_CSQ = Document("csq", msg("Your Quebec Selection Certificate (CSQ)"), msg(
    "Proves that Quebec selected you as a skilled worker, and that your CSQ is valid when you "
    "submit."), "evidence")
_INVITATION_LETTER = Document("invitation_letter", msg(
    "The letter of invitation from the Government of Quebec (MIFI), in French"), msg(
    "Proves that Quebec invited you to apply under code A76; it must be dated on or before "
    "January 15, 2025, and you must apply within 90 days of receiving it."), "evidence")
_INTENT = Document("intent_to_reside", msg(
    "Documents showing that you intend to reside in Quebec"), msg(
    "Proves your intention to live in Quebec. The manual does not list which documents; a lease, "
    "a job offer or a school enrolment in Quebec are our suggestions."), "evidence")
_PR_PROOF = Document("pr_proof", msg(
    "Proof of your permanent residence application: the email confirmation (with an X number), "
    "the acknowledgment of receipt letter (with an E number) or the approval in principle "
    "letter"), msg(
    "Proves that you applied for permanent residence under one of Quebec’s economic streams, "
    "which keeps your CSQ valid while IRCC processes it."), "evidence")
_RESIDENCE_PROOF = Document("residence_outside_quebec", msg(
    "Proof that you live in Canada outside Quebec, such as lease agreements or your most recent "
    "notice of assessment from the Canada Revenue Agency"), msg(
    "Proves where you live when you apply. Upload it in the “Client Information” slot of the "
    "online application."), "evidence")
_STATUS_DOCUMENT = Document("status_document", msg("Your current permit or visitor record"), msg(
    "Shows your temporary resident status in Canada. Our suggestion: the manual requires the "
    "status but lists no document for it."), "ours", True)
_EXTENSION_PR_PROOF = Document("pr_proof", msg(
    "The acknowledgment of receipt letter from IRCC for your permanent residence application"),
    msg("Proves that your permanent residence application was submitted and is in processing, "
        "which an extension requires. No new letter of invitation is needed."), "extensions")
_CURRENT_PERMIT = Document("current_permit", msg("Your current A76 work permit"), msg(
    "Shows the permit you are extending. Our suggestion: the manual lists only the "
    "acknowledgment of receipt letter."), "ours", True)
_PRINCIPAL_PERMIT = Document("principal_permit", msg(
    "The principal applicant’s A76 work permit, or the letter approving it"), msg(
    "Shows that the principal holds or is approved for an A76 permit. Our suggestion: the A76 "
    "manual does not list documents for family members."), "ours", True)
_RELATIONSHIP = Document("relationship", msg(
    "Proof of your relationship to the principal applicant, such as a marriage certificate or a "
    "birth certificate"), msg(
    "Shows that you are the spouse, common-law partner or dependent child of the principal. Our "
    "suggestion."), "ours", True)
_PRINCIPAL_PR_PROOF = Document("principal_pr_proof", msg(
    "Proof that the principal applicant has applied for permanent residence"), msg(
    "The manual uses code C49 when the principal has applied for permanent residence. Which "
    "document to give is our suggestion."), "ours", True)
_PASSPORT = Document("passport", msg("Your valid passport"), msg(
    "Identifies you; a permit is not valid beyond it. Our suggestion: the manual does not list it "
    "under documentary evidence."), "ours", True)


def _checklist(case: Case, purpose: str, code: str | None) -> tuple[Document, ...]:
    if purpose == "initial":
        docs = [_CSQ, _INVITATION_LETTER, _INTENT]
        if case.pr_submitted:
            docs.append(_PR_PROOF)
        if case.a.residence == IN_CANADA:
            docs += (_RESIDENCE_PROOF, _STATUS_DOCUMENT)
    elif purpose == "extension":
        docs = [_EXTENSION_PR_PROOF, _CURRENT_PERMIT]
    else:
        docs = [_PRINCIPAL_PERMIT, _RELATIONSHIP]
        if code == "C49":
            docs.append(_PRINCIPAL_PR_PROOF)
    docs.append(_PASSPORT)
    return tuple(docs)


_ONLINE_CHECKLIST = Warning("online_checklist", msg(
    "The online document checklist does not ask for every mandatory document: upload the "
    "documents of this checklist yourself, following IRCC’s instructions for IMP+."), "owp")
_RESTORATION = Warning("restoration", msg(
    "Your status must be restored: restoration has conditions of its own, which this tool does "
    "not check."), "eligibility")
_PAPER = Warning("paper", msg(
    "Paper applications are only for applicants exempt from applying online. Write "
    "“International Mobility Program Plus – A76 cap” on the envelope."), "eligibility")
_R200 = Warning("r200", msg(
    "An officer must also be satisfied that you meet every requirement of IRPR s. 200, for "
    "example that you will leave Canada at the end of your authorized stay if your permanent "
    "residence application is refused."), "refusal")
_EXTENSION_DISCRETION = Warning("extension_discretion", msg(
    "Extensions are considered case by case. An extension lasts 1 year, but officers may use "
    "their discretion depending on processing times for Quebec skilled worker permanent "
    "residence applications."), "extensions")
_QUEBEC_ONLY = Warning("quebec_only", msg(
    "A family member’s work permit is restricted to Quebec in general, not to a specific city. "
    "The principal applicant does not need to be employed."), "permits")
_CODE_UNKNOWN = Warning("code_unknown", msg(
    "The code depends on whether the principal has applied for permanent residence (C49) and, "
    "if not, on whether you are a spouse or common-law partner (C41) or a dependent child "
    "(C46): answer those questions to know it."), "permits")


def _invitations_stopped(p: dict) -> Warning | None:
    """The notice that MIFI sends no more letters, in the period of the parameters `p`."""
    if p["invitations_stopped_on"] is None:
        return None
    return Warning("invitations_stopped", msg(
        "Since %(stopped)s, MIFI no longer sends letters of invitation. Only letters dated up to "
        "%(cutoff)s, are processed, and only within 90 days of receipt: without such a letter, a "
        "first A76 application cannot succeed.", stopped=p["invitations_stopped_on"],
        cutoff=p["invitation_last_letter_date"]), "intro")


# That notice in each period of the parameters, made once: the same for everyone.
_INVITATIONS_STOPPED = tuple(_invitations_stopped(p) for p in parameters.SNAPSHOTS)


def _warnings(case: Case, purpose: str, code: str | None, capped: date | None):
    a, on = case.a, case.on
    out: list[Warning] = []
    if purpose == "initial":
        stopped = _INVITATIONS_STOPPED[parameters.period(on)]
        if stopped is not None:
            out.append(stopped)
        cap = case.p["intake_cap"]
        if cap is not None:
            out.append(Warning("processing_cap", msg(
                "At most %(cap)s A76 applications are accepted for intake in %(year)s, whether "
                "later approved, refused or withdrawn. Applications received over the cap are "
                "cancelled (online) or returned (paper), and the processing and open work permit "
                "holder fees are refunded.", cap=cap, year=str(on.year)),
                parameters.PARAMETERS["intake_cap"].source_at(on)))
        out.append(_ONLINE_CHECKLIST)
        if a.residence == IN_CANADA and a.status_in_canada == "restorable":
            out.append(_RESTORATION)
        if a.channel == "paper":
            out.append(_PAPER)
        inv = a.invitation
        if inv.dated and inv.received_on and inv.received_on < inv.dated:
            out.append(Warning("letter_dates", msg(
                "You received the letter on %(received)s, before the date on it (%(dated)s): "
                "check both dates.", received=inv.received_on, dated=inv.dated), "intro"))
        if inv.received_on and inv.received_on > on and case.submission_deadline:
            out.append(Warning("letter_not_yet_received", msg(
                "You received your letter on %(received)s, after %(date)s, the date of this "
                "assessment: on %(date)s you could not yet apply with it. You can from "
                "%(received)s to %(deadline)s.", received=inv.received_on, date=on,
                deadline=case.submission_deadline), "intro"))
        out.append(_R200)
    elif purpose == "extension":
        out.append(_EXTENSION_DISCRETION)
        if a.current_permit_expiry is not None:
            out.append(Warning("apply_before_expiry", msg(
                "Your current permit expires on %(expiry)s. Our suggestion: apply for the "
                "extension well before that day.", expiry=a.current_permit_expiry), "ours", True))
    else:
        out.append(_QUEBEC_ONLY)
        if code is None:
            out.append(_CODE_UNKNOWN)
    if a.passport_expiry is not None and a.passport_expiry < on:
        out.append(Warning("passport_expired", msg(
            "Your passport expired on %(expiry)s, before %(date)s.", expiry=a.passport_expiry,
            date=on), "approval"))
    elif capped is not None:
        out.append(Warning("passport_caps_permit", msg(
            "Your passport expires on %(expiry)s: a permit is valid only until the passport "
            "expires, so yours would end then. Renewing your passport first is our suggestion.",
            expiry=capped), "approval"))
    return tuple(out)


_FEE_LABELS = (
    ("work_permit_processing", msg("Work permit processing fee")),
    ("open_work_permit_holder", msg("Open work permit holder fee")),
    ("biometrics", msg("Biometrics, per person")),
    ("biometrics_family", msg("Biometrics, family applying together")),
)


def _fees_in_force(p: dict) -> tuple[Fee, ...]:
    out = []
    for key, label in _FEE_LABELS:
        name = "fee_" + key
        amount = p[name]
        if amount is not None:
            out.append(Fee(key, amount, label, parameters.PARAMETERS[name].source))
    return tuple(out)


# The fees of each period of the parameters, worked out once: the same for everyone.
_FEES = tuple(_fees_in_force(p) for p in parameters.SNAPSHOTS)


def _fees(on: date) -> tuple[Fee, ...]:
    return _FEES[parameters.period(on)]


# Every piece above that is made once, at import, and never changes: a renderer may translate
# each of them once per language (webapp.report) rather than on every assessment.
CONSTANT_PIECES = (
    *CONSTANT_FINDINGS,
    *(e for entries in _ENTRIES.values() for e in entries), _ENVELOPE,
    _CSQ, _INVITATION_LETTER, _INTENT, _PR_PROOF, _RESIDENCE_PROOF, _STATUS_DOCUMENT,
    _EXTENSION_PR_PROOF, _CURRENT_PERMIT, _PRINCIPAL_PERMIT, _RELATIONSHIP, _PRINCIPAL_PR_PROOF,
    _PASSPORT,
    _ONLINE_CHECKLIST, _RESTORATION, _PAPER, _R200, _EXTENSION_DISCRETION, _QUEBEC_ONLY,
    _CODE_UNKNOWN, *(w for w in _INVITATIONS_STOPPED if w is not None),
    *(fee for fees in _FEES for fee in fees),
)
