"""The answers file (CONTRACT.md, "Answers"): its schema, and parsing into typed values.

One table, `SCHEMA`, drives both the parser and the JSON Schema published in the OpenAPI
description, so what the API documents is exactly what the code accepts. Every field is optional:
a missing answer or null stays None and makes its criterion `unknown`. Unknown keys are ignored.
A value of the wrong type, outside its list, or a malformed date is an `AnswersError` naming the
field; all such errors are collected, so one bad answer never hides another.
"""

from __future__ import annotations

import json
import re
import unicodedata
import uuid
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any

from .parameters import PARAMETERS
from .text import Text, msg

FORMAT = "impplus-answers/1"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z", re.ASCII)
MAX_STRING = 64
MAX_LABEL = 100  # CONTRACT.md v2: `label`, at most 100 characters


@dataclass(frozen=True)
class Spec:
    """One answer: its key, its kind (`date`, `bool`, `enum`, `code` (a permit code, normalised),
    `text` (free text of at most `max_length` characters), `const`), its values."""

    key: str
    kind: str
    label: Text
    choices: tuple[str, ...] = ()
    help: str = ""
    max_length: int = MAX_STRING


@dataclass(frozen=True)
class Group:
    """An object of answers (csq, pr_application, invitation, principal)."""

    key: str
    label: Text
    members: tuple[Spec, ...]
    help: str = ""


SCHEMA: tuple[Spec | Group, ...] = (
    Spec("format", "const", msg("format of the file"), (FORMAT,)),
    Spec("assessment_date", "date", msg("date of the assessment"),
         help="The day the application is, was or would be submitted; default: today in Montreal."),
    Spec("purpose", "enum", msg("purpose"), ("initial", "extension", "family"),
         help="A first A76 permit, an extension of one, or a family member of an A76 holder."),
    Spec("residence", "enum", msg("where you live"),
         ("outside_canada", "canada_outside_quebec", "quebec")),
    Spec("status_in_canada", "enum", msg("temporary resident status in Canada"),
         ("valid", "restorable", "none"),
         help="Only read when residence is canada_outside_quebec."),
    Spec("holds_r206_permit", "bool",
         msg("open work permit as a refugee claimant or under a removal order (R206)")),
    Spec("can_apply_from_inside_canada", "bool",
         msg("eligible to apply for a work permit from inside Canada")),
    Spec("intends_to_live_and_work_in_quebec", "bool", msg("intention to live and work in Quebec")),
    Group("csq", msg("Quebec Selection Certificate (CSQ)"), (
        Spec("held", "bool", msg("CSQ held")),
        Spec("category", "enum", msg("CSQ category"),
             ("skilled_worker", "pilot_ai_it_vfx", "other")),
        Spec("issued", "date", msg("CSQ issue date")),
        Spec("expires", "date", msg("CSQ expiry date"),
             help=f"Default: issued + {PARAMETERS['csq_validity_months'].values[-1]} "
                  "calendar months."),
    )),
    Group("pr_application", msg("permanent residence application"), (
        Spec("submitted", "bool", msg("permanent residence application submitted")),
        Spec("submitted_on", "date", msg("date the permanent residence application was submitted")),
        Spec("status", "enum", msg("status of the permanent residence application"),
             ("in_progress", "approved", "refused", "withdrawn")),
        Spec("aor_received", "bool",
             msg("acknowledgment of receipt letter for the permanent residence application "
                 "received"),
             help="IRCC's acknowledgment of receipt (AOR) letter has been received."),
    )),
    Group("invitation", msg("letter of invitation from MIFI"), (
        Spec("received", "bool", msg("letter of invitation received")),
        Spec("dated", "date", msg("date on the letter of invitation")),
        Spec("received_on", "date", msg("date the letter of invitation was received"),
             help="Default: the date on the letter."),
    )),
    Spec("channel", "enum", msg("how you will apply"), ("online", "paper", "port_of_entry")),
    Spec("passport_expiry", "date", msg("passport expiry date")),
    Spec("family_member", "enum", msg("family member of the A76 permit holder"),
         ("spouse", "child"),
         help="spouse includes a common-law partner; child is a dependent child."),
    Group("principal", msg("principal applicant (the A76 permit holder)"), (
        Spec("permit_code", "code", msg("code on the principal applicant’s permit"),
             help="Compared after NFKC normalisation, without spaces, dashes or invisible "
                  "characters, upper-cased; must then be ASCII letters and digits."),
        Spec("permit_expiry", "date", msg("expiry date of the principal applicant’s work permit")),
        Spec("applying_together", "bool",
             msg("principal applicant’s A76 application submitted with the family member’s"),
             help="The principal's A76 application is submitted with the family member's, as a "
                  "family group."),
        Spec("pr_submitted", "bool",
             msg("principal applicant has applied for permanent residence")),
        Spec("lives_in_quebec", "bool",
             msg("principal applicant lives, or plans to live, in Quebec")),
    )),
    Spec("included_in_pr_application", "bool",
         msg("family member included in the principal applicant’s permanent residence "
             "application"),
         help="With purpose family: included as an accompanying dependant."),
    Spec("current_permit_code", "code", msg("code on your current work permit"),
         help="Compared after NFKC normalisation, without spaces, dashes or invisible "
              "characters, upper-cased; must then be ASCII letters and digits."),
    Spec("current_permit_expiry", "date", msg("expiry date of your current work permit"),
         help="With purpose extension: an extension is applied for before it expires."),
    Spec("file_id", "text", msg("identifier of this file"),
         help="A random UUID the tool makes when the file has none; calendar events take their "
              "UID from it."),
    Spec("label", "text", msg("your name for this file"), max_length=MAX_LABEL,
         help="Shown on the PDF and in calendar event titles; never sent anywhere else."),
)


