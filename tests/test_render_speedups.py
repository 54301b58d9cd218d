"""The wizard's pages come out byte for byte as Flask-Babel would render them.

webapp.templating compiles the templates once per language, translating `_("literal")` at
compile time and binding the other gettext calls to that language's catalogue. Here every page
the wizard renders is rendered a second time, in the same request, by plain
`flask.render_template` on `app.jinja_env` (Flask-Babel's gettext), and the two must be equal.
The first tests check the compile-time translation itself on made-up templates, including the
cases where it must stand aside.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import flask
import pytest
from flask import render_template, template_rendered
from jinja2 import DictLoader, Environment, TemplateSyntaxError, UndefinedError
from jinja2.utils import select_autoescape
from markupsafe import Markup

from conftest import BASES, SHARED
from webapp import flow, templating
from webapp.flow import QUESTIONS
from webapp.i18n import LANGUAGES, catalogue
from webapp.wizard import PAGES

# ------------------------------------------------------------------ the compile-time translation

SOURCES = {
    "plain.html": '<p>{{ _("Back") }}</p><p>{{ _("Continue") }}</p>',
    "percent.html": '{{ _("100%% sure & <b>bold</b> \\"quoted\\" it’s") }}',
    "adjacent.html": '{{ _("Check " "your answers") }}',
    "expressions.html": ('{{ _("Day") if x else _("Month") }} {{ {"a": _("Year")}["a"] }} '
                         '{{ _("Back") ~ x }} {{ (_("Back") ~ "<i>")|length }}'),
    "variables.html": '{{ _("Today (%(date)s)", date=x) }} {{ _("Back") }}',
    "plural.html": '{{ ngettext("%(num)s day", "%(num)s days", n) }} {{ gettext("Back") }}',
    "missing_var.html": '{{ _("Today (%(date)s)") }}',
    "trans.html": '{% trans %}Back{% endtrans %} {% trans y=x %}Today ({{ y }}){% endtrans %}',
    "plain.txt": '{{ _("Back") }} {{ _("100%% & <sure>") }} {{ x }}',
    "autoescape_block.html": '{% autoescape false %}{{ _("a & b") }}{% endautoescape %}',
    "shadowed.html": '{% set _ = g2 %}{{ _("Back") }}',
    "loop.html": '{% for _ in [1] %}{{ x }}{% endfor %}{{ _("Back") }}',
    "macro.html": ('{% macro m(t) %}[{{ t }}]{% endmacro %}{{ m(_("Back")) }}'
                   '{% macro call_me() %}{{ caller() }}{% endmacro %}'
                   '{% call call_me() %}{{ _("Continue") }}{% endcall %}'),
    "base.html": '<title>{% block t %}{% endblock %} – {{ _("IMP+ Check") }}</title>',
    "child.html": ('{% extends "base.html" %}'
                   '{% block t %}{{ _("Check your answers") }}{% endblock %}'),
    "included.html": '{% include "plain.html" %}',
    "attributes.html": ('{{ d.text }} {{ d.items is callable }} {{ d["items"] }} {{ d.keys }} '
                        '{{ d.missing is undefined }} {{ d.get("text") }} {{ sub.text }} '
                        '{{ sub.__class__.__name__ }} {{ obj.real }} {{ d.text.upper() }}'),
    "blocks.html": (' x {{- _("Back") -}} \n {% filter upper %}{{ _("Back") }}{% endfilter %}'
                    '{% set held %}{{ _("Continue") }}{% endset %}{{ held ~ "<i>" }}'),
}


def _reference_env(lang: str) -> Environment:
    """What Flask-Babel sets up: Jinja's i18n extension, newstyle, one catalogue."""
    env = Environment(loader=DictLoader(SOURCES), extensions=["jinja2.ext.i18n"],
                      autoescape=select_autoescape(["html"]))
    env.install_gettext_translations(catalogue(lang), newstyle=True)
    env.globals["g2"] = lambda s: f"<{s}>"
    return env


