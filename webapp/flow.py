"""The wizard's questions and their order, each question declared once, in one place.

As in alphagov/smart-answers, each `Question` carries everything about itself: the answer it
sets (a dotted path into the answers file), its kind and choices, its wording (catalogue
messages; the rest of the wording lives in the templates), and what comes after each answer
(`next`). So adding a question, or a branch, is a change to QUESTIONS alone. `path(answers)`
walks the questions from the start, so the pages, the back links, the check-answers page and the
pruning of stale answers all follow the same branches.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Union

from .i18n import format_day, localize
from .rules import answers as rules_answers
from .rules import parameters, parse_answers, today
from .rules.assessment import assessment_day
from .rules.criteria import Case
from .rules.text import Text, msg

CHECK = "check"  # the check-your-answers page ends every branch
FIRST = "purpose"  # the first question (the assessment date is asked from the start page)
YES, NO, DONT_KNOW = "yes", "no", "dont_know"

# What comes after a question: a node id (a question's id, or CHECK); or a mapping from the
# question's own answer (a choice's value, None for "I don't know" or no answer) to a node id,
# which must list every choice and None; or a function of all the answers (the wizard's state,
# as `get` reads it) giving a node id.
Next = Union[str, Mapping[Any, str], Callable[[dict], str]]


@dataclass(frozen=True)
class Choice:
    """One answer to a choice question: `value` goes into the answers file (None for "I don't
    know"), `key` is the form's value, `label` and `hint` are catalogue messages."""

    value: Any
    key: str
    label: Text
    hint: Text | None = None


@dataclass(frozen=True)
class InForce:
    """A placeholder's value in a question's hint: the parameter `name` of
    webapp/rules/parameters.toml in force today."""

    name: str

    def value(self) -> Any:
        """The parameter's value in force today (Montreal), or its first value if none is in
        force yet. Raises KeyError for a name parameters.toml does not define."""
        found = parameters.snapshot(today())[self.name]
        return parameters.PARAMETERS[self.name].values[0] if found is None else found


@dataclass(frozen=True)
class Question:
    """One page of the wizard.

    id: the node id. field: the dotted path of its answer in the answers file. kind: "choice",
    "date" or "code". title, short (the check-answers page's label) and hint_msg (see `hint`):
    catalogue messages; hint_msg's parameters may be `InForce` placeholders. slugs: the page's
    URL slug by language. choices: for a choice question, its answers, "I don't know" last when
    `dont_know`. next: what comes after it (see `Next`). goes_on: after an answer that ends the
    questions early (`next` gives CHECK), the question from which answers already given further
    along still count (a node id, or a function of the answers giving one or None). carries:
    fields of the answers file this branch does not ask that ride with this answer, so a file
    read back loses nothing. replaces: fields a new answer to this question clears. store: where
    the wizard keeps the answer when not at `field` (see `key`). since: the version of
    CONTRACT.md whose criteria first needed the question; a file read back that leaves a
    question of a later version than 1 blank may have been written before it was asked, so the
    wizard asks it (see `from_answers`). section: the part of the questions it belongs to
    (a catalogue message: "Your CSQ", "The principal applicant"…), shown beside its number
    on the path (`progress`).
    """

    id: str
    field: str
    kind: str
    title: Text
    slugs: dict[str, str]
    next: Next
    hint_msg: Text | None = None
    choices: tuple[Choice, ...] = ()
    dont_know: bool = True
    short: Text | None = None
    goes_on: str | Callable[[dict], str | None] | None = None
    carries: tuple[str, ...] = ()
    replaces: tuple[str, ...] = ()
    store: str = ""
    since: int = 1
    section: Text | None = None

    def slug(self, lang: str) -> str:
        """The page's URL slug in `lang` ("en" or "fr"); KeyError for another language."""
        return self.slugs[lang]

    @property
    def key(self) -> str:
        """Where the wizard keeps this answer. Two questions that fill the same field of the
        answers file on different branches (the applicant's residence, the family member's) are
        kept apart, so switching branch and back restores each one."""
        return self.store or self.field

    @property
    def hint(self) -> Text | None:
        """The hint under the title, or None: `hint_msg` with each `InForce` placeholder
        replaced by the parameter's value in force today, so that the text follows
        parameters.toml."""
        if self.hint_msg is None:
            return None
        params = {name: p.value() if isinstance(p, InForce) else p
                  for name, p in self.hint_msg.params.items()}
        return Text(self.hint_msg.msgid, **params)


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


def _days_ended(answers: dict) -> bool:
    """Whether the days to submit counted from the letter (from its receipt, or its date when
    that is not known) had all passed on the assessment date: a first application then fails,
    whatever else is answered (manual, opening paragraphs). The rules work the days out
    (`criteria.Case.window_end`, as `assess` does), from the letter's answers alone; not the
    whole assessment, since every page walks the path through this question."""
    letter = {k: get(answers, "invitation." + k) for k in ("received", "dated", "received_on")}
    if letter["dated"] is None and letter["received_on"] is None:
        return False
    data = {"format": rules_answers.FORMAT, "purpose": "initial", "invitation": letter}
    if get(answers, "assessment_date"):
        data["assessment_date"] = get(answers, "assessment_date")
    try:
        parsed = parse_answers(data)
    except rules_answers.AnswersError:  # dates in the wrong order: the question says so
        return False
    case = Case(parsed, assessment_day(parsed))
    return case.window_end is not None and case.on > case.window_end


def _initial(answers: dict) -> bool:
    """Whether the answers are about a first A76 permit (not an extension, not a family
    member)."""
    return get(answers, "purpose") == "initial"


def _after_r206(answers: dict) -> str:
    """What comes after the R206 question once it is not answered "yes": the other in-Canada
    question for someone living in Canada outside Quebec; otherwise (residence not known) the
    intent."""
    if get(answers, "residence") == "canada_outside_quebec":
        return "can_apply_from_inside_canada"
    return "intends_to_live_and_work_in_quebec"


# The parts of the questions, shown above each question with its number on the path.
_S_CHECKING = msg("What you are checking")
_S_WHERE = msg("Where you live")
_S_CSQ = msg("Your CSQ")
_S_PR = msg("Your permanent residence application")
_S_LETTER = msg("Your letter of invitation")
_S_APPLYING = msg("How you will apply")
_S_PASSPORT = msg("Your passport")
_S_PERMIT = msg("Your permit")
_S_PRINCIPAL = msg("The principal applicant")
_S_FAMILY = msg("The family member")

_FAMILY_STATUSES = (
    Choice("valid", "valid", msg("Their status is valid")),
    Choice("restorable", "restorable",
           msg("Their status has expired, but they are eligible to restore it")),
    Choice("none", "none", msg("They have no status and cannot restore it")),
    _DK,
)


# An answer that settles the verdict on its own (living in Quebec, no CSQ, no letter) goes
# straight to the check-answers page (CHECK): asking more would not change the outcome. But
# answers already given further along the same branch, by the user before changing an answer or
# by a file, still count: the path goes on over them from the question's `goes_on`, and ends,
# with nothing more to ask, at the first one not answered. So a file read back is never cut
# short.
QUESTIONS: dict[str, Question] = {q.id: q for q in (
    Question("assessment_date", "assessment_date", "date",
             msg("On what date should we assess the application?"),
             {"en": "assessment-date", "fr": "date-evaluation"},
             next=FIRST,
             hint_msg=msg("For representatives reviewing a file: the day the application was, "
                          "or would be, submitted. To assess as of today, choose “Use today’s "
                          "date”."),
             short=msg("Assessed as of")),
    Question("purpose", "purpose", "choice", msg("What do you want to check?"),
             {"en": "purpose", "fr": "objet"},
             choices=(
                 Choice("initial", "initial", msg("A first IMP+ open work permit (code A76)")),
                 Choice("extension", "extension", msg("An extension of my A76 work permit")),
                 Choice("family", "family", msg("A work permit for a family member of an A76 "
                                                "permit holder"),
                        msg("A spouse, common-law partner or dependent child.")),
             ),
             next={"initial": "residence", "extension": "current_permit_code",
                   "family": "family_member", None: "residence"},
             dont_know=False, section=_S_CHECKING, short=msg("What you are checking")),
    # ---- first permit
    Question("residence", "residence", "choice",
             msg("Where will you live when IRCC receives your application?"),
             {"en": "where-you-live", "fr": "lieu-de-residence"},
             hint_msg=msg("That day decides it, not the day you answer: if you apply soon, it "
                          "is where you live today."),
             choices=_RESIDENCES,
             # An R206 permit (a refugee claimant's) is held in Canada: it is asked of people
             # living in Canada outside Quebec and of those who do not know where they will
             # live, not outside Canada nor in Quebec (already not eligible).
             next={"outside_canada": "intends_to_live_and_work_in_quebec",
                   "canada_outside_quebec": "status_in_canada",
                   "quebec": CHECK,  # living in Quebec settles it: not eligible
                   None: "holds_r206_permit"},
             goes_on="intends_to_live_and_work_in_quebec",
             # CONTRACT.md v2 reads it for every residence: a file's answer rides along where
             # the question is not asked.
             carries=("holds_r206_permit",),
             section=_S_WHERE, short=msg("Where you live")),
    Question("status_in_canada", "status_in_canada", "choice",
             msg("What is your temporary resident status in Canada?"),
             {"en": "status-in-canada", "fr": "statut-au-canada"},
             hint_msg=msg("For example as a worker, student or visitor."),
             choices=(
                 Choice("valid", "valid", msg("My status is valid")),
                 Choice("restorable", "restorable",
                        msg("My status has expired, but I am eligible to restore it")),
                 Choice("none", "none", msg("I have no status and cannot restore it")),
                 _DK,
             ),
             next={"valid": "holds_r206_permit", "restorable": "holds_r206_permit",
                   "none": CHECK, None: "holds_r206_permit"},
             goes_on="holds_r206_permit",
             section=_S_WHERE, short=msg("Temporary resident status")),
    Question("holds_r206_permit", "holds_r206_permit", "choice",
             msg("Do you hold an open work permit as a refugee claimant or under a removal "
                 "order?"),
             {"en": "refugee-claimant-permit", "fr": "permis-demandeur-asile"},
             hint_msg=msg("A permit issued under section 206 of the Regulations, to people who "
                          "have no other means of support."),
             choices=_yes_no(),
             next=lambda a: CHECK if get(a, "holds_r206_permit") is True else _after_r206(a),
             goes_on=_after_r206,
             section=_S_WHERE,
             short=msg("Work permit as a refugee claimant or under a removal order")),
    Question("can_apply_from_inside_canada", "can_apply_from_inside_canada", "choice",
             msg("Are you eligible to apply for a work permit from inside Canada?"),
             {"en": "apply-from-inside-canada", "fr": "demande-au-canada"},
             hint_msg=msg("Under section 199 of the Regulations (for example, you hold a work or "
                          "study permit) or under a public policy in force."),
             choices=_yes_no(), next="intends_to_live_and_work_in_quebec",
             section=_S_WHERE, short=msg("Eligible to apply from inside Canada")),
    Question("intends_to_live_and_work_in_quebec", "intends_to_live_and_work_in_quebec", "choice",
             msg("Do you intend to live and work in Quebec?"),
             {"en": "live-and-work-in-quebec", "fr": "vivre-travailler-quebec"},
             choices=_yes_no(), next="csq_held", section=_S_WHERE,
             short=msg("Intend to live and work in Quebec")),
    Question("csq_held", "csq.held", "choice",
             msg("Do you hold a Quebec Selection Certificate (CSQ)?"),
             {"en": "csq", "fr": "csq"},
             choices=_yes_no(dont_know=False),
             next={True: "csq_category", False: CHECK, None: CHECK},
             # No CSQ: its programme and date do not apply. A file that does not say whether
             # you hold one may still name its programme, which the rules read.
             goes_on=lambda a: "csq_category" if get(a, "csq.held") is None else "pr_submitted",
             dont_know=False, section=_S_CSQ, short=msg("Hold a CSQ")),
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
             ),
             next={"skilled_worker": "csq_issued", "pilot_ai_it_vfx": "csq_issued",
                   "other": CHECK, None: "csq_issued"},
             goes_on="csq_issued",  # a CSQ of another programme
             section=_S_CSQ, short=msg("CSQ program")),
    Question("csq_issued", "csq.issued", "date", msg("When was your CSQ issued?"),
             {"en": "csq-issue-date", "fr": "date-delivrance-csq"},
             hint_msg=msg("The date on the certificate. A CSQ is valid for %(months)s months "
                          "from it, or while your permanent residence application is in "
                          "progress.", months=InForce("csq_validity_months")),
             next="pr_submitted",
             # A CSQ's own expiry date (CONTRACT.md: `csq.expires`, by default issued + 24
             # months) rides with its issue date; a new issue date drops the one a file held.
             carries=("csq.expires",), replaces=("csq.expires",),
             section=_S_CSQ, short=msg("CSQ issued on")),
    # first permit and extension
    Question("pr_submitted", "pr_application.submitted", "choice",
             msg("Have you applied to IRCC for permanent residence?"),
             {"en": "permanent-residence", "fr": "residence-permanente"},
             hint_msg=msg("Under one of Quebec’s economic immigration streams."),
             choices=_yes_no(),
             # The acknowledgment of receipt, which only an extension with an application asks,
             # rides with this answer everywhere else.
             carries=("pr_application.aor_received",),
             next=lambda a: (("pr_submitted_on" if _initial(a) else "pr_status")
                             if get(a, "pr_application.submitted") is True else
                             ("invitation_received" if _initial(a) else "passport_expiry")),
             section=_S_PR, short=msg("Applied for permanent residence")),
    Question("pr_submitted_on", "pr_application.submitted_on", "date",
             msg("When did you submit your permanent residence application?"),
             {"en": "permanent-residence-date", "fr": "date-residence-permanente"},
             hint_msg=msg("The date on the email confirmation or the acknowledgment of receipt."),
             next="pr_status", section=_S_PR,
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
             ),
             # For an extension, an application approved, refused or withdrawn settles it (not
             # in processing: manual, "Extensions"): nothing more is asked.
             next=lambda a: ("invitation_received" if _initial(a) else
                             "pr_aor_received" if get(a, "pr_application.status") in
                             ("in_progress", None) else CHECK),
             goes_on="pr_aor_received",
             # The date it was submitted, which only a first application asks, rides with its
             # status on the other branches.
             carries=("pr_application.submitted_on",),
             section=_S_PR, short=msg("Permanent residence application")),
    Question("pr_aor_received", "pr_application.aor_received", "choice",
             msg("Have you received IRCC’s acknowledgment of receipt (AOR) letter for your "
                 "permanent residence application?"),
             {"en": "acknowledgment-of-receipt", "fr": "accuse-de-reception"},
             hint_msg=msg("To extend an A76 permit, you must show that you applied for "
                          "permanent residence and received this letter."),
             choices=_yes_no(), next="passport_expiry", since=2,
             section=_S_PR, short=msg("Acknowledgment of receipt (AOR) received")),
    Question("invitation_received", "invitation.received", "choice",
             msg("Did you receive a letter of invitation from Quebec (MIFI) to apply for this "
                 "work permit?"),
             {"en": "invitation-letter", "fr": "lettre-invitation"},
             hint_msg=msg("MIFI sent these letters, in French, until %(cutoff)s.",
                          cutoff=InForce("invitation_last_letter_date")),
             choices=_yes_no(),
             next={True: "invitation_dated", False: CHECK, None: "channel"},
             goes_on="channel",  # no letter: its dates do not apply
             section=_S_LETTER, short=msg("Letter of invitation from MIFI")),
    Question("invitation_dated", "invitation.dated", "date",
             msg("What date is on the letter of invitation?"),
             {"en": "invitation-date", "fr": "date-lettre"},
             next="invitation_received_on", section=_S_LETTER, short=msg("Date on the letter")),
    Question("invitation_received_on", "invitation.received_on", "date",
             msg("On what day did you receive the letter?"),
             {"en": "invitation-received", "fr": "reception-lettre"},
             hint_msg=msg("You have %(days)s days from that day to apply. If you don’t know, we "
                          "count from the date on the letter.",
                          days=InForce("submission_window_days")),
             # days to submit that have all passed settle it: nothing more to ask
             next=lambda a: CHECK if _days_ended(a) else "channel", goes_on="channel",
             section=_S_LETTER, short=msg("Letter received on")),
    Question("channel", "channel", "choice", msg("How will you apply?"),
             {"en": "how-you-apply", "fr": "mode-de-demande"},
             choices=(
                 Choice("online", "online", msg("Online, through an IRCC secure account")),
                 Choice("paper", "paper", msg("On paper"),
                        msg("Only if you are exempt from applying online.")),
                 Choice("port_of_entry", "port_of_entry",
                        msg("At a port of entry, when arriving in Canada")),
                 _DK,
             ),
             next="passport_expiry", section=_S_APPLYING, short=msg("How you will apply")),
    # first permit and extension (a family member's passport: family_passport_expiry)
    Question("passport_expiry", "passport_expiry", "date",
             msg("When does your passport expire?"),
             {"en": "passport", "fr": "passeport"},
             hint_msg=msg("A work permit cannot be valid beyond your passport."),
             next=CHECK, section=_S_PASSPORT, short=msg("Passport expires on")),
    # ---- extension
    Question("current_permit_code", "current_permit_code", "code",
             msg("What code is on your current work permit?"),
             {"en": "current-permit", "fr": "permis-actuel"},
             hint_msg=msg("Printed on the permit, for example A76."),
             next="current_permit_expiry", section=_S_PERMIT,
             short=msg("Code on your current permit")),
    Question("current_permit_expiry", "current_permit_expiry", "date",
             msg("When does your current work permit expire?"),
             {"en": "current-permit-expiry", "fr": "expiration-permis-actuel"},
             next="pr_submitted", section=_S_PERMIT, short=msg("Current permit expires on")),
    # ---- family member
    Question("family_member", "family_member", "choice",
             msg("Who is the family member applying?"),
             {"en": "family-member", "fr": "membre-de-la-famille"},
             choices=(
                 Choice("spouse", "spouse", msg("The spouse or common-law partner")),
                 Choice("child", "child", msg("A dependent child")),
                 _DK,
             ),
             next="principal_permit_code", section=_S_FAMILY, short=msg("Family member")),
    # The family branch speaks of "the family member" and "the principal applicant" (the A76
    # holder), whoever fills it in; the family member's own answers are kept apart from an
    # applicant's (`store`), so switching purpose and back restores each one.
    Question("principal_permit_code", "principal.permit_code", "code",
             msg("What code is on the principal applicant’s work permit?"),
             {"en": "principal-permit", "fr": "permis-du-demandeur-principal"},
             hint_msg=msg("The permit held by, approved for or applied for by the person "
                          "selected by Quebec. For an IMP+ permit, A76."),
             next="principal_applying_together",
             section=_S_PRINCIPAL, short=msg("Code on the principal applicant’s permit")),
    Question("principal_applying_together", "principal.applying_together", "choice",
             msg("Does the principal applicant already have their work permit?"),
             {"en": "principal-permit-or-together", "fr": "permis-principal-ou-demande-commune"},
             choices=(
                 Choice(False, "holds", msg("Yes, they have it, or it has been approved")),
                 Choice(True, "together",
                        msg("No, they are applying for it together with the family member"),
                        msg("In the same submission, as a family group.")),
                 _DK,
             ),
             # Not knowing whether they apply together, one may still know the permit's date.
             next={False: "principal_permit_expiry", True: "principal_lives_in_quebec",
                   None: "principal_permit_expiry"},
             since=2, section=_S_PRINCIPAL, short=msg("Principal applicant’s work permit")),
    Question("principal_permit_expiry", "principal.permit_expiry", "date",
             msg("When does the principal applicant’s work permit expire?"),
             {"en": "principal-permit-expiry", "fr": "expiration-permis-principal"},
             hint_msg=msg("The date on the permit they hold, or on its approval. The family "
                          "member’s permit cannot last longer."),
             next="principal_lives_in_quebec", since=2,
             section=_S_PRINCIPAL, short=msg("Principal applicant’s permit expires on")),
    Question("principal_lives_in_quebec", "principal.lives_in_quebec", "choice",
             msg("Does the principal applicant live in Quebec, or plan to live there?"),
             {"en": "principal-in-quebec", "fr": "principal-au-quebec"},
             hint_msg=msg("Quebec selected them: to work in Canada, they must live, or plan to "
                          "live, in Quebec."),
             choices=_yes_no(), next="principal_pr_submitted", since=2,
             section=_S_PRINCIPAL,
             short=msg("Principal applicant lives or plans to live in Quebec")),
    Question("principal_pr_submitted", "principal.pr_submitted", "choice",
             msg("Has the principal applicant applied for permanent residence?"),
             {"en": "principal-permanent-residence", "fr": "residence-permanente-principal"},
             hint_msg=msg("As the principal applicant, in an application still in process "
                          "(not refused or withdrawn): code C49 requires one."),
             choices=_yes_no(),
             next={True: "included_in_pr_application", False: "family_residence",
                   None: "family_residence"},
             section=_S_PRINCIPAL,
             short=msg("Principal applicant applied for permanent residence")),
    Question("included_in_pr_application", "included_in_pr_application", "choice",
             msg("Is the family member included in the principal applicant’s permanent "
                 "residence application?"),
             {"en": "included-in-permanent-residence",
              "fr": "inclus-dans-residence-permanente"},
             hint_msg=msg("Listed in that application as an accompanying family member."),
             choices=_yes_no(), next="family_residence", since=2,
             section=_S_FAMILY,
             short=msg("Family member included in the permanent residence application")),
    Question("family_residence", "residence", "choice",
             msg("Where will the family member live when IRCC receives the application?"),
             {"en": "family-member-residence", "fr": "residence-membre-famille"},
             hint_msg=msg("That day decides it, and which form to use: if they apply soon, it "
                          "is where they live today."), store="family.residence",
             choices=_RESIDENCES,
             # A family member may live in Quebec: the in-Canada questions apply there too.
             next={"outside_canada": "family_passport_expiry",
                   "canada_outside_quebec": "family_status_in_canada",
                   "quebec": "family_status_in_canada", None: "family_passport_expiry"},
             section=_S_FAMILY, short=msg("Where the family member lives")),
    Question("family_status_in_canada", "status_in_canada", "choice",
             msg("What is the family member’s temporary resident status in Canada?"),
             {"en": "family-member-status", "fr": "statut-membre-famille"},
             hint_msg=msg("For example as a worker, student or visitor."),
             store="family.status_in_canada", choices=_FAMILY_STATUSES,
             next={"valid": "family_can_apply_from_inside_canada",
                   "restorable": "family_can_apply_from_inside_canada",
                   "none": CHECK,  # no status and cannot restore it: not eligible
                   None: "family_can_apply_from_inside_canada"},
             goes_on="family_can_apply_from_inside_canada", since=2,
             section=_S_FAMILY, short=msg("Family member’s temporary resident status")),
    Question("family_can_apply_from_inside_canada", "can_apply_from_inside_canada", "choice",
             msg("Is the family member eligible to apply for a work permit from inside Canada?"),
             {"en": "family-member-apply-from-inside-canada",
              "fr": "demande-au-canada-membre-famille"},
             hint_msg=msg("Under section 199 of the Regulations (for example, they hold a work "
                          "or study permit) or under a public policy in force."),
             store="family.can_apply_from_inside_canada", choices=_yes_no(),
             next="family_passport_expiry", since=2,
             section=_S_FAMILY, short=msg("Family member eligible to apply from inside Canada")),
    Question("family_passport_expiry", "passport_expiry", "date",
             msg("When does the family member’s passport expire?"),
             {"en": "family-member-passport", "fr": "passeport-membre-famille"},
             hint_msg=msg("A work permit cannot be valid beyond the family member’s passport."),
             store="family.passport_expiry", next=CHECK,
             section=_S_FAMILY, short=msg("Family member’s passport expires on")),
)}

