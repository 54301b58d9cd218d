"""The criteria of CONTRACT.md, one small function each, with the manual section it rests on.

Each function takes a `Case` (the answers as of a date, with the derived dates worked out once)
and returns a `Finding`: met, not met, unknown (an answer is missing) or not applicable, built
where the criterion decides it. Reasons quote the person's own dates, and the parameters in force
(webapp/rules/parameters.toml) as placeholders, so that the verdict can be traced without
re-reading the manual. `source` is a key of webapp.rules.sources.SOURCES.
"""

from __future__ import annotations

from datetime import date

from . import parameters
from .answers import Answers, letter_received, pr_submitted
from .dates import add_days, add_months
from .model import MET, NOT_APPLICABLE, NOT_MET, UNKNOWN, Advice, Finding
from .sources import SOURCES
from .text import Text, msg

IN_CANADA = "canada_outside_quebec"
# Statuses of a permanent residence application that IRCC has decided, or the person ended.
PR_DECIDED = ("approved", "refused", "withdrawn")


class Case:
    """Answers as of a date, with what follows from them, worked out once, here.

    Takes `answers` (an `Answers`) and `on`, the assessment date. Holds:
    `a` the answers; `on`; `p` the parameters in force on `on` (`parameters.snapshot`);
    `csq_expiry` (a date, or None without an issue or expiry date: issue date + the CSQ validity
    in calendar months in force on that day, manual "Eligibility requirements");
    `purpose` ("initial" when not given);
    `pr_submitted` (True, False or None for not known: an application dated after `on` counts
    as not submitted on that day, CONTRACT.md v2) and `pr_after_date` (True when that is why);
    `pr_known_by_date` (True only when the application is known to have been submitted on a
    known day on or before `on`); `letter_received` (True, False or None);
    `letter_start` (the day the submission window starts: the day the letter was received, else
    the date on it; None without either); `window_days` (the length of that window in days, in
    force on `letter_start`; manual, opening paragraphs), `window_end` (its last day) and
    `submission_deadline` (the last day every dated criterion is still met: `window_end`, or the
    CSQ's expiry when it comes first and a permanent residence application is not known to have
    been submitted by `on`, the cautious reading of CONTRACT.md v2; None without
    `letter_start`), `deadline_is_csq_expiry`; for a family member, `principal_months` (the
    `principal_authorization_months` parameter in force on `on`) and `principal_needed_until`
    (`on` + those calendar months: the day the principal applicant must be authorized to work
    until, at least; C41/C46 and C49, "Eligibility"), None for the other purposes. Raises
    nothing: dates saturate at the ends of the calendar.
    """

    __slots__ = ("a", "on", "p", "purpose", "csq_expiry", "pr_submitted", "pr_after_date",
                 "pr_known_by_date", "letter_received", "letter_start", "window_days",
                 "window_end", "submission_deadline", "deadline_is_csq_expiry",
                 "principal_months", "principal_needed_until")

    def __init__(self, answers: Answers, on: date) -> None:
        self.a = answers
        self.on = on
        self.p = parameters.snapshot(on)
        self.purpose = answers.purpose or "initial"
        csq, pr, inv = answers.csq, answers.pr_application, answers.invitation
        if csq.expires is not None:
            self.csq_expiry = csq.expires
        elif csq.issued is not None:
            months = parameters.in_force_or_first("csq_validity_months", csq.issued)
            self.csq_expiry = add_months(csq.issued, months)
        else:
            self.csq_expiry = None
        # What the answers imply (decided in answers.py, which the wizard's flow uses too).
        submitted = pr_submitted(pr.submitted, pr.submitted_on, pr.status)
        # CONTRACT.md v2: an application dated after the assessment date was not submitted yet.
        self.pr_after_date = bool(submitted and pr.submitted_on is not None
                                  and pr.submitted_on > on)
        self.pr_submitted = False if self.pr_after_date else submitted
        self.pr_known_by_date = self.pr_submitted is True and pr.submitted_on is not None
        self.letter_received = letter_received(inv.received, inv.dated, inv.received_on)
        # The days to submit start the day the letter was received, or else on the date it bears.
        self.letter_start = None if self.letter_received is False else (inv.received_on
                                                                         or inv.dated)
        self.deadline_is_csq_expiry = False
        if self.letter_start is None:
            self.window_days = self.window_end = self.submission_deadline = None
        else:
            self.window_days = parameters.in_force_or_first("submission_window_days",
                                                            self.letter_start)
            self.window_end = self.submission_deadline = add_days(self.letter_start,
                                                                  self.window_days)
            if (not self.pr_known_by_date and self.csq_expiry is not None
                    and self.csq_expiry < self.window_end):
                self.submission_deadline = self.csq_expiry
                self.deadline_is_csq_expiry = True
        if self.purpose == "family":
            self.principal_months = parameters.in_force_or_first(
                "principal_authorization_months", on)
            self.principal_needed_until = add_months(on, self.principal_months)
        else:
            self.principal_months = self.principal_needed_until = None


# ---------------------------------------------------------------- initial application

