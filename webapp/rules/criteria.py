"""The criteria of CONTRACT.md, one small function each, with the manual section it rests on.

Each function takes a `Case` (the answers as of a date, with the derived dates worked out once)
and returns a `Finding`: met, not met, unknown (an answer is missing) or not applicable. Reasons
quote the person's own dates so that the verdict can be traced without re-reading the manual.
"""

from __future__ import annotations

from datetime import date

from . import parameters
from .answers import Answers
from .dates import add_days, add_months
from .model import MET, NOT_APPLICABLE, NOT_MET, UNKNOWN, Advice, Finding
from .text import msg

IN_CANADA = "canada_outside_quebec"


class Case:
    """Answers as of a date, with what follows from them (CSQ expiry, letter deadline).

    `p` holds the parameters in force on the date. The derived dates are worked out once, here.
    """

    __slots__ = ("a", "on", "p", "csq_expiry", "pr_submitted", "letter_received", "letter_start",
                 "submission_deadline")

    def __init__(self, answers: Answers, on: date) -> None:
        self.a = answers
        self.on = on
        self.p = parameters.snapshot(on)
        csq, pr, inv = answers.csq, answers.pr_application, answers.invitation
        if csq.expires is not None:
            self.csq_expiry = csq.expires
        elif csq.issued is not None:
            months = parameters.snapshot(csq.issued)["csq_validity_months"] or 24
            self.csq_expiry = add_months(csq.issued, months)
        else:
            self.csq_expiry = None
        # A date or status given for the PR application implies it was submitted; likewise a
        # date on the letter implies it was received.
        if pr.submitted is not None:
            self.pr_submitted = pr.submitted
        else:
            self.pr_submitted = True if (pr.submitted_on or pr.status) else None
        if inv.received is not None:
            self.letter_received = inv.received
        else:
            self.letter_received = True if (inv.dated or inv.received_on) else None
        # The 90 days start the day the letter was received, or else on the date it bears.
        self.letter_start = None if self.letter_received is False else (inv.received_on
                                                                         or inv.dated)
        if self.letter_start is None:
            self.submission_deadline = None
        else:
            days = parameters.snapshot(self.letter_start)["submission_window_days"] or 90
            self.submission_deadline = add_days(self.letter_start, days)


# ---------------------------------------------------------------- initial application

def program(case: Case) -> Finding:
    start = case.p["programme_start"] or parameters.PARAMETERS["programme_start"].values[0]
    if case.on >= start:
        return Finding("program", MET, msg(
            "The A76 category has taken applications since %(start)s; %(date)s is on or after "
            "that day.", start=start, date=case.on), "background", ("updates",))
    return Finding("program", NOT_MET, msg(
        "The A76 category took effect on %(start)s; on %(date)s it did not exist yet.",
        start=parameters.PARAMETERS["programme_start"].values[0], date=case.on),
        "background", ("updates",))


_QUEBEC_ALTERNATIVES = (
    Advice(msg("If you live in Quebec, look at the A73 category (certain CSQ holders in Quebec) "
               "and, once you have applied for permanent residence, the bridging open work "
               "permit for Quebec skilled workers (A75). IRCC’s comparison table of the categories "
               "for CSQ holders sets them side by side."), "ircc_quebec_cases"),
)


_LIVES_OUTSIDE_CANADA = Finding("residence", MET, msg(
    "You live outside Canada. The category is for CSQ holders who live outside Canada, or in "
    "Canada outside Quebec, when their application is received."), "eligibility")
_LIVES_IN_CANADA = Finding("residence", MET, msg(
    "You live in Canada, in a province or territory other than Quebec, as the category "
    "allows."), "eligibility")
_LIVES_IN_QUEBEC = Finding("residence", NOT_MET, msg(
    "You live in Quebec. CSQ holders who live in Quebec when they submit their work permit "
    "application are not eligible under A76."), "not_eligible", instead=_QUEBEC_ALTERNATIVES)
_RESIDENCE_UNKNOWN = Finding("residence", UNKNOWN, msg(
    "Tell us where you live: outside Canada, in Canada outside Quebec, or in Quebec."),
    "eligibility")