BY_SLUG = {lang: {q.slug(lang): q for q in QUESTIONS.values()} for lang in ("en", "fr")}


def _check_declarations() -> None:
    """Raise ValueError when a question's `next` or `goes_on` names no question, or its
    mapping does not list exactly its choices' values and None: caught at import."""
    nodes = set(QUESTIONS) | {CHECK}
    for q in QUESTIONS.values():
        targets = [q.goes_on] if isinstance(q.goes_on, str) else []
        if isinstance(q.next, str):
            targets.append(q.next)
        elif isinstance(q.next, Mapping):
            targets.extend(q.next.values())
            if set(q.next) != {c.value for c in q.choices} | {None}:
                raise ValueError(f"{q.id}: `next` must map each choice's value and None")
        if not set(targets) <= nodes:
            raise ValueError(f"{q.id}: goes to an unknown question: {set(targets) - nodes}")


_check_declarations()


def get(answers: dict, field: str) -> Any:
    """The answer at a dotted path ("csq.issued") of a nested dict, or None when it, or a group
    on the way, is missing or not a dict."""
    value: Any = answers
    for part in field.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def put(answers: dict, field: str, value: Any) -> None:
    """Set the answer at a dotted path of a nested dict, in place, making (or replacing with) a
    dict each group on the way that is not one. Returns None."""
    *parents, leaf = field.split(".")
    target = answers
    for part in parents:
        if not isinstance(target.get(part), dict):
            target[part] = {}
        target = target[part]
    target[leaf] = value