def program(case: Case) -> Finding:
    """Whether the A76 category existed on the assessment date (manual, "Background" and
    "Previous updates": it took effect on the `programme_start` parameter's date). Takes a
    `Case`; returns a met or not met `Finding` with id "program"."""
    start = parameters.in_force_or_first("programme_start", case.on)
    if case.on >= start:
        return Finding("program", MET, msg(
            "The A76 category took effect on %(start)s; %(date)s is on or after that day.",
            start=start, date=case.on), "background", ("updates",))
    return Finding("program", NOT_MET, msg(
        "The A76 category took effect on %(start)s; on %(date)s it did not exist yet.",
        start=start, date=case.on), "background", ("updates",))


def _quebec_alternatives() -> tuple[Advice, ...]:
    """The categories for CSQ holders in Quebec, offered instead (IRCC's Quebec cases index, and
    the A73 and A75 instructions)."""
    return (Advice("a73", msg(
                "If you live in Quebec, look at the A73 category (certain CSQ holders in "
                "Quebec), an employer-specific work permit, not an open one. Among its "
                "conditions: be the principal applicant for permanent residence (if you have not "
                "applied yet, with Quebec’s letter of acceptance), be in Canada as a temporary "
                "resident (or be eligible to restore that status), live in Quebec, already be "
                "authorized to work when you apply (a valid work permit, maintained status after "
                "applying to extend it, or an active public policy), and have an offer of "
                "employment number (A#) from an employer in Quebec."), "a73"),
            Advice("a75", msg(
                "If you live in Quebec and have applied for permanent residence as the principal "
                "applicant in the Quebec skilled worker class, look at the bridging open work "
                "permit (A75). Among its conditions: be in Canada with a valid work permit or "
                "maintained status (or be eligible to restore your status with authorization to "
                "work), and your permanent residence application must have passed IRCC’s "
                "completeness check (IRPR s. 10), with a CSQ that was valid when you submitted "
                "it. IRCC’s comparison table of the categories for CSQ holders sets them side by "
                "side."), "a75"))


# The codes of a family member's permit (manual, "Open work permits for family members").
FAMILY_CODES = ("C41", "C46", "C49")


def _family_route() -> Advice:
    """The family member's permit, named as a pointer for someone it could apply to (manual,
    "Open work permits for family members")."""
    return Advice("family", msg(
        "If your spouse or common-law partner, or your parent, holds or is approved for an A76 "
        "permit, you may be able to get an open work permit as their family member (codes C41, "
        "C46 or C49): this tool checks that too, with the questions for a family member."),
        "permits")


def _letter_routes() -> tuple[Advice, ...]:
    """The other journeys, offered when a first application fails on the letter or its days
    (CONTRACT.md v2: never empty there; named only as pointers for someone they could apply
    to): extending an A76 permit (manual, "Extensions"), a family member's permit (manual,
    "Open work permits for family members"), and checking an A76 permit already issued against
    the instructions (manual, "Final decision – Approval")."""
    return (Advice("extension", msg(
                "If you already hold an A76 permit, you may be able to extend it while your "
                "permanent residence application is in processing, without a new letter of "
                "invitation: this tool checks that too."), "extensions"),
            _family_route(),
            Advice("permit_check", msg(
                "If you already hold an A76 permit, or a family member’s C41, C46 or C49 "
                "permit, this tool can compare what it shows with what IRCC’s instructions say "
                "it should show."), "approval"))


def residence(case: Case) -> Finding:
    """Where the applicant lives when the application is received: outside Canada, or in Canada
    outside Quebec (manual, "Eligibility requirements"; Quebec residents are not eligible,
    "who is not eligible"). Takes a `Case`; returns a `Finding` with id "residence"."""
    where = case.a.residence
    if where == "outside_canada":
        return Finding("residence", MET, msg(
            "You live outside Canada. The category is for CSQ holders who live outside Canada, "
            "or in Canada outside Quebec, when their application is received."), "eligibility")
    if where == IN_CANADA:
        return Finding("residence", MET, msg(
            "You live in Canada, in a province or territory other than Quebec, as the category "
            "allows."), "eligibility")
    if where == "quebec":
        return Finding("residence", NOT_MET, msg(
            "You live in Quebec. CSQ holders who live in Quebec when they submit their work "
            "permit application are not eligible under A76."), "not_eligible",
            instead=_quebec_alternatives())
    return Finding("residence", UNKNOWN, msg(
        "Tell us where you live: outside Canada, in Canada outside Quebec, or in Quebec."),
        "eligibility")


def _in_canada_only(case: Case, criterion: str) -> Finding | None:
    """For a criterion that applies only to people in Canada: for a first application outside
    Quebec (manual, "Eligibility requirements"), for a family member in Quebec too (C41/C46 and
    C49, "Eligibility"; CONTRACT.md v2). Its unknown or not applicable `Finding` for everyone
    else, or None to assess it."""
    where = case.a.residence
    if case.purpose == "family":
        source = _family_source(case)
        if where in (IN_CANADA, "quebec"):
            return None
        if where is None:
            return Finding(criterion, UNKNOWN, msg(
                "This applies only if you live in Canada: tell us where you live first."), source)
        return Finding(criterion, NOT_APPLICABLE, msg(
            "This applies only to applicants who live in Canada."), source)
    if where == IN_CANADA:
        return None
    if where is None:
        return Finding(criterion, UNKNOWN, msg(
            "This applies only if you live in Canada outside Quebec: tell us where you live "
            "first."), "eligibility")
    return Finding(criterion, NOT_APPLICABLE, msg(
        "This applies only to applicants who live in Canada outside Quebec."), "eligibility")