def residence(case: Case) -> Finding:
    where = case.a.residence
    if where == "outside_canada":
        return _LIVES_OUTSIDE_CANADA
    if where == IN_CANADA:
        return _LIVES_IN_CANADA
    if where == "quebec":
        return _LIVES_IN_QUEBEC
    return _RESIDENCE_UNKNOWN


def _in_canada_findings(criterion: str, source: str) -> tuple[Finding, Finding]:
    """(unknown, not applicable) for a criterion that applies only to people in Canada."""
    return (Finding(criterion, UNKNOWN, msg(
        "This applies only if you live in Canada outside Quebec: tell us where you live "
        "first."), source),
        Finding(criterion, NOT_APPLICABLE, msg(
            "This applies only to applicants who live in Canada outside Quebec."), source))


_IN_CANADA_ONLY = {criterion: _in_canada_findings(criterion, "eligibility")
                   for criterion in ("status_in_canada", "inside_canada_application")}


def _in_canada_only(case: Case, criterion: str) -> Finding | None:
    """The not-applicable or unknown finding for in-Canada criteria, or None to assess them."""
    if case.a.residence == IN_CANADA:
        return None
    unknown, not_applicable = _IN_CANADA_ONLY[criterion]
    return unknown if case.a.residence is None else not_applicable


_R206_PERMIT = Finding("status_in_canada", NOT_MET, msg(
    "You hold an open work permit as a refugee claimant or under an enforceable removal order "
    "(IRPR s. 206). Such a permit does not confer temporary resident status (IRPR s. 202), and "
    "its holders are not eligible under A76."), "not_eligible")
_STATUS_VALID = Finding("status_in_canada", MET, msg(
    "You have valid temporary resident status in Canada."), "eligibility")
_STATUS_RESTORABLE = Finding("status_in_canada", MET, msg(
    "Your temporary resident status has lapsed but you are eligible to restore it, which the "
    "category accepts."), "eligibility")
_NO_STATUS = Finding("status_in_canada", NOT_MET, msg(
    "Applicants in Canada must have valid temporary resident status or be eligible to restore "
    "it; you said you have neither."), "eligibility")
_STATUS_UNKNOWN = Finding("status_in_canada", UNKNOWN, msg(
    "Tell us whether your temporary resident status in Canada is valid, can be restored, or "
    "neither."), "eligibility")


def status_in_canada(case: Case) -> Finding:
    skipped = _in_canada_only(case, "status_in_canada")
    if skipped:
        return skipped
    if case.a.holds_r206_permit is True:
        return _R206_PERMIT
    status = case.a.status_in_canada
    if status == "valid":
        return _STATUS_VALID
    if status == "restorable":
        return _STATUS_RESTORABLE
    if status == "none":
        return _NO_STATUS
    return _STATUS_UNKNOWN


_CAN_APPLY_INSIDE = Finding("inside_canada_application", MET, msg(
    "You are eligible to apply for a work permit from inside Canada (IRPR s. 199 or an active "
    "public policy)."), "eligibility")
_CANNOT_APPLY_INSIDE = Finding("inside_canada_application", NOT_MET, msg(
    "Applicants in Canada must be eligible to apply for a work permit from inside Canada (IRPR "
    "s. 199 or an active public policy); you said you are not."), "eligibility")
_APPLY_INSIDE_UNKNOWN = Finding("inside_canada_application", UNKNOWN, msg(
    "Tell us whether you are eligible to apply for a work permit from inside Canada (IRPR s. 199 "
    "or an active public policy)."), "eligibility")


def inside_canada_application(case: Case) -> Finding:
    skipped = _in_canada_only(case, "inside_canada_application")
    if skipped:
        return skipped
    can = case.a.can_apply_from_inside_canada
    if can is True:
        return _CAN_APPLY_INSIDE
    if can is False:
        return _CANNOT_APPLY_INSIDE
    return _APPLY_INSIDE_UNKNOWN


_INTENDS = Finding("intent", MET, msg(
    "You intend to live and work in Quebec, as the category requires."), "eligibility")
_DOES_NOT_INTEND = Finding("intent", NOT_MET, msg(
    "The category is for people who intend to live and work in Quebec; you said you do not."),
    "eligibility")