@dataclass(frozen=True, slots=True)
class Csq:
    """The CSQ answers: held, category (one of SCHEMA's choices), issue and expiry dates."""

    held: bool | None = None
    category: str | None = None
    issued: date | None = None
    expires: date | None = None


@dataclass(frozen=True, slots=True)
class PrApplication:
    """The permanent residence application: submitted, the date it was, its status."""

    submitted: bool | None = None
    submitted_on: date | None = None
    status: str | None = None
    aor_received: bool | None = None


@dataclass(frozen=True, slots=True)
class Invitation:
    """The letter of invitation from MIFI: received, the date on it, the day it was received."""

    received: bool | None = None
    dated: date | None = None
    received_on: date | None = None


@dataclass(frozen=True, slots=True)
class Principal:
    """For a family member: the principal applicant's permit code and its expiry, whether their
    A76 application goes with the family member's, whether they applied for permanent residence,
    and whether they live (or plan to live) in Quebec."""

    permit_code: str | None = None
    permit_expiry: date | None = None
    applying_together: bool | None = None
    pr_submitted: bool | None = None
    lives_in_quebec: bool | None = None


@dataclass(frozen=True, slots=True)
class Answers:
    """Typed answers. None everywhere means "not answered" (or "I don't know")."""

    format: str | None = None
    assessment_date: date | None = None
    purpose: str | None = None
    residence: str | None = None
    status_in_canada: str | None = None
    holds_r206_permit: bool | None = None
    can_apply_from_inside_canada: bool | None = None
    intends_to_live_and_work_in_quebec: bool | None = None
    csq: Csq = field(default_factory=Csq)
    pr_application: PrApplication = field(default_factory=PrApplication)
    invitation: Invitation = field(default_factory=Invitation)
    channel: str | None = None
    passport_expiry: date | None = None
    family_member: str | None = None
    principal: Principal = field(default_factory=Principal)
    included_in_pr_application: bool | None = None
    current_permit_code: str | None = None
    current_permit_expiry: date | None = None
    file_id: str | None = None
    label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The answers file for these answers: unanswered fields left out, dates in ISO form,
        `file_id` kept when there is one."""
        return to_dict(self)

    def with_file_id(self) -> "Answers":
        """These answers, with a new random `file_id` (a UUID) when they have none (CONTRACT.md
        v2: the tool makes one and keeps it in every answers file and PDF it writes)."""
        return self if self.file_id else replace(self, file_id=str(uuid.uuid4()))


_KEYS = frozenset(item.key for item in SCHEMA)
_GROUP_TYPES = {"csq": Csq, "pr_application": PrApplication, "invitation": Invitation,
                "principal": Principal}


class AnswersError(ValueError):
    """Answers that cannot be read. `errors` lists (field, message) pairs, field in dotted form."""

    def __init__(self, errors: list[tuple[str | None, Text]]) -> None:
        super().__init__(errors[0][1].msgid)
        self.errors = errors

    @property
    def field(self) -> str | None:
        """The dotted field of the first error (such as "csq.issued"), or None for the file."""
        return self.errors[0][0]

    @property
    def message(self) -> Text:
        """The first error's message, to translate."""
        return self.errors[0][1]