def r206_permit(case: Case) -> Finding:
    """Not holding an open work permit as a refugee claimant or under a removal order (IRPR
    s. 206), which confers no temporary resident status (manual, "Eligibility requirements: who
    is not eligible"); CONTRACT.md v2, for every residence: not applicable outside Canada when
    not answered. Takes a `Case`; returns a `Finding` with id "r206_permit"."""
    holds = case.a.holds_r206_permit
    if holds is True:
        return Finding("r206_permit", NOT_MET, msg(
            "You hold an open work permit as a refugee claimant or under an enforceable removal "
            "order (IRPR s. 206). Such a permit does not confer temporary resident status (IRPR "
            "s. 202), and its holders are not eligible under A76."), "not_eligible")
    if holds is False:
        return Finding("r206_permit", MET, msg(
            "You do not hold an open work permit as a refugee claimant or under a removal order "
            "(IRPR s. 206), whose holders are not eligible under A76."), "not_eligible")
    if case.a.residence == "outside_canada":
        return Finding("r206_permit", NOT_APPLICABLE, msg(
            "You live outside Canada, so this does not apply: an open work permit as a refugee "
            "claimant or under a removal order (IRPR s. 206) is held only by people in "
            "Canada."), "not_eligible")
    return Finding("r206_permit", UNKNOWN, msg(
        "Tell us whether you hold an open work permit as a refugee claimant or under a removal "
        "order (IRPR s. 206): its holders are not eligible under A76."), "not_eligible")


def status_in_canada(case: Case) -> Finding:
    """For applicants in Canada: valid temporary resident status (maintained status included,
    IRPR s. 183(5)), or eligible to restore it (manual, "Eligibility requirements"; for a family
    member, C41/C46 and C49, "Eligibility"). An IRPR s. 206 permit is its own criterion,
    `r206_permit` (CONTRACT.md v2). Takes a `Case`; returns a `Finding` with id
    "status_in_canada"."""
    skipped = _in_canada_only(case, "status_in_canada")
    if skipped:
        return skipped
    source = _family_source(case) if case.purpose == "family" else "eligibility"
    status = case.a.status_in_canada
    if status == "valid":
        return Finding("status_in_canada", MET, msg(
            "You have valid temporary resident status in Canada."), source)
    if status == "restorable":
        return Finding("status_in_canada", MET, msg(
            "Your temporary resident status has lapsed but you are eligible to restore it, which "
            "the category accepts."), source)
    if status == "none":
        return Finding("status_in_canada", NOT_MET, msg(
            "Applicants in Canada must have valid temporary resident status or be eligible to "
            "restore it; you said you have neither."), source)
    return Finding("status_in_canada", UNKNOWN, msg(
        "Tell us whether your temporary resident status in Canada is valid, can be restored, or "
        "neither."), source)


def inside_canada_application(case: Case) -> Finding:
    """For applicants in Canada: eligible to apply for a work permit from inside Canada (IRPR
    s. 199 or a public policy; manual, "Eligibility requirements"). Takes a `Case`; returns a
    `Finding` with id "inside_canada_application"."""
    skipped = _in_canada_only(case, "inside_canada_application")
    if skipped:
        return skipped
    source = _family_source(case) if case.purpose == "family" else "eligibility"
    can = case.a.can_apply_from_inside_canada
    if can is True:
        return Finding("inside_canada_application", MET, msg(
            "You are eligible to apply for a work permit from inside Canada (IRPR s. 199 or an "
            "active public policy)."), source)
    if can is False:
        return Finding("inside_canada_application", NOT_MET, msg(
            "Applicants in Canada must be eligible to apply for a work permit from inside Canada "
            "(IRPR s. 199 or an active public policy); you said you are not."), source)
    return Finding("inside_canada_application", UNKNOWN, msg(
        "Tell us whether you are eligible to apply for a work permit from inside Canada (IRPR "
        "s. 199 or an active public policy)."), source)


def intent(case: Case) -> Finding:
    """The intention to live and work in Quebec (manual, "Eligibility requirements"). Takes a
    `Case`; returns a `Finding` with id "intent"."""
    intends = case.a.intends_to_live_and_work_in_quebec
    if intends is True:
        return Finding("intent", MET, msg(
            "You intend to live and work in Quebec, as the category requires."), "eligibility")
    if intends is False:
        return Finding("intent", NOT_MET, msg(
            "The category is for people who intend to live and work in Quebec; you said you do "
            "not."), "eligibility")
    return Finding("intent", UNKNOWN, msg(
        "Tell us whether you intend to live and work in Quebec."), "eligibility")