_INTENT_UNKNOWN = Finding("intent", UNKNOWN, msg(
    "Tell us whether you intend to live and work in Quebec."), "eligibility")


def intent(case: Case) -> Finding:
    intends = case.a.intends_to_live_and_work_in_quebec
    if intends is True:
        return _INTENDS
    if intends is False:
        return _DOES_NOT_INTEND
    return _INTENT_UNKNOWN


_NO_CSQ = Finding("csq_category", NOT_MET, msg(
    "You do not hold a Quebec Selection Certificate (CSQ). The category is only for holders of a "
    "CSQ obtained as a skilled worker."), "a76_note", ("eligibility",))
_OTHER_CSQ = Finding("csq_category", NOT_MET, msg(
    "The manual requires a CSQ obtained as a skilled worker. No source names other CSQ "
    "categories, such as the Quebec Experience Program (PEQ) or the other pilot programs, for "
    "A76; they are named for A73, for CSQ holders living in Quebec."),
    "a76_note", ("quebec_pmi",), instead=_QUEBEC_ALTERNATIVES)
_CSQ_HELD_UNKNOWN = Finding("csq_category", UNKNOWN, msg(
    "Tell us whether you hold a Quebec Selection Certificate (CSQ)."), "a76_note")
_SKILLED_WORKER_CSQ = Finding("csq_category", MET, msg(
    "Your CSQ was obtained under Quebec’s regular skilled worker program, as the manual "
    "requires (“a CSQ as a skilled worker”)."), "a76_note")
_PILOT_CSQ = Finding("csq_category", MET, msg(
    "Your CSQ was obtained under the permanent immigration pilot for workers in artificial "
    "intelligence, information technologies and visual effects, a skilled worker program "
    "that Quebec names for IMP+."), "a76_note", ("quebec_pmi",))
_CSQ_CATEGORY_UNKNOWN = Finding("csq_category", UNKNOWN, msg(
    "Tell us under which Quebec program your CSQ was issued."), "a76_note")


def csq_category(case: Case) -> Finding:
    csq = case.a.csq
    if csq.held is False:
        return _NO_CSQ
    if csq.category == "other":
        return _OTHER_CSQ
    if csq.held is None:
        return _CSQ_HELD_UNKNOWN
    if csq.category == "skilled_worker":
        return _SKILLED_WORKER_CSQ
    if csq.category == "pilot_ai_it_vfx":
        return _PILOT_CSQ
    return _CSQ_CATEGORY_UNKNOWN


_PR_DECIDED = {
    "approved": msg("Your permanent residence application has been approved. A CSQ is valid "
                    "only until IRCC decides that application, and the application must still be "
                    "in progress."),
    "refused": msg("Your permanent residence application has been refused. A CSQ is valid only "
                   "until IRCC decides that application, and the application must still be in "
                   "progress."),
    "withdrawn": msg("Your permanent residence application has been withdrawn. Once you have "
                     "applied for permanent residence, the application must have been submitted "
                     "before your CSQ expired and still be in progress."),
}


_PR_DECIDED_FINDINGS = {status: Finding("csq_validity", NOT_MET, reason, "eligibility")
                        for status, reason in _PR_DECIDED.items()}
_NO_CSQ_VALIDITY = Finding("csq_validity", NOT_APPLICABLE, msg(
    "You do not hold a CSQ, so there is no validity to check."), "eligibility")
_CSQ_DATE_UNKNOWN = Finding("csq_validity", UNKNOWN, msg(
    "Tell us the date your CSQ was issued (or its expiry date), to check that it is still "
    "valid."), "eligibility")
_PR_SUBMITTED_UNKNOWN = Finding("csq_validity", UNKNOWN, msg(
    "Tell us whether you have applied for permanent residence: it decides how long your CSQ "
    "stays valid."), "eligibility")
_CSQ_DATE_UNKNOWN_WITH_PR = Finding("csq_validity", UNKNOWN, msg(
    "Tell us the date your CSQ was issued (or its expiry date), to check that your permanent "
    "residence application was submitted before it expired."), "eligibility")
_PR_STATUS_UNKNOWN = Finding("csq_validity", UNKNOWN, msg(
    "Tell us whether your permanent residence application is still in progress."),
    "eligibility")