class _Sub(dict):
    text = "attribute of the subclass"


CONTEXT = {"x": "<x>", "n": 3, "d": {"text": "<t>", "items": "an item", "keys": "k"},
           "sub": _Sub(text="key of the subclass"), "obj": 3}


def _render_both(lang: str, name: str, **context):
    ref = _reference_env(lang)
    fast = templating.overlay_for(ref, catalogue(lang))
    expected = ref.get_template(name).render(**context)
    got = fast.get_template(name).render(**context)
    return expected, got


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", [n for n in SOURCES if n != "missing_var.html"])
def test_compile_time_translation_matches_gettext(lang, name):
    expected, got = _render_both(lang, name, **CONTEXT)
    assert got == expected
    assert type(got) is type(expected)


def test_the_french_catalogue_is_used():
    expected, got = _render_both("fr", "child.html")
    assert got == expected == "<title>Vérifiez vos réponses – Vérif PMI+</title>"
    expected, got = _render_both("fr", "variables.html", x="3 <b>")
    assert got == expected and "Aujourd’hui" in got and "3 &lt;b&gt;" in got


def test_percent_signs_and_escaping_are_those_of_newstyle_gettext():
    expected, got = _render_both("en", "percent.html")
    assert got == expected == '100% sure & <b>bold</b> "quoted" it’s'
    expected, got = _render_both("en", "plain.txt", x="<x>")
    assert got == expected == "Back 100% & <sure> <x>"


def _no_gettext(*args, **kwargs):
    raise AssertionError("gettext called at run time")


def test_literals_are_translated_when_compiled():
    """`{{ _("literal") }}` no longer calls anything at run time: with the run-time gettext
    replaced by one that fails, the page still renders. A call within an expression or with
    variables still calls it."""
    fast = templating.overlay_for(_reference_env("fr"), catalogue("fr"))
    for name in ("plain.html", "child.html", "included.html", "blocks.html"):
        template = fast.get_template(name)
        template.globals.update(_=_no_gettext, gettext=_no_gettext)
        assert "Retour" in template.render() or "Vérifiez" in template.render(), name
    assert "Retour" in fast.compile(SOURCES["plain.html"], raw=True)
    for name in ("expressions.html", "variables.html"):
        template = fast.get_template(name)
        template.globals.update(_=_no_gettext, gettext=_no_gettext)
        with pytest.raises(AssertionError, match="at run time"):
            template.render(x="")


def test_a_missing_variable_still_fails_at_run_time():
    ref = _reference_env("en")
    fast = templating.overlay_for(ref, catalogue("en"))
    for env in (ref, fast):
        template = env.get_template("missing_var.html")  # compiles
        with pytest.raises(KeyError):
            template.render()


def test_each_language_has_its_own_templates_and_the_base_is_untouched():
    ref = _reference_env("en")
    envs = {lang: templating.overlay_for(ref, catalogue(lang)) for lang in LANGUAGES}
    assert envs["en"].get_template("plain.html").render() == "<p>Back</p><p>Continue</p>"
    assert envs["fr"].get_template("plain.html").render() == "<p>Retour</p><p>Continuer</p>"
    assert envs["en"].get_template("plain.html").render() == "<p>Back</p><p>Continue</p>"
    assert ref.globals["_"] is not envs["fr"].globals["_"]
    assert ref.get_template("plain.html").render() == "<p>Back</p><p>Continue</p>"


def test_attributes_of_dicts_read_as_jinja_reads_them():
    expected, got = _render_both("en", "attributes.html", **CONTEXT)
    assert got == expected == ("&lt;t&gt; True an item &lt;built-in method keys of dict object"
                               f" at {hex(id(CONTEXT['d']))}&gt; True &lt;t&gt; attribute of the"
                               " subclass _Sub 3 &lt;T&gt;")


def test_syntax_errors_are_still_reported():
    fast = templating.overlay_for(_reference_env("en"), catalogue("en"))
    with pytest.raises(TemplateSyntaxError):
        fast.from_string('{{ _("Back" }}')
    with pytest.raises(UndefinedError):
        fast.from_string('{{ _("Back").nope.deeper }}').render()


