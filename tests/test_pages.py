"""Every page of the wizard, through the Flask test client, in English and in French.

Pages are parsed with the standard library's html.parser (see `parse`). A question page can only
be reached once the earlier questions are answered, so `walk` answers them by POSTing, as a
browser would.

The assertions that depend on the French catalogue being complete (French wording of messages,
titles and buttons) are grouped at the end of this file, in the section "French wording", so that
they run last; each one says "MISSING FRENCH TRANSLATION" when that is why it fails.
"""

from __future__ import annotations

import copy
import io
import json
import re
import uuid
from pathlib import Path
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from babel.support import Translations

from conftest import BASES
from webapp.flow import CHECK, QUESTIONS
from webapp.i18n import localize, translations_dir
from webapp.rules.sources import MANUAL
from webapp.wizard import PAGES
from webapp.wizard import DOWNLOAD_PATHS

LANGS = ("en", "fr")
DK = "dont_know"  # "I don't know", on any kind of question

ANSWERS_PATH = {lang: f"/{lang}/{DOWNLOAD_PATHS['answers'][lang]}" for lang in ("en", "fr")}


# ------------------------------------------------------------------ a tiny HTML tree

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: "Node | None"):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def __repr__(self):
        return f"<{self.tag} {self.attrs}>"

    def get(self, name: str, default=None):
        return self.attrs.get(name, default)

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    @property
    def elements(self) -> list["Node"]:
        return [c for c in self.children if isinstance(c, Node)]

    def text(self) -> str:
        out = []
        for c in self.children:
            out.append(c if isinstance(c, str) else c.text())
        # collapse HTML whitespace only: a no-break space (French punctuation) stays
        return re.sub(r"[ \t\n\r\f]+", " ", "".join(out)).strip(" ")

    def iter(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.iter()

    def find_all(self, tag: str | None = None, class_: str | None = None, **attrs) -> list["Node"]:
        """Descendants by tag, one class and exact attribute values (`for_` stands for `for`;
        a value of True only asks for the attribute to be there)."""
        out = []
        for n in self.iter():
            if tag and n.tag != tag:
                continue
            if class_ and class_ not in n.classes:
                continue
            ok = True
            for name, value in attrs.items():
                name = name.rstrip("_").replace("_", "-")
                if value is True:
                    ok = ok and name in n.attrs
                else:
                    ok = ok and n.attrs.get(name) == value
            if ok:
                out.append(n)
        return out

    def find(self, *args, **kw) -> "Node | None":
        found = self.find_all(*args, **kw)
        return found[0] if found else None

    def one(self, *args, **kw) -> "Node":
        found = self.find_all(*args, **kw)
        assert len(found) == 1, f"expected one {args} {kw}, found {len(found)}"
        return found[0]

    def by_id(self, id_: str) -> "Node | None":
        return self.find(id=id_)


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#document", {}, None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None and node.parent is not None, f"stray </{tag}>"
        self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(response_or_text) -> Node:
    text = response_or_text if isinstance(response_or_text, str) else \
        response_or_text.get_data(as_text=True)
    builder = _Builder()
    builder.feed(text)
    builder.close()
    assert builder.current is builder.root, f"unclosed element {builder.current}"
    return builder.root


# ------------------------------------------------------------------ URLs and walking the flow

def url(lang: str, node: str, change: bool = False) -> str:
    if node == CHECK:
        path = f"/{lang}/{PAGES['check'][lang]}"
    elif node in PAGES:
        path = f"/{lang}/{PAGES[node][lang]}"
    else:
        path = f"/{lang}/{QUESTIONS[node].slug(lang)}"
    return path + ("?change=1" if change else "")


def form_data(node: str, value) -> dict:
    kind = QUESTIONS[node].kind
    if kind == "choice":
        return {"answer": value}
    if value == DK:
        return {"dont_know": "1"}
    if kind == "date":
        year, month, day = value.split("-")
        return {"day": str(int(day)), "month": str(int(month)), "year": year}
    return {"code": value}


def answer(client, lang: str, node: str, value, change: bool = False):
    return client.post(url(lang, node, change), data=form_data(node, value))


def walk(client, lang: str, steps, end: str | None = None) -> str:
    """Answer `steps` in order, each time checking that the wizard goes on to the next step's
    page (and after the last one to `end`, when given). Returns the last redirect."""
    location = None
    for i, (node, value) in enumerate(steps):
        r = answer(client, lang, node, value)
        assert r.status_code == 302, (node, value, r.status_code, r.get_data(as_text=True)[:500])
        location = r.headers["Location"]
        if i + 1 < len(steps):
            assert location == url(lang, steps[i + 1][0]), (node, value, location)
        elif end is not None:
            assert location == url(lang, end), (node, value, location)
    return location


IN_CANADA = [  # a first permit, living in Canada outside Quebec: every first-permit question,
    # as of a day within the letter's 90 days (after them, the questions stop at the letter)
    ("assessment_date", "2024-07-15"), ("purpose", "initial"),
    ("residence", "canada_outside_quebec"), ("status_in_canada", "valid"),
    ("holds_r206_permit", "no"), ("can_apply_from_inside_canada", "yes"),
    ("intends_to_live_and_work_in_quebec", "yes"), ("csq_held", "yes"),
    ("csq_category", "skilled_worker"), ("csq_issued", "2023-05-10"), ("pr_submitted", "yes"),
    ("pr_submitted_on", "2024-02-01"), ("pr_status", "in_progress"),
    ("invitation_received", "yes"), ("invitation_dated", "2024-06-03"),
    ("invitation_received_on", DK), ("channel", "online"), ("passport_expiry", "2029-02-28"),
]
OUTSIDE = [  # conftest BASES["outside"], eligible as of 2024-11-15
    ("assessment_date", "2024-11-15"), ("purpose", "initial"), ("residence", "outside_canada"),
    ("intends_to_live_and_work_in_quebec", "yes"), ("csq_held", "yes"),
    ("csq_category", "skilled_worker"), ("csq_issued", "2023-12-01"), ("pr_submitted", "no"),
    ("invitation_received", "yes"), ("invitation_dated", "2024-10-20"),
    ("invitation_received_on", "2024-10-25"), ("channel", "online"),
    ("passport_expiry", "2033-04-30"),
]
EXTENSION = [
    ("purpose", "extension"), ("current_permit_code", "A76"),
    ("current_permit_expiry", "2025-09-01"), ("pr_submitted", "yes"),
    ("pr_status", "in_progress"), ("pr_aor_received", "yes"), ("passport_expiry", "2030-01-01"),
]
FAMILY = [  # every family question: the principal holds their permit, the family member in Quebec
    ("purpose", "family"), ("family_member", "spouse"), ("principal_permit_code", "A76"),
    ("principal_applying_together", "holds"), ("principal_permit_expiry", "2026-06-30"),
    ("principal_lives_in_quebec", "yes"), ("principal_pr_submitted", "yes"),
    ("included_in_pr_application", DK), ("family_residence", "quebec"),
    ("family_status_in_canada", "valid"), ("family_can_apply_from_inside_canada", "yes"),
    ("family_passport_expiry", DK),
]
FAMILY_TOGETHER = [  # applying together, no PR application, the family member outside Canada
    ("purpose", "family"), ("family_member", "child"), ("principal_permit_code", "A76"),
    ("principal_applying_together", "together"), ("principal_lives_in_quebec", DK),
    ("principal_pr_submitted", "no"), ("family_residence", "outside_canada"),
    ("family_passport_expiry", "2031-03-15"),
]
JOURNEYS = {"in_canada": IN_CANADA, "outside": OUTSIDE, "extension": EXTENSION,
            "family": FAMILY, "family_together": FAMILY_TOGETHER}


def route_to(node: str) -> list:
    """The answers to give before `node` can be shown."""
    for steps in JOURNEYS.values():
        nodes = [n for n, _ in steps]
        if node in nodes:
            return steps[:nodes.index(node)]
    raise AssertionError(f"no journey reaches {node}")


def test_journeys_cover_every_question():
    covered = {n for steps in JOURNEYS.values() for n, _ in steps}
    assert covered == set(QUESTIONS)


# ------------------------------------------------------------------ what every page has

def assert_common(doc: Node, lang: str, toggle: str | None = None) -> None:
    html = doc.one("html")
    assert html.get("lang") == lang
    assert len(doc.find_all("h1")) == 1, [h.text() for h in doc.find_all("h1")]
    skip = doc.one("a", class_="skip-link")
    assert skip.get("href") == "#main"
    assert doc.one(id="main").tag == "main"
    other = "fr" if lang == "en" else "en"
    link = doc.one("a", class_="lang-toggle")
    assert link.get("lang") == other and link.get("hreflang") == other
    if toggle is not None:
        assert link.get("href") == toggle
    # same-origin assets only, and one script: /static/copy.js (and on the result page, whose
    # Print button it shows, /static/print.js)
    for n in doc.iter():
        if "src" in n.attrs:
            assert "http://" not in n.get("src") and "https://" not in n.get("src"), n
        if n.tag == "link":
            assert "http://" not in n.get("href", "") and "https://" not in n.get("href", ""), n
    scripts = doc.find_all("script")
    # and on a page with errors, the one that focuses their summary; on the result page, print
    summary = ["/static/error-summary.js"] if doc.find("div", class_="error-summary") else []
    printing = ["/static/print.js"] if doc.find_all("button", **{"data-print": True}) else []
    assert [s.get("src") for s in scripts] == ["/static/copy.js", *summary, *printing]
    assert all(not s.text() for s in scripts)
    # ids are unique, and every id the page refers to exists
    ids = [n.get("id") for n in doc.iter() if n.get("id")]
    assert len(ids) == len(set(ids)), ids
    for n in doc.iter():
        for ref in (n.get("aria-describedby") or "").split() + \
                (n.get("aria-labelledby") or "").split():
            assert ref in ids, (n, ref)
        if n.tag == "label" and n.get("for"):
            assert n.get("for") in ids, n


def title(doc: Node) -> str:
    return doc.one("title").text()


def checked_radio(doc: Node) -> str | None:
    checked = [i.get("value") for i in doc.find_all("input", type="radio") if "checked" in i.attrs]
    assert len(checked) <= 1
    return checked[0] if checked else None


def date_inputs(doc: Node) -> dict[str, str]:
    return {p: doc.one("input", id=f"date-{p}").get("value") for p in ("day", "month", "year")}


# ------------------------------------------------------------------ every question page

QUESTION_CASES = [(lang, node) for lang in LANGS for node in QUESTIONS]


@pytest.mark.parametrize("lang, node", QUESTION_CASES)
def test_question_page_structure(client, lang, node):
    q = QUESTIONS[node]
    before = route_to(node)
    walk(client, lang, before)
    r = client.get(url(lang, node))
    assert r.status_code == 200
    doc = parse(r)
    other = "fr" if lang == "en" else "en"
    assert_common(doc, lang, toggle=url(other, node))

    h1 = doc.one("h1")
    assert h1.text() == localize(q.title, lang)
    if q.kind in ("choice", "date"):
        assert h1.parent.tag == "legend" and h1.parent.parent.tag == "fieldset"
    else:
        label = h1.one("label")
        assert label.get("for") == "code" and doc.one("input", id="code").get("name") == "code"

    on_path = [n for n, _ in before if n != "assessment_date"]
    back = doc.one("a", class_="back-link")
    assert back.get("href") == (url(lang, on_path[-1]) if on_path else f"/{lang}/")

    form = doc.one("form")
    assert form.get("method") == "post" and form.get("action") == url(lang, node)
    submits = [b for b in form.find_all("button") if b.get("type") == "submit"]
    primary = [b for b in submits if "name" not in b.attrs]
    assert len(primary) == 1
    if lang == "en":
        assert primary[0].text() == "Continue"

    radios = form.find_all("input", type="radio")
    dk_buttons = form.find_all("button", name="dont_know")
    if q.kind == "choice":
        assert [i.get("value") for i in radios] == [c.key for c in q.choices]
        for i in radios:
            assert i.get("name") == "answer" and i.get("id") == f"answer-{i.get('value')}"
            assert doc.one("label", for_=i.get("id")).text() == localize(
                {c.key: c for c in q.choices}[i.get("value")].label, lang)
        assert not dk_buttons
        assert (DK in [i.get("value") for i in radios]) == q.dont_know
    else:
        assert not radios
        assert len(dk_buttons) == 1 and dk_buttons[0].get("value") == "1"
    if q.kind == "date":
        order = ["day", "month", "year"] if lang == "fr" else ["month", "day", "year"]
        assert [i.get("id") for i in form.find_all("input", class_="input")] == \
            [f"date-{p}" for p in order]
        assert [i.get("name") for i in form.find_all("input", class_="input")] == order
    if node in ("purpose", "csq_held"):
        assert not q.dont_know and DK not in [i.get("value") for i in radios]
        if lang == "en":
            assert "I don’t know" not in doc.one("main").text()
    elif lang == "en" and node != "assessment_date":
        assert "I don’t know" in doc.one("main").text()
    if lang == "en" and node == "assessment_date":
        assert dk_buttons[0].text() == "Use today’s date"


def caption(doc: Node) -> str | None:
    found = doc.find("span", class_="caption")
    return found.text() if found else None


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("journey", list(JOURNEYS))
def test_each_question_says_its_number_on_the_path_walked_and_its_section(client, lang,
                                                                          journey):
    """"Question 4 – Your CSQ": the number is the question's place on the path walked so far,
    never "4 of 18" (a branch changes the total); the section is the question's."""
    number = 0
    for node, value in JOURNEYS[journey]:
        doc = parse(client.get(url(lang, node)))
        q = QUESTIONS[node]
        if node == "assessment_date":
            assert caption(doc) is None  # asked from the start page, off the path
        else:
            number += 1
            section = localize(q.section, lang)
            question = "Question" if lang == "en" else fr_or_en("Question %(number)s",
                                                                   number=number).split()[0]
            assert caption(doc) == f"{question} {number} – {section}", node
            legend_or_main = doc.find("legend") or doc.one("main")
            assert legend_or_main.find("span", class_="caption") is not None
            assert not re.search(r"\b(of|sur)\s+\d", caption(doc))
        answer(client, lang, node, value)


@pytest.mark.parametrize("lang", LANGS)
def test_the_number_follows_a_change_of_branch(client, lang):
    walk(client, lang, IN_CANADA, end=CHECK)
    doc = parse(client.get(url(lang, "passport_expiry")))
    assert caption(doc).split(" – ")[0].endswith(" 17")
    answer(client, lang, "residence", "outside_canada", change=True)
    doc = parse(client.get(url(lang, "passport_expiry", change=True)))
    assert caption(doc).split(" – ")[0].endswith(" 14")  # three in-Canada questions fewer


@pytest.mark.parametrize("lang", LANGS)
def test_save_your_answers_is_offered_on_every_question_once_something_is_answered(client,
                                                                                  lang):
    doc = parse(client.get(url(lang, "purpose")))
    assert doc.find("p", class_="save-answers") is None  # nothing to save yet
    for node, value in IN_CANADA:
        answer(client, lang, node, value)
        nxt = [n for n, _ in IN_CANADA[IN_CANADA.index((node, value)) + 1:]][:1]
        doc = parse(client.get(url(lang, nxt[0] if nxt else "purpose")))
        link = doc.one("p", class_="save-answers").one("a")
        assert link.get("href") == ANSWERS_PATH[lang] and "download" in link.attrs
        assert link.parent.parent.tag == "main" and not doc.one("form").find(
            "a", href=ANSWERS_PATH[lang])  # a link beside the form, not a button of it
        if lang == "en":
            assert link.text() == "Save your answers (JSON file)"
    r = client.get(ANSWERS_PATH[lang])
    assert r.status_code == 200 and json.loads(r.get_data(as_text=True))["passport_expiry"]


def test_questions_off_the_current_path_redirect_to_the_next_one(client):
    walk(client, "en", [("purpose", "initial")])
    for node in ("passport_expiry", "current_permit_code", "status_in_canada", "csq_held"):
        r = client.get(url("en", node))
        assert r.status_code == 302 and r.headers["Location"] == url("en", "residence"), node
    r = client.post(url("en", "channel"), data={"answer": "online"})
    assert r.status_code == 302 and r.headers["Location"] == url("en", "residence")
    assert client.get(url("en", "check")).headers["Location"] == url("en", "residence")
    assert client.get(url("en", "result")).headers["Location"] == url("en", "residence")


@pytest.mark.parametrize("lang", LANGS)
def test_start_page(client, lang):
    r = client.get(f"/{lang}/")
    assert r.status_code == 200
    doc = parse(r)
    assert_common(doc, lang, toggle="/fr/" if lang == "en" else "/en/")
    assert not doc.find_all("a", class_="back-link")
    links = [a.get("href") for a in doc.find_all("a")]
    assert url(lang, "purpose") in links and url(lang, "assessment_date") in links


@pytest.mark.parametrize("lang", LANGS)
def test_start_page_once_started_continues_where_you_left_off(client, lang):
    walk(client, lang, IN_CANADA[:3])
    doc = parse(client.get(f"/{lang}/"))
    assert_common(doc, lang)
    links = [a.get("href") for a in doc.find_all("a", class_="button")]
    assert url(lang, IN_CANADA[3][0]) in links
    restart = doc.one("form", action=f"/{lang}/restart")
    r = client.post(restart.get("action"))
    assert r.status_code == 302 and r.headers["Location"] == f"/{lang}/"
    assert client.get(url(lang, "status_in_canada")).headers["Location"] == url(lang, "expired")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("journey", ["in_canada", "extension", "family", "family_together"])
def test_check_page(client, lang, journey):
    steps = JOURNEYS[journey]
    walk(client, lang, steps, end=CHECK)
    r = client.get(url(lang, "check"))
    assert r.status_code == 200
    doc = parse(r)
    other = "fr" if lang == "en" else "en"
    assert_common(doc, lang, toggle=url(other, "check"))
    assert doc.one("a", class_="back-link").get("href") == url(lang, steps[-1][0])
    rows = doc.find_all("div", class_="summary-row")
    questions = [n for n, _ in steps if n != "assessment_date"]
    assert len(rows) == 1 + len(questions)  # the assessment date, then one row a question
    changes = [row.one("a").get("href") for row in rows]
    assert changes == [url(lang, "assessment_date", change=True)] + \
        [url(lang, n, change=True) for n in questions]
    for href in changes:
        assert parse_qs(urlsplit(href).query) == {"change": ["1"]}
    labels = [row.one("dt").text() for row in rows[1:]]
    assert labels == [localize(QUESTIONS[n].short, lang) for n in questions]
    assert url(lang, "result") in [a.get("href") for a in doc.find_all("a")]


@pytest.mark.parametrize("lang", LANGS)
def test_result_page_structure(client, lang):
    walk(client, lang, OUTSIDE, end=CHECK)
    r = client.get(url(lang, "result"))
    assert r.status_code == 200
    doc = parse(r)
    other = "fr" if lang == "en" else "en"
    assert_common(doc, lang, toggle=url(other, "result"))
    assert doc.one("a", class_="back-link").get("href") == url(lang, "check")
    assert doc.one("h1").parent.classes == {"verdict", "verdict-eligible"}


@pytest.mark.parametrize("lang", LANGS)
def test_start_again_page(client, lang):
    r = client.get(url(lang, "expired"))
    assert r.status_code == 200
    doc = parse(r)
    other = "fr" if lang == "en" else "en"
    assert_common(doc, lang, toggle=url(other, "expired"))
    assert f"/{lang}/" in [a.get("href") for a in doc.one("main").find_all("a")]


# ------------------------------------------------------------------ errors

def assert_error_page(r, lang: str) -> tuple[Node, list[str]]:
    """A page with errors: 400, an error summary whose links lead to fields on the page, and each
    message again beside the field. Returns the page and the messages."""
    assert r.status_code == 400
    doc = parse(r)
    assert_common(doc, lang)
    summary = doc.one("div", class_="error-summary")
    assert summary.get("role") == "alert"
    main = doc.one("main").elements
    assert summary.parent.tag == "main" and main.index(summary) < main.index(doc.one("form"))
    links = summary.find_all("a")
    assert links
    beside = doc.one("p", class_="error-message").text()
    messages = []
    for a in links:
        href = a.get("href")
        assert href.startswith("#")
        target = doc.by_id(href[1:])
        assert target is not None and target.tag == "input", f"error link {href} leads nowhere"
        messages.append(a.text())
        assert a.text() in beside
    return doc, messages


@pytest.mark.parametrize("lang", LANGS)
def test_empty_choice(client, lang):
    r = client.post(url(lang, "purpose"), data={})
    doc, messages = assert_error_page(r, lang)
    assert doc.one("div", class_="error-summary").one("a").get("href") == "#answer-initial"
    assert checked_radio(doc) is None
    field = doc.one("div", class_="field")
    assert "field-has-error" in field.classes
    if lang == "en":
        assert title(doc).startswith("Error:")
        assert messages == ["What you are checking: select one option."]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("node", ["purpose", "csq_held"])
def test_dont_know_is_refused_where_it_is_not_offered(client, lang, node):
    walk(client, lang, route_to(node))
    r = client.post(url(lang, node), data={"answer": DK})
    assert_error_page(r, lang)  # the summary's link must lead to the first radio


@pytest.mark.parametrize("lang", LANGS)
def test_unknown_choice_is_an_error(client, lang):
    r = client.post(url(lang, "purpose"), data={"answer": "bogus"})
    assert_error_page(r, lang)


DATE_ERRORS = [
    # (posted, field ids in error, words of the English message, values kept)
    ({"day": "", "month": "4", "year": "2033"}, ["date-day"], "enter the day",
     {"month": "4", "year": "2033"}),
    ({"day": "12", "month": "", "year": ""}, ["date-month", "date-year"], "enter the month",
     {"day": "12"}),
    ({"day": "31", "month": "2", "year": "2025"}, ["date-day"], "not a real date", None),
    ({"day": "1", "month": "13", "year": "2025"}, ["date-month"], "between 1 and 12", None),
    ({"day": "32", "month": "13", "year": "2025"}, ["date-day", "date-month"],
     "between 1 and", None),
    ({"day": "0", "month": "mars", "year": "25"}, ["date-day", "date-year"], "between 1 and 31",
     None),
    ({"day": "1", "month": "Smarch", "year": "2025"}, ["date-month"], "number or its name",
     None),
    ({"day": "", "month": "ju", "year": "x"}, ["date-day", "date-month", "date-year"], "enter",
     None),
    ({"day": "1", "month": "2", "year": "25"}, ["date-year"], "4 digits", None),
    ({"day": "ab", "month": "2", "year": "2025"}, ["date-day"], "must be a number", None),
    ({"day": "1", "month": "2", "year": "20x5"}, ["date-year"], "must be a number", None),
    ({"day": "1", "month": "2", "year": "1800"}, ["date-year"], "between 1900 and 2199", None),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("posted, ids, words, kept", DATE_ERRORS)
def test_date_errors(client, lang, posted, ids, words, kept):
    walk(client, lang, route_to("passport_expiry"))
    r = client.post(url(lang, "passport_expiry"), data=posted)
    doc, messages = assert_error_page(r, lang)
    hrefs = [a.get("href") for a in doc.one("div", class_="error-summary").find_all("a")]
    order = ["date-" + p for p in (("day", "month", "year") if lang == "fr"
                                   else ("month", "day", "year"))]
    assert hrefs == ["#" + i for i in sorted(ids, key=order.index)]  # all at once, page order
    for i in set(order) - set(ids):
        assert "aria-invalid" not in doc.one("input", id=i).attrs
    for i in ids:
        assert doc.one("input", id=i).get("aria-invalid") == "true"
    assert date_inputs(doc) == {p: posted[p] for p in ("day", "month", "year")}
    if kept:
        assert all(date_inputs(doc)[k] == v for k, v in kept.items())
    if lang == "en":
        assert any(words in m for m in messages), messages
        assert all(m.startswith("Passport expires on: ") for m in messages)


MONTHS_TYPED = [  # as people type them (GOV.UK date input): names, abbreviations, both languages
    ("January", 1), ("Jan", 1), ("jan.", 1), ("janvier", 1), ("JANV", 1), ("Janv.", 1),
    ("févr.", 2), ("fevrier", 2), ("Feb", 2), ("mars", 3), ("MAR", 3), ("avril", 4),
    ("April", 4), ("mai", 5), ("May", 5), ("juin", 6), ("June", 6), ("juil.", 7),
    ("juill.", 7), ("July", 7), ("août", 8), ("aout", 8), ("Aug.", 8), ("Sept", 9),
    ("sept.", 9), ("September", 9), ("oct", 10), ("novembre", 11), ("décembre", 12),
    ("déc", 12), ("DEC.", 12), (" Decem ", 12), ("4", 4), ("04", 4),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("typed, month", MONTHS_TYPED)
def test_a_month_may_be_typed_as_a_name(client, lang, typed, month):
    walk(client, lang, route_to("passport_expiry"))
    r = client.post(url(lang, "passport_expiry"), data={"day": "9", "month": typed,
                                                        "year": "2031"})
    assert r.status_code == 302, parse(r).one("div", class_="error-summary").text()
    doc = parse(client.get(url(lang, "passport_expiry")))
    assert date_inputs(doc) == {"day": "9", "month": str(month), "year": "2031"}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("typed, day", [("1er", 1), ("1ER", 1), ("1re", 1), ("1st", 1),
                                        ("2nd", 2), ("3rd", 3), ("30th", 30), ("21st.", 21),
                                        ("9 th", 9)])
def test_a_day_may_be_typed_as_an_ordinal(client, lang, typed, day):
    """A newcomer's walk: French users write « 1er », English users "1st"; both were refused."""
    walk(client, lang, route_to("passport_expiry"))
    r = client.post(url(lang, "passport_expiry"), data={"day": typed, "month": "3",
                                                        "year": "2031"})
    assert r.status_code == 302, parse(r).one("div", class_="error-summary").text()
    doc = parse(client.get(url(lang, "passport_expiry")))
    assert date_inputs(doc) == {"day": str(day), "month": "3", "year": "2031"}


@pytest.mark.parametrize("typed", ["1err", "st", "1 2", "32nd", "0th", "1e3"])
def test_a_day_that_is_no_day_is_an_error_kept_as_typed(client, typed):
    walk(client, "en", route_to("passport_expiry"))
    r = client.post(url("en", "passport_expiry"), data={"day": typed, "month": "3",
                                                        "year": "2031"})
    doc, _messages = assert_error_page(r, "en")
    assert doc.one("input", id="date-day").get("value") == typed
    assert doc.one("input", id="date-day").get("aria-invalid") == "true"


@pytest.mark.parametrize("typed", ["ju", "jui", "ma", "Smarch", "13", "0", "1.5", "²"])
def test_a_month_that_fits_no_month_or_more_than_one_is_an_error(client, typed):
    walk(client, "en", route_to("passport_expiry"))
    r = client.post(url("en", "passport_expiry"), data={"day": "9", "month": typed,
                                                        "year": "2031"})
    doc, _messages = assert_error_page(r, "en")
    assert doc.one("input", id="date-month").get("value") == typed  # kept whole
    assert doc.one("input", id="date-month").get("aria-invalid") == "true"


@pytest.mark.parametrize("lang", LANGS)
def test_date_inputs_do_not_cut_what_is_typed(client, lang):
    """No maxlength (`maxlength=2` cut "mars" to "ma"): the width comes from `size`; the day
    and the year bring up a numeric keypad, the month (a name or a number) does not."""
    walk(client, lang, route_to("passport_expiry"))
    doc = parse(client.get(url(lang, "passport_expiry")))
    inputs = {p: doc.one("input", id=f"date-{p}") for p in ("day", "month", "year")}
    assert not [i for i in doc.find_all("input") if "maxlength" in i.attrs and
                i.get("id", "").startswith("date-")]
    assert {p: i.get("size") for p, i in inputs.items()} == {"day": "2", "month": "6",
                                                             "year": "4"}
    assert inputs["day"].get("inputmode") == inputs["year"].get("inputmode") == "numeric"
    assert "inputmode" not in inputs["month"].attrs


@pytest.mark.parametrize("lang", LANGS)
def test_the_error_summary_comes_first_in_the_main_content(client, lang):
    walk(client, lang, route_to("passport_expiry"))
    doc = parse(client.post(url(lang, "passport_expiry"),
                            data={"day": "32", "month": "13", "year": "2025"}))
    main = doc.one("main")
    assert main.elements[0].get("class") == "error-summary"
    assert main.elements[0].get("tabindex") == "-1"  # focusable by error-summary.js
    assert doc.one("a", class_="skip-link").get("href") == "#main"
    script = (Path(__file__).resolve().parent.parent / "static" / "error-summary.js")
    assert ".focus()" in script.read_text()
    # and a page without errors loads no such script
    doc = parse(client.get(url(lang, "passport_expiry")))
    assert [s.get("src") for s in doc.find_all("script")] == ["/static/copy.js"]


@pytest.mark.parametrize("lang", LANGS)
def test_empty_date_points_at_the_first_input(client, lang):
    walk(client, lang, route_to("passport_expiry"))
    r = client.post(url(lang, "passport_expiry"), data={"day": "", "month": "", "year": ""})
    doc, messages = assert_error_page(r, lang)
    first = "date-day" if lang == "fr" else "date-month"
    assert doc.one("div", class_="error-summary").one("a").get("href") == "#" + first
    assert doc.find_all("input", class_="input")[0].get("id") == first


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("part", ["day", "month", "year"])
def test_non_ascii_digits_are_an_error_not_a_crash(client, lang, part):
    walk(client, lang, route_to("passport_expiry"))
    posted = {"day": "1", "month": "2", "year": "2030", part: "²" if part != "year" else "²⁰³⁰"}
    r = client.post(url(lang, "passport_expiry"), data=posted)
    assert_error_page(r, lang)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("code", ["A 7", "A", "", "A76-XYZ", "ÀÉ7"])
def test_code_errors(client, lang, code):
    walk(client, lang, route_to("current_permit_code"))
    r = client.post(url(lang, "current_permit_code"), data={"code": code})
    doc, messages = assert_error_page(r, lang)
    assert doc.one("div", class_="error-summary").one("a").get("href") == "#code"
    assert doc.one("input", id="code").get("value") == code
    if lang == "en":
        assert messages == ["Code on your current permit: enter the code as printed, such as "
                            "A76 (2 to 6 letters or digits)."]


def test_code_is_stored_in_capitals(client):
    walk(client, "en", route_to("current_permit_code") + [("current_permit_code", " a76 ")])
    doc = parse(client.get(url("en", "current_permit_code")))
    assert doc.one("input", id="code").get("value") == "A76"


# ------------------------------------------------------------------ state: back, change, language

@pytest.mark.parametrize("journey", list(JOURNEYS))
def test_back_links_follow_the_path(client, journey):
    steps = JOURNEYS[journey]
    walk(client, "en", steps, end=CHECK)
    on_path = [n for n, _ in steps if n != "assessment_date"]
    for i, node in enumerate(on_path):
        back = parse(client.get(url("en", node))).one("a", class_="back-link").get("href")
        assert back == (url("en", on_path[i - 1]) if i else "/en/"), node


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("journey", list(JOURNEYS))
def test_answers_are_kept_when_going_back_and_across_languages(client, lang, journey):
    steps = JOURNEYS[journey]
    walk(client, "en", steps, end=CHECK)  # answered in English, read back in `lang`
    for node, value in steps:
        doc = parse(client.get(url(lang, node)))
        kind = QUESTIONS[node].kind
        if kind == "choice":
            assert checked_radio(doc) == value, node
        elif kind == "date":
            expected = {"day": "", "month": "", "year": ""}
            if value != DK:
                y, m, d = value.split("-")
                expected = {"day": str(int(d)), "month": str(int(m)), "year": y}
            assert date_inputs(doc) == expected, node
        else:
            assert doc.one("input", id="code").get("value") == ("" if value == DK else value)


def test_language_switch_keeps_answers(client):
    walk(client, "en", [("purpose", "initial"), ("residence", "outside_canada")])
    doc = parse(client.get("/fr/lieu-de-residence"))
    assert checked_radio(doc) == "outside_canada"
    assert doc.one("a", class_="lang-toggle").get("href") == "/en/where-you-live"
    # and going on in French continues the same journey
    r = answer(client, "fr", "intends_to_live_and_work_in_quebec", "yes")
    assert r.headers["Location"] == "/fr/csq"


@pytest.mark.parametrize("lang", LANGS)
def test_change_link_returns_to_check_when_the_branch_does_not_change(client, lang):
    walk(client, lang, OUTSIDE, end=CHECK)
    r = client.get(url(lang, "channel", change=True))
    doc = parse(r)
    assert checked_radio(doc) == "online"
    assert doc.one("a", class_="back-link").get("href") == url(lang, "check")
    assert doc.one("form").get("action") == url(lang, "channel", change=True)
    other = "fr" if lang == "en" else "en"
    assert doc.one("a", class_="lang-toggle").get("href") == url(other, "channel", change=True)
    r = answer(client, lang, "channel", "paper", change=True)
    assert r.headers["Location"] == url(lang, "check")
    doc = parse(client.get(url(lang, "check")))
    row = [row for row in doc.find_all("div", class_="summary-row")
           if row.one("a").get("href") == url(lang, "channel", change=True)][0]
    assert row.find("dd").text() == localize(QUESTIONS["channel"].choices[1].label, lang)
    # a date changed from the check page also comes back to it
    r = answer(client, lang, "passport_expiry", "2034-05-01", change=True)
    assert r.headers["Location"] == url(lang, "check")
    r = answer(client, lang, "assessment_date", "2024-11-20", change=True)
    assert r.headers["Location"] == url(lang, "check")


@pytest.mark.parametrize("lang", LANGS)
def test_changing_residence_leads_through_the_new_questions_then_back_to_check(client, lang):
    walk(client, lang, OUTSIDE, end=CHECK)
    r = answer(client, lang, "residence", "canada_outside_quebec", change=True)
    assert r.headers["Location"] == url(lang, "status_in_canada", change=True)
    doc = parse(client.get(r.headers["Location"]))
    # not the check page, which would only send them back here: the answer that changed
    assert doc.one("a", class_="back-link").get("href") == url(lang, "residence", change=True)
    r = answer(client, lang, "status_in_canada", "valid", change=True)
    assert r.headers["Location"] == url(lang, "holds_r206_permit", change=True)
    r = answer(client, lang, "holds_r206_permit", "no", change=True)
    assert r.headers["Location"] == url(lang, "can_apply_from_inside_canada", change=True)
    r = answer(client, lang, "can_apply_from_inside_canada", "yes", change=True)
    assert r.headers["Location"] == url(lang, "check")
    doc = parse(client.get(url(lang, "check")))
    changes = [row.one("a").get("href") for row in doc.find_all("div", class_="summary-row")]
    for node in ("status_in_canada", "holds_r206_permit", "can_apply_from_inside_canada"):
        assert url(lang, node, change=True) in changes
    data = json.loads(client.get(ANSWERS_PATH[lang]).get_data(as_text=True))
    assert data["status_in_canada"] == "valid"

    # back outside Canada: the in-Canada answers are kept but no longer count...
    r = answer(client, lang, "residence", "outside_canada", change=True)
    assert r.headers["Location"] == url(lang, "check")
    doc = parse(client.get(url(lang, "check")))
    changes = [row.one("a").get("href") for row in doc.find_all("div", class_="summary-row")]
    assert url(lang, "status_in_canada", change=True) not in changes
    data = json.loads(client.get(ANSWERS_PATH[lang]).get_data(as_text=True))
    assert "status_in_canada" not in data and "holds_r206_permit" not in data
    assert client.get(url(lang, "status_in_canada")).status_code == 302
    # ...and return, already answered, when the user goes back to Canada
    r = answer(client, lang, "residence", "canada_outside_quebec", change=True)
    assert r.headers["Location"] == url(lang, "check")
    data = json.loads(client.get(ANSWERS_PATH[lang]).get_data(as_text=True))
    assert data["status_in_canada"] == "valid" and data["holds_r206_permit"] is False


def test_switching_purpose_and_back_restores_the_applicants_own_residence(client):
    walk(client, "en", IN_CANADA, end=CHECK)
    # the family member lives outside Canada, and has their own passport
    walk(client, "en", FAMILY_TOGETHER, end=CHECK)
    data = json.loads(client.get("/en/answers.json").get_data(as_text=True))
    assert data["residence"] == "outside_canada" and data["passport_expiry"] == "2031-03-15"
    assert "status_in_canada" not in data and "holds_r206_permit" not in data
    r = answer(client, "en", "purpose", "initial", change=True)
    assert r.headers["Location"] == url("en", "check")
    data = json.loads(client.get("/en/answers.json").get_data(as_text=True))
    assert data["residence"] == "canada_outside_quebec"
    assert data["status_in_canada"] == "valid" and data["passport_expiry"] == "2029-02-28"
    r = answer(client, "en", "purpose", "family", change=True)
    assert r.headers["Location"] == url("en", "check")
    data = json.loads(client.get("/en/answers.json").get_data(as_text=True))
    assert data["residence"] == "outside_canada" and data["passport_expiry"] == "2031-03-15"


def _session(client) -> dict:
    with client.session_transaction() as s:
        return copy.deepcopy(dict(s))


def _restore(client, saved: dict) -> None:
    with client.session_transaction() as s:
        s.clear()
        s.update(copy.deepcopy(saved))


def follow_back(client, page: str, seen: set[str] | None = None) -> str:
    """GET `page` (200, no redirect), follow its Back link: it must lead somewhere new, that
    renders itself (200, no redirect back). Returns the Back link's address."""
    r = client.get(page)
    assert r.status_code == 200, (page, r.status_code, r.headers.get("Location"))
    back = parse(r).one("a", class_="back-link").get("href")
    assert urlsplit(back).path != urlsplit(page).path, f"Back from {page} leads to itself"
    if seen is not None:
        assert back not in seen, f"Back from {page} goes round in a loop: {back}"
        seen.add(back)
    landed = client.get(back)
    assert landed.status_code == 200, (
        f"Back from {page} leads to {back}, which redirects to {landed.headers.get('Location')}")
    return back


def back_chain(client, page: str, lang: str) -> list[str]:
    """Follow Back from `page` until the check page or the start page: every step a page of
    its own, none visited twice."""
    seen, chain = {page}, [page]
    while urlsplit(page).path not in (url(lang, "check"), f"/{lang}/"):
        page = follow_back(client, page, seen)
        chain.append(page)
    return chain


@pytest.mark.parametrize("journey", list(JOURNEYS))
def test_back_never_leads_to_a_page_that_redirects_back_in_normal_mode(client, journey):
    lang = "fr" if journey == "family" else "en"
    steps = JOURNEYS[journey]
    for i, (node, value) in enumerate(steps):  # each question as it comes, path half walked
        back_chain(client, url(lang, node), lang)
        answer(client, lang, node, value)
    for node, _value in steps:  # and every question once the path is complete
        follow_back(client, url(lang, node))
    follow_back(client, url(lang, "check"))


@pytest.mark.parametrize("journey", list(JOURNEYS))
def test_back_and_change_never_lead_to_a_page_that_redirects_back_in_change_mode(client,
                                                                                  journey):
    """Every Change link of the check page, and every other answer to every choice question
    given through Change (a change of branch included): the page it leads to, and each Back
    link from there until the check or start page, render themselves."""
    lang = "en" if journey != "family_together" else "fr"
    walk(client, lang, JOURNEYS[journey], end=CHECK)
    complete = _session(client)
    doc = parse(client.get(url(lang, "check")))
    for change in [row.one("a").get("href") for row in doc.find_all("div", class_="summary-row")]:
        assert follow_back(client, change) == url(lang, "check")
    for node, given in JOURNEYS[journey]:
        q = QUESTIONS[node]
        for c in q.choices if q.kind == "choice" else ():
            if c.key == given:
                continue
            _restore(client, complete)
            r = answer(client, lang, node, c.key, change=True)
            assert r.status_code == 302, (node, c.key)
            landed = r.headers["Location"]
            assert urlsplit(landed).path != url(lang, node), (node, c.key)
            if landed == url(lang, "check"):
                assert client.get(landed).status_code == 200
                continue
            assert landed.endswith("?change=1"), (node, c.key, landed)
            chain = back_chain(client, landed, lang)
            assert url(lang, node, change=True) in chain, (node, c.key, chain)


@pytest.mark.parametrize("lang", LANGS)
def test_a_change_of_branch_can_be_undone(client, lang):
    """Check your answers → Change "What you are checking" → Extension → Continue → Back: the
    question changed, still changing, with Extension chosen; choosing the first permit again
    restores every answer given on it."""
    walk(client, lang, OUTSIDE, end=CHECK)
    before = parse(client.get(url(lang, "check"))).one("dl", class_="summary-list").text()
    saved = client.get(ANSWERS_PATH[lang]).get_data(as_text=True)
    r = answer(client, lang, "purpose", "extension", change=True)
    assert r.headers["Location"] == url(lang, "current_permit_code", change=True)
    back = follow_back(client, r.headers["Location"])
    assert back == url(lang, "purpose", change=True)
    doc = parse(client.get(back))
    assert checked_radio(doc) == "extension"
    r = answer(client, lang, "purpose", "initial", change=True)
    assert r.headers["Location"] == url(lang, "check")
    after = parse(client.get(url(lang, "check"))).one("dl", class_="summary-list").text()
    assert after == before
    assert client.get(ANSWERS_PATH[lang]).get_data(as_text=True) == saved


def test_the_family_member_in_canada_is_asked_their_own_status_in_their_own_words(client):
    walk(client, "en", FAMILY[:9])
    assert FAMILY[8] == ("family_residence", "quebec")  # Quebec included
    doc = parse(client.get(url("en", "family_status_in_canada")))
    assert doc.one("h1").text() == \
        "What is the family member’s temporary resident status in Canada?"
    labels = [doc.one("label", for_=f"answer-{k}").text() for k in ("valid", "none")]
    assert labels == ["Their status is valid", "They have no status and cannot restore it"]
    r = answer(client, "en", "family_status_in_canada", "none")  # not eligible: ends early
    assert r.headers["Location"] == url("en", "check")
    data = json.loads(client.get("/en/answers.json").get_data(as_text=True))
    assert data["status_in_canada"] == "none" and data["residence"] == "quebec"


@pytest.mark.parametrize("lang", LANGS)
def test_the_family_passport_question_is_the_family_members(client, lang):
    walk(client, lang, FAMILY_TOGETHER[:-1])
    doc = parse(client.get(url(lang, "family_passport_expiry")))
    text = doc.one("main").text()
    if lang == "en":
        assert doc.one("h1").text() == "When does the family member’s passport expire?"
        assert "your passport" not in text.lower()
    else:
        assert "votre passeport" not in text.lower()


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_residence_asks_the_r206_permit_then_the_intent(client, lang):
    walk(client, lang, [("purpose", "initial"), ("residence", DK), ("holds_r206_permit", "no")],
         end="intends_to_live_and_work_in_quebec")


def test_the_acknowledgment_is_asked_only_of_an_extension_with_a_pr_application(client):
    walk(client, "en", EXTENSION[:3] + [("pr_submitted", "no")], end="passport_expiry")
    walk(client, "en", [("pr_submitted", "yes"), ("pr_status", DK)], end="pr_aor_received")


# ------------------------------------------------------------------ sessions and errors

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", ["check", "result", "passport_expiry", "csq_issued",
                                  "answers.json"])
def test_empty_session_goes_to_start_again(client, lang, page):
    target = ANSWERS_PATH[lang] if page == "answers.json" else url(lang, page)
    r = client.get(target)
    assert r.status_code == 302
    assert r.headers["Location"] == f"/{lang}/" + {"en": "start-again", "fr": "recommencer"}[lang]
    r = client.get(r.headers["Location"])
    assert r.status_code == 200
    doc = parse(r)
    assert_common(doc, lang)
    assert doc.one("main").find("a", href=f"/{lang}/") is not None


@pytest.mark.parametrize("cookie", ["garbage", "eyJhIjp7fX0.ZZZZZZ.not-a-signature", "",
                                    ".eJwLz0jPTy3RUSrILypRBAAaJQRj.aaaa.bbbb"])
@pytest.mark.parametrize("page", ["check", "result", "passport_expiry"])
def test_tampered_session_cookie_goes_to_start_again(client, cookie, page):
    client.set_cookie("impplus", cookie)
    r = client.get(url("en", page))
    assert r.status_code == 302 and r.headers["Location"] == "/en/start-again"
    assert client.get("/en/start-again").status_code == 200
    assert client.get(url("en", "purpose")).status_code == 200
    assert client.get("/en/").status_code == 200


def test_a_forged_cookie_of_a_real_journey_does_not_count(client, app):
    walk(client, "en", OUTSIDE, end=CHECK)
    real = client.get_cookie("impplus").value
    client.set_cookie("impplus", real[:-3] + ("AAA" if not real.endswith("AAA") else "BBB"))
    assert client.get(url("en", "result")).headers["Location"] == "/en/start-again"


@pytest.mark.parametrize("content", [
    {"a": "not a dict", "done": ["purpose"]},
    {"a": {}, "done": "purpose"},
    {"a": {"purpose": "initial"}, "done": ["purpose", "not_a_question"]},
    {"a": {"purpose": "initial", "csq": "not a dict"}, "done": ["purpose", "csq_held"]},
])
def test_odd_session_content_never_crashes(client, content):
    with client.session_transaction() as s:
        s.update(content)
    for page in ("check", "result", "passport_expiry", "csq_held", "purpose"):
        assert client.get(url("en", page)).status_code in (200, 302), page
    assert client.get("/en/answers.json").status_code in (200, 302)


@pytest.mark.parametrize("lang", LANGS)
def test_post_without_csrf_token_shows_start_again(lang):
    from webapp import create_app

    app = create_app("development")
    client = app.test_client()
    r = client.post(url(lang, "purpose"), data={"answer": "initial"})
    assert r.status_code == 400
    doc = parse(r)
    assert_common(doc, lang)
    assert doc.one("main").find("a", href=f"/{lang}/") is not None
    assert doc.one("h1").text() == parse(client.get(url(lang, "expired"))).one("h1").text()
    r = client.post(f"/{lang}/restart")
    assert r.status_code == 400 and parse(r).one("html").get("lang") == lang
    # with the token from the page, the same answer goes through
    token = parse(client.get(url(lang, "purpose"))).one("input", name="csrf_token").get("value")
    r = client.post(url(lang, "purpose"), data={"answer": "initial", "csrf_token": token})
    assert r.status_code == 302 and r.headers["Location"] == url(lang, "residence")


@pytest.mark.parametrize("accept, expected", [
    ("fr-CA", "/fr/"), ("fr-CA,fr;q=0.9,en;q=0.8", "/fr/"), ("fr", "/fr/"),
    ("de", "/en/"), ("en-US", "/en/"), ("de-DE,fr;q=0.5", "/fr/"), (None, "/en/"),
])
def test_root_redirects_by_accept_language(client, accept, expected):
    r = client.get("/", headers={"Accept-Language": accept} if accept else {})
    assert r.status_code == 302 and r.headers["Location"] == expected


@pytest.mark.parametrize("path", ["/en/no-such-page", "/fr/no-such-page", "/fr/purpose",
                                  "/en/objet", "/fr/check-your-answers", "/de/", "/de/purpose",
                                  "/de/start-again", "/de/answers.json"])
def test_not_found(client, path):
    assert client.get(path).status_code == 404


# ------------------------------------------------------------------ the result

def cites(node: Node) -> list[str]:
    return [a.get("href") for a in node.find_all("a", class_="cite")]


@pytest.mark.parametrize("lang", LANGS)
def test_eligible_result_shows_the_exact_entries_and_cites_every_criterion(client, lang):
    walk(client, lang, OUTSIDE, end=CHECK)
    doc = parse(client.get(url(lang, "result")))
    assert doc.one("div", class_="verdict").classes == {"verdict", "verdict-eligible"}
    values = [c.text() for c in doc.find_all("code", class_="copy-value")]
    assert values == ["Open Work Permit", "CSQ holder outside Quebec \u2013 OWP",
                      "A76: International Mobility Program Plus"]
    assert all(c.get("lang") == "en" for c in doc.find_all("code", class_="copy-value"))
    criteria = doc.find_all("li", class_="criterion")
    assert len(criteria) == 11  # the eleven criteria of a first permit (v2: r206_permit)
    for c in criteria:
        status = c.one("span", class_="status")
        kind = [k for k in status.classes if k.startswith("status-")]
        assert kind and kind[0] in ("status-met", "status-not_met", "status-unknown",
                                    "status-not_applicable")
        assert f"criterion-{kind[0][7:]}" in c.classes
        assert status.text()
        source = c.one("p", class_="source")
        if lang == "en":
            assert source.text().startswith("Source:")
        links = cites(source)
        assert links and links[0].startswith(MANUAL), links
        assert all(h.startswith("https://www.canada.ca/") for h in links)
    statuses = {k for c in criteria for k in c.one("span", class_="status").classes}
    assert statuses <= {"status", "status-met", "status-not_applicable"}
    if lang == "en":
        assert {c.one("span", class_="status").text() for c in criteria} <= {
            "Met", "Does not apply"}
    assert not doc.find_all("div", class_="notice")  # no notice in 2024


@pytest.mark.parametrize("lang", LANGS)
def test_sources_in_a_list_are_separated_as_the_language_writes_them(client, lang):
    """French puts a non-breaking space before a semicolon, between sources too."""
    walk(client, lang, OUTSIDE, end=CHECK)
    doc = parse(client.get(url(lang, "result")))
    fees = [p for p in doc.find_all("p", class_="source") if len(cites(p)) > 1]
    assert fees, "the fees cite several sources"
    text = fees[-1].text()
    if lang == "fr":
        assert "\u00a0; " in text and not re.search(r"[^\u00a0]; ", text), text
    else:
        assert "; " in text and "\u00a0;" not in text, text


@pytest.mark.parametrize("lang", LANGS)
def test_the_sheet_says_box_1_is_chosen_from_a_list(client, lang):
    """The manual: Box 1, Select "Open Work Permit"; Box 4 entries are typed."""
    walk(client, lang, OUTSIDE, end=CHECK)
    doc = parse(client.get(url(lang, "result")))
    intro = doc.by_id("entries").parent.elements
    text = intro[intro.index(doc.by_id("entries")) + 1].text()
    assert {"en": "Box 1 is a list: choose the option shown.",
            "fr": "La case 1 est une liste\u00a0: choisissez l’option indiquée."}[lang] in text


@pytest.mark.parametrize("lang", LANGS)
def test_copy_button_words_come_from_the_catalogue(client, lang):
    """static/copy.js holds no words of its own: the page gives them, translated."""
    walk(client, lang, OUTSIDE, end=CHECK)
    doc = parse(client.get(url(lang, "result")))
    lists = doc.find_all("ul", class_="entries")
    assert lists
    want = {"en": ("Copy", "Copied", "Copy:", "Copied:"),
            "fr": ("Copier", "Copié", "Copier\u00a0:", "Copié\u00a0:")}[lang]
    for ul in lists:
        assert tuple(ul.get(a) for a in ("data-copy", "data-copied", "data-copy-named",
                                         "data-copied-named")) == want
    script = (Path(__file__).resolve().parent.parent / "static" / "copy.js").read_text()
    code = re.sub(r"//.*", "", script)
    assert not re.search(r"Cop(y|ied|ier|ié)\b", code), "a word left in copy.js"


@pytest.mark.parametrize("lang", LANGS)
def test_an_empty_assessment_date_names_the_button_of_its_page(client, lang):
    r = client.post(url(lang, "assessment_date"), data={"day": "", "month": "", "year": ""})
    doc, messages = assert_error_page(r, lang)
    button = {"en": "Use today’s date", "fr": "Utiliser la date d’aujourd’hui"}[lang]
    assert button in messages[0]
    assert button in [b.text() for b in doc.find_all("button")]
    other = {"en": "I don’t know", "fr": "Je ne sais pas"}[lang]
    assert other not in messages[0]


@pytest.mark.parametrize("lang", LANGS)
def test_not_eligible_today_says_the_invitations_stopped_once_in_the_summary(client, lang):
    """Without a letter, the summary gives the closure first; the "Important" box does not say
    it again (issue 17, item 1), nor does "Good to know"."""
    steps = [s for s in OUTSIDE if s[0] != "assessment_date"]
    steps = steps[:steps.index(("invitation_received", "yes"))] + [("invitation_received", "no")]
    walk(client, lang, steps, end=CHECK)
    doc = parse(client.get(url(lang, "result")))
    main = doc.one("main")
    assert doc.one("div", class_="verdict").classes == {"verdict", "verdict-not_eligible"}
    summary = doc.one("p", class_="verdict-summary").text()
    assert {"en": "MIFI has sent no letters of invitation since",
            "fr": "MIFI n’a envoyé aucune lettre d’invitation depuis"}[lang] in summary
    assert not doc.find_all("div", class_="notice-important")
    if lang == "en":
        assert "MIFI no longer sends letters of invitation" not in main.text()
    not_met = doc.find_all("li", class_="criterion-not_met")
    assert not_met and doc.find_all("li", class_="criterion")[0] is not_met[0]


@pytest.mark.parametrize("lang", LANGS)
def test_answers_download_is_what_the_api_assesses(client, lang):
    walk(client, lang, OUTSIDE, end=CHECK)
    r = client.get(ANSWERS_PATH[lang])
    assert r.status_code == 200
    assert r.mimetype == "application/json"
    assert r.headers["Content-Disposition"].startswith("attachment")
    assert "filename=" in r.headers["Content-Disposition"]
    data = json.loads(r.get_data(as_text=True))
    uuid.UUID(data.pop("file_id"))  # the wizard's new file gets its identifier (CONTRACT.md v2)
    assert data == BASES["outside"]
    api = client.post("/api/v1/assessments", json=data)
    assert api.status_code == 200
    assert api.get_json()["outcome"] == "eligible"
    verdict = parse(client.get(url(lang, "result"))).one("div", class_="verdict")
    assert f"verdict-{api.get_json()['outcome']}" in verdict.classes


@pytest.mark.parametrize("journey", ["in_canada", "extension", "family"])
def test_answers_download_matches_the_result_on_every_branch(client, journey):
    walk(client, "en", JOURNEYS[journey], end=CHECK)
    data = json.loads(client.get("/en/answers.json").get_data(as_text=True))
    assert data["format"] == "impplus-answers/1"
    assert data.get("assessment_date") == dict(JOURNEYS[journey]).get("assessment_date")
    api = client.post("/api/v1/assessments", json=data).get_json()
    verdict = parse(client.get(url("en", "result"))).one("div", class_="verdict")
    assert f"verdict-{api['outcome']}" in verdict.classes


def test_answers_download_leaves_out_answers_off_the_branch(client):
    walk(client, "en", IN_CANADA, end=CHECK)
    answer(client, "en", "residence", "outside_canada", change=True)
    data = json.loads(client.get("/en/answers.json").get_data(as_text=True))
    assert data["residence"] == "outside_canada"
    assert not {"status_in_canada", "holds_r206_permit", "can_apply_from_inside_canada"} & set(data)
    # I don't know is not written at all
    assert "received_on" not in data["invitation"]


# ------------------------------------------------------------------ French wording
#
# Everything below depends on the French catalogue (translations/fr/LC_MESSAGES/messages.mo).
# The expected French text is read from the compiled catalogue, so these tests check two things:
# that the page shows the catalogue's text, and that the catalogue has a French text at all. The
# latter fails with "MISSING FRENCH TRANSLATION" while the catalogue is still being filled.

def fr_catalogue() -> Translations:
    return Translations.load(str(translations_dir()), ["fr"], domain="messages")


def fr(msgid: str, **params) -> str:
    """The French text of `msgid`, which must be translated."""
    text = fr_catalogue().gettext(msgid)
    assert text != msgid, f"MISSING FRENCH TRANSLATION: {msgid!r}"
    return text % params if params else text


def fr_or_en(msgid: str, **params) -> str:
    """What the French page shows for `msgid` today, translated or not."""
    text = fr_catalogue().gettext(msgid)
    return text % params if params else text


def test_fr_error_title_starts_with_erreur(client):
    doc, _ = assert_error_page(client.post(url("fr", "purpose"), data={}), "fr")
    assert title(doc).startswith(fr_or_en("Error:"))
    assert title(doc).startswith("Erreur"), f"MISSING FRENCH TRANSLATION: 'Error:' ({title(doc)})"


def test_fr_empty_choice_message_is_french(client):
    _, messages = assert_error_page(client.post(url("fr", "purpose"), data={}), "fr")
    field = fr_or_en("What you are checking")
    assert messages == [fr_or_en("%(field)s: select one option.", field=field)]
    assert messages == [fr("%(field)s: select one option.", field=fr("What you are checking"))]


FR_DATE_ERRORS = [
    ({"day": "", "month": "4", "year": "2033"}, "%(field)s: enter the %(part)s.", "day"),
    ({"day": "31", "month": "2", "year": "2025"},
     "%(field)s: this is not a real date. Check the day and the month.", None),
    ({"day": "1", "month": "2", "year": "25"},
     "%(field)s: the year must have 4 digits, such as 2025.", None),
    ({"day": "ab", "month": "2", "year": "2025"}, "%(field)s: the %(part)s must be a number.",
     "day"),
    ({"day": "", "month": "", "year": ""}, "%(field)s: enter a date, or choose “I don’t know”.",
     None),
    ({"day": "1", "month": "2", "year": "1800"}, "%(field)s: enter a year between 1900 and 2199.",
     None),
]


@pytest.mark.parametrize("posted, msgid, part", FR_DATE_ERRORS)
def test_fr_date_error_messages_are_french(client, posted, msgid, part):
    walk(client, "fr", route_to("passport_expiry"))
    _, messages = assert_error_page(client.post(url("fr", "passport_expiry"), data=posted), "fr")
    params = {"field": fr_or_en("Passport expires on")}
    if part:
        params["part"] = fr_or_en(part)
    assert messages == [fr_or_en(msgid, **params)]  # the page shows the catalogue's text
    params = {"field": fr("Passport expires on")}
    if part:
        params["part"] = fr(part)
    assert messages == [fr(msgid, **params)]


def test_fr_code_error_message_is_french(client):
    walk(client, "fr", route_to("current_permit_code"))
    _, messages = assert_error_page(client.post(url("fr", "current_permit_code"),
                                                data={"code": "A 7"}), "fr")
    msgid = "%(field)s: enter the code as printed, such as A76 (2 to 6 letters or digits)."
    assert messages == [fr_or_en(msgid, field=fr_or_en("Code on your current permit"))]
    assert messages == [fr(msgid, field=fr("Code on your current permit"))]


def test_fr_buttons_and_links_are_french(client):
    doc = parse(client.get(url("fr", "purpose")))
    assert doc.one("button").text() == fr("Continue")
    assert doc.one("a", class_="back-link").text() == fr("Back")
    assert doc.one("a", class_="skip-link").text() == fr("Skip to main content")
    walk(client, "fr", route_to("passport_expiry"))
    doc = parse(client.get(url("fr", "passport_expiry")))
    assert doc.one("button", name="dont_know").text() == fr("I don’t know")
    doc = parse(client.get(url("fr", "assessment_date")))
    assert doc.one("button", name="dont_know").text() == fr("Use today’s date")


@pytest.mark.parametrize("node", list(QUESTIONS))
def test_fr_question_pages_are_french(client, node):
    q = QUESTIONS[node]
    walk(client, "fr", route_to(node))
    doc = parse(client.get(url("fr", node)))
    assert doc.one("h1").text() == fr(q.title.msgid)
    if q.hint:
        fr(q.hint.msgid)  # translated; its placeholders filled the way the page fills them:
        assert doc.one("p", id="hint").text() == localize(q.hint, "fr")
    for c in q.choices:
        assert doc.one("label", for_=f"answer-{c.key}").text() == fr(c.label.msgid)
    main = doc.one("main").text()
    if node in ("purpose", "csq_held"):
        assert fr_or_en("I don’t know") not in main
        assert "I don’t know" not in main
    elif node != "assessment_date":
        assert fr("I don’t know") in main


def test_fr_start_again_page_is_french(client):
    doc = parse(client.get("/fr/recommencer"))
    assert doc.one("h1").text() == fr("Start again")
    assert doc.one("main").one("a", href="/fr/").text() == fr("Go to the start page")


def test_fr_result_is_french_but_the_entries_stay_in_english(client):
    walk(client, "fr", OUTSIDE, end=CHECK)
    doc = parse(client.get(url("fr", "result")))
    assert [c.text() for c in doc.find_all("code", class_="copy-value")] == [
        "Open Work Permit", "CSQ holder outside Quebec \u2013 OWP",
        "A76: International Mobility Program Plus"]
    assert doc.one("h1").text() == fr("You are eligible")
    labels = {"status-met": "Met", "status-not_applicable": "Does not apply"}
    for c in doc.find_all("li", class_="criterion"):
        status = c.one("span", class_="status")
        assert status.text() == fr(labels[(status.classes - {"status"}).pop()])
        assert c.one("p", class_="source").text().startswith(fr("Source:"))


# ------------------------------------------------------------------ v2: what the result shows

def _result_of(client, lang: str, answers: dict):
    r = client.post(f"/{lang}/resume", content_type="multipart/form-data", data={
        "answers_file": (io.BytesIO(json.dumps(answers).encode()), "mine.json")})
    assert r.status_code == 302 and r.headers["Location"] == url(lang, "check"), r.headers
    return parse(client.get(url(lang, "result")))


@pytest.mark.parametrize("lang", LANGS)
def test_an_expired_passport_is_said_beside_the_verdict(client, lang):
    """CONTRACT.md v2: the prominent warning `passport_expired` is shown beside the verdict."""
    doc = _result_of(client, lang, {**BASES["outside"], "passport_expiry": "2024-11-01"})
    kids = doc.one("main").elements
    assert "verdict" in kids[1].classes and "notice" in kids[2].classes
    assert {"en": "passport", "fr": "passeport"}[lang] in kids[2].text()
    facts = dict(zip((dt.text() for dt in doc.find_all("dt")),
                     (dd.text() for dd in doc.find_all("dd"))))
    expected = {"en": "beyond the validity of the passport",
                "fr": "au-delà de la validité du passeport"}[lang]
    assert expected in " ".join(facts.values())


@pytest.mark.parametrize("lang", LANGS)
def test_the_permit_conditions_and_the_file_label_are_shown(client, lang):
    doc = _result_of(client, lang, {**BASES["outside"], "label": "Client 0042"})
    conditions = doc.one("ul", class_="conditions").find_all("li")
    assert len(conditions) == 2 and all(cites(li) for li in conditions)
    facts = [dt.text() for dt in doc.find_all("dt")]
    assert facts[0] == {"en": "Your name for this file", "fr": "Votre nom pour ce dossier"}[lang]
    assert "Client 0042" in doc.one("dl", class_="facts").text()


@pytest.mark.parametrize("lang", LANGS)
def test_a_family_permit_says_when_it_ends_at_the_latest(client, lang):
    family = {**BASES["v2_family"]}
    family["principal"] = {**family["principal"], "applying_together": False}
    doc = _result_of(client, lang, family)
    text = doc.one("dl", class_="facts").text()
    assert {"en": "Ends no later than June 1, 2027",
            "fr": "Prend fin au plus tard le 1er\u00a0juin\u00a02027"}[lang] in text


@pytest.mark.parametrize("lang", LANGS)
def test_no_deadline_permit_or_code_for_someone_not_eligible(client, lang):
    doc = _result_of(client, lang, {**BASES["outside"], "assessment_date": "2025-06-01"})
    assert doc.one("div", class_="verdict").classes == {"verdict", "verdict-not_eligible"}
    labels = [dt.text() for dt in doc.find_all("dt")]
    for absent in ({"en": "Last day to submit", "fr": "Dernier jour"}, {
            "en": "Permit validity", "fr": "Validité"}, {"en": "Exemption code", "fr": "Code"}):
        assert not any(label.startswith(absent[lang]) for label in labels), labels
    assert not doc.find_all("ul", class_="conditions")


def test_fr_progress_save_link_and_month_messages_are_french(client):
    walk(client, "fr", route_to("csq_issued"))
    doc = parse(client.get(url("fr", "csq_issued")))
    assert caption(doc) == f"{fr_or_en('Question %(number)s', number=9)} – {fr('Your CSQ')}"
    assert caption(doc) == "Question 9 – Votre CSQ"  # living in Canada: 8 before it
    link = doc.one("p", class_="save-answers").one("a")
    assert link.text() == fr("Save your answers (JSON file)")
    _, messages = assert_error_page(client.post(url("fr", "csq_issued"), data={
        "day": "32", "month": "brumaire", "year": "2023"}), "fr")
    field = fr("CSQ issued on")
    assert messages == [
        fr("%(field)s: the day must be between 1 and 31.", field=field),
        fr("%(field)s: enter the month as a number or its name, such as 4 or April.",
           field=field)]
    assert "\u00a0:" in messages[0] and "avril" in messages[1]


# ------------------------------------------------------------------ issue 17: the result page

QUEBEC = [("purpose", "initial"), ("residence", "quebec")]
CLOSED_WINDOW = {k: v for k, v in BASES["outside"].items() if k != "assessment_date"}
NOT_ASKED = {"en": "Not asked: would not change the result",
             "fr": "Non demandé\u00a0: ne changerait pas le résultat"}
TELL_US = {"en": "Tell us", "fr": "Indiquez"}


def _criteria_titles(doc: Node) -> list[str]:
    return [h.text() for h in doc.find_all("h3", class_="criterion-title")]


@pytest.mark.parametrize("lang", LANGS)
def test_a_quebec_resident_sees_what_was_decided_and_the_criteria_not_asked_apart(client, lang):
    """Issue 17, item 1: the wizard stops after "In Quebec"; the criteria it did not ask are
    named under "Not asked: would not change the result", never with a "Tell us" reason."""
    walk(client, lang, QUEBEC, end=CHECK)
    doc = parse(client.get(url(lang, "result")))
    main = doc.one("main")
    assert TELL_US[lang] not in main.text()
    assert {li.get("class").split()[1] for li in doc.find_all("li", class_="criterion")} \
        == {"criterion-not_met", "criterion-met", "criterion-not_applicable"}
    assert doc.one("h3", id="not-asked").text() == NOT_ASKED[lang]
    not_asked = [li.text() for li in doc.one("ul", class_="not-asked").find_all("li")]
    assert {"en": "Your letter of invitation", "fr": "Votre lettre d’invitation"}[lang] \
        in not_asked
    assert len(not_asked) == 7, not_asked
    # the categories the manual names for Quebec residents, each with its source
    instead = doc.one("ul", class_="instead").elements
    hrefs = [h for li in instead for h in cites(li)]
    assert any("labour-market-impact-assessment-exempt" in h for h in hrefs)  # A73
    assert any("bridging-open-work-permits" in h for h in hrefs)  # A75


@pytest.mark.parametrize("lang", LANGS)
def test_every_criterion_is_named_and_no_two_read_alike(client, lang):
    """Issue 17, item 8: a short title per criterion, so two "Does not apply" differ."""
    walk(client, lang, QUEBEC, end=CHECK)
    titles = _criteria_titles(parse(client.get(url(lang, "result"))))
    assert len(set(titles)) == len(titles) == 4, titles
    assert {"en": "Where you live", "fr": "Lieu de résidence"}[lang] in titles[0]
    titles = _criteria_titles(_result_of(client, lang, BASES["outside"]))
    assert len(set(titles)) == len(titles) == 11, titles
    window = {"en": "The 90 days after your letter", "fr": "Les 90 jours suivant votre lettre"}
    assert any(t.startswith(window[lang]) for t in titles), titles


@pytest.mark.parametrize("lang", LANGS)
def test_a_closed_window_shows_the_open_doors_as_buttons(client, lang):
    """Issue 17, item 2: outside Canada, a letter whose 90 days ended, assessed today: the
    summary says why first, and what is still open can be started from the page: the extension
    and the family member's checks (the purpose question, answered), the permit check (its own
    start page), each with its source."""
    doc = _result_of(client, lang, CLOSED_WINDOW)
    assert doc.one("div", class_="verdict").classes == {"verdict", "verdict-not_eligible"}
    assert not doc.find_all("div", class_="notice-important")  # the summary says it already
    items = doc.one("ul", class_="instead").elements
    # each with its source, but our own suggestion to ask a representative, which says so
    assert all(cites(li) for li in items[:-1]) and len(items) == 4
    assert {"en": "Our suggestion", "fr": "Notre suggestion"}[lang] in items[-1].text()
    forms = doc.one("ul", class_="instead").find_all("form")
    assert [f.one("button").get("value") for f in forms] == ["extension", "family"]
    assert all(f.get("action") == url(lang, "purpose") for f in forms)
    assert all(f.find_all("input", name="csrf_token") for f in forms)
    links = [a for a in doc.one("ul", class_="instead").find_all("a", class_="button")]
    assert [a.text() for a in links] == [{"en": "Check a permit you already have",
                                          "fr": "Vérifier un permis que vous avez déjà"}[lang]]
    assert client.get(links[0].get("href")).status_code == 200
    # the extension's button starts that journey at its first question
    r = client.post(url(lang, "purpose"), data={"answer": "extension"})
    assert r.status_code == 302 and r.headers["Location"] == url(lang, "current_permit_code")


@pytest.mark.parametrize("lang", LANGS)
def test_one_our_suggestion_per_item(client, lang):
    """Issue 17, item 8: "Our suggestion" is said once per item, by its text, its source or its
    tag, never two of them."""
    word = {"en": "our suggestion", "fr": "notre suggestion"}[lang]
    for answers in (BASES["outside"], CLOSED_WINDOW,
                    {"format": "impplus-answers/1", "purpose": "extension",
                     "current_permit_code": "A76", "current_permit_expiry": "2027-09-01",
                     "pr_application": {"submitted": True, "status": "in_progress",
                                        "aor_received": True},
                     "passport_expiry": "2030-01-01", "assessment_date": "2027-01-01"}):
        doc = _result_of(client, lang, answers)
        items = [li for cls in ("entries", "checklist", "warnings", "instead", "reminders")
                 for ul in doc.find_all("ul", class_=cls) for li in ul.elements]
        assert items
        for li in items:
            assert li.text().casefold().count(word) <= 1, li.text()
        assert any(word in li.text().casefold() for li in items)


@pytest.mark.parametrize("lang", LANGS)
def test_a_print_button_shown_by_javascript_only(client, lang):
    """Issue 17, item 8: the Print button is in the page hidden; static/print.js shows it and
    calls window.print(); the print stylesheet spaces the lists."""
    walk(client, lang, OUTSIDE, end=CHECK)
    doc = parse(client.get(url(lang, "result")))
    button = doc.one("button", **{"data-print": True})
    assert "hidden" in button.attrs and button.get("type") == "button"
    assert button.text() == {"en": "Print this page", "fr": "Imprimer cette page"}[lang]
    assert [s.get("src") for s in doc.find_all("script")][-1] == "/static/print.js"
    root = Path(__file__).resolve().parent.parent
    script = (root / "static" / "print.js").read_text()
    assert "window.print()" in script and "hidden = false" in script
    css = (root / "static" / "style.css").read_text()
    screen, printed = css.split("@media print")[0], css.split("@media print")[1]
    for rules in (screen, printed):
        assert re.search(r"\.warnings li[^{]*\{[^}]*margin-bottom", rules)


@pytest.mark.parametrize("lang", LANGS)
def test_the_residence_question_asks_about_the_day_ircc_receives_it(client, lang):
    """Issue 17, item 8: the question and its hint name the same moment."""
    walk(client, lang, [("purpose", "initial")])
    doc = parse(client.get(url(lang, "residence")))
    question = doc.one("h1").text()
    hint = doc.one("p", class_="hint").text()
    moment = {"en": "when IRCC receives your application",
              "fr": "au moment où IRCC recevra votre demande"}[lang]
    assert moment in question
    assert {"en": "That day decides it", "fr": "C’est ce jour-là qui compte"}[lang] in hint
    assert {"en": "today?", "fr": "aujourd’hui\u00a0?"}[lang] not in question


@pytest.mark.parametrize("lang", LANGS)
def test_sources_only_in_english_are_marked_on_french_pages(client, lang):
    """Issue 17, item 8: in 2022 the cap's figure comes from the background article, which has
    no French version: on French pages its citation says « (en anglais) »; IRCC's bilingual
    pages (canada.ca) are not marked, and English pages mark nothing."""
    doc = _result_of(client, lang, {**BASES["outside"], "assessment_date": "2022-06-01"})
    marks = doc.find_all("span", class_="in-english")
    if lang == "en":
        assert not marks
        return
    assert marks and {m.text() for m in marks} == {"(en anglais)"}
    marked = [li for li in doc.find_all("li") if li.find_all("span", class_="in-english")]
    assert all("article" in li.text().casefold() for li in marked)
    assert not any(a.get("href", "").startswith("https://www.canada.ca/") and
                   a.parent.find_all("span", class_="in-english")
                   for a in doc.find_all("a", class_="cite")
                   if "article" not in a.parent.text().casefold())


@pytest.mark.parametrize("lang", LANGS)
def test_a_quebec_residents_headline_gives_their_own_reason(client, lang):
    """Issue 17: the headline gives this person's decisive reason first: living in Quebec."""
    walk(client, lang, QUEBEC, end=CHECK)
    summary = parse(client.get(url(lang, "result"))).one("p", class_="verdict-summary").text()
    assert {"en": "you live in Quebec", "fr": "vous vivez au Québec"}[lang] in summary
    assert {"en": "at least one criterion", "fr": "au moins un critère"}[lang] not in summary


@pytest.mark.parametrize("lang", LANGS)
def test_the_date_hint_says_a_month_name_works_and_the_family_residence_is_on_receipt(client,
                                                                                      lang):
    """Issue 17: dates as people type them (the hint shows a month name too), and the family
    member's residence asked for the day IRCC receives the application, as the applicant's."""
    doc = parse(client.get(url(lang, "assessment_date")))
    assert {"en": "January 15 2025", "fr": "15 janvier 2025"}[lang] in doc.one(
        "p", id="date-format").text()
    title = QUESTIONS["family_residence"].title
    assert "today" not in title.msgid and "receives the application" in title.msgid


@pytest.mark.parametrize("lang", LANGS)
def test_a_note_every_entry_shares_is_shown_once_under_the_forms_heading(client, lang):
    """Issue 17, one "Our suggestion" per item: seen in the walk's screenshots, an extension's
    three boxes each repeated the same note; it is now under the form's heading, once."""
    walk(client, lang, [("assessment_date", "2025-06-01")] + EXTENSION, end="check")
    doc = parse(client.get(url(lang, "result")))
    ours = {"en": "Our suggestion: the manual gives these entries for first applications",
            "fr": "Notre suggestion\u00a0: le guide indique ces inscriptions pour les premières "
                  "demandes"}[lang]
    hints = [p.text() for p in doc.find_all("p", class_="hint") if ours in p.text()]
    assert len(hints) == 1
    assert not any(ours in li.text() for li in doc.find_all("li", class_="entry"))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("status", ["refused", "withdrawn", "approved"])
def test_an_extension_whose_pr_application_is_not_in_processing_asks_no_more(client, lang,
                                                                             status):
    """A newcomer's walk: after "Refused" the wizard still asked for the acknowledgment of
    receipt, and the check page showed "received: Yes" beside "Refused". An application not in
    processing settles an extension (manual, Extensions): straight to the check page, and the
    result names what was not asked instead of asking for it."""
    walk(client, lang, EXTENSION[:4] + [("pr_status", status)], end="check")
    doc = parse(client.get(url(lang, "result")))
    assert "verdict-not_eligible" in doc.one("div", class_="verdict").get("class")
    not_asked = " ".join(li.text() for li in doc.one("ul", class_="not-asked").find_all("li"))
    assert {"en": "acknowledgment of receipt",
            "fr": "accusé de réception"}[lang] in not_asked.casefold()
    # "In progress" (EXTENSION) or not known still goes on to the acknowledgment of receipt
    assert EXTENSION[5][0] == "pr_aor_received"