def csq_category(case: Case) -> Finding:
    """A CSQ obtained as a skilled worker (manual, note under the description of code A76;
    Quebec's PMI+ page names the AI, IT and visual effects pilot). Takes a `Case`; returns a
    `Finding` with id "csq_category"."""
    csq = case.a.csq
    if csq.held is False:
        return Finding("csq_category", NOT_MET, msg(
            "You do not hold a Quebec Selection Certificate (CSQ). The category is only for "
            "holders of a CSQ obtained as a skilled worker."), "a76_note", ("eligibility",))
    if csq.category == "other":
        return Finding("csq_category", NOT_MET, msg(
            "The manual requires a CSQ obtained as a skilled worker. No source names other CSQ "
            "categories, such as the Quebec Experience Program (PEQ) or the other pilot "
            "programs, for A76; they are named for A73, for CSQ holders living in Quebec."),
            "a76_note", ("quebec_pmi",), instead=_quebec_alternatives())
    if csq.held is None:
        return Finding("csq_category", UNKNOWN, msg(
            "Tell us whether you hold a Quebec Selection Certificate (CSQ)."), "a76_note")
    if csq.category == "skilled_worker":
        return Finding("csq_category", MET, msg(
            "Your CSQ was obtained under Quebec’s regular skilled worker program, as the manual "
            "requires (“a CSQ as a skilled worker”)."), "a76_note")
    if csq.category == "pilot_ai_it_vfx":
        return Finding("csq_category", MET, msg(
            "Your CSQ was obtained under the permanent immigration pilot for workers in "
            "artificial intelligence, information technologies and visual effects, a skilled "
            "worker program that Quebec names for IMP+."), "a76_note", ("quebec_pmi",))
    return Finding("csq_category", UNKNOWN, msg(
        "Tell us under which Quebec program your CSQ was issued."), "a76_note")


def _pr_decided(status: str) -> Finding:
    """The CSQ validity verdict once the permanent residence application is `status`, one of
    PR_DECIDED (manual, "Eligibility requirements": a CSQ is valid until IRCC decides it)."""
    if status == "approved":
        reason = msg("Your permanent residence application has been approved. A CSQ is valid "
                     "only until IRCC decides that application, and the application must still "
                     "be in progress.")
    elif status == "refused":
        reason = msg("Your permanent residence application has been refused. A CSQ is valid "
                     "only until IRCC decides that application, and the application must still "
                     "be in progress.")
    else:
        reason = msg("Your permanent residence application has been withdrawn. Once you have "
                     "applied for permanent residence, the application must have been submitted "
                     "before your CSQ expired and still be in progress.")
    return Finding("csq_validity", NOT_MET, reason, "eligibility")


def csq_validity(case: Case) -> Finding:
    """A CSQ valid on the assessment date, or a permanent residence application submitted
    before it expired and still in progress (manual, "Eligibility requirements": a CSQ is valid
    for the `csq_validity_months` parameter, or until IRCC decides the application). Takes a
    `Case`; returns a `Finding` with id "csq_validity"."""
    csq = case.a.csq
    if csq.held is False:
        return Finding("csq_validity", NOT_APPLICABLE, msg(
            "You do not hold a CSQ, so there is no validity to check."), "eligibility")
    expiry = case.csq_expiry
    if csq.issued is not None and csq.issued > case.on:
        return Finding("csq_validity", NOT_MET, msg(
            "Your CSQ was issued on %(issued)s, after %(date)s: you must already hold the CSQ "
            "when you submit your work permit application.", issued=csq.issued, date=case.on),
            "eligibility")
    submitted = case.pr_submitted
    if submitted is False and case.pr_after_date and expiry is not None:
        submitted_on = case.a.pr_application.submitted_on
        if case.on <= expiry:
            return Finding("csq_validity", MET, msg(
                "Your permanent residence application is dated %(submitted)s, after %(date)s: "
                "on %(date)s it had not been submitted, so your CSQ itself must be valid. It is "
                "valid until %(expiry)s.", submitted=submitted_on, date=case.on,
                expiry=expiry), "eligibility")
        return Finding("csq_validity", NOT_MET, msg(
            "Your permanent residence application is dated %(submitted)s, after %(date)s: on "
            "%(date)s it had not been submitted, so your CSQ itself must be valid. It expired on "
            "%(expiry)s.", submitted=submitted_on, date=case.on, expiry=expiry), "eligibility")
    if submitted is False:
        if expiry is None:
            return Finding("csq_validity", UNKNOWN, msg(
                "Tell us the date your CSQ was issued (or its expiry date), to check that it is "
                "still valid."), "eligibility")
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
    if pr.status in PR_DECIDED:
        return _pr_decided(pr.status)
    if submitted is None:
        return Finding("csq_validity", UNKNOWN, msg(
            "Tell us whether you have applied for permanent residence: it decides how long your "
            "CSQ stays valid."), "eligibility")
    if pr.submitted_on is not None and expiry is not None and pr.submitted_on > expiry:
        return Finding("csq_validity", NOT_MET, msg(
            "Your permanent residence application was submitted on %(submitted)s, after your "
            "CSQ expired on %(expiry)s. It must have been submitted before the CSQ expired.",
            submitted=pr.submitted_on, expiry=expiry), "eligibility")
    if expiry is None:
        return Finding("csq_validity", UNKNOWN, msg(
            "Tell us the date your CSQ was issued (or its expiry date), to check that your "
            "permanent residence application was submitted before it expired."), "eligibility")
    if pr.submitted_on is None:
        return Finding("csq_validity", UNKNOWN, msg(
            "Tell us the date you submitted your permanent residence application, to check that "
            "it was before your CSQ expired on %(expiry)s.", expiry=expiry), "eligibility")
    if pr.status is None:
        return Finding("csq_validity", UNKNOWN, msg(
            "Tell us whether your permanent residence application is still in progress."),
            "eligibility")
    return Finding("csq_validity", MET, msg(
        "Your permanent residence application was submitted on %(submitted)s, on or before your "
        "CSQ’s expiry date (%(expiry)s), and it is still in progress: the CSQ stays valid until "
        "IRCC decides it.", submitted=pr.submitted_on, expiry=expiry), "eligibility")