def record(answers: dict, q: Question, value: Any) -> None:
    """Record `value` (None for "I don't know") as the answer to `q` in the wizard's state,
    in place, clearing the fields the new answer replaces (`q.replaces`). Returns None."""
    put(answers, q.key, value)
    for field in q.replaces:
        if get(answers, field) is not None:
            put(answers, field, None)


def next_node(node: str, answers: dict) -> str:
    """The node after question `node` given the answers so far (the wizard's state, a dict as
    `get` reads it): a question's id, or CHECK when the branch is complete. It is what the
    question's `next` says. Raises KeyError(node) for a node that is not a question."""
    q = QUESTIONS[node]
    if isinstance(q.next, str):
        return q.next
    if isinstance(q.next, Mapping):
        answer = get(answers, q.key)
        # An answer the question does not offer (not a string or a bool) counts as unknown.
        answer = answer if isinstance(answer, (str, bool)) else None
        return q.next[answer] if answer in q.next else q.next[None]
    return q.next(answers)


def goes_on(node: str, answers: dict) -> str | None:
    """Where the path goes on past question `node`, when `next_node` ends the questions early
    but answers already given go further (the question's `goes_on`); None where it does not.
    Raises KeyError(node) for a node that is not a question."""
    rule = QUESTIONS[node].goes_on
    return rule(answers) if callable(rule) else rule


