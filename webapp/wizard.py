"""The wizard: start page, one question per page, check your answers, the result.

Answers live only in the signed session cookie (`a`: the answers file for every question
answered, `done`: the questions answered, so that "I don't know" is remembered). Nothing is
written on the server. The flow (webapp.flow) decides the order; this module only shows pages.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import date
from urllib.parse import quote

from babel.dates import get_month_names
from flask import Blueprint, Response, abort, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from markupsafe import Markup, escape
from wtforms import RadioField, StringField

from . import flow, pdf, savefile, spreadsheet
from .app import browser_language, other_language, request_language
from .config import MAX_UPLOAD_BYTES
from .flow import CHECK, DONT_KNOW, QUESTIONS, Question
from .i18n import LANGUAGES, LIST_SEPARATOR, format_day, localize
from .ics import calendar_file
from .rules import AnswersError, assess, parse_answers, today
from .rules.parameters import snapshot
from .rules.sources import MANUAL
from .sheet import STATUS_LABELS, InstructionSheet

wizard = Blueprint("wizard", __name__)
# A question's texts are `Text` messages; the template renders one with `{{ text|localize(lang) }}`.
wizard.add_app_template_filter(localize, "localize")

PAGES = {  # fixed pages, with their slugs in each language
    "check": {"en": "check-your-answers", "fr": "verifier-vos-reponses"},
    "result": {"en": "result", "fr": "resultat"},
    "expired": {"en": "start-again", "fr": "recommencer"},
}
CODE = re.compile(r"[A-Za-z0-9]{2,6}\Z")
DATE_ORDER = {"en": ("month", "day", "year"), "fr": ("day", "month", "year")}
# The width of each part of a date, in characters: a month may be typed as a name ("févr."),
# which no `maxlength` cuts short.
DATE_SIZES = {"day": 2, "month": 6, "year": 4}


# ------------------------------------------------------------------ state in the cookie

def _state() -> tuple[dict, set[str]]:
    answers = session.get("a")
    done = session.get("done")
    if not isinstance(answers, dict) or not isinstance(done, list):
        return {}, set()
    return answers, {d for d in done if d in QUESTIONS}


def _save(answers: dict, done: set[str]) -> None:
    """Keep the answers and the questions answered in the session; a new file gets its random
    `file_id` (CONTRACT.md v2), which every download of it then carries."""
    answers.setdefault("file_id", str(uuid.uuid4()))
    session["a"] = answers
    session["done"] = sorted(done)


# ------------------------------------------------------------------ URLs and language

def question_url(lang: str, node: str, **kw) -> str:
    """The path of question `node` (or of the check page for CHECK) in `lang`, with `kw` as
    its query string (e.g. change="1"). Needs a request or app context."""
    if node == CHECK:
        return url_for("wizard.page", lang=lang, slug=PAGES["check"][lang], **kw)
    return url_for("wizard.page", lang=lang, slug=QUESTIONS[node].slug(lang), **kw)


def page_url(lang: str, page: str) -> str:
    """The path of a fixed page of PAGES ("check", "result", "expired") in `lang`."""
    return url_for("wizard.page", lang=lang, slug=PAGES[page][lang])


def _toggle_for(lang: str, node: str | None = None, page: str | None = None) -> str:
    other = other_language(lang)
    if node:
        # Only the parameter our pages read goes along: passing the whole query string to
        # url_for let `?lang=`, `?slug=` or `?endpoint=` collide with its own arguments (500),
        # and `?_external=1` put a forged Host into the link.
        return question_url(other, node, **_carried())
    if page:
        return page_url(other, page)
    return url_for("wizard.start", lang=other)


def _carried() -> dict:
    """The query parameters a question page passes on to its own links: `change=1` only."""
    return {"change": "1"} if request.args.get("change") == "1" else {}


def _render(template: str, lang: str, status: int = 200, **context):
    if "toggle_url" not in context:
        context["toggle_url"] = url_for("wizard.start", lang=other_language(lang))
    return render_template(template, lang=lang, other_lang=other_language(lang),
                           **context), status


@wizard.url_value_preprocessor
def _check_lang(endpoint, values):
    if values and "lang" in values and values["lang"] not in LANGUAGES:
        abort(404)


@wizard.get("/")
def root():
    """Redirect `/` to the start page in the browser's language."""
    return redirect(url_for("wizard.start", lang=browser_language()))