def invitation(case: Case) -> Finding:
    """A letter of invitation from MIFI, dated on or before the last date letters were issued
    and not after the assessment date (manual, "Eligibility requirements" and opening
    paragraphs: the `invitation_last_letter_date` and `invitations_stopped_on` parameters).
    Takes a `Case`; returns a `Finding` with id "invitation"."""
    received = case.letter_received
    if received is False:
        stopped = case.p["invitations_stopped_on"]
        if stopped is not None:
            return Finding("invitation", NOT_MET, msg(
                "You have no letter of invitation from MIFI. It is required, and MIFI has not "
                "sent any since %(stopped)s.", stopped=stopped), "eligibility", ("intro",),
                _letter_routes())
        return Finding("invitation", NOT_MET, msg(
            "You have no letter of invitation from MIFI. A letter inviting you to apply under "
            "code A76 is required."), "eligibility", instead=_letter_routes())
    dated = case.a.invitation.dated
    if received is None:
        return Finding("invitation", UNKNOWN, msg(
            "Tell us whether you have received a letter of invitation from MIFI."), "eligibility")
    if dated is None:
        return Finding("invitation", UNKNOWN, msg(
            "Tell us the date on your letter of invitation, to check it against the last date "
            "MIFI issued letters."), "eligibility", ("intro",))
    # The cut-off in force on the later of the two days: a letter dated after it never counts.
    latest = parameters.snapshot(max(case.on, dated))
    cutoff = latest["invitation_last_letter_date"]
    if cutoff is not None and dated > cutoff:
        return Finding("invitation", NOT_MET, msg(
            "Your letter is dated %(dated)s. MIFI stopped sending letters of invitation on "
            "%(stopped)s; only applications with a letter dated up to %(cutoff)s are "
            "processed.", dated=dated,
            stopped=latest["invitations_stopped_on"], cutoff=cutoff), "intro",
            instead=_letter_routes())
    if dated > case.on:
        return Finding("invitation", NOT_MET, msg(
            "Your letter is dated %(dated)s, after %(date)s: you cannot apply with a letter you "
            "did not have yet.", dated=dated, date=case.on), "eligibility",
            instead=_letter_routes())
    if cutoff is not None:
        return Finding("invitation", MET, msg(
            "You have a letter of invitation from MIFI dated %(dated)s, on or before %(cutoff)s, "
            "the last date on which letters were issued.", dated=dated, cutoff=cutoff),
            "eligibility", ("intro",))
    return Finding("invitation", MET, msg(
        "You have a letter of invitation from MIFI dated %(dated)s.", dated=dated), "eligibility")


def csq_cut(case: Case) -> Text | None:
    """When the CSQ's expiry is the last day to submit, before the end of the days after the
    letter (CONTRACT.md v2, `submission_deadline`), why: the CSQ must be valid unless a permanent
    residence application submitted before it expired is in progress, which keeps it valid
    (manual, "Eligibility requirements": CSQs "are valid for the duration of the permanent
    residence application"). None when the CSQ does not cut the days short, or has expired."""
    expiry = case.csq_expiry
    if not case.deadline_is_csq_expiry or expiry is None or case.on > expiry:
        return None
    return msg("Your CSQ expires on %(expiry)s, before the end of the %(days)s days (%(end)s): "
               "that is the last day to submit, unless a permanent residence application "
               "submitted before the CSQ expires is in progress, which keeps the CSQ valid "
               "(%(citation)s).", expiry=expiry, days=case.window_days, end=case.window_end,
               citation=SOURCES["eligibility"].title)


def submission_window(case: Case) -> Finding:
    """The application submitted within the `submission_window_days` parameter's days of
    receiving the letter, or of its date when the day of receipt is not known (manual, opening
    paragraphs). Takes a `Case`; returns a `Finding` with id "submission_window"."""
    if case.letter_received is False:
        return Finding("submission_window", NOT_APPLICABLE, msg(
            "You have no letter of invitation, so there is no %(days)s-day window to check.",
            days=parameters.in_force_or_first("submission_window_days", case.on)), "intro")
    start, deadline, days = case.letter_start, case.window_end, case.window_days
    if start is None or deadline is None:
        return Finding("submission_window", UNKNOWN, msg(
            "Tell us the day you received your letter of invitation (or the date on it), to work "
            "out the last day to submit."), "intro")
    counted_from_receipt = case.a.invitation.received_on is not None
    if case.on < start:  # CONTRACT.md v2: before receipt the window has not opened
        return Finding("submission_window", NOT_MET, msg(
            "The %(days)s days to submit run from %(start)s to %(deadline)s. %(date)s is before "
            "the first of them: you did not have the letter yet, so the window had not opened.",
            start=start, days=days, deadline=deadline, date=case.on), "intro",
            instead=_letter_routes())
    if case.on <= deadline:
        if counted_from_receipt:
            text = msg("You received your letter on %(start)s and have %(days)s days from then: "
                       "the last day to submit is %(deadline)s, and %(date)s is within that "
                       "window.", start=start, days=days, deadline=deadline, date=case.on)
        else:
            text = msg("Your letter is dated %(start)s. Counting %(days)s days from that date "
                       "(you did not give the day you received it), the last day to submit is "
                       "%(deadline)s, and %(date)s is within that window.", start=start,
                       days=days, deadline=deadline, date=case.on)
        cut = csq_cut(case)
        if cut is not None:
            return Finding("submission_window", MET, msg("%(first)s %(then)s", first=text,
                                                         then=cut), "intro", ("eligibility",))
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
    return Finding("submission_window", NOT_MET, text, "intro", instead=_letter_routes())


