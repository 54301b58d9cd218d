"""The permit check (CONTRACT.md, "Permit check (v2)"): does an issued permit say what IRCC's
instructions say it should?

Input: what the person reads on the permit they hold, an `impplus-permit/1` object. One table,
`PERMIT_SCHEMA`, drives the parser here and the JSON Schema of the OpenAPI description, as
`webapp.rules.answers.SCHEMA` does for answers files; its values are read by the answers file's
own readers (one reading of a date, a yes/no and a permit code everywhere). Every field is
optional; a field not given makes the checks that need it `cannot_tell`.

Each check compares one thing printed on the permit with the instructions the officer followed:
the A76 manual's "Final decision: Approval" table for A76; for a family member (C41, C46, C49),
the manual's "Open work permits for family members" and the C41/C46 and C49 instructions it
tells officers to consult; the open work permit instructions for the medical and location
conditions; the conditions-and-validity instructions for the passport's limit. Pure: nothing
here imports Flask, and nothing is in a language until webapp.i18n renders it.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from . import parameters
from .answers import AnswersError, Spec, read_value
from .criteria import FAMILY_CODES
from .dates import add_months
from .model import Advice
from .text import Text, msg

FORMAT = "impplus-permit/1"
CHECK_FORMAT = "impplus-permit-check/1"
CODES = ("A76", *FAMILY_CODES)
OK, DIFFERS, CANNOT_TELL = "ok", "differs", "cannot_tell"
STATUSES = (OK, DIFFERS, CANNOT_TELL)
CHECK_IDS = ("validity", "province", "employer", "occupation", "location_condition",
             "medical_condition")
WHAT_TO_DO_IDS = ("passport_cap", "correct_error", "remove_medical_condition")
# What the instructions say is printed as the employer and the occupation: "Open" (the French
# permit: « Ouvert »).
OPEN = "Open"
QUEBEC = "Quebec"

PERMIT_SCHEMA: tuple[Spec, ...] = (
    Spec("format", "const", msg("format of the file"), (FORMAT,)),
    Spec("code", "code", msg("code on the permit"), CODES,
         help="A76, C41, C46 or C49, compared after NFKC normalisation, without spaces, dashes "
              "or invisible characters, upper-cased."),
    Spec("issued", "date", msg("date of issue on the permit"),
         help="On or before `expires`: a date of issue after the expiry is refused (422)."),
    Spec("expires", "date", msg("expiry date on the permit"),
         help="The date the permit is valid until."),
    Spec("passport_expiry", "date", msg("passport expiry date"),
         help="The passport of the permit's holder."),
    Spec("principal_permit_expiry", "date",
         msg("expiry date of the principal applicant’s work permit"),
         help="For C41, C46 and C49: the A76 holder's permit."),
    Spec("extension", "bool", msg("permit extending an earlier A76 permit"),
         help="For A76: true when this permit extended an earlier A76 permit (1 year, at the "
              "officer's discretion, manual Extensions). Not given: a first A76 permit."),
    Spec("province", "text", msg("province on the permit"),
         help="As printed; Quebec, Québec and QC are read as Quebec, in any case."),
    Spec("city", "text", msg("city on the permit"),
         help="As printed, if the permit names one (for A76 the instructions give "
              "“Quebec NES”, not elsewhere stated; for C41, C46 and C49, Quebec in general, "
              "not a specific city)."),
    Spec("employer", "text", msg("employer on the permit")),
    Spec("occupation", "text", msg("occupation on the permit")),
    Spec("location_condition", "bool",
         msg("condition “Not authorized to work in any location other than stated”"),
         help="The permit shows a condition restricting work to the location stated."),
    Spec("medical_condition", "bool", msg("condition restricting work in certain occupations"),
         help="Such as “Not authorized to work in 1) child care, 2) primary or secondary school "
              "teaching, 3) health services field occupations”."),
    Spec("medical_exam_done", "bool", msg("immigration medical examination done"),
         help="Before the permit was issued."),
)


@dataclass(frozen=True, slots=True)
class PermitAsPrinted:
    """What the person reads on their permit (`impplus-permit/1`), typed: dates as `date`, the
    code normalised ("A76", "C41", "C46" or "C49"), texts as printed (stripped), yes/no as bool.
    None everywhere means "not printed" or "I don't know"."""

    format: str | None = None
    code: str | None = None
    issued: date | None = None
    expires: date | None = None
    passport_expiry: date | None = None
    principal_permit_expiry: date | None = None
    extension: bool | None = None
    province: str | None = None
    city: str | None = None
    employer: str | None = None
    occupation: str | None = None
    location_condition: bool | None = None
    medical_condition: bool | None = None
    medical_exam_done: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        """The `impplus-permit/1` object of this permit: fields not given left out, dates in
        ISO form."""
        out: dict[str, Any] = {"format": FORMAT}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name != "format" and value is not None:
                out[f.name] = value.isoformat() if isinstance(value, date) else value
        return out


assert [f.name for f in fields(PermitAsPrinted)] == [s.key for s in PERMIT_SCHEMA]


class PermitError(AnswersError):
    """A permit object that cannot be read: `errors` lists (field, message) pairs, every wrong
    field, in PERMIT_SCHEMA's order (as AnswersError, which the API and the command line already
    report)."""


def parse_permit(data: Any) -> PermitAsPrinted:
    """`PermitAsPrinted` from a decoded JSON value (CONTRACT.md, "Permit check (v2)"). Unknown
    keys are ignored; a missing field or null is None. Raises PermitError listing every wrong
    field: a value of the wrong type, a malformed date, a code other than A76, C41, C46 or C49
    (after normalisation), a date of issue after the expiry date (named on `issued`)."""
    if not isinstance(data, dict):
        raise PermitError([(None, msg("The permit must be a JSON object (format "
                                      "impplus-permit/1)."))])
    errors: list[tuple[str | None, Text]] = []
    values: dict[str, Any] = {}
    for spec in PERMIT_SCHEMA:
        raw = data.get(spec.key)
        value = None
        if raw is not None and spec.kind == "const":
            if raw != FORMAT:
                errors.append((spec.key, msg(
                    "%(label)s (%(field)s): this is not a permit file of a version this tool "
                    "reads (expected “%(expected)s”).", label=spec.label, field=spec.key,
                    expected=FORMAT)))
            else:
                value = raw
        elif raw is not None:
            value = read_value(spec, spec.key, raw, errors)
            if spec.kind == "code" and value is not None and value not in CODES:
                errors.append((spec.key, msg("%(label)s (%(field)s): “%(value)s” is not one "
                                             "of: %(choices)s.", label=spec.label,
                                             field=spec.key, value=value,
                                             choices=", ".join(CODES))))
                value = None
        values[spec.key] = value
    issued, expires = values["issued"], values["expires"]
    if issued is not None and expires is not None and issued > expires:
        errors.append(("issued", msg(
            "%(label)s (%(field)s): %(issued)s is after the expiry date, %(expires)s. Check "
            "both dates on the permit.", label=PERMIT_SCHEMA[2].label, field="issued",
            issued=issued, expires=expires)))
    if errors:
        errors.sort(key=lambda e: _ORDER.get(e[0], -1))
        raise PermitError(errors)
    return PermitAsPrinted(**values)


_ORDER = {spec.key: i for i, spec in enumerate(PERMIT_SCHEMA)}


def loads_permit(text: str | bytes) -> PermitAsPrinted:
    """`PermitAsPrinted` from JSON text or UTF-8 bytes, as `parse_permit`. Raises PermitError:
    with no field for text that is not JSON, else as `parse_permit`."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise PermitError([(None, msg("This is not a JSON file: it cannot be read as a "
                                      "permit."))])
    return parse_permit(data)