# ------------------------------------------------------------------ start page

@wizard.get("/<lang>/")
def start(lang: str, errors: dict | None = None, status: int = 200,
          more_problems: list[str] | None = None):
    """The start page: what the tool does, where the programme stands today (the dated
    parameters), the ways in, and the upload form. `errors` ({field id: message}) and
    `more_problems` (further messages) come from a failed upload; returns (body, status)."""
    now = today()
    p = snapshot(now)
    cutoff = p["invitation_last_letter_date"]
    programme = None
    if p["invitations_stopped_on"] is not None:
        programme = {
            "stopped": format_day(p["invitations_stopped_on"], lang),
            "cutoff": format_day(cutoff, lang),
            "days": p["submission_window_days"],
        }
    from . import permit_wizard  # the permit check's pages import this module's forms

    answers, done = _state()
    _, nxt = flow.path(answers, done)
    return _render("start.html", lang, status, today=format_day(now, lang), programme=programme,
                   started=bool(done), continue_url=question_url(lang, nxt),
                   first_url=question_url(lang, flow.FIRST),
                   date_url=question_url(lang, "assessment_date"), errors=errors or {},
                   more_problems=more_problems or [],
                   max_upload=MAX_UPLOAD_BYTES // (1024 * 1024),
                   permit_check_url=permit_wizard.start_url(lang),
                   toggle_url=url_for("wizard.start", lang=other_language(lang)))


@wizard.post("/<lang>/resume")
def resume(lang: str):
    """Restore the answers from a file the user kept (JSON, or one of our PDFs); nothing of the
    file is kept on the server. On any problem the start page says what, and the answers in the
    session are left as they were."""
    upload = request.files.get("answers_file")
    if upload is None or not upload.filename:
        return start(lang, {"answers-file": _("Choose a file: your answers file (JSON) or an "
                                              "instruction sheet (PDF) from this tool.")}, 400)
    data = upload.stream.read(MAX_UPLOAD_BYTES + 1)
    try:
        answers = savefile.read(data, strict=True)
    except AnswersError as e:
        name = upload.filename[-80:]
        status = 413 if len(data) > MAX_UPLOAD_BYTES else 400
        problems = [localize(m, lang) for m in _messages(e)]
        return start(lang, {"answers-file": _("%(file)s: %(problem)s", file=name,
                                              problem=problems[0])}, status, problems[1:])
    state, done = flow.from_answers(answers.to_dict())
    _save(state, done)
    nxt = flow.path(state, done)[1]
    return redirect(page_url(lang, "check") if nxt == CHECK else question_url(lang, nxt))


def _messages(error: AnswersError) -> list:
    """Every message of the error, first one first (all name their field)."""
    return [text for _field, text in error.errors] or [error.message]


@wizard.errorhandler(413)
def too_large(error):
    """413: a body over MAX_CONTENT_LENGTH. On the upload, the start page with the file's
    message; elsewhere an error page. In the request's language."""
    lang = request_language()
    if request.endpoint != "wizard.resume":
        return _render("error.html", lang, 413, title=_("The request is too large"),
                       message=_("Nothing you entered was stored. Go back and try again."),
                       errors=None)
    return start(lang, {"answers-file": localize(savefile.TOO_LARGE, lang)}, 413)


@wizard.post("/<lang>/restart")
def restart(lang: str):
    """Forget every answer (the session is cleared) and go back to the start page."""
    # CSRFProtect has checked the token before this runs.
    session.clear()
    return redirect(url_for("wizard.start", lang=lang))


# ------------------------------------------------------------------ forms

class QuestionForm(FlaskForm):
    """The base of every question's form (the wizard's and the permit check's): Flask-WTF's
    form with its CSRF check, and no WTForms translations (every text shown is ours)."""

    class Meta:
        def get_translations(self, form):
            """No translations for WTForms' own texts: no page shows them (every label and
            error message is ours, from our catalogue). Flask-WTF would otherwise load WTForms'
            .mo file from disk on every request, to translate each field's default label."""
            return None