def _after(node: str, answers: dict, further: Callable[[str], bool]) -> tuple[str, bool]:
    """(the node after `node`, whether that is past an answer that ends the questions early):
    past it when `further(target)` says answers go on from where the path goes on."""
    nxt = next_node(node, answers)
    target = goes_on(node, answers) if nxt == CHECK else None
    if target and further(target):
        return target, True
    return nxt, False


def path(answers: dict, answered: set[str]) -> tuple[list[str], str]:
    """The current branch: (the answered questions on it, in order, from FIRST; the next node
    to show: the first question on it not in `answered`, or CHECK when there is none or once
    the path went on past an answer that ends the questions early).

    `answers` is the wizard's state (a nested dict, see `Question.key`); `answered` holds the
    ids of the questions answered, "I don't know" included. Raises nothing for any dict."""
    done: list[str] = []
    node, settled = FIRST, False
    while node != CHECK and node not in done:
        if node not in answered:
            return done, CHECK if settled else node
        done.append(node)
        node, past = _after(node, answers, answered.__contains__)
        settled |= past
    return done, node


def progress(node: str, answers: dict, answered: set[str]) -> int | None:
    """The number of question `node` on the path walked so far (see `path`): its place among
    the questions answered on the current branch, or one more than they are for the next
    question to answer; None for a question off the path (the assessment date, asked from the
    start page). Counted from what was walked, never out of a total: a branch that changes
    changes the total."""
    visited, nxt = path(answers, answered)
    if node in visited:
        return visited.index(node) + 1
    return len(visited) + 1 if node == nxt else None


