"""Write the spreadsheet templates of clients that the README links to, from SCHEMA:

    python scripts/client_template.py   # docs/client-template.csv (English), .fr.csv (French)

The start page serves the same bytes at /<lang>/client-template.csv; a test fails when the
committed files are out of step with SCHEMA.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from webapp.spreadsheet import template  # noqa: E402

FILES = {"en": ROOT / "docs" / "client-template.csv",
         "fr": ROOT / "docs" / "client-template.fr.csv"}

if __name__ == "__main__":
    for lang, path in FILES.items():
        path.write_bytes(template(lang))
        print(f"wrote {path.relative_to(ROOT)}")