class ChoiceForm(QuestionForm):
    """A choice question's post: `answer`, a choice's key."""
    answer = RadioField(choices=[], validate_choice=False)


class DateForm(QuestionForm):
    """A date question's post: `day`, `month`, `year` as typed."""
    day = StringField()
    month = StringField()
    year = StringField()


class CodeForm(QuestionForm):
    """A permit code question's post: `code` as typed."""
    code = StringField()


def _field_label(q: Question, lang: str) -> str:
    return localize(q.short or q.title, lang)


def _read_choice(q: Question, form: ChoiceForm, lang: str):
    keys = {c.key: c for c in q.choices}
    key = form.answer.data
    if key not in keys:
        return None, {"answer-" + q.choices[0].key: _("%(field)s: select one option.",
                                                     field=_field_label(q, lang))}
    return keys[key].value, {}


def _folded(text: str) -> str:
    """`text` as a month name is compared: accents dropped, case folded, no final dot or
    space ("Févr." and "fevr" are the same)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.casefold().strip().rstrip(".").strip()


def _month_names() -> dict[str, int]:
    """{folded name: month number} for every month's name and abbreviation in English and in
    French (as CLDR writes them in France and in Canada: "juil." and "juill."), from Babel."""
    names: dict[str, int] = {}
    for locale in ("en", "en_CA", "fr", "fr_CA"):
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale).items():
                    names[_folded(name)] = number
    return names


MONTH_NAMES = _month_names()
MIN_MONTH_PREFIX = 3  # "sept", "decem", "juil": the start of a name, when only one month fits


def month_number(typed: str) -> int | None:
    """The month a person typed as a name or an abbreviation, in English or French, in any
    case, with or without a dot or accents ("January", "jan.", "JANV", "févr.", "fevrier",
    "Sept", "déc"), or the start of a name that fits one month only (3 letters or more); None
    for anything else (numbers included)."""
    folded = _folded(typed)
    if folded in MONTH_NAMES:
        return MONTH_NAMES[folded]
    if len(folded) < MIN_MONTH_PREFIX:
        return None
    found = {n for name, n in MONTH_NAMES.items() if name.startswith(folded)}
    return found.pop() if len(found) == 1 else None


# A day written as people write it: 1er (French "premier"), 1st, 2nd, 3rd, 30th, with or
# without a dot after, in any case.
ORDINAL_DAY = re.compile(r"(\d{1,2})\s*(?:er|re|st|nd|rd|th)\.?", re.IGNORECASE)


def day_digits(typed: str) -> str:
    """`typed` without the ordinal ending of a day ("1er" and "1st" as "1"); else unchanged."""
    found = ORDINAL_DAY.fullmatch(typed)
    return found.group(1) if found else typed


def _read_date(q: Question, form: DateForm, lang: str):
    """(the ISO date, {}) or (None, {field id: message}) with every part that is wrong marked,
    each with its own message, in the order of the page's fields. The month may be a number
    or a name (`month_number`), the day an ordinal ("1er", "1st": `day_digits`)."""
    label = _field_label(q, lang)
    order = DATE_ORDER[lang]
    parts = {k: (getattr(form, k).data or "").strip() for k in order}
    parts["day"] = day_digits(parts["day"])
    if not any(parts.values()):  # names the page's other button (question.html)
        message = (_("%(field)s: enter a date, or choose “Use today’s date”.", field=label)
                   if q.id == "assessment_date" else
                   _("%(field)s: enter a date, or choose “I don’t know”.", field=label))
        return None, {"date-" + order[0]: message}
    names = {"day": _("day"), "month": _("month"), "year": _("year")}
    errors: dict[str, str] = {}
    numbers: dict[str, int] = {}
    for k in order:
        typed = parts[k]
        named = month_number(typed) if k == "month" else None
        if not typed:
            errors[k] = _("%(field)s: enter the %(part)s.", field=label, part=names[k])
        elif named is not None:
            numbers[k] = named
        elif not typed.isdecimal():  # isdigit() lets "²" through, which int() refuses
            errors[k] = (_("%(field)s: enter the month as a number or its name, such as 4 or "
                           "April.", field=label) if k == "month" else
                         _("%(field)s: the %(part)s must be a number.", field=label,
                           part=names[k]))
        elif k == "year":
            if len(typed) != 4:
                errors[k] = _("%(field)s: the year must have 4 digits, such as 2025.",
                              field=label)
            elif not 1900 <= int(typed) <= 2199:
                errors[k] = _("%(field)s: enter a year between 1900 and 2199.", field=label)
            else:
                numbers[k] = int(typed)
        else:  # 2147483648 or 4,301 digits: int() or date() would raise
            highest = 31 if k == "day" else 12
            number = int(typed) if len(typed) <= 4 else 0
            if 1 <= number <= highest:
                numbers[k] = number
            elif k == "day":
                errors[k] = _("%(field)s: the day must be between 1 and 31.", field=label)
            else:
                errors[k] = _("%(field)s: the month must be between 1 and 12.", field=label)
    if errors:
        return None, {"date-" + k: errors[k] for k in order if k in errors}
    try:
        value = date(numbers["year"], numbers["month"], numbers["day"])
    except ValueError:  # 31 of a 30-day month, 29 February outside a leap year
        return None, {"date-day": _("%(field)s: this is not a real date. Check the day and "
                                    "the month.", field=label)}
    return value.isoformat(), {}


def _read_code(q: Question, form: CodeForm, lang: str):
    code = (form.code.data or "").strip().upper()
    if not CODE.match(code):
        return None, {"code": _("%(field)s: enter the code as printed, such as A76 (2 to 6 "
                                "letters or digits).", field=_field_label(q, lang))}
    return code, {}


FORMS = {"choice": (ChoiceForm, _read_choice), "date": (DateForm, _read_date),
         "code": (CodeForm, _read_code)}


def _prefill(q: Question, answers: dict, done: set[str]) -> dict:
    value = flow.get(answers, q.key)
    if q.id not in done and value is None:
        return {}
    if q.kind == "choice":
        for c in q.choices:
            if c.value == value and (value is not None or q.id in done):
                return {"answer": c.key}
        return {}
    if q.kind == "date" and isinstance(value, str):
        try:
            d = date.fromisoformat(value)
        except ValueError:
            return {}
        return {"day": str(d.day), "month": str(d.month), "year": str(d.year)}
    if q.kind == "code" and value:
        return {"code": value}
    return {}


# ------------------------------------------------------------------ pages

@wizard.route("/<lang>/<slug>", methods=["GET", "POST"])
def page(lang: str, slug: str):
    """Any page under /<lang>/<slug>: a fixed page of PAGES, or a question by its slug;
    404 for anything else."""
    for name, slugs in PAGES.items():
        if slugs[lang] == slug:
            return {"check": check, "result": result, "expired": expired}[name](lang)
    q = flow.BY_SLUG[lang].get(slug)
    if q is None:
        abort(404)
    return question(lang, q)


def question(lang: str, q: Question):
    """One question: on GET its page with the answer given before; on POST the answer read
    (errors shown again, naming the field, with what was typed kept), recorded in the session,
    and a redirect to the next question (or back to the check page when changing an answer).
    A question not on the person's path redirects to the one they are at."""
    answers, done = _state()
    visited, nxt = flow.path(answers, done)
    reachable = q.id in visited or q.id == nxt or q.id in ("assessment_date", flow.FIRST)
    if not reachable:
        if not done:
            return redirect(page_url(lang, "expired"))
        return redirect(question_url(lang, nxt))
    change = request.args.get("change") == "1"
    form_cls, read = FORMS[q.kind]
    errors: dict[str, str] = {}
    if request.method == "POST":
        # The answer is read from the form's text fields only: Flask-WTF would also take a JSON
        # body or a file part, whose values are not text.
        form = form_cls(formdata=request.form)
        if q.kind != "choice" and request.form.get("dont_know"):
            value, errors = None, {}
        elif q.kind == "choice" and request.form.get("answer") == DONT_KNOW and not q.dont_know:
            value, errors = None, {"answer-" + q.choices[0].key: _(
                "%(field)s: select one option.", field=_field_label(q, lang))}
        else:
            value, errors = read(q, form, lang)
        if not errors:
            flow.record(answers, q, value)  # a new answer replaces what a file held beside it
            done.add(q.id)
            _save(answers, done)
            visited, nxt = flow.path(answers, done)
            if q.id == "assessment_date":
                nxt = CHECK if nxt == CHECK or change else nxt
            if change and nxt != CHECK:
                return redirect(question_url(lang, nxt, change="1"))
            return redirect(question_url(lang, nxt))
        values = form.data  # what was sent, shown again beside the errors
    else:
        # What the fields show: the answer given before, if any. A WTForms form reads a post;
        # the template's hidden field takes Flask-WTF's csrf_token().
        values = _prefill(q, answers, done)
    back = _back_url(lang, q, visited, nxt, change)
    body, status = _render(
        "question.html", lang, 200 if not errors else 400, q=q, values=values, errors=errors,
        back_url=back, date_order=DATE_ORDER[lang], date_sizes=DATE_SIZES, change=change,
        number=flow.progress(q.id, answers, done), section=q.section,
        answers_url=download_url(lang, "answers") if done else None,
        toggle_url=_toggle_for(lang, node=q.id),
        action=question_url(lang, q.id, **({"change": "1"} if change else {})))
    return body, status