# ------------------------------------------------------------------ the result


@dataclass(frozen=True, slots=True)
class PermitFinding:
    """One check: `id` (CHECK_IDS), `status` (OK, DIFFERS or CANNOT_TELL), `expected` what the
    instructions say the permit shows and `found` what the person read (a date, a bool, a
    string, or None when not known or not given), `reason`, `source` (a key of
    webapp.rules.sources.SOURCES: the section the expectation comes from), `also` further
    source keys."""

    id: str
    status: str
    expected: date | bool | str | None
    found: date | bool | str | None
    reason: Text
    source: str
    also: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PermitCheck:
    """The check of one permit: `permit` as read, its `code` (None when not given), `checks`
    (one PermitFinding per id of CHECK_IDS, in that order), `what_to_do` (Advice with the ids of
    WHAT_TO_DO_IDS; empty when nothing is to be done) and a `summary`."""

    permit: PermitAsPrinted
    code: str | None
    checks: tuple[PermitFinding, ...]
    what_to_do: tuple[Advice, ...]
    summary: Text

    def statuses(self) -> dict[str, str]:
        """{check id: status}, in CHECK_IDS order."""
        return {c.id: c.status for c in self.checks}


def plain(text: str) -> str:
    """A printed word as compared: Unicode NFKD without its accents, case-folded, letters and
    digits only ("Québec " -> "quebec", "Q.C." -> "qc"). Raises nothing."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.casefold() if ch.isalnum())


_QUEBEC = frozenset({"quebec", "qc", "quebecnes", "qcnes"})
_OPEN = frozenset({"open", "ouvert", "ouverte"})
# A city line that names no specific city: "Quebec NES" (not elsewhere stated), the A76
# manual's entry, or "Unknown" / « Inconnu ».
_NO_CITY = frozenset({"quebecnes", "qcnes", "nes", "unknown", "inconnu", "inconnue"})


def _sources(code: str | None) -> tuple[str, tuple[str, ...]]:
    """(source, also) of what the approval says a permit of `code` shows: the A76 manual's
    approval table, or the C41/C46 or C49 instructions the manual points to for family members
    (with the manual's own section on them). Unknown code: the A76 manual, which says the same
    of employer, occupation and province for every code."""
    if code in ("C41", "C46"):
        return "c41_c46_approval", ("permits",)
    if code == "C49":
        return "c49_decision", ("permits",)
    return "approval", ()


def _validity(p: PermitAsPrinted) -> tuple[PermitFinding, bool]:
    """The validity check, and whether the validity is cut by the passport (passport_cap)."""
    if p.code is None:
        return PermitFinding("validity", CANNOT_TELL, None, p.expires, msg(
            "Without the code on the permit, the validity it should have is not known: A76 "
            "permits and family members’ permits follow different rules."), "approval",
            ("c41_c46_approval", "c49_decision")), False
    if p.code in FAMILY_CODES:
        return _family_validity(p)
    if p.extension:
        return _extension_validity(p)
    source, also = "approval", ("validity",)
    passport = p.passport_expiry
    if p.expires is None:
        return PermitFinding("validity", CANNOT_TELL, None, None, msg(
            "The expiry date was not given."), source, also), False
    if p.issued is None:
        if passport is not None and p.expires > passport:
            return PermitFinding("validity", DIFFERS, passport, p.expires, msg(
                "The permit ends on %(found)s, after your passport expires on %(passport)s: "
                "officers cannot issue a work permit beyond the passport’s validity.",
                found=p.expires, passport=passport), "validity", ("approval",)), False
        return PermitFinding("validity", CANNOT_TELL, None, p.expires, msg(
            "Without the date of issue, the validity cannot be checked: an A76 permit is valid "
            "for %(months)s months from that date, or until the passport expires if that comes "
            "first.", months=parameters.in_force_or_first("permit_months", p.expires)),
            source, also), False
    months = parameters.in_force_or_first("permit_months", p.issued)
    full = add_months(p.issued, months)
    if passport is None:
        if p.expires == full:
            return PermitFinding("validity", OK, full, p.expires, msg(
                "The permit ends on %(found)s, %(months)s months after its date of issue, as "
                "the manual says.", found=p.expires, months=months), source, also), False
        if p.expires > full:
            return PermitFinding("validity", DIFFERS, full, p.expires, msg(
                "The permit ends on %(found)s, later than %(months)s months after its date of "
                "issue (%(expected)s), the longest the manual allows.", found=p.expires,
                months=months, expected=full), source, also), False
        return PermitFinding("validity", CANNOT_TELL, full, p.expires, msg(
            "The permit ends on %(found)s, before %(expected)s (%(months)s months after its "
            "date of issue). If your passport expires on %(found)s, that is why: a permit "
            "cannot be valid beyond the passport. Give your passport’s expiry date to check.",
            found=p.expires, expected=full, months=months), source, also), False
    capped = passport < full
    expected = passport if capped else full
    if p.expires == expected:
        if capped:
            return PermitFinding("validity", OK, expected, p.expires, msg(
                "The permit ends on %(found)s, the day your passport expires, which comes "
                "before %(months)s months after its date of issue (%(full)s): officers cannot "
                "issue a permit beyond the passport’s validity. This is not an error.",
                found=p.expires, months=months, full=full), source, also), True
        return PermitFinding("validity", OK, expected, p.expires, msg(
            "The permit ends on %(found)s, %(months)s months after its date of issue, as the "
            "manual says; your passport is valid longer.", found=p.expires, months=months),
            source, also), False
    if p.expires > passport:
        return PermitFinding("validity", DIFFERS, expected, p.expires, msg(
            "The permit ends on %(found)s, after your passport expires on %(passport)s: "
            "officers cannot issue a work permit beyond the passport’s validity.",
            found=p.expires, passport=passport), "validity", ("approval",)), False
    return PermitFinding("validity", DIFFERS, expected, p.expires, msg(
        "The permit ends on %(found)s; the manual says %(months)s months from the date of "
        "issue or the passport’s expiry, whichever comes first: %(expected)s. If this permit "
        "extended an earlier A76 permit, say so: an extension follows other rules.",
        found=p.expires, months=months, expected=expected), source, also), False


def _extension_validity(p: PermitAsPrinted) -> tuple[PermitFinding, bool]:
    """An A76 extension: 1 year, at the officer's discretion (manual, Extensions), never beyond
    the passport (conditions and validity)."""
    source, also = "extensions", ("validity",)
    passport = p.passport_expiry
    if p.expires is None:
        return PermitFinding("validity", CANNOT_TELL, None, None, msg(
            "The expiry date was not given."), source, also), False
    if passport is not None and p.expires > passport:
        return PermitFinding("validity", DIFFERS, passport, p.expires, msg(
            "The permit ends on %(found)s, after your passport expires on %(passport)s: "
            "officers cannot issue a work permit beyond the passport’s validity.",
            found=p.expires, passport=passport), "validity", ("extensions",)), False
    if p.issued is None:
        return PermitFinding("validity", CANNOT_TELL, None, p.expires, msg(
            "Without the date of issue, the length of the extension cannot be checked."),
            source, also), False
    months = parameters.in_force_or_first("extension_months", p.issued)
    full = add_months(p.issued, months)
    expected = min(full, passport) if passport is not None else full
    capped = passport is not None and passport < full and p.expires == passport
    if p.expires == expected:
        return PermitFinding("validity", OK, expected, p.expires, msg(
            "The extension ends on %(found)s: %(months)s months from its date of issue, or the "
            "passport’s expiry if that comes first, as the manual says.", found=p.expires,
            months=months), source, also), capped
    return PermitFinding("validity", OK, expected, p.expires, msg(
        "The extension ends on %(found)s, not %(months)s months from its date of issue "
        "(%(expected)s); the manual lets officers choose another length, depending on "
        "processing times, so this is not an error.", found=p.expires, months=months,
        expected=expected), source, also), capped


def _family_validity(p: PermitAsPrinted) -> tuple[PermitFinding, bool]:
    """C41, C46, C49: ends no later than the principal's permit and the family member's
    passport, whichever comes first (C41/C46 and C49, "Final decision")."""
    source, also = _sources(p.code)
    also = (*also, "validity")
    principal, passport = p.principal_permit_expiry, p.passport_expiry
    known = [d for d in (principal, passport) if d is not None]
    bound = min(known) if known else None
    if p.expires is None:
        return PermitFinding("validity", CANNOT_TELL, bound, None, msg(
            "The expiry date was not given."), source, also), False
    if principal is not None and p.expires > principal:
        return PermitFinding("validity", DIFFERS, bound, p.expires, msg(
            "The permit ends on %(found)s, after the principal applicant’s permit, which "
            "expires on %(principal)s: a family member’s permit ends no later than the "
            "principal’s.", found=p.expires, principal=principal), source, also), False
    if passport is not None and p.expires > passport:
        return PermitFinding("validity", DIFFERS, bound, p.expires, msg(
            "The permit ends on %(found)s, after your passport expires on %(passport)s: "
            "officers cannot issue a work permit beyond the passport’s validity.",
            found=p.expires, passport=passport), source, also), False
    if principal is None or passport is None:
        return PermitFinding("validity", CANNOT_TELL, bound, p.expires, msg(
            "The permit ends on %(found)s. It should end no later than the principal "
            "applicant’s permit and your passport: give both expiry dates to check.",
            found=p.expires), source, also), False
    if p.expires == bound:
        capped = passport < principal
        return PermitFinding("validity", OK, bound, p.expires, msg(
            "The permit ends on %(found)s, the day your passport expires, before the principal "
            "applicant’s permit (%(principal)s): a permit cannot be valid beyond the passport. "
            "This is not an error.", found=p.expires, principal=principal)
            if capped else msg(
            "The permit ends on %(found)s, with the principal applicant’s permit, as the "
            "instructions say.", found=p.expires), source, also), capped
    return PermitFinding("validity", OK, bound, p.expires, msg(
        "The permit ends on %(found)s, before %(expected)s, the latest day the instructions "
        "allow (the principal applicant’s permit or your passport, whichever ends first). They "
        "set only that latest day, so an earlier end is not against them.", found=p.expires,
        expected=bound), source, also), False


def _city_reason(code: str | None, city: str) -> Text:
    """Why a named city differs, in the words of the instructions for `code`: the A76 approval
    table enters the city as "Quebec NES"; the manual's section on family members restricts
    their permits to Quebec in general, not to a specific city (the C49 instructions: by the
    province, not by the city). Without a code, both."""
    if code == "A76":
        return msg("The permit names the city “%(found)s”: for an A76 permit, the instructions "
                   "give the city as “Quebec NES” (not elsewhere stated), not a specific city.",
                   found=city)
    if code in FAMILY_CODES:
        return msg("The permit names the city “%(found)s”: the instructions restrict a family "
                   "member’s permit to Quebec in general, not to a specific city.", found=city)
    return msg("The permit names the city “%(found)s”: the instructions name no specific city "
               "(for A76, the city is entered as “Quebec NES”, not elsewhere stated; a family "
               "member’s permit is restricted to Quebec in general).", found=city)


def _province(p: PermitAsPrinted) -> PermitFinding:
    """Quebec as the province; for A76 the city "Quebec NES" (manual, approval), for a family
    member Quebec in general, not a specific city (manual, family members). Without a code, the
    A76 approval with the family members' section beside it."""
    if p.code in FAMILY_CODES:
        source, also = "permits", (_sources(p.code)[0],)
    elif p.code is None:
        source, also = "approval", ("permits",)
    else:
        source, also = "approval", ()
    city = p.city if p.city is not None and plain(p.city) not in _NO_CITY else None
    if p.province is not None and plain(p.province) not in _QUEBEC:
        return PermitFinding("province", DIFFERS, QUEBEC, p.province, msg(
            "The permit names “%(found)s” as the province; the instructions say Quebec.",
            found=p.province), source, also)
    if city is not None and plain(city):
        return PermitFinding("province", DIFFERS, QUEBEC, city, _city_reason(p.code, city),
                             source, also)
    if p.province is None:
        return PermitFinding("province", CANNOT_TELL, QUEBEC, None, msg(
            "The province was not given."), source, also)
    return PermitFinding("province", OK, QUEBEC, p.province, msg(
        "The permit names Quebec, as the instructions say, and no specific city."),
        source, also)


def _open(check: str, p: PermitAsPrinted) -> PermitFinding:
    """Employer or occupation: "Open" for every code (A76 approval; C41/C46 and C49 approval)."""
    found = getattr(p, check)
    source, also = _sources(p.code)
    employer = check == "employer"
    if found is None:
        return PermitFinding(check, CANNOT_TELL, OPEN, None, msg(
            "The employer on the permit was not given.") if employer else msg(
            "The occupation on the permit was not given."), source, also)
    if plain(found) in _OPEN:
        return PermitFinding(check, OK, OPEN, found, msg(
            "The employer is “%(found)s”: open, as the instructions say.", found=found)
            if employer else msg(
            "The occupation is “%(found)s”: open, as the instructions say.", found=found),
            source, also)
    return PermitFinding(check, DIFFERS, OPEN, found, msg(
        "The permit names “%(found)s” as the employer; the instructions say “Open”: an open "
        "work permit is not tied to an employer.", found=found) if employer else msg(
        "The permit names “%(found)s” as the occupation; the instructions say “Open” (a "
        "medical restriction is written as a condition, not as the occupation).",
        found=found), source, also)


def _location_condition(p: PermitAsPrinted) -> PermitFinding:
    """Present for every code: A76, "Not authorized to work in any location other than stated"
    must be imposed (manual, approval); family members, restricted to the province with "Not
    authorized to work at any other location" (C49 approval; C41/C46 approval pointing to the
    location-restricted issuance instructions)."""
    source, also = _sources(p.code)
    if p.code == "A76" or p.code is None:
        also = ("ircc_help_location",)
    else:
        also = (*also, "open_issuance_restricted")
    if p.location_condition is None:
        return PermitFinding("location_condition", CANNOT_TELL, True, None, msg(
            "Whether the permit shows a location condition was not given."), source, also)
    if p.location_condition:
        return PermitFinding("location_condition", OK, True, True, msg(
            "The permit restricts work to the location stated, as the instructions say."),
            source, also)
    return PermitFinding("location_condition", DIFFERS, True, False, msg(
        "The permit shows no condition restricting work to the location stated; the "
        "instructions say one is imposed (“Not authorized to work in any location other than "
        "stated”)."), source, also)


def _medical_condition(p: PermitAsPrinted) -> PermitFinding:
    """Present exactly when no immigration medical examination was done (open work permit
    instructions, medical conditions; the approval tables point there)."""
    source, also = "open_medical", (_sources(p.code)[0],)
    exam, found = p.medical_exam_done, p.medical_condition
    expected = None if exam is None else not exam
    if exam is None:
        return PermitFinding("medical_condition", CANNOT_TELL, None, found, msg(
            "Whether an immigration medical examination was done was not given: the "
            "restriction is imposed exactly when none was."), source, also)
    if found is None:
        return PermitFinding("medical_condition", CANNOT_TELL, expected, None, msg(
            "Whether the permit restricts work in certain occupations was not given."),
            source, also)
    if found == expected:
        return PermitFinding("medical_condition", OK, expected, found, msg(
            "No medical examination was done and the permit restricts work in certain "
            "occupations, as the instructions say.") if found else msg(
            "A medical examination was done and the permit carries no restriction on "
            "occupations, as the instructions say."), source, also)
    if found:
        return PermitFinding("medical_condition", DIFFERS, expected, found, msg(
            "The permit restricts work in certain occupations although a medical examination "
            "was done. The instructions impose that restriction when no examination was done "
            "(a restriction the examination’s result itself requires is written differently, "
            "in the remarks)."), source, ("open_issuance_restricted",))
    return PermitFinding("medical_condition", DIFFERS, expected, found, msg(
        "No medical examination was done, but the permit shows no restriction on occupations: "
        "the instructions say one must be imposed (child care, primary or secondary school "
        "teaching, health services)."), source, also)


# What the summary calls each check when it lists those that differ.
_NAMES = {
    "validity": msg("the expiry date"),
    "province": msg("the province or city"),
    "employer": msg("the employer"),
    "occupation": msg("the occupation"),
    "location_condition": msg("the location condition"),
    "medical_condition": msg("the restriction on occupations"),
}
assert tuple(_NAMES) == CHECK_IDS


def _listed(items: list[Text]) -> Text:
    """`items` as one list in a sentence: "a", "a and b", "a, b and c"…"""
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return msg("%(first)s and %(last)s", first=items[0], last=items[1])
    return msg("%(first)s, %(rest)s", first=items[0], rest=_listed(items[1:]))


def _difference(f: PermitFinding, code: str | None) -> Text:
    """The one check that differs, `f`, as the summary says it: what it is, what the permit
    shows and what the instructions say."""
    if f.id == "validity":
        if f.expected is None:  # never when it differs; said without the instructions' day
            return msg("The expiry date differs from what IRCC’s instructions say: the permit "
                       "ends on %(found)s.", found=f.found)
        if code == "A76":
            return msg("The expiry date differs from what IRCC’s instructions say: the permit "
                       "ends on %(found)s, the instructions say %(expected)s.", found=f.found,
                       expected=f.expected)
        return msg("The expiry date differs from what IRCC’s instructions say: the permit ends "
                   "on %(found)s, the instructions say no later than %(expected)s.",
                   found=f.found, expected=f.expected)
    if f.id == "province":
        return msg("The province or city differs from what IRCC’s instructions say: the permit "
                   "names “%(found)s”, the instructions say Quebec, with no specific city.",
                   found=f.found)
    if f.id == "employer":
        return msg("The employer differs from what IRCC’s instructions say: the permit names "
                   "“%(found)s”, the instructions say “Open”.", found=f.found)
    if f.id == "occupation":
        return msg("The occupation differs from what IRCC’s instructions say: the permit names "
                   "“%(found)s”, the instructions say “Open”.", found=f.found)
    if f.id == "location_condition":
        return msg("The location condition differs from what IRCC’s instructions say: the "
                   "permit does not show it, the instructions say it is imposed.")
    if f.found:
        return msg("The restriction on occupations differs from what IRCC’s instructions say: "
                   "the permit shows it, the instructions impose it only when no medical "
                   "examination was done.")
    return msg("The restriction on occupations differs from what IRCC’s instructions say: the "
               "permit does not show it, the instructions impose it when no medical examination "
               "was done.")


def check_permit(p: PermitAsPrinted) -> PermitCheck:
    """Check `p` against the instructions (CONTRACT.md, "Permit check (v2)"): one finding per
    id of CHECK_IDS, then what to do, from the sources only (FACTS.md, "Issued permits"):
    `passport_cap` when the validity is cut by the passport, `correct_error` when any check
    differs, `remove_medical_condition` when the medical restriction is shown and no
    examination is known to have been done; a summary that names the checks that differ (the
    one that differs with what the permit shows and what the instructions say). Never promises
    an outcome. Raises nothing."""
    validity, capped = _validity(p)
    checks = (validity, _province(p), _open("employer", p), _open("occupation", p),
              _location_condition(p), _medical_condition(p))
    todo: list[Advice] = []
    if capped:
        todo.append(Advice("passport_cap", msg(
            "Your permit ends when your passport expires: officers cannot issue a permit beyond "
            "the passport’s validity, so this is not an error to correct. Renew your passport, "
            "then apply from inside Canada to extend your permit on form IMM 5710, if you still "
            "meet the conditions (for A76, a permanent residence application in processing). "
            "Applying before the permit expires lets you keep working under the same "
            "conditions while IRCC decides (maintained status).")
            if p.code == "A76" else msg(
            "Your permit ends when your passport expires: officers cannot issue a permit beyond "
            "the passport’s validity, so this is not an error to correct. Renew your passport, "
            "then apply from inside Canada to extend your permit on form IMM 5710, if you still "
            "meet the conditions. Applying before the permit expires lets you keep working "
            "under the same conditions while IRCC decides (maintained status)."), "validity"))
    if any(c.status == DIFFERS for c in checks):
        todo.append(Advice("correct_error", msg(
            "Something on your permit differs from what IRCC’s instructions say. You can ask "
            "IRCC to correct an error on a document through IRCC’s web form: say what the "
            "permit shows and what the instructions say, with their source. IRCC decides "
            "whether to correct it."), "ircc_error_form"))
    if p.medical_condition and p.medical_exam_done is not True:
        todo.append(Advice("remove_medical_condition", msg(
            "Your permit restricts work in certain occupations because no immigration medical "
            "examination was done. From inside Canada, you can take an up-front medical "
            "examination with a panel physician, then apply on form IMM 5710 to change the "
            "conditions of your permit. IRCC decides whether to remove the restriction."),
            "ircc_help_medical"))
    statuses = {c.status for c in checks}
    differ = [c for c in checks if c.status == DIFFERS]
    if len(differ) == 1:
        summary = msg("%(difference)s See below what you can do.",
                      difference=_difference(differ[0], p.code))
    elif differ:
        summary = msg("Several things on your permit differ from what IRCC’s instructions say: "
                      "%(items)s. See the checks below, those that differ first, and what you "
                      "can do.", items=_listed([_NAMES[c.id] for c in differ]))
    elif CANNOT_TELL in statuses:
        summary = msg("Nothing you entered differs from what IRCC’s instructions say, but some "
                      "checks could not be made with what you entered.")
    elif todo:
        summary = msg("Your permit says what IRCC’s instructions say it should. See below what "
                      "you can do about its end date or its conditions.")
    else:
        summary = msg("Your permit says what IRCC’s instructions say it should: there is "
                      "nothing to correct and nothing to do.")
    return PermitCheck(p, p.code, checks, tuple(todo), summary)
