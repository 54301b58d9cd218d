"""The rules stay pure, every criterion and parameter carries its source."""

import re
import subprocess
import sys

from conftest import ROOT
from webapp.rules import assess, parse_answers
from webapp.rules.criteria import CRITERIA
from webapp.rules.parameters import PARAMETERS
from webapp.rules.sources import SOURCES


def test_rules_do_not_import_flask():
    code = ("import sys, webapp.rules, webapp.report, webapp.cli; "
            "sys.exit(1 if [m for m in sys.modules if m.split('.')[0] in ('flask', 'werkzeug', "
            "'flask_babel', 'flask_wtf')] else 0)")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
    for path in (ROOT / "webapp" / "rules").glob("*.py"):
        assert not re.search(r"^\s*(from|import)\s+(flask|werkzeug)", path.read_text(), re.M), path


def test_every_parameter_has_a_reference_and_a_known_source():
    for p in PARAMETERS.values():
        assert p.reference and p.description
        assert p.source in SOURCES and all(s in SOURCES for s in p.sources)
        assert list(p.starts) == sorted(p.starts)


def test_parameter_lookup_is_latest_on_or_before():
    from datetime import date

    cap = PARAMETERS["intake_cap"]
    assert cap.at(date(2022, 5, 23)) is None
    assert cap.at(date(2022, 5, 24)) == 14700
    assert cap.at(date(2022, 12, 31)) == 14700
    assert cap.at(date(2023, 1, 1)) == 7350
    assert PARAMETERS["invitation_last_letter_date"].at(date(2025, 1, 15)) is None
    assert str(PARAMETERS["invitation_last_letter_date"].at(date(2025, 1, 16))) == "2025-01-15"


# Sources whose passage comes before any section of their page: no anchor to give.
PAGE_TOP = {"intro", "a76_note", "maintained_status"}


def test_criterion_ids_are_the_contract_ids_and_cite_known_sources():
    expected = {
        "initial": ["program", "residence", "r206_permit", "status_in_canada",
                    "inside_canada_application", "intent", "csq_category", "csq_validity",
                    "invitation", "submission_window", "channel"],
        "extension": ["current_permit", "current_permit_valid", "pr_in_progress",
                      "aor_received"],
        "family": ["relationship", "principal_permit", "principal_authorization",
                   "principal_in_quebec", "accompanying_dependant", "status_in_canada",
                   "inside_canada_application"],
    }
    # CONTRACT.md v2: a criterion rests on the manual, or on the instructions the manual tells
    # officers to consult (family members), or on FACTS.md (an extension's current permit)
    not_manual = {"csq_category": "a76_note", "current_permit_valid": "maintained_status"}
    for purpose, ids in expected.items():
        result = assess(parse_answers({"purpose": purpose}))
        assert [c.id for c in result.criteria] == ids
        assert [f.__name__ for f in CRITERIA[purpose]] == ids
        for c in result.criteria:
            assert c.source in SOURCES
            assert (SOURCES[c.source].manual or c.id in not_manual
                    or c.source.startswith(("c41_c46_", "c49_"))), (c.id, c.source)
            # with the section's anchor, but for passages before any section of their page
            assert "#" in SOURCES[c.source].url or c.source in PAGE_TOP, (c.id, c.source)
            assert all(k in SOURCES for k in c.also)
            assert all(i.source in SOURCES for i in c.instead)


def test_everything_shown_cites_a_known_source():
    result = assess(parse_answers({"residence": "canada_outside_quebec", "channel": "paper",
                                   "pr_application": {"submitted": True}}))
    for item in (*result.field_entries, *result.checklist, *result.warnings, *result.fees):
        assert item.source in SOURCES
    for item in (*result.checklist, *result.warnings, *result.field_entries):
        # a suggestion of ours says so in its own words
        if getattr(item, "suggestion", False):
            text = (getattr(item, "proves", None) or getattr(item, "note", None)
                    or getattr(item, "text")).msgid
            assert "suggestion" in text.lower(), text


# ------------------------------------------------------------------ the web layer's libraries

LIBRARIES = ("flask", "jinja2", "markupsafe", "werkzeug", "itsdangerous", "flask_wtf",
             "flask_babel", "wtforms", "babel", "pypdf", "typst", "icalendar", "pip_audit",
             "gunicorn")


def _private_uses(path) -> list[str]:
    """`from lib._x import …`, `from lib import _x`, `import lib._x` and `lib._x` where lib is
    one of LIBRARIES (dunders such as __version__ are public)."""
    import ast

    def private(name: str) -> bool:
        return any(p.startswith("_") and not p.startswith("__") for p in name.split("."))

    found, modules = [], {}
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in LIBRARIES:
                    modules[alias.asname or alias.name.split(".")[0]] = alias.name
                    if private(alias.name):
                        found.append(f"{path.name}:{node.lineno} import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in LIBRARIES:
            for alias in node.names:
                if private(node.module) or private(alias.name):
                    found.append(f"{path.name}:{node.lineno} from {node.module} import "
                                 f"{alias.name}")
                modules[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in modules and private(node.attr)):
            found.append(f"{path.name}:{node.lineno} {node.value.id}.{node.attr}")
    return found


def test_no_private_name_of_a_library_is_used():
    paths = [p for folder in ("webapp", "scripts", "bench", "tests")
             for p in (ROOT / folder).rglob("*.py")]
    assert len(paths) > 30
    assert [use for p in paths for use in _private_uses(p)] == []


def test_a_private_use_is_found(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("import flask.sessions\nfrom markupsafe import _escape_inner\n"
                     "from flask.globals import request_ctx\nx = flask._app_ctx\n"
                     "from pip_audit._cli import main\n")
    assert len(_private_uses(probe)) == 3


def test_the_app_uses_flasks_session_interface_and_flask_wtfs_csrf_check():
    from flask.sessions import SecureCookieSessionInterface

    from webapp import create_app

    app = create_app("test")
    assert type(app.session_interface) is SecureCookieSessionInterface
    assert app.config.get("WTF_CSRF_CHECK_DEFAULT", True) is True
    assert "csrf" in app.extensions


def test_every_public_function_and_class_of_webapp_has_a_docstring():
    import ast

    missing = []
    for path in sorted((ROOT / "webapp").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if (isinstance(node, (ast.FunctionDef, ast.ClassDef))
                    and not node.name.startswith("_") and not ast.get_docstring(node)):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert missing == []


def test_ci_runs_exactly_the_readmes_test_command():
    """The README opens with two commands, set-up and serve, then the test command; .ci/run
    runs the latter as it is written."""
    block = (ROOT / "README.md").read_text(encoding="utf-8").split("```sh\n", 1)[1]
    commands = [line.split("  #")[0].strip() for line in block.split("```")[0].splitlines()]
    assert len(commands) == 2 and "serve" in commands[0] and "test" in commands[1]
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines()
          if line and not line.startswith(("#", "set ", "cd "))]
    assert ci == [commands[1]]