def _back_url(lang: str, q: Question, visited: list[str], nxt: str, change: bool) -> str:
    """Where a question's Back link leads: always a page that shows itself, never one that
    redirects back here. When changing an answer, the check page once the branch is complete
    again (`nxt` is CHECK); while a change of branch still has questions to answer, the check
    page would only redirect to the next one, so Back goes to the previous question on the new
    branch, still changing (and from there back to the answer that changed the branch)."""
    if change and nxt == CHECK:
        return page_url(lang, "check")
    kw = {"change": "1"} if change else {}
    if q.id == "assessment_date":  # reached from the start page's link for representatives
        return url_for("wizard.start", lang=lang)
    if q.id in visited:
        i = visited.index(q.id)
        return question_url(lang, visited[i - 1], **kw) if i else url_for("wizard.start",
                                                                          lang=lang)
    if visited:
        return question_url(lang, visited[-1], **kw)
    return url_for("wizard.start", lang=lang)


def check(lang: str):
    """Check your answers: one row per answer given, each with its Change link."""
    answers, done = _state()
    visited, nxt = flow.path(answers, done)
    if not done:
        return redirect(page_url(lang, "expired"))
    if nxt != CHECK:
        return redirect(question_url(lang, nxt))
    rows = [{"label": label, "value": value, "change": question_url(lang, n, change="1"),
             "node": n} for n, label, value in flow.summary(answers, done, lang)]
    on = answers.get("assessment_date") if "assessment_date" in done else None
    on_text = format_day(date.fromisoformat(on), lang) if on else \
        _("Today (%(date)s)", date=format_day(today(), lang))
    return _render("check.html", lang, rows=rows, on_text=on_text,
                   on_change=question_url(lang, "assessment_date", change="1"),
                   back_url=question_url(lang, visited[-1]),
                   result_url=page_url(lang, "result"),
                   answers_url=download_url(lang, "answers"),
                   toggle_url=_toggle_for(lang, page="check"))[0]