def csq_validity(case: Case) -> Finding:
    csq = case.a.csq
    if csq.held is False:
        return _NO_CSQ_VALIDITY
    expiry = case.csq_expiry
    if csq.issued is not None and csq.issued > case.on:
        return Finding("csq_validity", NOT_MET, msg(
            "Your CSQ was issued on %(issued)s, after %(date)s: you must already hold the CSQ "
            "when you submit your work permit application.", issued=csq.issued, date=case.on),
            "eligibility")
    submitted = case.pr_submitted
    if submitted is False:
        if expiry is None:
            return _CSQ_DATE_UNKNOWN
        if case.on <= expiry:
            return Finding("csq_validity", MET, msg(
                "You have not applied for permanent residence, so your CSQ must be valid when "
                "you submit. It is valid until %(expiry)s, and %(date)s is on or before that "
                "day.", expiry=expiry, date=case.on), "eligibility")
        return Finding("csq_validity", NOT_MET, msg(
            "You have not applied for permanent residence, so your CSQ must be valid when you "
            "submit. It expired on %(expiry)s, before %(date)s.", expiry=expiry, date=case.on),
            "eligibility")
    pr = case.a.pr_application
    if pr.status in _PR_DECIDED:
        return _PR_DECIDED_FINDINGS[pr.status]
    if submitted is None:
        return _PR_SUBMITTED_UNKNOWN
    if pr.submitted_on is not None and expiry is not None and pr.submitted_on > expiry:
        return Finding("csq_validity", NOT_MET, msg(
            "Your permanent residence application was submitted on %(submitted)s, after your "
            "CSQ expired on %(expiry)s. It must have been submitted before the CSQ expired.",
            submitted=pr.submitted_on, expiry=expiry), "eligibility")
    if expiry is None:
        return _CSQ_DATE_UNKNOWN_WITH_PR
    if pr.submitted_on is None:
        return Finding("csq_validity", UNKNOWN, msg(
            "Tell us the date you submitted your permanent residence application, to check that "
            "it was before your CSQ expired on %(expiry)s.", expiry=expiry), "eligibility")
    if pr.status is None:
        return _PR_STATUS_UNKNOWN
    return Finding("csq_validity", MET, msg(
        "Your permanent residence application was submitted on %(submitted)s, on or before your "
        "CSQ’s expiry date (%(expiry)s), and it is still in progress: the CSQ stays valid until "
        "IRCC decides it.", submitted=pr.submitted_on, expiry=expiry), "eligibility")


def _no_letter(p: dict) -> Finding:
    """The verdict without a letter, in the period of the parameters `p`."""
    stopped = p["invitations_stopped_on"]
    if stopped is not None:
        return Finding("invitation", NOT_MET, msg(
            "You have no letter of invitation from MIFI. It is required, and MIFI has not sent "
            "any since %(stopped)s.", stopped=stopped), "eligibility", ("intro",))
    return Finding("invitation", NOT_MET, msg(
        "You have no letter of invitation from MIFI. A letter inviting you to apply under code "
        "A76 is required."), "eligibility")


# That verdict in each period of the parameters, made once: the same for everyone.
_NO_LETTER = tuple(_no_letter(p) for p in parameters.SNAPSHOTS)
_LETTER_UNKNOWN = Finding("invitation", UNKNOWN, msg(
    "Tell us whether you have received a letter of invitation from MIFI."), "eligibility")
_LETTER_DATE_UNKNOWN = Finding("invitation", UNKNOWN, msg(
    "Tell us the date on your letter of invitation, to check it against the last date MIFI "
    "issued letters."), "eligibility", ("intro",))


