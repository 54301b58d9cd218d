"""The permit check's pages: one question per page, check your answers, the result.

Reached from the start page's second entry ("Check a permit you already have"). The questions
and their order are webapp.permit_flow's; the forms, the date reading and the question template
are the wizard's own (webapp.wizard.FORMS, question.html), so both journeys read and show
answers the same way. The answers live in the signed session cookie beside the assessment's
(`pa`: the impplus-permit/1 object so far, `pdone`: the questions answered); nothing is written
on the server. Answers already given in the assessment (the passport's expiry, the principal's
permit) are offered as the default of the same questions here.

The result's PDF (webapp.permit_pdf) is downloaded from DOWNLOAD_PATHS, named by language and
date as the instruction sheet is (webapp.wizard.download_name).
"""

from __future__ import annotations

import unicodedata
from datetime import date

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from wtforms import StringField

from . import flow, permit_flow, permit_pdf
from .app import other_language
from .flow import Question
from .i18n import LIST_SEPARATOR, format_day, localize
from .permit_flow import CHECK, QUESTIONS
from .permit_pdf import CHECK_TITLES, STATUS_LABELS
from .report import permit_check_report
from .rules import check_permit, parse_permit
from .rules.assessment import today
from .rules.answers import normalise_code
from .rules.permit_check import CODES
from .wizard import DATE_ORDER, DATE_SIZES, FORMS, QuestionForm, download, download_name

permit_wizard = Blueprint("permit_wizard", __name__)

SECTION = {"en": "check-permit", "fr": "verifier-permis"}  # the journey's first URL segment
PAGES = {"check": {"en": "check-your-answers", "fr": "verifier-vos-reponses"},
         "result": {"en": "result", "fr": "resultat"}}


# ------------------------------------------------------------------ state in the cookie

def _state() -> tuple[dict, set[str]]:
    answers = session.get("pa")
    done = session.get("pdone")
    if not isinstance(answers, dict) or not isinstance(done, list):
        return {}, set()
    return answers, {d for d in done if d in QUESTIONS}


def _save(answers: dict, done: set[str]) -> None:
    session["pa"] = answers
    session["pdone"] = sorted(done)


def _from_assessment(q: Question, answers: dict) -> str | None:
    """The answer the assessment's session already holds for `q` (an ISO date), or None: the
    passport's expiry (the family member's for a family code, else the applicant's, else
    either), the principal's permit expiry."""
    a = session.get("a")
    if not isinstance(a, dict):
        return None
    if q.id == "principal_permit_expiry":
        found = [flow.get(a, "principal.permit_expiry")]
    elif q.id == "passport_expiry":
        family = answers.get("code") in ("C41", "C46", "C49")
        found = [flow.get(a, "family.passport_expiry"), flow.get(a, "passport_expiry")]
        found = found if family else found[::-1]
    else:
        return None
    for value in found:
        if isinstance(value, str):
            try:
                date.fromisoformat(value)
            except ValueError:
                continue
            return value
    return None


# ------------------------------------------------------------------ URLs

def question_url(lang: str, node: str, **kw) -> str:
    """The path of question `node` (or of the check page for CHECK) in `lang`, with `kw` as
    its query string. Needs a request or app context."""
    slug = PAGES["check"][lang] if node == CHECK else QUESTIONS[node].slug(lang)
    return url_for("permit_wizard.page", lang=lang, section=SECTION[lang], slug=slug, **kw)


def page_url(lang: str, page: str) -> str:
    """The path of a fixed page of PAGES ("check", "result") in `lang`."""
    return url_for("permit_wizard.page", lang=lang, section=SECTION[lang],
                   slug=PAGES[page][lang])


def start_url(lang: str) -> str:
    """Where the start page's "Check a permit you already have" leads: the question the person
    is at (the first one for a new check)."""
    answers, done = _state()
    return question_url(lang, permit_flow.path(answers, done)[1])


def _render(template: str, lang: str, status: int, toggle_url: str, **context):
    return render_template(template, lang=lang, other_lang=other_language(lang),
                           toggle_url=toggle_url, **context), status


# ------------------------------------------------------------------ forms

class TextForm(QuestionForm):
    """A text question's post: `text`, as printed on the permit."""
    text = StringField()


MAX_TEXT = 64


def _label(q: Question, lang: str) -> str:
    return localize(q.short or q.title, lang)


def _read_text(q: Question, form: TextForm, lang: str):
    """(the text as printed, stripped; {}) or (None, {"text": message})."""
    text = (form.text.data or "").strip()
    if not text:
        return None, {"text": _("%(field)s: enter what the permit shows, or choose “It is not "
                                "printed / I don’t know”.", field=_label(q, lang))}
    if len(text) > MAX_TEXT or any(unicodedata.category(ch) == "Cc" for ch in text):
        return None, {"text": _("%(field)s: enter at most %(count)s characters on one line.",
                                field=_label(q, lang), count=MAX_TEXT)}
    return text, {}


