"""The wizard's templates, compiled once per language.

Why: with Flask-Babel, every `_("…")` in a template goes through Jinja's i18n alias, its
newstyle wrapper, Flask-Babel's `get_translations` and several lookups of werkzeug's context
locals, some 40 calls a page for text that is the same for every visitor. That was the largest
single cost of rendering a page.

So each language gets its own Jinja environment, an overlay of `app.jinja_env` (same loader,
filters, tests and globals), in which:

- `LiteralGettext` translates every `{{ _("literal") }}` (no variables) while the template is
  compiled, into exactly the text the run-time call outputs (newstyle gettext:
  `Markup(translation) % {}`, so `%%` becomes `%`): the text is then part of the compiled
  template, like the HTML around it;
- `_`, `gettext`, `ngettext`, `pgettext` and `npgettext` are bound to that language's catalogue
  (`i18n.catalogue`, the same .mo files Flask-Babel reads), for the other calls (with
  variables, or within an expression).

Only translated text and compiled templates are kept, never anything from a visitor's answers.
`app.jinja_env` itself is left as Flask-Babel configured it: `flask.render_template` (the error
pages, rendered under `flask_babel.force_locale`) works as before. tests/test_render_speedups.py
checks that both paths give byte-identical pages.
"""

from __future__ import annotations

import functools
import typing as t

from flask import Flask, current_app
from flask.signals import before_render_template, template_rendered
from jinja2 import Environment, Template, pass_context
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from jinja2.runtime import Context
from markupsafe import Markup
from markupsafe import _escape_inner  # the C escaper behind markupsafe.escape

from . import urls
from .i18n import LANGUAGES, catalogue

EXTENSION_KEY = "impplus.templating"


class LiteralGettext(Extension):
    """Replaces `{{ _("literal") }}` (no variables) by its translation when a template is
    compiled, as if the translation had been written in the template.

    Newstyle gettext returns `Markup(translation) % {}` when the template autoescapes and
    `translation % {}` when it does not: the same text either way, which `{{ }}` then outputs
    unchanged (Markup is not escaped again). So the text goes in as template data. Only a call
    that is a whole `{{ }}` is replaced: within a larger expression Jinja's optimizer could fold
    the translation into a constant where the run-time result differs (`~` joins constants as
    plain strings, where at run time it escapes the other side because gettext returned Markup);
    such calls stay, and use the language's bound gettext at run time.

    A template is left untouched when `_` in it is anything but a call (assigned, a loop or macro
    variable, imported), and so is every template when the environment has a `finalize`, which
    applies to `{{ }}` and not to template data. `_` passed in a render context would shadow the
    global: the wizard never does that.
    """

    translations: t.Any = None  # set by `overlay_for`; None leaves every template untouched

    def filter_stream(self, stream: TokenStream) -> t.Iterable[Token]:
        tokens = list(stream)
        if (self.translations is None or self.environment.finalize is not None
                or not _only_calls(tokens)):
            return tokens
        return list(self._fold(tokens))

    def _fold(self, tokens: list[Token]) -> t.Iterator[Token]:
        i = 0
        while i < len(tokens):
            literal, end = _literal_output(tokens, i)
            text = None if literal is None else self._translate(literal)
            if text is None:
                yield tokens[i]
                i += 1
            else:
                yield Token(tokens[i].lineno, "data", text)
                i = end

    def _translate(self, literal: str) -> str | None:
        """The text newstyle gettext outputs for `_(literal)`; None when the call would raise
        (a placeholder with no variable), so that it stays and raises at run time as before."""
        try:
            return self.translations.gettext(literal) % {}
        except (KeyError, TypeError, ValueError):
            return None


def _only_calls(tokens: list[Token]) -> bool:
    """Whether every `_` of the template is the gettext global, called."""
    for i, tok in enumerate(tokens):
        if tok.type == "name" and tok.value == "_":
            after = tokens[i + 1] if i + 1 < len(tokens) else None
            if after is None or after.type != "lparen" or (i and tokens[i - 1].type == "dot"):
                return False
    return True


def _literal_output(tokens: list[Token], i: int) -> tuple[str | None, int]:
    """(the string, index past the tag) when tokens[i:] start with `{{ _("…") }}`, string
    literals side by side being one string as Jinja reads them; (None, i) otherwise."""
    kinds = ("variable_begin", "name", "lparen")
    if (len(tokens) < i + 5 or tuple(tok.type for tok in tokens[i:i + 3]) != kinds
            or tokens[i + 1].value != "_"):
        return None, i
    j = i + 3
    parts = []
    while j < len(tokens) and tokens[j].type == "string":
        parts.append(tokens[j].value)
        j += 1
    if (not parts or j + 1 >= len(tokens) or tokens[j].type != "rparen"
            or tokens[j + 1].type != "variable_end"):
        return None, i
    return "".join(parts), j + 2


# The run-time callables, as Jinja's i18n extension makes them with newstyle=True (jinja2.ext
# _make_new_gettext and friends), bound directly to one catalogue instead of looking up the
# request's locale on every call.

def _gettext(translations) -> t.Callable[..., str]:
    @pass_context
    def gettext(__context: Context, __string: str, **variables: t.Any) -> str:
        rv = translations.gettext(__string)
        if __context.eval_ctx.autoescape:
            rv = Markup(rv)
        return rv % variables

    return gettext


def _ngettext(translations) -> t.Callable[..., str]:
    @pass_context
    def ngettext(__context: Context, __singular: str, __plural: str, __num: int,
                 **variables: t.Any) -> str:
        variables.setdefault("num", __num)
        rv = translations.ngettext(__singular, __plural, __num)
        if __context.eval_ctx.autoescape:
            rv = Markup(rv)
        return rv % variables

    return ngettext


