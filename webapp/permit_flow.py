"""The permit check's questions, one per page, each declared once, with the wizard's `Question`.

A second, smaller flow beside webapp.flow: the same declaration type (`flow.Question`, its
slugs, kinds, choices and hints), its own FIRST, CHECK and order. The assessment's flow walks
branches (`next` by answer); this one is a single line of questions, some of which apply only to
a code (`APPLIES`): whether the permit extended an earlier one (A76), the principal's permit
(C41, C46, C49, or a code not known). Each answer goes straight into an `impplus-permit/1`
object, so the page's answers, the JSON the API reads and the file the command line reads are
one shape, and `webapp.rules.permit_check.parse_permit` reads them all.
"""

from __future__ import annotations

from collections.abc import Callable

from .flow import Choice, Question
from .rules.permit_check import CODES, FAMILY_CODES, FORMAT, PERMIT_SCHEMA
from .rules.text import Text, msg

CHECK = "check"
NOT_PRINTED = "not_printed"
_NOT_PRINTED = Choice(None, NOT_PRINTED, msg("It is not printed / I don’t know"))
# For a yes/no about a condition, "No" already says it is not printed.
_YES_NO = (Choice(True, "yes", msg("Yes")), Choice(False, "no", msg("No")),
           Choice(None, NOT_PRINTED, msg("I don’t know")))
DONT_KNOW_LABEL = _NOT_PRINTED.label  # the button of a date or text page
# Dates asked here that are printed elsewhere than on the permit: their button is only
# "I don't know" ("It is not printed" would make no sense for a passport).
NOT_ON_THE_PERMIT = frozenset({"passport_expiry", "principal_permit_expiry"})
_DONT_KNOW = msg("I don’t know")


def dont_know_label(node: str) -> Text:
    """The words of the "I don't know" button of question `node` (a date or text page), and of
    its answer on the check page: DONT_KNOW_LABEL, or "I don't know" for NOT_ON_THE_PERMIT."""
    return _DONT_KNOW if node in NOT_ON_THE_PERMIT else DONT_KNOW_LABEL


def _q(id_: str, kind: str, title, en: str, fr: str, short, hint=None, choices=()) -> Question:
    """A question of this flow: its answer is the permit object's field `id_`; `next` is unused
    (the order is ORDER)."""
    return Question(id_, id_, kind, title, {"en": en, "fr": fr}, next=CHECK, hint_msg=hint,
                    choices=choices, short=short)


QUESTIONS: dict[str, Question] = {q.id: q for q in (
    _q("code", "code", msg("What code is on the permit?"), "code", "code",
       msg("Code on the permit"),
       msg("A76 for the IMP+ permit of a CSQ holder; C41, C46 or C49 for the permit of a "
           "spouse, common-law partner or dependent child of an A76 holder.")),
    _q("issued", "date", msg("What is the permit’s date of issue?"), "date-of-issue",
       "date-de-delivrance", msg("Date of issue")),
    _q("expires", "date", msg("Until what date is the permit valid?"), "expiry-date",
       "date-expiration", msg("Valid until"),
       msg("The expiry date printed on the permit.")),
    _q("extension", "choice", msg("Did this permit extend an earlier A76 permit?"),
       "extension", "prolongation", msg("Extension of an earlier A76 permit"),
       msg("An extension, applied for while a permanent residence application is in "
           "processing, follows other rules than a first permit."), _YES_NO),
    _q("passport_expiry", "date", msg("When does the permit holder’s passport expire?"),
       "passport-expiry", "expiration-passeport", msg("Passport expires on"),
       msg("A work permit cannot be valid beyond the passport.")),
    _q("principal_permit_expiry", "date",
       msg("When does the principal applicant’s work permit expire?"),
       "principal-permit-expiry", "expiration-permis-principal",
       msg("Principal applicant’s permit expires on"),
       msg("The A76 holder’s permit: a family member’s permit ends no later than it.")),
    _q("province", "text", msg("What province does the permit name?"), "province", "province",
       msg("Province"), msg("As printed, for example Quebec or QC.")),
    _q("city", "text", msg("What city does the permit name, if any?"), "city", "ville",
       msg("City"), msg("As printed. The instructions name no specific city: “Quebec NES” (not "
                        "elsewhere stated) for an A76 permit, Quebec in general for a family "
                        "member’s permit.")),
    _q("employer", "text", msg("What employer does the permit name?"), "employer", "employeur",
       msg("Employer"), msg("As printed, for example Open.")),
    _q("occupation", "text", msg("What occupation does the permit name?"), "occupation",
       "profession", msg("Occupation"), msg("As printed, for example Open.")),
    _q("location_condition", "choice",
       msg("Does the permit say “Not authorized to work in any location other than stated”?"),
       "location-condition", "condition-lieu", msg("Location condition"),
       msg("Under “Conditions”. A family member’s permit may say “Not authorized to work at any "
           "other location”."), _YES_NO),
    _q("medical_condition", "choice",
       msg("Does the permit restrict work in certain occupations, such as child care, school "
           "teaching or health services?"),
       "medical-condition", "condition-medicale", msg("Restriction on occupations"),
       msg("Under “Conditions”, for example “Not authorized to work in 1) child care, 2) "
           "primary or secondary school teaching, 3) health services field occupations”."),
       _YES_NO),
    _q("medical_exam_done", "choice",
       msg("Did the permit holder have an immigration medical examination before the permit "
           "was issued?"),
       "medical-examination", "examen-medical", msg("Immigration medical examination done"),
       msg("With a panel physician, for this application or an earlier one."), _YES_NO),
)}
ORDER = tuple(QUESTIONS)
FIRST = ORDER[0]
assert set(ORDER) <= {spec.key for spec in PERMIT_SCHEMA}
BY_SLUG = {lang: {q.slug(lang): q for q in QUESTIONS.values()} for lang in ("en", "fr")}

# Questions that apply only to some codes (the code as answered: one of CODES, or None).
APPLIES: dict[str, Callable[[str | None], bool]] = {
    "extension": lambda code: code == "A76",
    "principal_permit_expiry": lambda code: code in FAMILY_CODES or code is None,
}
assert all(code in CODES for code in FAMILY_CODES)


def applies(node: str, answers: dict) -> bool:
    """Whether question `node` is asked, given the code answered in `answers` (the permit
    object so far). Raises nothing."""
    code = answers.get("code")
    return APPLIES.get(node, lambda _code: True)(code if code in CODES else None)


def path(answers: dict, answered: set[str]) -> tuple[list[str], str]:
    """(the questions answered that apply, in order; the next question to show, or CHECK when
    every question that applies is answered). `answers` is the permit object so far,
    `answered` the ids answered ("It is not printed / I don't know" included)."""
    done: list[str] = []
    for node in ORDER:
        if not applies(node, answers):
            continue
        if node not in answered:
            return done, node
        done.append(node)
    return done, CHECK


def effective_permit(answers: dict, answered: set[str]) -> dict:
    """The `impplus-permit/1` object of the answers to the questions that apply (an answer
    left on a question that no longer applies, after the code changed, is not checked)."""
    out: dict = {"format": FORMAT}
    for node in path(answers, answered)[0]:
        if answers.get(node) is not None:
            out[node] = answers[node]
    return out