def invitation(case: Case) -> Finding:
    received = case.letter_received
    if received is False:
        return _NO_LETTER[parameters.period(case.on)]
    dated = case.a.invitation.dated
    if received is None:
        return _LETTER_UNKNOWN
    if dated is None:
        return _LETTER_DATE_UNKNOWN
    # The cut-off in force on the later of the two days: a letter dated after it never counts.
    latest = max(case.on, dated)
    cutoff = parameters.snapshot(latest)["invitation_last_letter_date"]
    if cutoff is not None and dated > cutoff:
        return Finding("invitation", NOT_MET, msg(
            "Your letter is dated %(dated)s. MIFI stopped sending letters of invitation on "
            "%(stopped)s; only letters dated up to %(cutoff)s, are processed.", dated=dated,
            stopped=parameters.snapshot(latest)["invitations_stopped_on"], cutoff=cutoff), "intro")
    if dated > case.on:
        return Finding("invitation", NOT_MET, msg(
            "Your letter is dated %(dated)s, after %(date)s: you cannot apply with a letter you "
            "did not have yet.", dated=dated, date=case.on), "eligibility")
    if cutoff is not None:
        return Finding("invitation", MET, msg(
            "You have a letter of invitation from MIFI dated %(dated)s, on or before %(cutoff)s, "
            "the last date on which letters were issued.", dated=dated, cutoff=cutoff),
            "eligibility", ("intro",))
    return Finding("invitation", MET, msg(
        "You have a letter of invitation from MIFI dated %(dated)s.", dated=dated), "eligibility")


_NO_WINDOW = Finding("submission_window", NOT_APPLICABLE, msg(
    "You have no letter of invitation, so there is no 90-day window to check."), "intro")
_WINDOW_UNKNOWN = Finding("submission_window", UNKNOWN, msg(
    "Tell us the day you received your letter of invitation (or the date on it), to work out "
    "the last day to submit."), "intro")


def submission_window(case: Case) -> Finding:
    if case.letter_received is False:
        return _NO_WINDOW
    start, deadline = case.letter_start, case.submission_deadline
    if start is None or deadline is None:
        return _WINDOW_UNKNOWN
    days = parameters.snapshot(start)["submission_window_days"] or 90
    counted_from_receipt = case.a.invitation.received_on is not None
    if case.on <= deadline:
        if case.on < start:  # a date before the letter: not after the last day, yet no window
            text = msg("The %(days)s days to submit run from %(start)s to %(deadline)s. %(date)s "
                       "is not after the last day, but it is before the first: you did not have "
                       "the letter yet.", start=start, days=days, deadline=deadline,
                       date=case.on)
        elif counted_from_receipt:
            text = msg("You received your letter on %(start)s and have %(days)s days from then: "
                       "the last day to submit is %(deadline)s, and %(date)s is within that "
                       "window.", start=start, days=days, deadline=deadline, date=case.on)
        else:
            text = msg("Your letter is dated %(start)s. Counting %(days)s days from that date "
                       "(you did not give the day you received it), the last day to submit is "
                       "%(deadline)s, and %(date)s is within that window.", start=start,
                       days=days, deadline=deadline, date=case.on)
        return Finding("submission_window", MET, text, "intro")
    if counted_from_receipt:
        text = msg("You received your letter on %(start)s. The %(days)s days to submit ended on "
                   "%(deadline)s, before %(date)s.", start=start, days=days, deadline=deadline,
                   date=case.on)
    else:
        text = msg("Your letter is dated %(start)s. The %(days)s days to submit, counted from "
                   "that date, ended on %(deadline)s, before %(date)s. If you received the letter "
                   "later, give that day: the days count from receipt.", start=start, days=days,
                   deadline=deadline, date=case.on)
    return Finding("submission_window", NOT_MET, text, "intro")


_ONLINE = Finding("channel", MET, msg(
    "You will apply online through an IRCC secure account, as the category requires."),
    "eligibility")
_ON_PAPER = Finding("channel", MET, msg(
    "You will apply on paper. Only applicants exempt from applying online may do so, and they "
    "must write “International Mobility Program Plus – A76 cap” on the envelope."), "eligibility")
_AT_PORT_OF_ENTRY = Finding("channel", NOT_MET, msg(
    "Applications made at a port of entry are not eligible under A76."), "not_eligible",
    instead=(Advice(msg("Apply online through an IRCC secure account instead, or on paper if "
                        "you are exempt from applying online."), "eligibility"),))
_CHANNEL_UNKNOWN = Finding("channel", UNKNOWN, msg(
    "Tell us how you will apply: online, or on paper if you are exempt from applying online."),
    "eligibility")