def _pgettext(translations) -> t.Callable[..., str]:
    @pass_context
    def pgettext(__context: Context, __string_ctx: str, __string: str,
                 **variables: t.Any) -> str:
        variables.setdefault("context", __string_ctx)
        rv = translations.pgettext(__string_ctx, __string)
        if __context.eval_ctx.autoescape:
            rv = Markup(rv)
        return rv % variables

    return pgettext


def _npgettext(translations) -> t.Callable[..., str]:
    @pass_context
    def npgettext(__context: Context, __string_ctx: str, __singular: str, __plural: str,
                  __num: int, **variables: t.Any) -> str:
        variables.setdefault("context", __string_ctx)
        variables.setdefault("num", __num)
        rv = translations.npgettext(__string_ctx, __singular, __plural, __num)
        if __context.eval_ctx.autoescape:
            rv = Markup(rv)
        return rv % variables

    return npgettext


def escaped(value: t.Any) -> str:
    """The text `{{ value }}` outputs in an autoescaped template: `markupsafe.escape(value)`,
    as a plain string.

    `escape` wraps its result in Markup, a Python-level constructor, so that the value can be
    combined safely later; but a `{{ }}` output is only ever joined into the page (Jinja's
    compiler writes `escape(` before an output and nowhere else), where Markup and str are the
    same text. A result page has some 180 of them.
    """
    if type(value) is str:
        return _escape_inner(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape_inner(str(value))


class OutputTemplate(Template):
    """A template whose `{{ }}` outputs use `escaped`: the same page, built quicker."""

    @classmethod
    def _from_namespace(cls, environment, namespace, globals):  # type: ignore[override]
        # The compiled module's `escape` (imported from jinja2.runtime) serves only outputs.
        namespace["escape"] = escaped
        return super()._from_namespace(environment, namespace, globals)


@functools.cache
def _is_dict_attribute(name: str) -> bool:
    return hasattr(dict, name)


def _keys_of_dicts_first(jinja_getattr: t.Callable[[t.Any, str], t.Any]):
    """`jinja_getattr` (what `a.b` compiles to), quicker where `a` is a dict.

    Jinja tries `getattr(a, "b")` first and looks up the key only when that raises
    AttributeError, an exception for every `entry.label` of the report's dicts (some 150 on a
    result page). A plain dict has no attributes of its own, so when "b" is not an attribute of
    the dict type, the key is the only thing `a.b` can be: look it up first. Anything else
    (other types, a missing key, `d.items`) goes to Jinja's own getattr, as before.
    """

    def getattr_(obj: t.Any, attribute: str) -> t.Any:
        if type(obj) is dict and not _is_dict_attribute(attribute):
            try:
                return obj[attribute]
            except KeyError:
                pass
        return jinja_getattr(obj, attribute)

    return getattr_


def _cache_size(env: Environment) -> int:
    """The `cache_size` that gives a new cache like `env`'s (0: none, -1: unbounded)."""
    if env.cache is None:
        return 0
    return getattr(env.cache, "capacity", -1)


def overlay_for(base: Environment, translations) -> Environment:
    """An overlay of `base` whose templates are translated by `translations`."""
    # Its own cache and no bytecode cache: a template compiled for one language must never be
    # served in another (an overlay otherwise copies the base's cache, and a bytecode cache is
    # keyed by template name and source only).
    env = base.overlay(extensions=[LiteralGettext], cache_size=_cache_size(base),
                       bytecode_cache=None)
    env.extensions[LiteralGettext.identifier].translations = translations
    env.getattr = _keys_of_dicts_first(env.getattr)  # type: ignore[method-assign]
    env.template_class = OutputTemplate
    gettext = _gettext(translations)
    # An overlay shares its base's globals dict; a dict of its own keeps these bindings out of
    # app.jinja_env (copied now: init_app runs once the extensions have added their globals).
    env.globals = dict(base.globals, _=gettext, gettext=gettext,
                       ngettext=_ngettext(translations), pgettext=_pgettext(translations),
                       npgettext=_npgettext(translations),
                       # the templates' links are languages and file names: kept once built
                       url_for=urls.url_for)

    # Jinja gives each template a ChainMap over the environment's globals, which every render
    # flattens into a dict key by key in Python (~15 us). These globals are fixed from here on
    # (Jinja asks not to change globals once templates are loaded): a plain dict per template.
    def make_globals(template_globals: t.MutableMapping[str, t.Any] | None) -> dict:
        return {**env.globals, **(template_globals or {})}

    env.make_globals = make_globals  # type: ignore[method-assign]
    return env


def init_app(app: Flask) -> None:
    """Build the per-language environments. Call it once the extensions that add Jinja globals
    (Flask-Babel, CSRFProtect) are set up."""
    app.extensions[EXTENSION_KEY] = {lang: overlay_for(app.jinja_env, catalogue(lang))
                                     for lang in LANGUAGES}


def render(template_name: str, lang: str, /, **context: t.Any) -> str:
    """`flask.render_template` with the environment of `lang` (same context processors and
    signals). Positional-only, so that the context may hold a `lang` of its own."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    template = app.extensions[EXTENSION_KEY][lang].get_template(template_name)
    app.update_template_context(context)
    before_render_template.send(app, _async_wrapper=app.ensure_sync, template=template,
                                context=context)
    rv = template.render(context)
    template_rendered.send(app, _async_wrapper=app.ensure_sync, template=template,
                           context=context)
    return rv