def channel(case: Case) -> Finding:
    """Applying online, or on paper when exempt from applying online; never at a port of entry
    (manual, "Eligibility requirements" and "who is not eligible"). Takes a `Case`; returns a
    `Finding` with id "channel"."""
    how = case.a.channel
    if how == "online":
        return Finding("channel", MET, msg(
            "You will apply online through an IRCC secure account, as the category requires."),
            "eligibility")
    if how == "paper":
        return Finding("channel", MET, msg(
            "You will apply on paper. Only applicants exempt from applying online may do so, and "
            "they must write “International Mobility Program Plus – A76 cap” on the envelope."),
            "eligibility")
    if how == "port_of_entry":
        return Finding("channel", NOT_MET, msg(
            "Applications made at a port of entry are not eligible under A76. Apply online "
            "through an IRCC secure account instead, or on paper if you are exempt from applying "
            "online."), "not_eligible", ("eligibility",))
    return Finding("channel", UNKNOWN, msg(
        "Tell us how you will apply: online, or on paper if you are exempt from applying "
        "online."), "eligibility")


# ---------------------------------------------------------------- extension

def _permit_check() -> Advice:
    """When a permit's code seems wrong: check what is printed and ask IRCC to correct an error
    (FACTS.md: IRCC's web form)."""
    return Advice("permit_check", msg(
        "If the permit should show code A76 but shows another code, it may be an error: check "
        "what is printed on it and, if it is wrong, ask IRCC to correct it through IRCC’s web "
        "form."), "ircc_error_form")


def current_permit(case: Case) -> Finding:
    """For an extension: the current work permit was issued under code A76 (manual,
    "Extensions"). Takes a `Case`; returns a `Finding` with id "current_permit"."""
    code = case.a.current_permit_code
    if code == "A76":
        return Finding("current_permit", MET, msg(
            "Your current work permit was issued under code A76."), "extensions")
    if code is not None:
        instead = (_permit_check(),)
        if code in FAMILY_CODES:
            instead = (Advice("family", msg(
                "Code %(code)s is a family member’s permit: whether you can get a new one as the "
                "family member of an A76 holder is checked with the questions for a family "
                "member.", code=code), "permits"), *instead)
        return Finding("current_permit", NOT_MET, msg(
            "The code on your current permit is %(code)s, not A76: this extension is only for "
            "holders of an A76 permit.", code=code), "extensions", instead=instead)
    return Finding("current_permit", UNKNOWN, msg(
        "Tell us the code on your current work permit (A76 for an IMP+ permit)."), "extensions")


def restoration_last_day(case: Case, expiry: date) -> tuple[int, date]:
    """(the `restoration_days` parameter in force on the assessment date, the last day to apply
    to restore a status lost on `expiry`): IRPR s. 182, FACTS.md. The day may be past."""
    days = parameters.in_force_or_first("restoration_days", case.on)
    return days, add_days(expiry, days)


def _restoration(case: Case, expiry: date) -> tuple[Advice, ...]:
    """Restoring status (IRPR s. 182, FACTS.md), offered only while the `restoration_days`
    parameter's days since the permit's expiry have not all passed."""
    days, last = restoration_last_day(case, expiry)
    if case.on > last:
        return ()
    return (Advice("restoration", msg(
        "Restoring your status is applied for within %(days)s days after losing it (IRPR "
        "s. 182). Counted from your permit’s expiry on %(expiry)s, that is by %(last)s, if you "
        "had no other status. Restoration has conditions of its own, which this tool does not "
        "check. Once the permit has expired, applying does not let you keep working while you "
        "wait: IRPR s. 186(u) applies only to a renewal applied for before the permit expires "
        "(%(citation)s).", days=days, expiry=expiry, last=last,
        citation=SOURCES["implied_status_conditions"].title), "irpr_182"),)


def current_permit_valid(case: Case) -> Finding:
    """For an extension: the current permit has not expired on the assessment date (an
    extension is applied for before the permit expires, FACTS.md: maintained status; after
    that, restoration within 90 days, IRPR s. 182). Takes a `Case`; returns a `Finding` with id
    "current_permit_valid"."""
    expiry = case.a.current_permit_expiry
    if expiry is None:
        return Finding("current_permit_valid", UNKNOWN, msg(
            "Tell us the day your current work permit expires: an extension is applied for "
            "before it expires."), "maintained_status")
    if expiry >= case.on:
        return Finding("current_permit_valid", MET, msg(
            "Your current permit expires on %(expiry)s, not before %(date)s: you can still apply "
            "to extend it.", expiry=expiry, date=case.on), "maintained_status")
    return Finding("current_permit_valid", NOT_MET, msg(
        "Your current permit expired on %(expiry)s, before %(date)s. An extension is applied "
        "for before the permit expires; after that, the way back is to restore your status.",
        expiry=expiry, date=case.on), "maintained_status", ("irpr_182",),
        _restoration(case, expiry))