# ------------------------------------------------------------------ every page of the wizard

@pytest.fixture
def checked(app):
    """A client whose every wizard page is compared, in its own request, with the page plain
    render_template makes; yields the list of (template, language) compared."""
    seen: list[tuple[str, str]] = []
    pending: list[str] = []

    def compare(sender, template, context, **extra):
        if template.environment is app.jinja_env:  # the reference rendering itself
            return
        assert template.environment in app.extensions[templating.EXTENSION_KEY].values()
        pending.append(render_template(template.name, **context))
        seen.append((template.name, context["lang"]))

    client = app.test_client()
    original_open = client.open

    def open_and_compare(*args, **kwargs):
        pending.clear()
        response = original_open(*args, **kwargs)
        if pending:
            assert len(pending) == 1
            assert response.get_data(as_text=True) == pending[0], seen[-1]
        return response

    client.open = open_and_compare
    with template_rendered.connected_to(compare, app):
        yield client, seen


def _answer_sets() -> list[dict]:
    examples = [json.loads(p.read_text(encoding="utf-8"))["answers"]
                for p in sorted(Path(SHARED, "examples").glob("*.json"))]
    assert examples, "no worked examples found"
    return [b for b in BASES.values() if b] + examples


def _set_state(client, answers: dict | None) -> None:
    with client.session_transaction() as s:
        s.clear()
        if answers is not None:
            state, done = flow.from_answers(answers)
            s["a"], s["done"] = state, sorted(done)


def _question_url(lang, q) -> str:
    return f"/{lang}/{q.slug(lang)}"


BAD_POSTS = {"choice": [{}, {"answer": "nonsense"}, {"answer": "dont_know"}],
             "date": [{}, {"day": "31", "month": "2", "year": "2025"},
                      {"day": "x", "month": "", "year": "25"}],
             "code": [{"code": "!"}, {}]}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_is_what_flask_babel_renders(checked, lang):
    client, seen = checked
    questions_shown = set()

    _set_state(client, None)  # nothing answered yet
    assert client.get(f"/{lang}/").status_code == 200
    for node in (flow.FIRST, "assessment_date"):
        assert client.get(_question_url(lang, QUESTIONS[node])).status_code == 200
    assert client.get(f"/{lang}/{PAGES['expired'][lang]}").status_code == 200
    assert client.get(f"/{lang}/{PAGES['check'][lang]}").status_code == 302

    for answers in _answer_sets():
        _set_state(client, answers)
        assert client.get(f"/{lang}/").status_code == 200  # "continue where you left off"
        state, done = flow.from_answers(answers)
        visited, nxt = flow.path(state, done)
        for node in visited + ["assessment_date"]:
            q = QUESTIONS[node]
            path = _question_url(lang, q)
            assert client.get(path).status_code == 200  # filled in
            assert client.get(path + "?change=1").status_code == 200
            questions_shown.add(node)
            for data in BAD_POSTS[q.kind]:
                if q.kind == "choice" and data.get("answer") == "dont_know" and q.dont_know:
                    continue
                r = client.post(path, data=data)
                assert r.status_code == 400, (node, data)
        if nxt == flow.CHECK:
            assert client.get(f"/{lang}/{PAGES['check'][lang]}").status_code == 200
            assert client.get(f"/{lang}/{PAGES['result'][lang]}").status_code == 200
    assert questions_shown == set(QUESTIONS)

    # the start page with a file that cannot be read: an error, and more than one problem
    r = client.post(f"/{lang}/resume", data={"answers_file": (
        io.BytesIO(b'{"format": "impplus-answers/1", "purpose": 3, "residence": "moon"}'),
        "bad.json")})
    assert r.status_code == 400
    r = client.post(f"/{lang}/resume", data={})
    assert r.status_code == 400

    templates = {name for name, _lang in seen}
    assert templates == {"start.html", "question.html", "check.html", "result.html",
                         "expired.html"}
    assert {page_lang for _name, page_lang in seen} == {lang}


