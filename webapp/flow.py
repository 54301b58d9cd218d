"""The wizard's questions and their order, declared once.

Each `Question` names the answer it sets (a dotted path into the answers file), its kind and
choices; `next_node(node, answers)` (its tables FOLLOWS and BRANCHES) is the only place that
decides what comes next, as alphagov/smart-answers' flows do. `path(answers)` walks it from the
start, so the pages, the back links, the check-answers page and the pruning of stale answers all
follow the same branches. Wording lives in the templates and the catalogue; the labels here are
catalogue messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .i18n import format_day, localize
from .rules.text import Text, msg

CHECK = "check"  # the check-your-answers page ends every branch
YES, NO, DONT_KNOW = "yes", "no", "dont_know"


@dataclass(frozen=True)
class Choice:
    value: Any  # what goes into the answers file (None for "I don't know")
    key: str  # the form value
    label: Text
    hint: Text | None = None


@dataclass(frozen=True)
class Question:
    id: str
    field: str  # dotted path in the answers file
    kind: str  # "choice", "date" or "code"
    title: Text
    slugs: dict[str, str]
    hint: Text | None = None
    choices: tuple[Choice, ...] = ()
    dont_know: bool = True  # whether "I don't know" is an honest answer here
    short: Text | None = None  # the label on the check-answers page
    store: str = ""  # where the wizard keeps the answer, when not at `field` (see `key`)

    def slug(self, lang: str) -> str:
        return self.slugs[lang]

    @property
    def key(self) -> str:
        """Where the wizard keeps this answer. Two questions that fill the same field of the
        answers file on different branches (the applicant's residence, the family member's) are
        kept apart, so switching branch and back restores each one."""
        return self.store or self.field


def _yes_no(dont_know: bool = True) -> tuple[Choice, ...]:
    out = (Choice(True, YES, msg("Yes")), Choice(False, NO, msg("No")))
    return out + ((Choice(None, DONT_KNOW, msg("I don’t know")),) if dont_know else ())


_DK = Choice(None, DONT_KNOW, msg("I don’t know"))
_RESIDENCES = (
    Choice("outside_canada", "outside_canada", msg("Outside Canada")),
    Choice("canada_outside_quebec", "canada_outside_quebec",
           msg("In Canada, in a province or territory other than Quebec")),
    Choice("quebec", "quebec", msg("In Quebec")),
    _DK,
)

QUESTIONS: dict[str, Question] = {q.id: q for q in (
    Question("assessment_date", "assessment_date", "date",
             msg("On what date should we assess the application?"),
             {"en": "assessment-date", "fr": "date-evaluation"},
             hint=msg("For representatives reviewing a file: the day the application was, or "
                      "would be, submitted. To assess as of today, choose “Use today’s date”."),
             short=msg("Assessed as of")),
    Question("purpose", "purpose", "choice", msg("What do you want to check?"),
             {"en": "purpose", "fr": "objet"},
             choices=(
                 Choice("initial", "initial", msg("A first IMP+ open work permit (code A76)")),
                 Choice("extension", "extension", msg("An extension of my A76 work permit")),
                 Choice("family", "family", msg("A work permit for a family member of an A76 "
                                                "permit holder"),
                        msg("A spouse, common-law partner or dependent child.")),
             ), dont_know=False, short=msg("What you are checking")),
    Question("residence", "residence", "choice", msg("Where do you live today?"),
             {"en": "where-you-live", "fr": "lieu-de-residence"},
             hint=msg("Where you will be living when IRCC receives your application."),
             choices=_RESIDENCES, short=msg("Where you live")),
    Question("status_in_canada", "status_in_canada", "choice",
             msg("What is your temporary resident status in Canada?"),
             {"en": "status-in-canada", "fr": "statut-au-canada"},
             hint=msg("For example as a worker, student or visitor."),
             choices=(
                 Choice("valid", "valid", msg("My status is valid")),
                 Choice("restorable", "restorable",
                        msg("My status has expired, but I am eligible to restore it")),
                 Choice("none", "none", msg("I have no status and cannot restore it")),
                 _DK,
             ), short=msg("Temporary resident status")),
    Question("holds_r206_permit", "holds_r206_permit", "choice",
             msg("Do you hold an open work permit as a refugee claimant or under a removal "
                 "order?"),
             {"en": "refugee-claimant-permit", "fr": "permis-demandeur-asile"},
             hint=msg("A permit issued under section 206 of the Regulations, to people who have "
                      "no other means of support."),
             choices=_yes_no(), short=msg("Work permit as a refugee claimant or under a removal "
                                          "order")),
    Question("can_apply_from_inside_canada", "can_apply_from_inside_canada", "choice",
             msg("Are you eligible to apply for a work permit from inside Canada?"),
             {"en": "apply-from-inside-canada", "fr": "demande-au-canada"},
             hint=msg("Under section 199 of the Regulations (for example, you hold a work or study "
                      "permit) or under a public policy in force."),
             choices=_yes_no(), short=msg("Eligible to apply from inside Canada")),
    Question("intends_to_live_and_work_in_quebec", "intends_to_live_and_work_in_quebec", "choice",
             msg("Do you intend to live and work in Quebec?"),
             {"en": "live-and-work-in-quebec", "fr": "vivre-travailler-quebec"},
             choices=_yes_no(), short=msg("Intend to live and work in Quebec")),
    Question("csq_held", "csq.held", "choice",
             msg("Do you hold a Quebec Selection Certificate (CSQ)?"),
             {"en": "csq", "fr": "csq"},
             choices=_yes_no(dont_know=False), dont_know=False, short=msg("Hold a CSQ")),
    Question("csq_category", "csq.category", "choice",
             msg("Under which program did you get your CSQ?"),
             {"en": "csq-programme", "fr": "programme-csq"},
             choices=(
                 Choice("skilled_worker", "skilled_worker",
                        msg("Quebec’s regular skilled worker program"),
                        msg("The Regular Skilled Worker Program (PRTQ) or, since November 29, "
                            "2024, the Skilled Worker Selection Program (PSTQ).")),
                 Choice("pilot_ai_it_vfx", "pilot_ai_it_vfx",
                        msg("The pilot program for workers in artificial intelligence, "
                            "information technologies and visual effects")),
                 Choice("other", "other", msg("Another program"),
                        msg("For example the Quebec Experience Program (PEQ) or another pilot "
                            "program.")),
                 _DK,
             ), short=msg("CSQ program")),
    Question("csq_issued", "csq.issued", "date", msg("When was your CSQ issued?"),
             {"en": "csq-issue-date", "fr": "date-delivrance-csq"},
             hint=msg("The date on the certificate. A CSQ is valid for 24 months from it, or "
                      "while your permanent residence application is in progress."),
             short=msg("CSQ issued on")),
    Question("pr_submitted", "pr_application.submitted", "choice",
             msg("Have you applied to IRCC for permanent residence?"),
             {"en": "permanent-residence", "fr": "residence-permanente"},
             hint=msg("Under one of Quebec’s economic immigration streams."),
             choices=_yes_no(), short=msg("Applied for permanent residence")),
    Question("pr_submitted_on", "pr_application.submitted_on", "date",
             msg("When did you submit your permanent residence application?"),
             {"en": "permanent-residence-date", "fr": "date-residence-permanente"},
             hint=msg("The date on the email confirmation or the acknowledgment of receipt."),
             short=msg("Permanent residence application submitted on")),
    Question("pr_status", "pr_application.status", "choice",
             msg("Where is your permanent residence application now?"),
             {"en": "permanent-residence-status", "fr": "etat-residence-permanente"},
             choices=(
                 Choice("in_progress", "in_progress", msg("Still in progress")),
                 Choice("approved", "approved", msg("Approved")),
                 Choice("refused", "refused", msg("Refused")),
                 Choice("withdrawn", "withdrawn", msg("Withdrawn")),
                 _DK,
             ), short=msg("Permanent residence application")),
    Question("invitation_received", "invitation.received", "choice",
             msg("Did you receive a letter of invitation from Quebec (MIFI) to apply for this "
                 "work permit?"),
             {"en": "invitation-letter", "fr": "lettre-invitation"},
             hint=msg("MIFI sent these letters, in French, until January 15, 2025."),
             choices=_yes_no(), short=msg("Letter of invitation from MIFI")),
    Question("invitation_dated", "invitation.dated", "date",
             msg("What date is on the letter of invitation?"),
             {"en": "invitation-date", "fr": "date-lettre"},
             short=msg("Date on the letter")),
    Question("invitation_received_on", "invitation.received_on", "date",
             msg("On what day did you receive the letter?"),
             {"en": "invitation-received", "fr": "reception-lettre"},
             hint=msg("You have 90 days from that day to apply. If you don’t know, we count from "
                      "the date on the letter."),
             short=msg("Letter received on")),
    Question("channel", "channel", "choice", msg("How will you apply?"),
             {"en": "how-you-apply", "fr": "mode-de-demande"},
             choices=(
                 Choice("online", "online", msg("Online, through an IRCC secure account")),
                 Choice("paper", "paper", msg("On paper"),
                        msg("Only if you are exempt from applying online.")),
                 Choice("port_of_entry", "port_of_entry",
                        msg("At a port of entry, when arriving in Canada")),
                 _DK,
             ), short=msg("How you will apply")),
    Question("passport_expiry", "passport_expiry", "date",
             msg("When does your passport expire?"),
             {"en": "passport", "fr": "passeport"},
             hint=msg("A work permit cannot be valid beyond your passport."),
             short=msg("Passport expires on")),
    Question("current_permit_code", "current_permit_code", "code",
             msg("What code is on your current work permit?"),
             {"en": "current-permit", "fr": "permis-actuel"},
             hint=msg("Printed on the permit, for example A76."),
             short=msg("Code on your current permit")),
    Question("current_permit_expiry", "current_permit_expiry", "date",
             msg("When does your current work permit expire?"),
             {"en": "current-permit-expiry", "fr": "expiration-permis-actuel"},
             short=msg("Current permit expires on")),
    Question("family_member", "family_member", "choice",
             msg("Who is the family member applying?"),
             {"en": "family-member", "fr": "membre-de-la-famille"},
             choices=(
                 Choice("spouse", "spouse", msg("The spouse or common-law partner")),
                 Choice("child", "child", msg("A dependent child")),
                 _DK,
             ), short=msg("Family member")),
    Question("principal_permit_code", "principal.permit_code", "code",
             msg("What code is on the principal applicant’s work permit?"),
             {"en": "principal-permit", "fr": "permis-du-demandeur-principal"},
             hint=msg("The permit held by, or approved for, the person selected by Quebec. For "
                      "an IMP+ permit, A76."),
             short=msg("Code on the principal applicant’s permit")),
    Question("principal_pr_submitted", "principal.pr_submitted", "choice",
             msg("Has the principal applicant applied for permanent residence?"),
             {"en": "principal-permanent-residence", "fr": "residence-permanente-principal"},
             choices=_yes_no(), short=msg("Principal applicant applied for permanent residence")),
    Question("family_residence", "residence", "choice",
             msg("Where does the family member live today?"),
             {"en": "family-member-residence", "fr": "residence-membre-famille"},
             hint=msg("It decides which form to use."), store="family.residence",
             choices=_RESIDENCES, short=msg("Where the family member lives")),
)}

FIRST = "purpose"
BY_SLUG = {lang: {q.slug(lang): q for q in QUESTIONS.values()} for lang in ("en", "fr")}


# The dotted paths the flow reads and writes, split once: the walk reads a dozen of them per
# page. Only the flow's own fields are here (never a path from a request).
_PARTS: dict[str, tuple[str, ...]] = {}


def get(answers: dict, field: str) -> Any:
    """The answer at a dotted path, or None."""
    value: Any = answers
    for part in _PARTS.get(field) or field.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def put(answers: dict, field: str, value: Any) -> None:
    *parents, leaf = _PARTS.get(field) or field.split(".")
    target = answers
    for part in parents:
        if not isinstance(target.get(part), dict):
            target[part] = {}
        target = target[part]
    target[leaf] = value


# Questions whose next question does not depend on any answer.
FOLLOWS = {
    "can_apply_from_inside_canada": "intends_to_live_and_work_in_quebec",
    "intends_to_live_and_work_in_quebec": "csq_held",
    "csq_issued": "pr_submitted",
    "pr_submitted_on": "pr_status",
    "invitation_dated": "invitation_received_on",
    "invitation_received_on": "channel",
    "channel": "passport_expiry",
    "passport_expiry": CHECK,
    # ---- extension
    "current_permit_code": "current_permit_expiry",
    "current_permit_expiry": "pr_submitted",
    # ---- family member
    "family_member": "principal_permit_code",
    "principal_permit_code": "principal_pr_submitted",
    "principal_pr_submitted": "family_residence",
    "family_residence": "passport_expiry",
    "assessment_date": FIRST,
}


def _after_purpose(answers: dict) -> str:
    return {"extension": "current_permit_code", "family": "family_member"}.get(
        get(answers, "purpose"), "residence")


def _after_residence(answers: dict) -> str:
    where = get(answers, "residence")
    if where == "quebec":
        return CHECK
    return "status_in_canada" if where == "canada_outside_quebec" else \
        "intends_to_live_and_work_in_quebec"


def _after_status(answers: dict) -> str:
    return CHECK if get(answers, "status_in_canada") == "none" else "holds_r206_permit"


def _after_r206_permit(answers: dict) -> str:
    return CHECK if get(answers, "holds_r206_permit") is True else "can_apply_from_inside_canada"


def _after_csq_held(answers: dict) -> str:
    return "csq_category" if get(answers, "csq.held") is True else CHECK


def _after_csq_category(answers: dict) -> str:
    return CHECK if get(answers, "csq.category") == "other" else "csq_issued"


def _after_pr_submitted(answers: dict) -> str:
    initial = get(answers, "purpose") == "initial"
    if get(answers, "pr_application.submitted") is True:
        return "pr_submitted_on" if initial else "pr_status"
    return "invitation_received" if initial else "passport_expiry"


def _after_pr_status(answers: dict) -> str:
    return "invitation_received" if get(answers, "purpose") == "initial" else "passport_expiry"


def _after_invitation(answers: dict) -> str:
    received = get(answers, "invitation.received")
    if received is False:
        return CHECK
    return "invitation_dated" if received is True else "channel"


# Questions whose answer decides what comes next.
BRANCHES = {
    "purpose": _after_purpose,
    # ---- first permit
    "residence": _after_residence,
    "status_in_canada": _after_status,
    "holds_r206_permit": _after_r206_permit,
    "csq_held": _after_csq_held,
    "csq_category": _after_csq_category,
    "pr_submitted": _after_pr_submitted,  # first permit and extension
    "pr_status": _after_pr_status,
    "invitation_received": _after_invitation,
}


def next_node(node: str, answers: dict) -> str:
    """The question after `node` given the answers so far; CHECK when the branch is complete.

    An answer that settles the verdict on its own (living in Quebec, no CSQ, no letter) goes
    straight to the check-answers page: asking more would not change the outcome. FOLLOWS and
    BRANCHES say it for each question (two tables rather than a chain of `if`: the wizard walks
    the flow a dozen steps at a time on every page).
    """
    following = FOLLOWS.get(node)
    if following is not None:
        return following
    return BRANCHES[node](answers)  # KeyError(node) for a node that is not a question


# A decisive answer ends the questions early (next_node gives CHECK), but answers already given
# further along the same branch, by the user before changing an answer or by a file, still
# count: the path goes on over them from the question that would have come next, and ends, with
# nothing more to ask, at the first one not answered. So a file read back is never cut short.
GOES_ON = {
    "residence": "intends_to_live_and_work_in_quebec",  # living in Quebec
    "status_in_canada": "holds_r206_permit",  # no status
    "holds_r206_permit": "can_apply_from_inside_canada",  # an R206 permit
    "csq_held": "pr_submitted",  # no CSQ: its programme and date do not apply
    "csq_category": "csq_issued",  # a CSQ of another programme
    "invitation_received": "channel",  # no letter: its dates do not apply
}


def goes_on(node: str, answers: dict) -> str | None:
    """Where the path goes on past `node` when answers already given go further (GOES_ON). A
    file that does not say whether you hold a CSQ may still name its programme, which the rules
    read, so the path goes on to it."""
    if node == "csq_held" and get(answers, "csq.held") is None:
        return "csq_category"
    return GOES_ON.get(node)


def _after(node: str, answers: dict, further) -> tuple[str, bool]:
    """(the node after `node`, whether that is past a decisive answer): past it when
    `further(target)` says answers go on from where the path goes on (GOES_ON)."""
    nxt = next_node(node, answers)
    target = goes_on(node, answers) if nxt == CHECK else None
    if target and further(target):
        return target, True
    return nxt, False


def path(answers: dict, answered: set[str]) -> tuple[list[str], str]:
    """(the answered questions on the current branch, in order; the next node to show).

    `_after` with `answered` as `further`, written out: every page walks it, some twice."""
    done: list[str] = []
    node, settled = FIRST, False
    while node != CHECK and node not in done:
        if node not in answered:
            return done, CHECK if settled else node
        done.append(node)
        nxt = next_node(node, answers)
        if nxt == CHECK:
            target = goes_on(node, answers)
            if target and target in answered:
                node, settled = target, True
                continue
        node = nxt
    return done, node


# Fields of the answers file that a branch does not ask, carried along with the question they
# belong to, so that a file read back loses nothing: a CSQ's own expiry date (CONTRACT.md:
# `csq.expires`, by default issued + 24 months) rides with the issue date; the date a permanent
# residence application was submitted, which only a first application asks, rides with its
# status on the other branches.
CARRIED = {"csq_issued": ("csq.expires",), "pr_status": ("pr_application.submitted_on",)}
# Answering a question again drops what a file held beside it.
REPLACES = {"csq_issued": ("csq.expires",)}

# What effective_answers copies for each question: (where the wizard keeps it, split at the
# dots; the group and the key where the answers file has it, the group "" at the top), the
# question's own answer first, then the fields CARRIED with it.
_COPIED = {q.id: tuple((tuple(kept.split(".")), *field.rpartition(".")[::2]) for kept, field in (
    (q.key, q.field), *((f, f) for f in CARRIED.get(q.id, ())))) for q in QUESTIONS.values()}
assert all("." not in group for copies in _COPIED.values() for _, group, _ in copies)
_PARTS.update((f, tuple(f.split("."))) for f in {
    "purpose", *(q.field for q in QUESTIONS.values()), *(q.key for q in QUESTIONS.values()),
    *(f for fields in CARRIED.values() for f in fields)})


def effective_answers(answers: dict, answered: set[str]) -> dict:
    """The answers file for the current branch only: answers left on another branch (kept so
    that going back restores them) are not assessed."""
    done, _ = path(answers, answered)
    out: dict = {"format": "impplus-answers/1"}
    if "assessment_date" in answered and answers.get("assessment_date"):
        out["assessment_date"] = answers["assessment_date"]
    for node in done:
        for kept, group, leaf in _COPIED[node]:
            value: Any = answers  # get(answers, kept), with the path split once
            for part in kept:
                value = value.get(part) if isinstance(value, dict) else None
            if value is not None:  # put(out, field, value): `out` holds only what is put here
                (out.setdefault(group, {}) if group else out)[leaf] = value
    return out


def from_answers(data: dict) -> tuple[dict, set[str]]:
    """The wizard's state (answers as the wizard keeps them, questions answered) for an answers
    file written as `Answers.to_dict()` writes it: what resuming from a file restores.

    Every answer in the file is kept. Walking the flow from the start, a question the file
    leaves blank counts as answered "I don't know" where that is an honest answer; the walk
    stops at the first question that cannot be left unknown (whether you hold a CSQ), which the
    wizard then asks. A file with no purpose is a first application, as CONTRACT.md says. As the rules do, a date or status of the permanent
    residence application means it was submitted, and a date on the letter that it was received.
    """
    data = {**data, "purpose": data.get("purpose") or "initial"}  # the contract's default
    answers: dict = {}
    family = data["purpose"] == "family"
    for q in QUESTIONS.values():
        if q.id in ("residence", "family_residence") and (q.id == "family_residence") != family:
            continue
        value = get(data, q.field)
        if value is not None:
            put(answers, q.key, value)
    for fields in CARRIED.values():
        for field in fields:
            if get(data, field) is not None:
                put(answers, field, get(data, field))
    pr, letter = data.get("pr_application") or {}, data.get("invitation") or {}
    if pr.get("submitted") is None and (pr.get("submitted_on") or pr.get("status")):
        put(answers, "pr_application.submitted", True)
    if letter.get("received") is None and (letter.get("dated") or letter.get("received_on")):
        put(answers, "invitation.received", True)
    done: set[str] = set()
    if data.get("assessment_date"):
        done.add("assessment_date")
    node, settled = FIRST, False
    while node != CHECK and node not in done:
        q = QUESTIONS[node]
        if get(answers, q.key) is None and not q.dont_know and not settled:
            break  # the wizard asks it; once the verdict is settled, it stays unknown instead
        done.add(node)
        node, past = _after(node, answers, lambda target: _answered_in_file(target, answers))
        settled |= past
    return answers, done


def _answered_in_file(node: str, answers: dict) -> bool:
    """Whether the file goes on past a decisive answer: it answers a question from `node` on."""
    seen: set[str] = set()
    while node != CHECK and node not in seen:
        seen.add(node)
        if get(answers, QUESTIONS[node].key) is not None:
            return True
        node = _after(node, answers, lambda target: True)[0]
    return False


def display(q: Question, answers: dict, lang: str) -> str:
    """An answer as the check-answers page and the PDF show it."""
    value = get(answers, q.key)
    if value is None:
        return localize(q.choices[-1].label if q.kind == "choice" and q.dont_know
                        else msg("I don’t know"), lang)
    if q.kind == "choice":
        for c in q.choices:
            if c.value == value:
                return localize(c.label, lang)
    if q.kind == "date":
        try:
            return format_day(date.fromisoformat(value), lang)
        except (TypeError, ValueError):
            return str(value)
    return str(value)


def summary(answers: dict, answered: set[str], lang: str) -> list[tuple[str, str, str]]:
    """(question id, label, answer) for every question on the current branch, in order."""
    visited, _ = path(answers, answered)
    return [(n, localize(QUESTIONS[n].short or QUESTIONS[n].title, lang),
             display(QUESTIONS[n], answers, lang)) for n in visited]


def edges() -> list[tuple[str, str, str]]:
    """(from, answer, to) for every branch: enough to print the flow as a graph."""
    out = []
    for q in QUESTIONS.values():
        if q.id == "assessment_date":
            continue
        purposes = ("initial", "extension", "family")
        for purpose in purposes:
            for c in (q.choices if q.kind == "choice" else (None,)):
                answers: dict = {"purpose": purpose}
                if c is not None:
                    put(answers, q.field, c.value)
                try:
                    target = next_node(q.id, answers)
                except KeyError:
                    continue
                edge = (q.id, c.key if c else "answered", target)
                if edge not in out:
                    out.append(edge)
    return out