@wizard.app_template_filter("cite")
def cite(item: dict) -> Markup:
    """The citation of a report item (`{"source": URL or None, "citation": title}`, see
    webapp.report.citation): a link to its source when it has one, escaped as `{{ }}` escapes,
    followed by the item's `in_english` ("(in English)" on a French sheet, webapp.sheet)."""
    note = f' <span class="in-english">{escape(item["in_english"])}</span>' \
        if item.get("in_english") else ""
    if item["source"]:
        return Markup(f'<a class="cite" href="{escape(item["source"])}">'
                      f'{escape(item["citation"])}</a>{note}')
    return Markup(f'<span class="cite">{escape(item["citation"])}</span>{note}')


def result(lang: str):
    """The result page: the assessment of the session's answers as of its date, through
    the InstructionSheet view-model shared with the PDF."""
    found, missing = _assessed()
    if found is None:
        return redirect(page_url(lang, "expired") if missing is None
                        else question_url(lang, missing))
    sheet = InstructionSheet.build(found[1], lang)
    return _render("result.html", lang, sheet=sheet, s=sheet.data, list_sep=LIST_SEPARATOR[lang],
                   status_labels={status: sheet.status_label(status) for status in STATUS_LABELS},
                   manual_url=MANUAL, check_url=page_url(lang, "check"),
                   answers_url=download_url(lang, "answers"),
                   pdf_url=download_url(lang, "pdf"),
                   ics_url=download_url(lang, "ics"),
                   purpose_url=question_url(lang, flow.FIRST),
                   permit_check_url=_permit_check_start(lang),
                   toggle_url=_toggle_for(lang, page="result"))[0]