def _shown(value: Any) -> str:
    """A short, safe rendering of a rejected value for an error message: any value a JSON
    decoder can give, however deep (a container too deep to write out is shown as […] or
    {…}), and any string, a lone surrogate included (written as an escape, so that the page
    that shows the message can be encoded)."""
    if isinstance(value, str):
        text = value
    else:
        try:
            text = json.dumps(value, ensure_ascii=False)
        except (RecursionError, ValueError):
            text = "{…}" if isinstance(value, dict) else "[…]"
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= 40 else text[:39] + "…"


def _is_text(value: str) -> bool:
    """True when the string can be written as UTF-8 (JSON can carry lone surrogates, which no
    page, PDF or file can hold)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# One reader per kind of answer: the value read, or None with an error naming the field. A
# missing answer (None) never reaches them.

def _read_bool(spec: Spec, path: str, value: Any, errors: list) -> Any:
    if value is True or value is False:
        return value
    errors.append((path, msg("%(label)s (%(field)s): answer true, false or null.",
                             label=spec.label, field=path)))
    return None


def parse_iso_date(value: object) -> date | None:
    """`value` as a date if it is a string of exactly the form YYYY-MM-DD naming a real day
    (2025-01-15); None otherwise, raising nothing. Stricter than `date.fromisoformat`, which
    also takes 20250115 or 2025-W03-3. The one reading of a date: answers files, permit files
    and the command line's `--on`."""
    if type(value) is str and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    return None


def _read_date(spec: Spec, path: str, value: Any, errors: list) -> Any:
    day = parse_iso_date(value)
    if day is not None:
        return day
    errors.append((path, msg("%(label)s (%(field)s): “%(value)s” is not a date in the form "
                             "YYYY-MM-DD, such as 2025-01-15.",
                             label=spec.label, field=path, value=_shown(value))))
    return None


def _read_choice(spec: Spec, path: str, value: Any, errors: list) -> Any:
    if type(value) is str and value in spec.choices:
        return value
    if spec.kind == "const":
        errors.append((path, msg("%(label)s (%(field)s): this is not an answers file of a "
                                 "version this tool reads (expected “%(expected)s”).",
                                 label=spec.label, field=path, expected=spec.choices[0])))
    else:
        errors.append((path, msg("%(label)s (%(field)s): “%(value)s” is not one of: "
                                 "%(choices)s.", label=spec.label, field=path,
                                 value=_shown(value), choices=", ".join(spec.choices))))
    return None


def normalise_code(value: str) -> str:
    """A permit code as compared (CONTRACT.md v2, "Codes after normalisation"): Unicode NFKC,
    then whitespace, format characters (such as U+200B), dash punctuation and U+2212 removed,
    then upper-cased. `Ａ７６`, `a76` and `A-76` all give "A76". Raises nothing."""
    text = unicodedata.normalize("NFKC", value)
    kept = "".join(ch for ch in text if not (ch.isspace() or ch == "\u2212"
                                             or unicodedata.category(ch) in ("Cf", "Pd", "Zs")))
    return kept.upper()