def test_french_pages_are_in_french(checked):
    client, seen = checked
    _set_state(client, json.loads(
        Path(SHARED, "examples", "e01_outside_canada_eligible.json").read_text())["answers"])
    html = client.get("/fr/resultat").get_data(as_text=True)
    assert "Vérif PMI+" in html and "Passer au contenu principal" in html
    assert "Skip to main content" not in html
    html = client.get("/fr/verifier-vos-reponses").get_data(as_text=True)
    assert "<h1>Vérifiez vos réponses</h1>" in html
    html = client.get("/en/check-your-answers").get_data(as_text=True)
    assert "<h1>Check your answers</h1>" in html
    assert [lang for _name, lang in seen] == ["fr", "fr", "en"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_error_pages(lang):
    """A request too large (the wizard's own error page), a form without its CSRF token (the
    start-again page), and not found (rendered by app.py under force_locale, plain Flask)."""
    from webapp import create_app

    app = create_app({"MAX_CONTENT_LENGTH": 1000, "WTF_CSRF_ENABLED": True})
    compared = []

    def compare(sender, template, context, **extra):
        if template.environment is not app.jinja_env:
            compared.append(render_template(template.name, **context))

    client = app.test_client()
    with template_rendered.connected_to(compare, app):
        r = client.post(f"/{lang}/{QUESTIONS[flow.FIRST].slug(lang)}",
                        data={"answer": "x" * 2000})
        assert r.status_code == 413 and r.get_data(as_text=True) == compared[-1]
        r = client.post(f"/{lang}/{QUESTIONS[flow.FIRST].slug(lang)}",
                        data={"answer": "initial"})
        assert r.status_code == 400 and r.get_data(as_text=True) == compared[-1]
        assert len(compared) == 2
        r = client.get(f"/{lang}/no-such-page")
        assert r.status_code == 404 and len(compared) == 2
    expected = {"en": "Page not found", "fr": "Page introuvable"}[lang]
    assert f"<h1>{expected}</h1>" in r.get_data(as_text=True)


# ------------------------------------------------------------------ links kept once built

def test_kept_links_are_those_of_flask_url_for(app):
    from flask import url_for
    from werkzeug.routing import BuildError

    from webapp import urls

    calls = [("wizard.start", {"lang": "fr"}), ("static", {"filename": "style.css"}),
             ("wizard.page", {"lang": "en", "slug": "purpose", "change": "1"}),
             ("wizard.page", {"lang": "fr", "slug": "objet", "x": None}),
             ("wizard.page", {"lang": "en", "slug": "purpose", "_anchor": "main"}),
             ("wizard.page", {"lang": "en", "slug": "purpose", "_external": True}),
             (".start", {"lang": "en"}), ("wizard.page", {"lang": "en", "slug": ["a", "b"]})]
    for root in ("", "/tool", "/tool/"):
        with app.test_request_context("/en/purpose", base_url=f"http://localhost{root}"):
            assert flask.request.script_root == root.rstrip("/")
            for _ in range(2):  # built, then kept
                for endpoint, values in calls:
                    assert urls.url_for(endpoint, **values) == url_for(endpoint, **values)
            with pytest.raises(BuildError):
                urls.url_for("wizard.nope", lang="en")
    with app.test_request_context("/api/v1/openapi.json"):  # ".start" is the API's, none
        with pytest.raises(BuildError):
            urls.url_for(".start", lang="en")
    app.config["SERVER_NAME"] = "example.org"
    with app.app_context():  # outside a request: external, as Flask makes it
        assert urls.url_for("wizard.start", lang="en") == "http://example.org/en/"


def test_links_follow_where_the_application_is_mounted(checked):
    client, seen = checked
    _set_state(client, None)
    for root, prefix in (("/tool", "/tool/"), ("", "/"), ("/other", "/other/")):
        html = client.get("/en/", base_url=f"http://localhost{root}").get_data(as_text=True)
        assert f'href="{prefix}static/style.css"' in html and f'href="{prefix}fr/"' in html
    assert len(seen) == 3


def test_the_visitors_query_string_is_not_kept(app, checked):
    from webapp import urls

    client, seen = checked
    _set_state(client, None)
    client.get("/en/purpose")
    kept = app.extensions[urls.EXTENSION_KEY].cache_info().currsize
    html = client.get("/en/purpose?change=1&note=secret").get_data(as_text=True)
    assert "/fr/objet?change=1&amp;note=secret" in html  # the language toggle keeps it
    # the other links on that page (with change=1) are new; the toggle is not among them
    after = app.extensions[urls.EXTENSION_KEY].cache_info().currsize
    client.get("/en/purpose?change=1&note=another")
    assert app.extensions[urls.EXTENSION_KEY].cache_info().currsize == after > kept


# ------------------------------------------------------------------ citations on the result page

CITE_MACRO = """{% macro cite(item) -%}
{% if item.source %}<a class="cite" href="{{ item.source }}">{{ item.citation }}</a>{% else %}\
<span class="cite">{{ item.citation }}</span>{% endif %}
{%- endmacro %}{{ cite(item) }}"""


def test_citations_are_what_the_macro_they_replace_made():
    """wizard.cite replaced the templates' cite macro (_source.html); same markup."""
    from webapp.report import report
    from webapp.rules import assess, parse_answers
    from webapp.wizard import cite

    macro = Environment(autoescape=True).from_string(CITE_MACRO)
    items = [{"source": "https://example.org/a?b=1&c=<2>#\"x\"", "citation": "A & <B> ‘c’"},
             {"source": None, "citation": "Quebec's <list> & \"more\""},
             {"source": "", "citation": "empty source"}]
    for path in sorted(Path(SHARED, "examples").glob("*.json")):
        answers = json.loads(path.read_text(encoding="utf-8"))["answers"]
        for lang in LANGUAGES:
            data = report(assess(parse_answers(answers)), lang)
            for key in ("criteria", "field_entries", "checklist", "warnings", "fees"):
                items += data[key]
                items += [a for c in data[key] for a in c.get("also", ())]
    from webapp.report import citation
    from webapp.rules.sources import SOURCES

    # every source of the manual, in both languages: their markup is made once, in a table
    items += [{"source": url, "citation": title} for lang in LANGUAGES for key in SOURCES
              for url, title in [citation(key, lang)]]
    assert len(items) > 100 and any(not i["source"] for i in items)
    for item in items:
        assert str(cite(item)) == macro.render(item=item)


# ------------------------------------------------------------------ outputs escaped as plain text

class _Html:
    def __html__(self):
        return "<b>made safe</b>"


class _Text(str):
    """A str subclass: escaped through str(), like markupsafe does."""


@pytest.mark.parametrize("value", [
    "plain", "<a href=\"x\">Tom & Jerry's</a>", "", "é « » ’ \u00a0", 3, 2.5, None, True,
    Markup("<i>already safe</i>"), _Html(), _Text("<sub>"), ["<list>"], {"k": "<v>"},
])
def test_escaped_outputs_the_text_of_markupsafe_escape(value):
    from markupsafe import escape

    assert templating.escaped(value) == str(escape(value))


def test_the_wizards_templates_output_through_escaped():
    """Every template of the per-language environments compiles with `escaped` standing for
    Jinja's `escape` (the byte-identity tests above then cover what the pages look like)."""
    app = flask.Flask(__name__)
    app.jinja_env.loader = DictLoader(SOURCES)
    env = templating.overlay_for(app.jinja_env, catalogue("en"))
    template = env.get_template("attributes.html")
    assert isinstance(template, templating.OutputTemplate)
    assert template.root_render_func.__globals__["escape"] is templating.escaped
    assert template.render(**CONTEXT) == _reference_env("en").get_template(
        "attributes.html").render(**CONTEXT)