def _permit_check_start(lang: str) -> str:
    from . import permit_wizard  # the permit check's pages import this module's forms

    return permit_wizard.start_url(lang)


def _assessed():
    """((effective answers, assessment), None) of a complete session; otherwise (None, the
    question still to answer), or (None, None) when nothing was answered."""
    answers, done = _state()
    if not done:
        return None, None
    nxt = flow.path(answers, done)[1]
    if nxt != CHECK:
        return None, nxt
    effective = flow.effective_answers(answers, done)
    return (effective, assess(parse_answers(effective))), None


# A download's file name: this stem, the assessment date, the file's label when it has one.
DOWNLOAD_NAMES = {
    "pdf": {"en": ("impplus-sheet", ".pdf"), "fr": ("verif-pmi-fiche", ".pdf")},
    "answers": {"en": ("impplus-answers", ".json"), "fr": ("verif-pmi-reponses", ".json")},
    "ics": {"en": ("impplus-dates", ".ics"), "fr": ("verif-pmi-dates", ".ics")},
    # the permit check's result (webapp.permit_wizard.download_pdf), named by the day it was made
    "permit_pdf": {"en": ("impplus-permit-check", ".pdf"),
                   "fr": ("verif-pmi-verification-permis", ".pdf")},
}
# A download's address under /<lang>/; the other language's works too, redirected here.
DOWNLOAD_PATHS = {
    "pdf": {"en": "instruction-sheet.pdf", "fr": "fiche-instructions.pdf"},
    "answers": {"en": "answers.json", "fr": "reponses.json"},
    "ics": {"en": "dates.ics", "fr": "dates.ics"},
}
DOWNLOAD_ENDPOINTS = {"pdf": "wizard.download_pdf", "answers": "wizard.download_answers",
                      "ics": "wizard.download_calendar"}
MAX_SLUG = 40  # characters of the label in a file name
# Latin letters that NFKD does not decompose into ASCII, spelled as French and English do.
ASCII_SPELLING = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss",
                                "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D",
                                "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ı": "i", "ħ": "h",
                                "Ħ": "H", "ŧ": "t", "Ŧ": "T"})


def _download_route(kind: str):
    """Decorator: a download's view at each of its addresses (DOWNLOAD_PATHS), its `name`
    argument the address's last part."""
    def register(view):
        for name in sorted(set(DOWNLOAD_PATHS[kind].values())):
            view = wizard.get(f"/<lang>/{name}", defaults={"name": name})(view)
        return view
    return register


def slug(text: str | None, ascii_only: bool = True) -> str:
    """`text` as a part of a file name: lower case, letters and digits only (when `ascii_only`,
    accents dropped and œ, æ, ß… spelled oe, ae, ss…), every other run of characters one
    hyphen, at most MAX_SLUG characters, no hyphen at either end; "" for None or text with no
    letter or digit. No path separator, quote, dot or control character can survive."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKD" if ascii_only else "NFC", text)
    if ascii_only:
        text = text.translate(ASCII_SPELLING).encode("ascii", "ignore").decode("ascii")
    words = re.split(r"[\W_]+", text.lower())
    return "-".join(w for w in words if w)[:MAX_SLUG].strip("-")


def download_name(kind: str, lang: str, on: date, label: str | None,
                  ascii_only: bool = True) -> str:
    """The file name of a download (`kind`: a key of DOWNLOAD_NAMES) in `lang`: its stem, the
    assessment date `on` (the check's day for "permit_pdf") and the slug of `label`, e.g.
    verif-pmi-fiche-2025-01-12-dossier-123.pdf."""
    stem, extension = DOWNLOAD_NAMES[kind][lang]
    parts = [stem, on.isoformat(), slug(label, ascii_only)]
    return "-".join(p for p in parts if p) + extension


def download_url(lang: str, kind: str) -> str:
    """The address of a download (`kind`: "pdf", "answers" or "ics") in `lang`."""
    return url_for(DOWNLOAD_ENDPOINTS[kind], lang=lang, name=DOWNLOAD_PATHS[kind][lang])


def _moved(lang: str, kind: str) -> Response:
    """The other language's address of a download (the only one before version 2 of the
    addresses): moved for good to this language's."""
    return redirect(download_url(lang, kind), 301)