def pr_in_progress(case: Case) -> Finding:
    """For an extension: a permanent residence application submitted on or before the
    assessment date and still in processing (manual, "Extensions"); when none was submitted by
    then, the categories for CSQ holders in Quebec are offered instead. Takes a `Case`; returns
    a `Finding` with id "pr_in_progress"."""
    submitted = case.pr_submitted
    status = case.a.pr_application.status
    if case.pr_after_date:
        return Finding("pr_in_progress", NOT_MET, msg(
            "Your permanent residence application is dated %(submitted)s, after %(date)s: on "
            "%(date)s it had not been submitted, and an extension is considered only while one "
            "is in processing.", submitted=case.a.pr_application.submitted_on, date=case.on),
            "extensions", instead=_quebec_alternatives())
    if submitted is False:
        # an A76 holder lives in Quebec: the categories for CSQ holders there are the way on
        return Finding("pr_in_progress", NOT_MET, msg(
            "An A76 permit may be extended only while a permanent residence application is "
            "still in processing, and you have not applied."), "extensions",
            instead=_quebec_alternatives())
    if status in PR_DECIDED:
        return Finding("pr_in_progress", NOT_MET, msg(
            "Your permanent residence application is no longer in progress; an extension is "
            "considered only while it is still in processing."), "extensions")
    if submitted is True and status == "in_progress":
        return Finding("pr_in_progress", MET, msg(
            "Your permanent residence application is still in processing. You must provide "
            "proof that you submitted it and received an acknowledgment of receipt letter; no "
            "new letter of invitation is needed."), "extensions")
    if submitted is None:
        return Finding("pr_in_progress", UNKNOWN, msg(
            "Tell us whether you have applied for permanent residence."), "extensions")
    return Finding("pr_in_progress", UNKNOWN, msg(
        "Tell us whether your permanent residence application is still in progress."),
        "extensions")


def aor_received(case: Case) -> Finding:
    """For an extension: IRCC's acknowledgment of receipt letter for the permanent residence
    application has been received (manual, "Extensions": "must provide proof that they have
    submitted a permanent residence application and received an acknowledgment of receipt
    letter"); not applicable when no application was submitted. Takes a `Case`; returns a
    `Finding` with id "aor_received"."""
    if case.pr_submitted is False:
        return Finding("aor_received", NOT_APPLICABLE, msg(
            "You had not applied for permanent residence on this date, so there is no "
            "acknowledgment of receipt letter to have."), "extensions")
    aor = case.a.pr_application.aor_received
    if aor is True:
        return Finding("aor_received", MET, msg(
            "You have received IRCC’s acknowledgment of receipt letter for your permanent "
            "residence application, which an extension requires as proof."), "extensions")
    if aor is False:
        return Finding("aor_received", NOT_MET, msg(
            "An extension requires proof that you submitted a permanent residence application "
            "and received an acknowledgment of receipt letter from IRCC; you said you have not "
            "received it yet."), "extensions")
    return Finding("aor_received", UNKNOWN, msg(
        "Tell us whether you have received IRCC’s acknowledgment of receipt letter for your "
        "permanent residence application."), "extensions")


# ---------------------------------------------------------------- family member

def _family_source(case: Case) -> str:
    """The family instructions that apply: C49 when the principal applied for permanent
    residence, else C41/C46 (manual, "Open work permits for family members")."""
    return "c49_eligibility" if case.a.principal.pr_submitted is True else "c41_c46_eligibility"


def relationship(case: Case) -> Finding:
    """For a family member: a spouse or common-law partner, or a dependent child (R2), of the
    principal applicant (C41/C46 and C49, "Eligibility" and "Genuine relationship"). Takes a
    `Case`; returns a `Finding` with id "relationship"."""
    member = case.a.family_member
    if member == "spouse":
        return Finding("relationship", MET, msg(
            "You are the spouse or common-law partner of the principal applicant; the officer "
            "must be satisfied that the relationship is genuine."), "c41_c46_relationship",
            ("c49_eligibility",))
    if member == "child":
        return Finding("relationship", MET, msg(
            "You are a dependent child of the principal applicant, as defined in IRPR s. 2."),
            _family_source(case))
    return Finding("relationship", UNKNOWN, msg(
        "Tell us whether you are the principal applicant’s spouse or common-law partner, or "
        "their dependent child."), _family_source(case))


def principal_permit(case: Case) -> Finding:
    """For a family member: the principal applicant holds, is approved for, or applies together
    for an A76 open work permit (manual, "Open work permits for family members"). Takes a
    `Case`; returns a `Finding` with id "principal_permit"."""
    code = case.a.principal.permit_code
    if code == "A76":
        return Finding("principal_permit", MET, msg(
            "The principal applicant holds, or is approved for, an open work permit under code "
            "A76."), "permits")
    if code is not None:
        return Finding("principal_permit", NOT_MET, msg(
            "The code on the principal applicant’s permit is %(code)s, not A76: this part of the "
            "manual covers family members of A76 permit holders only.", code=code), "permits",
            instead=(_permit_check(),))
    return Finding("principal_permit", UNKNOWN, msg(
        "Tell us the code on the principal applicant’s work permit (A76 for an IMP+ permit)."),
        "permits")