def _read_code(q: Question, form, lang: str):
    """(A76, C41, C46 or C49, as the rules normalise it; {}) or (None, {"code": message}) for
    anything else, the message naming the field and the four codes."""
    typed = (form.code.data or "").strip()
    code = normalise_code(typed) if len(typed) <= MAX_TEXT else typed
    if code in CODES:
        return code, {}
    return None, {"code": _("%(field)s: enter A76, C41, C46 or C49 as printed on the "
                            "permit, or choose “It is not printed / I don’t know”.",
                            field=_label(q, lang))}


def _reader(q: Question):
    if q.kind == "text":
        return TextForm, _read_text
    if q.kind == "code":
        return FORMS["code"][0], _read_code
    return FORMS[q.kind]


def _dates_in_order(q: Question, answers: dict, value, lang: str) -> dict[str, str]:
    """An error when the date of issue would come after the expiry date (the rules' error on
    `issued`, CONTRACT.md), on whichever of the two pages is being answered."""
    issued = value if q.id == "issued" else answers.get("issued")
    expires = value if q.id == "expires" else answers.get("expires")
    if q.id not in ("issued", "expires") or not (issued and expires) or issued <= expires:
        return {}
    first = "date-" + DATE_ORDER[lang][0]
    return {first: _("%(field)s: the date of issue (%(issued)s) is after the expiry date "
                     "(%(expires)s). Check both dates on the permit.", field=_label(q, lang),
                     issued=format_day(date.fromisoformat(issued), lang),
                     expires=format_day(date.fromisoformat(expires), lang))}


def _prefill(q: Question, answers: dict, done: set[str]) -> tuple[dict, bool]:
    """(what the fields show, whether it comes from the assessment's answers)."""
    value = answers.get(q.id)
    from_assessment = False
    if value is None and q.id not in done and q.kind == "date":
        value = _from_assessment(q, answers)
        from_assessment = value is not None
    if q.kind == "choice":
        for c in q.choices:
            if c.value == value and (value is not None or q.id in done):
                return {"answer": c.key}, False
        return {}, False
    if q.kind == "date" and isinstance(value, str):
        d = date.fromisoformat(value)
        return {"day": str(d.day), "month": str(d.month), "year": str(d.year)}, from_assessment
    if value:
        return {"text" if q.kind == "text" else "code": value}, False
    return {}, False


# ------------------------------------------------------------------ pages

@permit_wizard.route("/<lang>/<any('check-permit', 'verifier-permis'):section>/<slug>",
                     methods=["GET", "POST"])
def page(lang: str, section: str, slug: str):
    """Any page of the permit check: /en/check-permit/<slug> or /fr/verifier-permis/<slug>,
    a fixed page of PAGES, the PDF (DOWNLOAD_PATHS) or a question by its slug; 404 for
    anything else (another language's section included)."""
    if lang not in SECTION or SECTION[lang] != section:
        abort(404)
    if slug in DOWNLOAD_PATHS.values():
        if request.method != "GET":
            abort(405)
        return download_pdf(lang, slug)
    for name, slugs in PAGES.items():
        if slugs[lang] == slug:
            return check(lang) if name == "check" else result(lang)
    q = permit_flow.BY_SLUG[lang].get(slug)
    if q is None:
        abort(404)
    return question(lang, q)


def question(lang: str, q: Question):
    """One question: on GET its page with the answer given before (or the assessment's, for
    the passport and the principal's permit); on POST the answer read (errors shown again,
    naming the field, with what was typed kept), recorded, and a redirect to the next
    question (or back to the check page when changing an answer)."""
    answers, done = _state()
    visited, nxt = permit_flow.path(answers, done)
    if q.id not in visited and q.id != nxt:
        return redirect(question_url(lang, nxt))
    change = request.args.get("change") == "1"
    form_cls, read = _reader(q)
    errors: dict[str, str] = {}
    from_assessment = False
    if request.method == "POST":
        form = form_cls(formdata=request.form)
        if q.kind == "choice" or not request.form.get("dont_know"):
            value, errors = read(q, form, lang)
        else:
            value = None
        if not errors and value is not None:
            errors = _dates_in_order(q, answers, value, lang)
        if not errors:
            answers[q.id] = value
            done.add(q.id)
            _save(answers, done)
            nxt = permit_flow.path(answers, done)[1]
            if change and nxt != CHECK:
                return redirect(question_url(lang, nxt, change="1"))
            return redirect(question_url(lang, nxt))
        values = form.data
    else:
        values, from_assessment = _prefill(q, answers, done)
    kw = {"change": "1"} if change else {}
    # Back never leads to a page that redirects here: while a new code still has a question to
    # answer, the check page would, so Back goes to the previous question, still changing.
    if change and nxt == CHECK:
        back = page_url(lang, "check")
    elif q.id in visited and visited.index(q.id):
        back = question_url(lang, visited[visited.index(q.id) - 1], **kw)
    elif visited and q.id not in visited:
        back = question_url(lang, visited[-1], **kw)
    else:
        back = url_for("wizard.start", lang=lang)
    return _render("question.html", lang, 400 if errors else 200,
                   question_url(other_language(lang), q.id, **kw), q=q, values=values,
                   errors=errors, back_url=back, date_order=DATE_ORDER[lang],
                   date_sizes=DATE_SIZES, change=change,
                   action=question_url(lang, q.id, **kw),
                   dont_know_label=permit_flow.dont_know_label(q.id),
                   from_assessment=from_assessment)


