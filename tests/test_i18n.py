"""The French catalogue is complete, compiled, faithful to its placeholders, and typographically
French; every message the code and templates use is in it."""

import re
from datetime import date

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from conftest import ROOT
from webapp.i18n import format_day, format_money, format_number

PO = ROOT / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# The exact entries typed into IRCC's English forms, and code, stay verbatim in French.
VERBATIM = ("A76: International Mobility Program Plus", '{"format": "impplus-answers/1"}',
            "Content-Type: application/json")


def catalog():
    with PO.open("rb") as f:
        return read_po(f)


def messages():
    return [m for m in catalog() if m.id]


def code_msgids():
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    keywords = {"msg": None, "_": None, "gettext": None, "_l": None, "lazy_gettext": None,
                "ngettext": (1, 2)}
    found = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
            str(ROOT / "webapp"), method_map=method_map, keywords=keywords):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_header_is_not_fuzzy():
    assert not catalog().fuzzy


def test_every_message_of_the_code_is_in_the_catalogue():
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in messages()}
    missing = code_msgids() - ids
    assert not missing, f"run scripts/i18n.py extract update, then translate: {sorted(missing)}"


def test_every_entry_is_translated_and_not_fuzzy():
    bad = [m.id for m in messages() if m.fuzzy or not m.string
           or (isinstance(m.string, tuple) and not all(m.string))]
    assert not bad, bad


def test_placeholders_match():
    for m in messages():
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        source = m.id if isinstance(m.id, str) else m.id[0]
        for s in strings:
            assert sorted(PLACEHOLDER.findall(s)) == sorted(PLACEHOLDER.findall(source)), m.id


def _without_verbatim(s):
    for v in VERBATIM:
        s = s.replace(v, "")
    return re.sub(r"https?://\S+", "", s)


@pytest.mark.parametrize("message", messages(), ids=lambda m: m.id[:50])
def test_french_typography(message):
    s = _without_verbatim(message.string)
    nb = "\u00a0\u202f"
    assert not re.search(rf"[^{nb}][;!?»]", s), f"needs a no-break space before ; ! ? »: {s!r}"
    assert not re.search(rf"«[^{nb}]", s), f"needs a no-break space after «: {s!r}"
    assert not re.search(rf"[^{nb}\d]:(?=\s)", s), f"needs a no-break space before a colon: {s!r}"
    assert "'" not in s, f"use the typographic apostrophe ’: {s!r}"
    assert "“" not in s and "”" not in s, f"use « guillemets »: {s!r}"


def test_compiled_catalogue_matches_the_po():
    with MO.open("rb") as f:
        compiled = {m.id: m.string for m in read_mo(f) if m.id}
    source = {m.id: m.string for m in messages()}
    assert compiled == source, "run: python scripts/i18n.py compile"


def test_dates_numbers_money():
    assert format_day(date(2025, 1, 16), "fr") == "16\u00a0janvier\u00a02025"
    assert format_day(date(2025, 1, 1), "fr") == "1er\u00a0janvier\u00a02025"
    assert format_day(date(2025, 1, 16), "en") == "January 16, 2025"
    assert format_money(155, "fr") == "155\u00a0$" and format_money(155, "en") == "$155"
    assert format_number(7350, "en") == "7,350"
    assert format_number(7350, "fr").replace("\u202f", " ").replace("\u00a0", " ") == "7 350"
