"""`assess(answers, on=date)`: the whole verdict for one set of answers, as of one date.

Everything the page, the PDF and the JSON show is decided here, once, in no language; the
renderers only translate and lay it out. Each finding, checklist item, entry, warning and fee is
built where it is decided, its numbers read from the parameters in force (parameters.toml).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from . import parameters
from .answers import Answers
from .criteria import CRITERIA, IN_CANADA, Case, csq_cut, restoration_last_day
from .dates import add_months
from .model import (ELIGIBLE, INCOMPLETE, NOT_ELIGIBLE, NOT_MET, UNKNOWN, Advice, Assessment,
                    Condition, Document, Fee, FieldEntry, Finding, Permit, Warning)
from .sources import SOURCES
from .text import Text, msg

MONTREAL = ZoneInfo("America/Montreal")
IMM_1295, IMM_5710 = "IMM 1295", "IMM 5710"

# The exact entries of the manual ("Receipt of open work permit applications"); the dash is U+2013.
OPEN_WORK_PERMIT = "Open Work Permit"
JOB_TITLE = "CSQ holder outside Quebec – OWP"
DUTIES = "A76: International Mobility Program Plus"
ENVELOPE = "International Mobility Program Plus – A76 cap"


def today() -> date:
    """Today in Montreal (America/Montreal), the default assessment date."""
    return datetime.now(MONTREAL).date()


def outcome_of(criteria: tuple[Finding, ...]) -> str:
    """The outcome of a set of findings: "not_eligible" if any is not met, else "incomplete" if
    any is unknown, else "eligible" (CONTRACT.md, "Assessment")."""
    statuses = {c.status for c in criteria}
    if NOT_MET in statuses:
        return NOT_ELIGIBLE
    if UNKNOWN in statuses:
        return INCOMPLETE
    return ELIGIBLE


def assessment_day(answers: Answers, on: date | None = None) -> date:
    """The day `answers` are assessed as of: `on`, else the answers' own date, else today in
    Montreal."""
    return on or answers.assessment_date or today()


def assess(answers: Answers, on: date | None = None) -> Assessment:
    """Assess `answers` (parsed `Answers`) as of `on` (else the answers' own date, else today in
    Montreal: `assessment_day`), for their purpose ("initial" when not given). Returns an
    `Assessment`, in no language. Raises nothing for any answers `parse_answers` accepts."""
    on = assessment_day(answers, on)
    purpose = answers.purpose or "initial"
    case = Case(answers, on)
    criteria = tuple([check(case) for check in CRITERIA[purpose]])
    outcome = outcome_of(criteria)
    eligible_or_open = outcome != NOT_ELIGIBLE
    form = _form(answers, purpose)
    permit = _permit(case, purpose) if eligible_or_open else None
    expired = answers.passport_expiry is not None and answers.passport_expiry < on
    code = _exemption_code(answers, purpose) if eligible_or_open else None
    deadline = case.submission_deadline if purpose == "initial" and eligible_or_open else None
    office, office_source = _office(purpose, form)
    summary, closure_said = _summary(case, purpose, outcome, criteria, code)
    return Assessment(
        answers=answers,
        assessment_date=on,
        purpose=purpose,
        outcome=outcome,
        summary=summary,
        criteria=criteria,
        form=form,
        processing_office=office,
        processing_office_source=office_source,
        submission_deadline=deadline,
        deadline_is_csq_expiry=deadline is not None and case.deadline_is_csq_expiry,
        submission_window_days=case.window_days if purpose == "initial" else None,
        permit=permit,
        permit_months=permit.months if permit else None,
        capped_by_passport_expiry=permit.capped_by_passport_expiry if permit else None,
        permit_valid_until=permit.valid_until if permit else None,
        passport_expired=expired,
        exemption_code=code,
        field_entries=_entries(answers, purpose, form),
        checklist=_checklist(case, purpose, _exemption_code(answers, purpose)),
        warnings=_warnings(case, purpose, _exemption_code(answers, purpose), permit, expired,
                           deadline, criteria),
        fees=_fees(on),
        instead=_instead(criteria, outcome),
        summary_says_closed=closure_said,
        csq_expiry=case.csq_expiry,
        submission_window_end=case.window_end if purpose == "initial" else None,
        principal_months=case.principal_months,
        principal_needed_until=case.principal_needed_until,
        restoration_until=_restoration_until(case, purpose),
    )


def _restoration_until(case: Case, purpose: str) -> date | None:
    """For an extension whose current permit expired before the assessment date: the last day
    to apply to restore the status (IRPR s. 182), past or not. None otherwise."""
    expiry = case.a.current_permit_expiry
    if purpose != "extension" or expiry is None or expiry >= case.on:
        return None
    return restoration_last_day(case, expiry)[1]


def _instead(criteria: tuple[Finding, ...], outcome: str) -> tuple[Advice, ...]:
    """What the person can do instead (CONTRACT.md v2, fixed ids), when not eligible: what each
    criterion not met offers (built where it is decided), each id once, then our suggestion to
    ask an authorized representative. Empty otherwise."""
    if outcome != NOT_ELIGIBLE:
        return ()
    seen: dict[str, Advice] = {}
    for c in criteria:
        if c.status == NOT_MET:
            for advice in c.instead:
                seen.setdefault(advice.id, advice)
    seen["ask_representative"] = Advice("ask_representative", msg(
        "Our suggestion: someone authorized to give immigration advice, such as a lawyer or a "
        "licensed immigration consultant, can look at your whole situation."), "ours")
    return tuple(seen.values())


def _form(a: Answers, purpose: str) -> str | None:
    """IMM 1295 outside Canada, IMM 5710 in Canada or for an extension (manual, "Receipt of open
    work permit applications"); None while it is not known where the person lives."""
    if purpose == "extension":
        return IMM_5710
    if a.residence == "outside_canada":
        return IMM_1295
    if a.residence == IN_CANADA or (purpose == "family" and a.residence == "quebec"):
        return IMM_5710
    return None


def _office(purpose: str, form: str | None) -> tuple[Text | None, str | None]:
    """(who processes a first application on `form`, the source key that says so: manual,
    "Receipt of open work permit applications"), or (None, None)."""
    if purpose != "initial" or form is None:
        return None, None
    if form == IMM_1295:
        return msg("The IRCC migration office responsible for your application (applications "
                   "made outside Canada on IMM 1295)."), "owp"
    return msg("IRCC’s Centralized Network (applications on IMM 5710 from people living in "
               "Canada outside Quebec)."), "owp"


def _conditions(purpose: str) -> tuple[Condition, ...]:
    """The conditions the instructions say are imposed (CONTRACT.md v2, "permit"): for an A76
    permit the location condition and Quebec as the province (manual, "Final decision –
    Approval"); for a family member, Quebec in general (manual, "Open work permits for family
    members"); for both, the occupation restriction when no medical examination was done (the
    open work permit instructions the approval tables point to). No answer says whether an
    examination was done, so that condition says when it applies."""
    medical = Condition("medical", msg(
        "Only if no immigration medical examination was completed: a condition restricting "
        "work in child care, primary or secondary school teaching and health services "
        "occupations, and also in agricultural occupations for people who have resided in a "
        "designated country."), "open_medical")
    if purpose == "family":
        return (Condition("province", msg(
                    "Restricted to Quebec in general, not to a specific city."), "permits"),
                medical)
    return (Condition("location", msg(
                "“Not authorized to work in any location other than stated”: the province is "
                "Quebec."), "approval"),
            medical)


def _permit(case: Case, purpose: str) -> Permit:
    """The permit of an application not (yet) refused (CONTRACT.md v2, "permit"): `months`
    calendar months from the manual ("Final decision – Approval": 36 months or until the
    passport expires, whichever comes first; "Extensions": 1 year), none for a family member,
    whose permit ends no later than the principal's permit and the passport (C41/C46 and C49,
    "Final decision")."""
    a, on = case.a, case.on
    passport = a.passport_expiry
    if purpose == "family":
        known = [d for d in (a.principal.permit_expiry, passport) if d is not None]
        return Permit(None, None, None, min(known) if known else None, None,
                      _conditions(purpose))
    months = case.p["permit_months"] if purpose == "initial" else case.p["extension_months"]
    if months is None:  # before the category began: the first value, as for the other lengths
        months = parameters.in_force_or_first(
            "permit_months" if purpose == "initial" else "extension_months", on)
    full = add_months(on, months)
    capped = passport if passport is not None and passport < full else None
    after = add_months(passport, -months) if passport is not None else None
    return Permit(months, capped, after, None, capped or full, _conditions(purpose))


def _exemption_code(a: Answers, purpose: str) -> str | None:
    """A76, or for a family member C49 (principal applied for permanent residence), C41
    (spouse) or C46 (child) (manual, "Open work permits for family members"); None while the
    family member or the principal's permanent residence application is not known (CONTRACT.md
    v2). The caller gives None when not eligible."""
    if purpose != "family":
        return "A76"
    if a.family_member is None or a.principal.pr_submitted is None:
        return None
    if a.principal.pr_submitted:
        return "C49"
    return {"spouse": "C41", "child": "C46"}.get(a.family_member)


def _summary(case: Case, purpose: str, outcome: str, criteria,
             code: str | None) -> tuple[Text, bool]:
    """(the one-sentence verdict shown first, whether it says that MIFI no longer sends letters):
    for a first application that fails because the person lives in Quebec, that first; for one
    that fails on the letter, this person's decisive reason (the letter's date, the 90 days
    ended, or a letter not yet received)."""
    if purpose == "initial":
        if any(c.id == "residence" and c.status == NOT_MET for c in criteria):
            # living in Quebec decides it, before anything about the letter (manual,
            # Eligibility requirements: who is not eligible)
            return msg("Not eligible as of %(date)s: you live in Quebec, and the A76 category "
                       "is for CSQ holders who live outside Quebec when IRCC receives their "
                       "application. What you can look at instead is below.", date=case.on), False
        decisive = _initial_decisive(case, criteria)
        if decisive is not None:
            return decisive
    if purpose == "extension" and any(c.id == "current_permit_valid" and c.status == NOT_MET
                                      for c in criteria):
        return _expired_permit(case), False
    return _plain_summary(case, purpose, outcome, code, criteria), False


def _expired_permit(case: Case) -> Text:
    """The summary of an extension asked for after the current permit expired: that first,
    whatever else fails (an extension is applied for before the permit expires, FACTS.md:
    maintained status), then the days to restore the status (IRPR s. 182), open or ended."""
    on, expiry = case.on, case.a.current_permit_expiry
    days, last = restoration_last_day(case, expiry)
    if on <= last:
        return msg("Not eligible as of %(date)s: your permit expired on %(expiry)s, and an "
                   "extension is applied for before the permit expires. The way back is to "
                   "restore your status, which is applied for by %(last)s (IRPR s. 182); more "
                   "below.", date=on, expiry=expiry, last=last)
    return msg("Not eligible as of %(date)s: your permit expired on %(expiry)s, and an extension "
               "is applied for before the permit expires. The %(days)s days to restore your "
               "status (IRPR s. 182) ended on %(last)s.", date=on, expiry=expiry, days=days,
               last=last)


def _plain_summary(case: Case, purpose: str, outcome: str, code: str | None,
                   criteria) -> Text:
    """The verdict when no decisive reason (Quebec, the letter, an expired permit) comes
    first."""
    on = case.on
    if purpose == "initial":
        if outcome == ELIGIBLE:
            # CONTRACT.md v2: the manual also requires falling within the processing cap, which
            # no answer can show; never "every criterion".
            source = parameters.PARAMETERS["intake_cap"].source_at(on)
            text = msg("Eligible as of %(date)s: you meet every criterion this tool checks. Your "
                       "application must also fall within the processing cap: at most %(cap)s "
                       "A76 applications are accepted for intake in %(year)s (%(citation)s). "
                       "Submit by %(deadline)s.", date=on, cap=case.p["intake_cap"],
                       year=str(on.year), citation=SOURCES[source].title,
                       deadline=case.submission_deadline)
            return _with_csq_cut(case, text)
    if purpose == "extension" and outcome == ELIGIBLE:
        return msg("As of %(date)s, an extension of your A76 permit can be considered: you meet "
                   "every criterion this tool checks. Officers decide extensions case by case.",
                   date=on)
    if purpose == "family" and outcome == ELIGIBLE:
        return msg("As of %(date)s, the family member meets every criterion this tool checks "
                   "for an open work permit under code %(code)s.", date=on, code=code)
    if outcome == NOT_ELIGIBLE:
        return _first_reason(case, criteria)
    return msg("Cannot tell yet as of %(date)s: some answers are missing. The criteria below say "
               "which.", date=on)


def _first_reason(case: Case, criteria) -> Text:
    """Not eligible, with this person's reason first: the first criterion not met, in the
    report's order (CONTRACT.md v2), its own words; then whether others are not met too."""
    failed = [c for c in criteria if c.status == NOT_MET]
    first = msg("Not eligible as of %(date)s. %(reason)s", date=case.on, reason=failed[0].reason)
    if len(failed) == 1:
        return first
    other = (msg("Another criterion is not met either: see below.") if len(failed) == 2 else
             msg("Other criteria are not met either: see below."))
    return msg("%(first)s %(then)s", first=first, then=other)


def _initial_decisive(case: Case, criteria) -> tuple[Text, bool] | None:
    """The summary of a first application that fails on the letter, giving this person's
    decisive reason first (manual, opening paragraphs): a letter that does not count while MIFI
    no longer sends any; the days after receipt that have ended; or a letter not yet received,
    when nothing else fails (then the days it can be used). With it, whether it says that MIFI
    no longer sends letters (then the page does not say it again). None otherwise."""
    on, stopped = case.on, case.p["invitations_stopped_on"]
    status = {c.id: c.status for c in criteria}
    failed = {cid for cid, s in status.items() if s == NOT_MET}
    days = case.window_days or parameters.in_force_or_first("submission_window_days", on)
    if stopped is not None and "invitation" in failed:
        return msg("As of %(date)s, a first A76 application cannot succeed for you. MIFI has "
                   "sent no letters of invitation since %(stopped)s; only applications with a "
                   "letter dated up to %(cutoff)s, submitted within %(days)s days of receiving "
                   "it, are processed.", date=on,
                   stopped=stopped, cutoff=case.p["invitation_last_letter_date"],
                   days=days), True
    start, end = case.letter_start, case.window_end
    if "submission_window" not in failed or "invitation" in failed or start is None:
        return None
    if on > end:  # the days to submit have ended
        if case.a.invitation.received_on is not None:
            ended = msg("the %(days)s days after you received your letter ended on %(end)s",
                        days=days, end=end)
        else:
            ended = msg("the %(days)s days counted from the date on your letter ended on "
                        "%(end)s", days=days, end=end)
        if stopped is None:
            return msg("Not eligible as of %(date)s: %(ended)s. The reasons are below.",
                       date=on, ended=ended), False
        return msg("Not eligible as of %(date)s: %(ended)s. MIFI has sent no letters of "
                   "invitation since %(stopped)s, so a first A76 application cannot succeed for "
                   "you.", date=on, ended=ended, stopped=stopped), True
    last = case.submission_deadline
    if failed != {"submission_window"} or last is None or last < start:
        return None
    if UNKNOWN in status.values():
        text = msg("Not eligible as of %(date)s, only because you had not yet received your "
                   "letter: you can apply from %(start)s to %(end)s, if the criteria still "
                   "unknown below are met.", date=on, start=start, end=last)
    else:
        text = msg("Not eligible as of %(date)s, only because you had not yet received your "
                   "letter: you can apply from %(start)s to %(end)s.", date=on, start=start,
                   end=last)
    return _with_csq_cut(case, text), False


def _with_csq_cut(case: Case, text: Text) -> Text:
    """`text`, followed, when the CSQ's expiry comes before the end of the days to submit and
    is the last day (CONTRACT.md v2, `submission_deadline`), by why that day is earlier."""
    cut = csq_cut(case)
    return msg("%(first)s %(then)s", first=text, then=cut) if cut is not None else text


def _box1(form: str, source: str, suggestion: bool = False,
          note: Text | None = None) -> FieldEntry:
    return FieldEntry(form, "1", msg("Box 1: What type of work permit are you applying for?"),
                      OPEN_WORK_PERMIT, source, suggestion, note)


def _occupation(form: str, source: str, suggestion: bool = False,
                note: Text | None = None) -> tuple[FieldEntry, FieldEntry]:
    """Box 4's job title and duties, as the manual gives them ("Receipt of open work permit
    applications")."""
    return (FieldEntry(form, "4", msg("Box 4: My occupation in Canada will be: Job title"),
                       JOB_TITLE, source, suggestion, note),
            FieldEntry(form, "4", msg("Box 4: My occupation in Canada will be: Brief description "
                                      "of duties"), DUTIES, source, suggestion, note))


def _form_entries(purpose: str, form: str) -> tuple[FieldEntry, ...]:
    """The entries of one form for `purpose`."""
    if purpose == "initial":
        return (_box1(form, "owp"), *_occupation(form, "owp"))
    if purpose == "extension":
        note = msg("Our suggestion: the manual gives these entries for first applications and "
                   "none for extensions; using the same ones keeps your file recognizable as "
                   "A76.")
        return (_box1(form, "ours", True, note), *_occupation(form, "ours", True, note))
    return (_box1(form, "ours", True, msg("Our suggestion: a family member of an A76 holder "
                                          "applies for an open work permit.")),
            FieldEntry(form, "3", msg("Box 3: Intended location: province"), "Quebec", "permits",
                       True, msg("Our suggestion: enter Quebec here. The manual tells officers "
                                 "that, for family members, the province of destination in "
                                 "IRCC’s system should be “Quebec”, not left as “unknown”; it "
                                 "gives no entry for this box.")))


def _entries(a: Answers, purpose: str, form: str | None) -> tuple[FieldEntry, ...]:
    """The exact entries for the form that applies (both forms while it is not known), and the
    envelope's for a paper application (manual, "Eligibility requirements")."""
    out = (_form_entries(purpose, form) if form
           else _form_entries(purpose, IMM_1295) + _form_entries(purpose, IMM_5710))
    if purpose == "initial" and a.channel == "paper":
        out += (FieldEntry("envelope", "envelope", msg("On the envelope"), ENVELOPE,
                           "eligibility"),)
    return out


def _passport() -> Document:
    return Document("passport", msg("Your valid passport"), msg(
        "Identifies you; a permit is not valid beyond it. Our suggestion: the manual does not "
        "list it under documentary evidence."), "ours", True)


def _checklist(case: Case, purpose: str, code: str | None) -> tuple[Document, ...]:
    """The documents to send (manual, "Documentary evidence" and "Extensions"; the items
    marked as suggestions are ours)."""
    if purpose == "initial":
        return _initial_checklist(case)
    if purpose == "extension":
        return (Document("pr_proof", msg(
                    "The acknowledgment of receipt letter from IRCC for your permanent residence "
                    "application"), msg(
                    "Proves that your permanent residence application was submitted and is in "
                    "processing, which an extension requires. No new letter of invitation is "
                    "needed."), "extensions"),
                Document("current_permit", msg("Your current A76 work permit"), msg(
                    "Shows the permit you are extending. Our suggestion: the manual lists only "
                    "the acknowledgment of receipt letter."), "ours", True),
                _passport())
    c49 = case.a.principal.pr_submitted is True
    docs = [Document("relationship_proof", msg(
                "Proof of your relationship to the principal applicant: for a spouse or "
                "common-law partner, such as a marriage certificate or the Statutory Declaration "
                "of Common-Law Union (IMM 5409); for a dependent child, such as a birth "
                "certificate or adoption papers"), msg(
                "Shows a genuine relationship with the principal, or that you are their "
                "dependent child (IRPR s. 2)."),
                "c49_evidence" if c49 else "c41_c46_evidence"),
            Document("principal_permit", msg(
                "A copy of the principal applicant’s A76 work permit, or of the letter approving "
                "it (letter of introduction)"), msg(
                "Shows that the principal is authorized to work in Canada under A76, for at "
                "least %(months)s months after your application is received, unless their "
                "application goes with yours.", months=parameters.in_force_or_first(
                    "principal_authorization_months", case.on)),
                "c49_evidence" if c49 else "c41_c46_evidence")]
    if code == "C49" or c49:
        docs.append(Document("principal_pr_proof", msg(
            "Proof that you are included in the principal applicant’s permanent residence "
            "application as an accompanying dependant, such as a copy of the IMM 0008 or of the "
            "acknowledgment of receipt"), msg(
            "Code C49 requires that you are included in that application as an accompanying "
            "dependant."), "c49_evidence"))
    docs.append(_passport())
    return tuple(docs)


def _initial_checklist(case: Case) -> tuple[Document, ...]:
    """A first application's documents (manual, "Documentary evidence")."""
    on = case.on
    # The cut-off in force on the assessment date: before MIFI stopped the letters there was
    # none (parameter invitation_last_letter_date, from 2025-01-16).
    cutoff = case.p["invitation_last_letter_date"]
    days = parameters.in_force_or_first("submission_window_days", on)
    if cutoff is not None:
        proves = msg("Proves that Quebec invited you to apply under code A76; it must be dated "
                     "on or before %(cutoff)s, and you must apply within %(days)s days of "
                     "receiving it.", cutoff=cutoff, days=days)
    else:
        proves = msg("Proves that Quebec invited you to apply under code A76; you must apply "
                     "within %(days)s days of receiving it.", days=days)
    docs = [
        Document("csq", msg("Your Quebec Selection Certificate (CSQ)"), msg(
            "Proves that Quebec selected you as a skilled worker, and that your CSQ is valid "
            "when you submit."), "evidence"),
        Document("invitation_letter", msg(
            "The letter of invitation from the Government of Quebec (MIFI), in French"), proves,
            "evidence"),
        Document("intent_to_reside", msg(
            "Documents showing that you intend to reside in Quebec"), msg(
            "Proves your intention to live in Quebec. The manual does not list which documents; "
            "a lease, a job offer or a school enrolment in Quebec are our suggestions."),
            "evidence"),
    ]
    if case.pr_submitted:  # on or before the assessment date (CONTRACT.md v2)
        docs.append(Document("pr_proof", msg(
            "Proof of your permanent residence application: the email confirmation (with an X "
            "number), the acknowledgment of receipt letter (with an E number) or the approval in "
            "principle letter"), msg(
            "Proves that you applied for permanent residence under one of Quebec’s economic "
            "streams, which keeps your CSQ valid while IRCC processes it."), "evidence"))
    if case.a.residence == IN_CANADA:
        where = (msg("Proves where you live when you apply. On paper, put it with the other "
                     "documents of your application: there is no upload slot.")
                 if case.a.channel == "paper" else
                 msg("Proves where you live when you apply. Upload it in the “Client Information” "
                     "slot of the online application."))
        docs += (
            Document("residence_outside_quebec", msg(
                "Proof that you live in Canada outside Quebec, such as lease agreements or your "
                "most recent notice of assessment from the Canada Revenue Agency"), where,
                "evidence"),
            Document("status_document", msg("Your current permit or visitor record"), msg(
                "Shows your temporary resident status in Canada. Our suggestion: the manual "
                "requires the status but lists no document for it."), "ours", True))
    docs.append(_passport())
    return tuple(docs)


def _warnings(case: Case, purpose: str, code: str | None, permit: Permit | None,
              passport_expired: bool, deadline: date | None,
              criteria: tuple[Finding, ...]) -> tuple[Warning, ...]:
    """What else the person should know, in the order shown; a `prominent` warning is shown
    beside the verdict. `deadline` is the assessment's `submission_deadline` (None when there
    is none to show); `criteria` the findings."""
    a, on = case.a, case.on
    out: list[Warning] = []
    if purpose == "initial":
        out += _initial_warnings(case, {c.id for c in criteria if c.status == NOT_MET})
    elif purpose == "extension":
        out += _extension_warnings(case)
    elif purpose == "family":
        out.append(Warning("quebec_only", msg(
            "A family member’s work permit is restricted to Quebec in general, not to a specific "
            "city. The principal applicant does not need to be employed."), "permits"))
        if code is None:
            out.append(Warning("code_unknown", msg(
                "The code depends on whether the principal has applied for permanent residence "
                "(C49) and, if not, on whether you are a spouse or common-law partner (C41) or a "
                "dependent child (C46): answer those questions to know it."), "permits"))
        if a.principal.applying_together is True and a.residence == "outside_canada":
            # C49, "Applications received as a family group"; C41/C46, "Family group outside
            # Canada": the same rule in both.
            out.append(Warning("enter_with_principal", msg(
                "You apply from outside Canada together with the principal applicant, as a "
                "family group: if the group is approved, the principal must enter Canada before "
                "or together with you. A family member cannot arrive in Canada before the "
                "principal."), "c49_family_group" if code == "C49" else "c41_c46_group_outside"))
    if passport_expired:  # prominent: first, after the notice that letters are no longer sent
        first = 1 if out and out[0].id == "invitations_stopped" else 0
        out.insert(first, Warning("passport_expired", msg(
            "Your passport expired on %(expiry)s, before %(date)s. Officers cannot issue a work "
            "permit beyond the validity of the passport. %(suggestion)s",
            expiry=a.passport_expiry, date=on,
            suggestion=_renew_suggestion(case, purpose, deadline)), "validity", prominent=True))
    if permit is not None:
        if purpose == "family":
            text = msg("The permit is restricted to Quebec in general, and ends no later than the "
                       "principal applicant’s permit and your passport. Without an immigration "
                       "medical examination, it also restricts work in certain occupations.")
            out.append(Warning("permit_conditions", text, "c41_c46_approval"))
        else:
            out.append(Warning("permit_conditions", msg(
                "The permit carries the condition “Not authorized to work in any location other "
                "than stated”, with Quebec as the province; without an immigration medical "
                "examination, it also restricts work in certain occupations. When you receive "
                "it, check that it says what the instructions say."), "approval"))
        capped = permit.capped_by_passport_expiry
        if capped is not None and not passport_expired:
            out.append(Warning("passport_caps_permit", msg(
                "Your passport expires on %(expiry)s: a permit is valid only until the passport "
                "expires, so yours would end then. %(suggestion)s", expiry=capped,
                suggestion=_renew_suggestion(case, purpose, deadline)), "approval"))
    return tuple(out)


def _renew_suggestion(case: Case, purpose: str, deadline: date | None) -> Text:
    """Our suggestion about renewing a passport (conditions-and-validity.md: officers cannot
    issue a permit beyond the passport's validity; nothing says to renew it before applying):
    as soon as possible, without missing the day that cannot be moved: the last day to submit
    a first application (`deadline`), or the day the current permit expires for an extension
    (maintained status is kept only by applying before then, FACTS.md)."""
    on = case.on
    if purpose == "initial" and deadline is not None and deadline >= on:
        return msg("Our suggestion: renew it as soon as you can, without letting that make you "
                   "miss %(last)s, the last day to submit your application.", last=deadline)
    expiry = case.a.current_permit_expiry
    if purpose == "extension" and expiry is not None and expiry >= on:
        return msg("Our suggestion: renew it as soon as you can, without letting that make you "
                   "miss %(last)s, the day your current permit expires.", last=expiry)
    return msg("Our suggestion: renew it as soon as you can.")


def _extension_warnings(case: Case) -> list[Warning]:
    """An extension's warnings (manual, "Extensions"; FACTS.md: maintained status)."""
    a, on = case.a, case.on
    out: list[Warning] = []
    months = parameters.in_force_or_first("extension_months", on)
    if months == 12:
        text = msg("Extensions are considered case by case. An extension lasts %(years)s "
                   "year, but officers may use their discretion depending on processing "
                   "times for Quebec skilled worker permanent residence applications.",
                   years=months // 12)
    else:
        text = msg("Extensions are considered case by case. An extension lasts %(months)s "
                   "months, but officers may use their discretion depending on processing "
                   "times for Quebec skilled worker permanent residence applications.",
                   months=months)
    out.append(Warning("extension_discretion", text, "extensions"))
    # A permit is valid through its expiry day: applying on that day still keeps the status.
    if a.current_permit_expiry is not None and a.current_permit_expiry >= on:
        out.append(Warning("apply_before_expiry", msg(
            "Your current permit expires on %(expiry)s. If you apply for the extension by that "
            "day and stay in Canada, your status is maintained while IRCC decides, and you may "
            "keep working under the same conditions (maintained status). Online, IRCC’s client "
            "page says to submit the application before midnight UTC on the day the permit "
            "expires, which is earlier than midnight in every Canadian time zone. Source of "
            "this time limit: %(citation)s.", expiry=a.current_permit_expiry,
            citation=SOURCES["ircc_extend"].title), "maintained_status"))
    return out


def _initial_warnings(case: Case, failed: set[str]) -> list[Warning]:
    """A first application's warnings (manual, opening paragraphs, "Processing cap", "Receipt
    of open work permit applications", "Eligibility requirements", "Final decision – Refusal");
    `failed` holds the ids of the criteria not met."""
    a, on, p = case.a, case.on, case.p
    out: list[Warning] = []
    if p["invitations_stopped_on"] is not None:
        out.append(Warning("invitations_stopped", msg(
            "Since %(stopped)s, MIFI no longer sends letters of invitation. Only applications "
            "with a letter dated up to %(cutoff)s, submitted within %(days)s days of receiving "
            "it, are processed: without such a letter, a first A76 application cannot succeed.",
            stopped=p["invitations_stopped_on"], cutoff=p["invitation_last_letter_date"],
            days=parameters.in_force_or_first("submission_window_days", on)), "intro",
            prominent=True))
    cap = p["intake_cap"]
    if cap is not None:
        out.append(Warning("processing_cap", msg(
            "At most %(cap)s A76 applications are accepted for intake in %(year)s, whether "
            "later approved, refused or withdrawn. Applications received over the cap are "
            "cancelled (online) or returned (paper), and the processing and open work permit "
            "holder fees are refunded.", cap=cap, year=str(on.year)),
            parameters.PARAMETERS["intake_cap"].source_at(on)))
    if a.channel != "paper":
        out.append(Warning("online_checklist", msg(
            "The online document checklist does not ask for every mandatory document: upload "
            "the documents of this checklist yourself, following IRCC’s instructions for IMP+."),
            "owp"))
    if a.residence == IN_CANADA and a.status_in_canada == "restorable":
        out.append(Warning("restoration", msg(
            "Your status must be restored: restoration has conditions of its own, which this "
            "tool does not check."), "eligibility"))
    if a.channel == "paper":
        out.append(Warning("paper", msg(
            "Paper applications are only for applicants exempt from applying online. Write "
            "“International Mobility Program Plus – A76 cap” on the envelope."), "eligibility"))
    inv = a.invitation
    if inv.dated and inv.received_on and inv.received_on < inv.dated:
        out.append(Warning("letter_dates", msg(
            "You received the letter on %(received)s, before the date on it (%(dated)s): "
            "check both dates.", received=inv.received_on, dated=inv.dated), "intro"))
    late = parameters.in_force_or_first("late_receipt_days", on)
    if inv.dated and inv.received_on and (inv.received_on - inv.dated).days > late:
        out.append(Warning("late_receipt", msg(
            "You received your letter on %(received)s, more than %(late)s days after the date "
            "on it (%(dated)s). The %(days)s days to submit count from the day you received it: "
            "our suggestion is to keep proof of that day, such as the envelope or the email.",
            received=inv.received_on, late=late, dated=inv.dated, days=case.window_days),
            "intro", True))
    last = case.submission_deadline
    # The days it can be used, only when nothing but the unopened window fails: never a window
    # offered on a letter that does not count, or on a result that fails for another reason.
    if (inv.received_on and inv.received_on > on and last is not None
            and last >= inv.received_on and failed <= {"submission_window"}):
        out.append(Warning("letter_not_yet_received", msg(
            "You received your letter on %(received)s, after %(date)s, the date of this "
            "assessment: on %(date)s you could not yet apply with it. You can from "
            "%(received)s to %(deadline)s.", received=inv.received_on, date=on,
            deadline=last), "intro"))
    if case.pr_submitted is True:
        r200 = msg("An officer must also be satisfied that you meet every requirement of IRPR "
                   "s. 200, for example that you will leave Canada at the end of your authorized "
                   "stay if your permanent residence application is refused.")
    else:  # manual, Refusal: R200(1)(b), "including any assessment of dual intent"
        r200 = msg("An officer must also be satisfied that you meet every requirement of IRPR "
                   "s. 200, for example that you will leave Canada at the end of your authorized "
                   "stay, including any assessment of dual intent. The manual calls this "
                   "category the precursor to obtaining permanent residence.")
    out.append(Warning("r200", r200, "refusal"))
    return out


def _fee_label(key: str) -> Text:
    if key == "work_permit_processing":
        return msg("Work permit processing fee")
    if key == "open_work_permit_holder":
        return msg("Open work permit holder fee")
    if key == "biometrics":
        return msg("Biometrics, per person")
    return msg("Biometrics, family applying together")


def _fees(on: date) -> tuple[Fee, ...]:
    """The fees in force on `on`, amounts in whole Canadian dollars (IRCC fee pages, not the
    manual; parameters `fee_*`)."""
    p = parameters.snapshot(on)
    out = []
    for key in ("work_permit_processing", "open_work_permit_holder", "biometrics",
                "biometrics_family"):
        name = "fee_" + key
        if p[name] is not None:
            out.append(Fee(key, p[name], _fee_label(key), parameters.PARAMETERS[name].source))
    return tuple(out)