def principal_authorization(case: Case) -> Finding:
    """For a family member: the principal applies together with the family member, or is
    authorized to work for at least the `principal_authorization_months` parameter's calendar
    months after the family member's application is received (C41/C46 and C49, "Eligibility";
    months clamped to the month's last day). Takes a `Case`; returns a `Finding` with id
    "principal_authorization"."""
    principal = case.a.principal
    source = _family_source(case)
    if principal.applying_together is True:
        return Finding("principal_authorization", MET, msg(
            "The principal applicant’s A76 application is submitted with yours, as a family "
            "group: it is assessed first, and counts as evidence of their authorization to "
            "work."), source, ("c41_c46_evidence",))
    expiry = principal.permit_expiry
    months, needed = case.principal_months, case.principal_needed_until
    if expiry is None:
        return Finding("principal_authorization", UNKNOWN, msg(
            "Tell us the day the principal applicant’s work permit expires, or whether their "
            "application is submitted with yours: they must be authorized to work for at least "
            "%(months)s months after your application is received.", months=months), source)
    if expiry >= needed:
        return Finding("principal_authorization", MET, msg(
            "The principal applicant’s permit expires on %(expiry)s, at least %(months)s "
            "months after %(date)s (on or after %(needed)s): they are authorized to work long "
            "enough.",
            expiry=expiry, needed=needed, months=months, date=case.on), source)
    return Finding("principal_authorization", NOT_MET, msg(
        "The principal applicant’s permit expires on %(expiry)s, before %(needed)s: they must "
        "be authorized to work for at least %(months)s months after your application is "
        "received (%(date)s).", expiry=expiry, needed=needed, months=months, date=case.on),
        source, instead=_principal_extension(case))


def _principal_extension(case: Case) -> tuple[Advice, ...]:
    """The principal's A76 extension, offered only when the principal has applied for
    permanent residence (manual, "Extensions": only while that application is in processing,
    with its acknowledgment of receipt letter); with what the C49 instructions say of a family
    member's application made while the principal works under maintained status ("Final
    decision", Duration: placed on hold until the principal's renewal is assessed)."""
    if case.a.principal.pr_submitted is not True:
        return ()
    return (Advice("extension", msg(
        "The principal applicant may be able to extend their A76 permit while their permanent "
        "residence application is in processing, with proof that they submitted it and "
        "IRCC’s acknowledgment of receipt letter; a longer authorization could then meet this "
        "condition. If the principal works under maintained status (IRPR s. 186(u)) after "
        "applying to renew their permit when your application is submitted, the instructions "
        "say your application should be placed on hold until the principal’s renewal is "
        "assessed (%(citation)s).", citation=SOURCES["c49_decision"].title), "extensions"),)


def principal_in_quebec(case: Case) -> Finding:
    """For a family member: the principal, a CSQ holder, lives or plans to live in Quebec, the
    province of selection (C41/C46 and C49, "Eligibility"). Takes a `Case`; returns a `Finding`
    with id "principal_in_quebec"."""
    lives = case.a.principal.lives_in_quebec
    source = _family_source(case)
    if lives is True:
        return Finding("principal_in_quebec", MET, msg(
            "The principal applicant lives, or plans to live, in Quebec, the province that "
            "selected them."), source)
    if lives is False:
        return Finding("principal_in_quebec", NOT_MET, msg(
            "A principal applicant who holds a CSQ must live, or plan to live, in Quebec, the "
            "province that selected them; you said they do not."), source)
    return Finding("principal_in_quebec", UNKNOWN, msg(
        "Tell us whether the principal applicant lives, or plans to live, in Quebec."), source)


def accompanying_dependant(case: Case) -> Finding:
    """For a family member under C49 (the principal applied for permanent residence): included
    in that application as an accompanying dependant (C49, "Eligibility"); not applicable
    otherwise, unknown while the principal's application is unknown. Takes a `Case`; returns a
    `Finding` with id "accompanying_dependant"."""
    submitted = case.a.principal.pr_submitted
    if submitted is False:
        return Finding("accompanying_dependant", NOT_APPLICABLE, msg(
            "The principal applicant has not applied for permanent residence, so this applies "
            "only under code C49."), "c49_eligibility")
    if submitted is None:
        return Finding("accompanying_dependant", UNKNOWN, msg(
            "Tell us whether the principal applicant has applied for permanent residence: if "
            "so, you must be included in that application as an accompanying dependant."),
            "c49_eligibility")
    included = case.a.included_in_pr_application
    if included is True:
        return Finding("accompanying_dependant", MET, msg(
            "You are included in the principal applicant’s permanent residence application as "
            "an accompanying dependant. Under code C49 that application must also remain in "
            "process when the officer decides: not refused or withdrawn."), "c49_eligibility")
    if included is False:
        return Finding("accompanying_dependant", NOT_MET, msg(
            "The principal applicant has applied for permanent residence: under code C49 you "
            "must be included in that application as an accompanying dependant, and you said "
            "you are not."), "c49_eligibility")
    return Finding("accompanying_dependant", UNKNOWN, msg(
        "Tell us whether you are included in the principal applicant’s permanent residence "
        "application as an accompanying dependant."), "c49_eligibility")


# The criteria of each purpose, in the order the report lists them (CONTRACT.md v2).
CRITERIA = {
    "initial": (program, residence, r206_permit, status_in_canada, inside_canada_application,
                intent, csq_category, csq_validity, invitation, submission_window, channel),
    "extension": (current_permit, current_permit_valid, pr_in_progress, aor_received),
    "family": (relationship, principal_permit, principal_authorization, principal_in_quebec,
               accompanying_dependant, status_in_canada, inside_canada_application),
}