def branch(answers: dict, answered: set[str]) -> list[str]:
    """Every question on the current branch, in order, from FIRST: as `path`, but going on past
    a question not answered as if it were answered "I don't know" (its None branch), up to
    CHECK; once the path went on past an answer that ends the questions early, it stops at the
    first question not answered, as `path` does. Once every question is answered it is what
    `path` gives. Raises nothing for any dict."""
    nodes: list[str] = []
    node, settled = FIRST, False
    while node != CHECK and node not in nodes:
        if settled and node not in answered:
            break
        nodes.append(node)
        was_answered = node in answered
        node, past = _after(node, answers, answered.__contains__)
        settled |= past and was_answered
    return nodes


# Fields of the answers file that no question asks, which name the file itself (CONTRACT.md v2):
# its identifier and the person's own name for it. A file restored keeps them; the wizard gives a
# new session its file_id (webapp.wizard).
FILE_FIELDS = ("file_id", "label")


def effective_answers(answers: dict, answered: set[str]) -> dict:
    """The answers file (CONTRACT.md, a dict as `Answers.to_dict()` writes it) for the current
    branch only: answers left on another branch (kept so that going back restores them) are not
    assessed. Each answered question on the branch (see `branch`: those after one still to
    answer count too, so a file read back loses nothing) gives its answer and the fields it
    carries, except a carried field that a question off the branch answered: that answer was
    left on another branch."""
    on_branch = branch(answers, answered)
    elsewhere = {QUESTIONS[n].key for n in answered if n in QUESTIONS and n not in on_branch}
    out: dict = {"format": rules_answers.FORMAT}
    if "assessment_date" in answered and answers.get("assessment_date"):
        out["assessment_date"] = answers["assessment_date"]
    for about_the_file in FILE_FIELDS:  # no question asks them: they name the file
        if answers.get(about_the_file):
            out[about_the_file] = answers[about_the_file]
    for node in on_branch:
        if node not in answered:
            continue
        q = QUESTIONS[node]
        carried = ((f, f) for f in q.carries if f not in elsewhere)
        for kept, field in ((q.key, q.field), *carried):
            value = get(answers, kept)
            if value is not None:
                put(out, field, value)
    return out