def _read_code(spec: Spec, path: str, value: Any, errors: list) -> Any:
    """A permit code such as "A76", normalised (`normalise_code`); it must then be ASCII letters
    and digits, else an error naming the field (never a silent "not A76")."""
    if type(value) is str and len(value) <= spec.max_length and _is_text(value):
        code = normalise_code(value)
        if not code:
            return None
        if code.isascii() and code.isalnum():
            return code
        errors.append((path, msg("%(label)s (%(field)s): “%(value)s” is not a permit code: "
                                 "use Latin letters and digits only, such as “A76”.",
                                 label=spec.label, field=path, value=_shown(value))))
        return None
    errors.append((path, msg("%(label)s (%(field)s): expected a short text such as “A76”.",
                             label=spec.label, field=path)))
    return None


# What free text may hold: every character the PDF's fonts have (webapp/fonts, cut by
# scripts/fonts.py; tests/test_pdf.py checks them all), none invisible or reordering (no format
# character: soft hyphen, zero-width space, bidirectional controls). NFC first, so that "é" typed
# as "e" and a combining accent is the one character.
PRINTABLE = frozenset(
    [chr(c) for c in range(0x20, 0x7F)]
    + [chr(c) for c in range(0xA0, 0x180) if unicodedata.category(chr(c)) != "Cf"]
    + list("\u2010\u2011\u2012\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021"
           "\u2022\u2026\u2030\u2032\u2033\u2039\u203a\u202f\u20ac"))


def _character(ch: str) -> str:
    """A character named in a message: itself in quotes and its code point, or only the code
    point when it would not show (a space or a control of some kind)."""
    code = f"U+{ord(ch):04X}"
    return f"“{ch}” ({code})" if unicodedata.category(ch)[0] in "LNPS" else code


def _read_text(spec: Spec, path: str, value: Any, errors: list) -> Any:
    """Free text of at most `spec.max_length` characters on one line (a file's identifier or
    label), surrounding spaces removed; empty text is no answer."""
    if (type(value) is str and _is_text(value)
            and not any(unicodedata.category(ch) == "Cc" for ch in value)):
        text = unicodedata.normalize("NFC", value).strip()
        if len(text) > spec.max_length:
            errors.append((path, msg("%(label)s (%(field)s): at most %(count)s characters.",
                                     label=spec.label, field=path, count=spec.max_length)))
            return None
        unprintable = next((ch for ch in text if ch not in PRINTABLE), None)
        if unprintable is None:
            return text or None
        errors.append((path, msg("%(label)s (%(field)s): the character %(char)s cannot be "
                                 "printed on the instruction sheet; use the letters of the Latin "
                                 "alphabet, digits and common punctuation.", label=spec.label,
                                 field=path, char=_character(unprintable))))
        return None
    errors.append((path, msg("%(label)s (%(field)s): expected one line of text.",
                             label=spec.label, field=path)))
    return None


def read_value(spec: Spec, path: str, raw: Any, errors: list) -> Any:
    """The typed value of one answer `raw` (a decoded JSON value) for `spec`, read as
    parse_answers reads it (dates, yes/no, choices, codes, text); None with an
    (`path`, message) appended to `errors` when it is wrong. For other schemas made of `Spec`s
    (the permit check's), so that every answer is read one way."""
    return _READERS[spec.kind](spec, path, raw, errors)


_READERS = {"bool": _read_bool, "date": _read_date, "enum": _read_choice,
            "const": _read_choice, "code": _read_code, "text": _read_text}


# SCHEMA as parse_answers walks it, in its order (errors are listed in that order): a top-level
# answer is (key, its reader, spec, None, None); a group is (key, None, group, its type, its
# members as (key, dotted path, reader, spec)). The members are in the order of the type's
# fields, so they are passed by position.
_PLAN = tuple(
    (item.key, _READERS[item.kind], item, None, None) if isinstance(item, Spec) else
    (item.key, None, item, _GROUP_TYPES[item.key],
     tuple((m.key, f"{item.key}.{m.key}", _READERS[m.kind], m) for m in item.members))
    for item in SCHEMA)
assert all([f.name for f in fields(kind)] == [m[0] for m in members]
           for *_, kind, members in _PLAN if kind is not None)