def _rows(answers: dict, done: set[str], lang: str) -> list[dict]:
    rows = []
    for node in permit_flow.path(answers, done)[0]:
        q = QUESTIONS[node]
        value = answers.get(node)
        if value is None:
            shown = localize(q.choices[-1].label if q.kind == "choice"
                             else permit_flow.dont_know_label(node), lang)
        elif q.kind == "choice":
            shown = next(localize(c.label, lang) for c in q.choices if c.value == value)
        elif q.kind == "date":
            shown = format_day(date.fromisoformat(value), lang)
        else:
            shown = value
        rows.append({"label": _label(q, lang), "value": shown,
                     "change": question_url(lang, node, change="1")})
    return rows


def check(lang: str):
    """Check your answers: one row per answer, each with its Change link."""
    answers, done = _state()
    visited, nxt = permit_flow.path(answers, done)
    if nxt != CHECK:
        return redirect(question_url(lang, nxt))
    return _render("permit_check.html", lang, 200, page_url(other_language(lang), "check"),
                   rows=_rows(answers, done, lang), back_url=question_url(lang, visited[-1]),
                   result_url=page_url(lang, "result"))[0]


def _checked(answers: dict, done: set[str], lang: str):
    """(the permit as read, its check's report in `lang`) of a complete session."""
    permit = parse_permit(permit_flow.effective_permit(answers, done))
    return permit, permit_check_report(check_permit(permit), lang)


def result(lang: str):
    """The result: each check beside its source, what to do, and a page that prints cleanly.
    The same report as the API's and the command line's (webapp.report.permit_check_report),
    and the same as the PDF's (`download_pdf`)."""
    answers, done = _state()
    nxt = permit_flow.path(answers, done)[1]
    if nxt != CHECK:
        return redirect(question_url(lang, nxt))
    report = _checked(answers, done, lang)[1]
    shown = {c["id"]: permit_pdf.shown(c, lang, report["code"]) for c in report["checks"]}
    return _render("permit_result.html", lang, 200, page_url(other_language(lang), "result"),
                   r=report, checks=permit_pdf.displayed(report["checks"]), shown=shown,
                   list_sep=LIST_SEPARATOR[lang],
                   titles={k: localize(v, lang) for k, v in CHECK_TITLES.items()},
                   status_labels={k: localize(v, lang) for k, v in STATUS_LABELS.items()},
                   check_url=page_url(lang, "check"), pdf_url=pdf_url(lang))[0]


# The PDF's address in each language, under the journey's section; the other language's
# name works too, moved for good to this language's.
DOWNLOAD_PATHS = {"en": "permit-check.pdf", "fr": "verification-permis.pdf"}


def pdf_url(lang: str) -> str:
    """The address of the permit check's PDF in `lang`."""
    return url_for("permit_wizard.page", lang=lang, section=SECTION[lang],
                   slug=DOWNLOAD_PATHS[lang])


def download_pdf(lang: str, name: str):
    """The permit check's result as a PDF in `lang` (webapp.permit_pdf), the permit as read
    attached as permit.json, named by language and the day it was made; back to the
    question still to answer when the session holds no complete permit. Never cached. Reached
    through `page` at either name of DOWNLOAD_PATHS, the other language's moved for good."""
    if name != DOWNLOAD_PATHS[lang]:
        return redirect(pdf_url(lang), 301)
    answers, done = _state()
    nxt = permit_flow.path(answers, done)[1]
    if nxt != CHECK:
        return redirect(question_url(lang, nxt))
    permit, report = _checked(answers, done, lang)
    on = today()
    body = permit_pdf.render(report, permit, on)
    return download(body, "application/pdf", download_name("permit_pdf", lang, on, None))