# The fields that the family member's own questions keep apart (`Question.store`) from an
# applicant's: a file's answer goes to the question of the file's branch.
_FAMILY_FIELDS = frozenset(q.field for q in QUESTIONS.values() if q.store.startswith("family."))


def from_answers(data: dict) -> tuple[dict, set[str]]:
    """The wizard's state (answers as the wizard keeps them, ids of the questions answered) for
    an answers file written as `Answers.to_dict()` writes it: what resuming from a file
    restores.

    Every answer in the file is kept. Walking the flow from the start, a question the file
    leaves blank counts as answered "I don't know" when the file answers a question after it
    on the same branch (it was passed over), where that is an honest answer and the question
    is not newer than the file may be (`Question.since`). The others are left for the wizard
    to ask, first of all the first one: a question that cannot be left unknown (whether you
    hold a CSQ), a question added since version 1, and every question after the file's last
    answer (a file saved halfway, or one made before the question existed, never answered
    them). Once an answer settles the verdict, blank questions stay unknown. A file with no
    purpose is a first application, as CONTRACT.md says. The answers a file implies (a date or
    status of the permanent residence application means it was submitted, a date on the letter
    that it was received) are the rules' own (`webapp.rules.answers.pr_submitted`,
    `letter_received`).
    """
    data = {**data, "purpose": data.get("purpose") or "initial"}  # the contract's default
    answers: dict = {}
    family = data["purpose"] == "family"
    for q in QUESTIONS.values():
        # The applicant's residence and the family member's (and status, passport…) fill the
        # same field: the file's goes to the question on its branch.
        if q.field in _FAMILY_FIELDS and q.store.startswith("family.") != family:
            continue
        value = get(data, q.field)
        if value is not None:
            put(answers, q.key, value)
    for q in QUESTIONS.values():
        for field in q.carries:
            if get(data, field) is not None:
                put(answers, field, get(data, field))
    implied = {
        "pr_application.submitted": rules_answers.pr_submitted(
            get(data, "pr_application.submitted"), get(data, "pr_application.submitted_on"),
            get(data, "pr_application.status")),
        "invitation.received": rules_answers.letter_received(
            get(data, "invitation.received"), get(data, "invitation.dated"),
            get(data, "invitation.received_on")),
    }
    for field, value in implied.items():
        if value is not None:
            put(answers, field, value)
    for about_the_file in FILE_FIELDS:
        if data.get(about_the_file):
            answers[about_the_file] = data[about_the_file]
    walked: list[tuple[str, bool]] = []  # (question, whether the verdict was settled before it)
    node, settled = FIRST, False
    while node != CHECK and node not in (n for n, _ in walked):
        walked.append((node, settled))
        given = get(answers, QUESTIONS[node].key) is not None
        node, past = _after(node, answers, lambda target: _answered_in_file(target, answers))
        settled |= past and (given or settled)
    given_at = [i for i, (n, _) in enumerate(walked) if get(answers, QUESTIONS[n].key) is not None]
    done: set[str] = set()
    if data.get("assessment_date"):
        done.add("assessment_date")
    for node, settled in walked[:given_at[-1] + 1 if given_at else 0]:
        q = QUESTIONS[node]
        if get(answers, q.key) is not None or settled or (q.dont_know and q.since == 1):
            done.add(node)
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
    """The answer to `q` in the wizard's state `answers`, as the check-answers page and the PDF
    show it in `lang`: a choice's label, a date written out, a code as given, or "I don't
    know"."""
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
    """(question id, label, answer) in `lang` for every question on the current branch (see
    `branch`: once every question is answered, those of `path`), in order; a question not
    answered shows "I don't know"."""
    visited = branch(answers, answered)
    return [(n, localize(QUESTIONS[n].short or QUESTIONS[n].title, lang),
             display(QUESTIONS[n], answers, lang)) for n in visited]


def edges() -> list[tuple[str, str, str]]:
    """(from, answer, to) for every branch, without repeats: the answer is a choice's form key,
    or "answered" for a date or a code. Enough to print the flow as a graph. The assessment
    date, asked from the start page, is left out. A `next` that reads earlier answers is read
    for each purpose and each residence (the earlier answers a `next` reads)."""
    out = []
    residences = [c.value for c in QUESTIONS["residence"].choices]
    for q in QUESTIONS.values():
        if q.id == "assessment_date":
            continue
        for purpose, residence in ((p, r) for p in ("initial", "extension", "family")
                                   for r in residences):
            for c in (q.choices if q.kind == "choice" else (None,)):
                answers: dict = {"purpose": purpose, "residence": residence}
                if c is not None:
                    put(answers, q.key, c.value)
                edge = (q.id, c.key if c else "answered", next_node(q.id, answers))
                if edge not in out:
                    out.append(edge)
    return out