def channel(case: Case) -> Finding:
    how = case.a.channel
    if how == "online":
        return _ONLINE
    if how == "paper":
        return _ON_PAPER
    if how == "port_of_entry":
        return _AT_PORT_OF_ENTRY
    return _CHANNEL_UNKNOWN


# ---------------------------------------------------------------- extension

_HOLDS_A76 = Finding("current_permit", MET, msg(
    "Your current work permit was issued under code A76."), "extensions")
_CURRENT_PERMIT_UNKNOWN = Finding("current_permit", UNKNOWN, msg(
    "Tell us the code on your current work permit (A76 for an IMP+ permit)."), "extensions")


def current_permit(case: Case) -> Finding:
    code = case.a.current_permit_code
    if code == "A76":
        return _HOLDS_A76
    if code is not None:
        return Finding("current_permit", NOT_MET, msg(
            "The code on your current permit is %(code)s, not A76: this extension is only for "
            "holders of an A76 permit.", code=code), "extensions")
    return _CURRENT_PERMIT_UNKNOWN


_PR_NOT_APPLIED = Finding("pr_in_progress", NOT_MET, msg(
    "An A76 permit may be extended only while a permanent residence application is still in "
    "processing, and you have not applied."), "extensions")
_PR_DECIDED_EXTENSION = Finding("pr_in_progress", NOT_MET, msg(
    "Your permanent residence application is no longer in progress; an extension is considered "
    "only while it is still in processing."), "extensions")
_PR_IN_PROGRESS = Finding("pr_in_progress", MET, msg(
    "Your permanent residence application is still in processing. You must provide proof that "
    "you submitted it and received an acknowledgment of receipt letter; no new letter of "
    "invitation is needed."), "extensions")
_PR_APPLIED_UNKNOWN = Finding("pr_in_progress", UNKNOWN, msg(
    "Tell us whether you have applied for permanent residence."), "extensions")
_PR_PROGRESS_UNKNOWN = Finding("pr_in_progress", UNKNOWN, msg(
    "Tell us whether your permanent residence application is still in progress."), "extensions")


def pr_in_progress(case: Case) -> Finding:
    submitted = case.pr_submitted
    status = case.a.pr_application.status
    if submitted is False:
        return _PR_NOT_APPLIED
    if status in _PR_DECIDED:
        return _PR_DECIDED_EXTENSION
    if submitted is True and status == "in_progress":
        return _PR_IN_PROGRESS
    if submitted is None:
        return _PR_APPLIED_UNKNOWN
    return _PR_PROGRESS_UNKNOWN


# ---------------------------------------------------------------- family member

_PRINCIPAL_HOLDS_A76 = Finding("principal_permit", MET, msg(
    "The principal applicant holds, or is approved for, an open work permit under code A76."),
    "permits")
_PRINCIPAL_PERMIT_UNKNOWN = Finding("principal_permit", UNKNOWN, msg(
    "Tell us the code on the principal applicant’s work permit (A76 for an IMP+ permit)."),
    "permits")


def principal_permit(case: Case) -> Finding:
    code = case.a.principal.permit_code
    if code == "A76":
        return _PRINCIPAL_HOLDS_A76
    if code is not None:
        return Finding("principal_permit", NOT_MET, msg(
            "The code on the principal applicant’s permit is %(code)s, not A76: this part of the "
            "manual covers family members of A76 permit holders only.", code=code), "permits")
    return _PRINCIPAL_PERMIT_UNKNOWN


CRITERIA = {
    "initial": (program, residence, status_in_canada, inside_canada_application, intent,
                csq_category, csq_validity, invitation, submission_window, channel),
    "extension": (current_permit, pr_in_progress),
    "family": (principal_permit,),
}

# The findings above that quote nothing from the answers, made once at import (every Finding
# this module holds, directly or in its tables): a renderer may translate each of them once per
# language (rules.assessment.CONSTANT_PIECES).
CONSTANT_FINDINGS = (
    *(value for value in list(globals().values()) if isinstance(value, Finding)),
    *(f for pair in _IN_CANADA_ONLY.values() for f in pair), *_PR_DECIDED_FINDINGS.values(),
    *_NO_LETTER)