def download(body: bytes, mimetype: str, name: str, unicode_name: str | None = None) -> Response:
    """`body` as an attachment called `name` (ASCII), and `unicode_name` for the browsers that
    read RFC 6266's `filename*` when it has accents `name` lacks."""
    disposition = f'attachment; filename="{name}"'
    if unicode_name and unicode_name != name:
        disposition += f"; filename*=UTF-8''{quote(unicode_name, safe='')}"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": disposition, "Cache-Control": "no-store"})


def _named(kind: str, lang: str, assessment) -> tuple[str, str]:
    """(ASCII name, Unicode name) of a download of `assessment`."""
    on, label = assessment.assessment_date, assessment.answers.label
    return (download_name(kind, lang, on, label),
            download_name(kind, lang, on, label, ascii_only=False))


@_download_route("answers")
def download_answers(lang: str, name: str):
    """The answers file (impplus-answers/1 JSON) of the session, as an attachment."""
    if name != DOWNLOAD_PATHS["answers"][lang]:
        return _moved(lang, "answers")
    answers, done = _state()
    if not done:
        return redirect(page_url(lang, "expired"))
    effective = flow.effective_answers(answers, done)
    try:
        on = parse_answers(effective).assessment_date
    except AnswersError:  # a session holds only answers the wizard accepted: not expected
        on = None
    on, label = on or today(), effective.get("label")
    return download(pdf.answers_json(effective), "application/json",
                     download_name("answers", lang, on, label),
                     download_name("answers", lang, on, label, ascii_only=False))


@_download_route("pdf")
def download_pdf(lang: str, name: str):
    """The instruction sheet as a PDF in `lang`, its answers embedded as answers.json."""
    if name != DOWNLOAD_PATHS["pdf"][lang]:
        return _moved(lang, "pdf")
    found = _assessed()[0]
    if found is None:
        return redirect(page_url(lang, "expired"))
    effective, assessment = found
    body = pdf.render(InstructionSheet.build(assessment, lang), effective)
    return download(body, "application/pdf", *_named("pdf", lang, assessment))


@_download_route("ics")
def download_calendar(lang: str, name: str):
    """The .ics of the dates ahead (webapp.ics), or 404 when no date lies ahead of the
    assessment date."""
    found = _assessed()[0]
    if found is None:
        return redirect(page_url(lang, "expired"))
    body = calendar_file(found[1], lang)
    if body is None:
        abort(404)
    return download(body, "text/calendar", *_named("ics", lang, found[1]))


TEMPLATE_NAMES = {"en": "impplus-client-template.csv", "fr": "verif-pmi-modele-clients.csv"}


@wizard.get("/<lang>/client-template.csv")
def client_template(lang: str):
    """The template of a spreadsheet of clients for `impplus assess clients.csv`
    (webapp.spreadsheet.template), its notes in `lang`; for representatives, from the start
    page. Needs no answers."""
    return download(spreadsheet.template(lang), "text/csv", TEMPLATE_NAMES[lang])


def expired(lang: str, status: int = 200):
    """"Start again": the page for a session that has expired or holds no answers (also the
    CSRF error page). Returns (body, status)."""
    return _render("expired.html", lang, status, toggle_url=_toggle_for(lang, page="expired"),
                   start_url=url_for("wizard.start", lang=lang))


@wizard.app_errorhandler(CSRFError)
def csrf_error(error):
    """A post whose CSRF token is missing or wrong: the "start again" page, status 400."""
    return expired(request_language(), 400)
