"""Keep the catalogues in step with the code.

    python scripts/i18n.py extract   # messages.pot from the code and templates
    python scripts/i18n.py update    # merge it into translations/fr/.../messages.po
    python scripts/i18n.py compile   # write messages.mo (Flask-Babel reads only .mo files)
    python scripts/i18n.py fill F.json  # set French strings from a {msgid: msgstr} JSON file

`compile` is all a checkout needs: the .mo files are committed, and a test fails when one is out
of step with its .po.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
KEYWORDS = ["-k", "msg", "-k", "_l", "-k", "lazy_gettext"]


def extract() -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    str(ROOT / "babel.cfg"), *KEYWORDS, "--no-location", "--sort-output",
                    "--project", "impplus-check", "-o", str(POT), str(ROOT / "webapp")],
                   check=True, cwd=ROOT)


def update() -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "update", "-i", str(POT),
                    "-d", str(TRANSLATIONS), "--no-fuzzy-matching", "--ignore-obsolete"],
                   check=True, cwd=ROOT)


def compile_all() -> None:
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        with po.open("rb") as f:
            catalog = read_po(f)
        with po.with_suffix(".mo").open("wb") as f:
            write_mo(f, catalog)
        print(f"compiled {po.relative_to(ROOT)}")


def fill(path: str, lang: str = "fr") -> None:
    """Set translations from a JSON object {msgid: msgstr}; unknown msgids are an error."""
    import json

    po = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as f:
        catalog = read_po(f)
    for msgid, msgstr in json.loads(Path(path).read_text(encoding="utf-8")).items():
        message = catalog.get(msgid)
        if message is None:
            raise SystemExit(f"not in the catalogue: {msgid!r}")
        message.string = msgstr
        message.flags.discard("fuzzy")
    with po.open("wb") as f:
        write_po(f, catalog, width=76, no_location=True, omit_header=False)
    print(f"filled {po.relative_to(ROOT)}")


if __name__ == "__main__":
    args = sys.argv[1:] or ["compile"]
    if args[0] == "fill":
        fill(*args[1:])
        compile_all()
    else:
        actions = {"extract": extract, "update": update, "compile": compile_all}
        for name in args:
            actions[name]()