# An unanswered group: one empty instance for all (they are frozen), rather than the default
# factory's new one for each of the four groups on every parse.
_UNANSWERED = {key: kind() for key, kind in _GROUP_TYPES.items()}


def unwrap(data: Any) -> Any:
    """The answers of a worked example (`{"answers": {…}, "expect": {…}}`, see tests/examples):
    its `answers` object, when `data` is a dict with an `answers` dict and none of the answers
    file's own keys; anything else unchanged. Raises nothing."""
    if isinstance(data, dict) and isinstance(data.get("answers"), dict) \
            and not _KEYS.intersection(data):
        return data["answers"]
    return data


def is_answers_file(data: Any) -> bool:
    """Whether `data` (a decoded JSON value, unwrapped) is a dict holding at least one of the
    answers file's own keys ("format", "purpose", …): what tells our file from another tool's
    JSON. Raises nothing."""
    return isinstance(data, dict) and bool(_KEYS.intersection(data))


def parse_answers(data: Any) -> Answers:
    """`Answers` from a decoded JSON value (an answers file, CONTRACT.md "Answers", or a worked
    example wrapping one in "answers"). Unknown keys are ignored; a missing answer or null is
    None. Raises AnswersError listing every field that is wrong, in SCHEMA's order."""
    if not isinstance(data, dict):
        raise AnswersError([(None, msg("The answers must be a JSON object, such as "
                                       "{\"format\": \"impplus-answers/1\"}."))])
    data = unwrap(data)
    errors: list[tuple[str | None, Text]] = []
    values: dict[str, Any] = {}
    for key, read, item, kind, members in _PLAN:
        raw = data.get(key)
        if kind is None:  # a top-level answer; most are left out
            values[key] = None if raw is None else read(item, key, raw, errors)
            continue
        if raw is None:
            values[key] = _UNANSWERED[key]
            continue
        if not isinstance(raw, dict):
            values[key] = _UNANSWERED[key]
            errors.append((key, msg("%(label)s (%(field)s): expected an object such as "
                                    "{…} or null.", label=item.label, field=key)))
            continue
        values[key] = kind(*[None if (value := raw.get(m)) is None
                             else read_member(spec, path, value, errors)
                             for m, path, read_member, spec in members])
    if errors:
        raise AnswersError(errors)
    return Answers(**values)


def loads(text: str | bytes) -> Answers:
    """`Answers` from JSON text or UTF-8 bytes, as `parse_answers`. Raises AnswersError: with no
    field for text that is not JSON, else as `parse_answers`."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise AnswersError([(None, msg("This is not a JSON file: it cannot be read as answers."))])
    return parse_answers(data)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def to_dict(answers: Answers) -> dict[str, Any]:
    """The answers file (format impplus-answers/1) of `answers`: a new dict of JSON values,
    unanswered fields and empty groups left out, dates as YYYY-MM-DD strings."""
    out: dict[str, Any] = {"format": FORMAT}
    for f in fields(Answers):
        if f.name == "format":
            continue
        value = getattr(answers, f.name)
        if f.name in _GROUP_TYPES:
            group = {g.name: _plain(getattr(value, g.name)) for g in fields(value)
                     if getattr(value, g.name) is not None}
            if group:
                out[f.name] = group
        elif value is not None:
            out[f.name] = _plain(value)
    return out


def pr_submitted(submitted: bool | None, submitted_on: Any, status: Any) -> bool | None:
    """Whether the permanent residence application was submitted, from its three answers:
    `submitted` when given (True or False); else True when a submission date or a status is
    given (either one implies the application was submitted); else None (unknown). The date and
    status may be typed (`PrApplication`) or as in the answers file (ISO text). Raises nothing."""
    if submitted is not None:
        return submitted
    return True if (submitted_on or status) else None


def letter_received(received: bool | None, dated: Any, received_on: Any) -> bool | None:
    """Whether the letter of invitation was received, from its three answers: `received` when
    given (True or False); else True when the date on the letter or the day it was received is
    given (either one implies it was received); else None (unknown). The dates may be `date`s or
    ISO text. Raises nothing."""
    if received is not None:
        return received
    return True if (dated or received_on) else None

