"""Typeset a Typst template of webapp/templates into a tagged PDF, fed with a JSON view-model.

    typeset.pdf("sheet.typ", view, attachments=[Attachment("answers.json", body, ...)])

The template reads its view-model as `json(bytes(sys.inputs.view))`, and attaches the files
listed in `json(bytes(sys.inputs.attachments))` (name, mime, description), each one's text in
`sys.inputs.at("attachment:" + name)`; it lays out, it decides nothing and words nothing
(every text arrives in the view-model, already in the right language). The PDF is PDF/UA-1:
tagged, with its title shown by the reader, its language, and its outline from the headings.

Fonts are those of webapp/fonts only (the system's are ignored), so the PDF is the same on every
machine. Typst also carries a few fonts of its own; a template names ours, and a character none
of ours has would fall back to one of Typst's (tests/test_pdf.py checks that none is embedded).

Nothing of one document is kept for the next: Typst memoises what it lays out in a cache shared
by the process, and evicts what ten compilations in a row have not used. typst-py offers no call
to empty that cache (typst 0.15: only compile, query, eval and the font list), so after each
document `forget` compiles an empty one eleven times: entries made while laying the document
out are gone after ten, and those made while writing its PDF, after the compilation's own
eviction, after eleven; all before the lock is released and the next request starts.
tests/test_typeset.py checks it from outside: a document laid out again after `forget` costs as
much as the first time, where without it the cache makes it several times cheaper.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from functools import lru_cache
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typst

TEMPLATES = Path(__file__).resolve().parent / "templates"
FONT_DIR = Path(__file__).resolve().parent / "fonts"
LANG_TAGS = {"en": "en-CA", "fr": "fr-CA"}
STANDARDS = ["ua-1"]
# Typst evicts a cached result once this many compilations have not used it (typst-py calls
# comemo::evict(10) after every compilation, between the layout and the export).
CACHE_AGE = 10
# Blank compilations in `forget`: one more than CACHE_AGE, for what the export cached after the
# document's own eviction.
FLUSHES = CACHE_AGE + 1
BLANK = TEMPLATES / "blank.typ"

# One document at a time per process: the compiler's cache is shared, and `forget` must run
# before anyone else's document starts.
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Attachment:
    """A file to attach to the PDF: its `name`, its `body` (UTF-8 text, as bytes), its MIME type
    and a `description` a PDF reader shows in its list of attachments."""

    name: str
    body: bytes
    mime: str
    description: str


class TypesetError(RuntimeError):
    """A template did not compile: a bug of ours (the view-model is only data), never the
    person's answers. The message holds Typst's diagnostics."""


def pdf(template: str, view: dict[str, Any], *, attachments: Sequence[Attachment] = (),
        now: datetime | None = None) -> bytes:
    """The PDF of `template` (a file name in webapp/templates) laid out with `view` (JSON-able),
    with `attachments` given to the template, dated `now` (default: the current time).
    Raises TypesetError when the template does not compile."""
    listed = [{"name": a.name, "mime": a.mime, "description": a.description}
              for a in attachments]
    inputs = {"view": json.dumps(view, ensure_ascii=False),
              "attachments": json.dumps(listed, ensure_ascii=False)}
    for a in attachments:
        inputs[f"attachment:{a.name}"] = a.body.decode("utf-8")
    stamp = int((now or datetime.now(timezone.utc)).timestamp())
    with _LOCK:
        try:
            return typst.compile(str(TEMPLATES / template), root=str(TEMPLATES),
                                 font_paths=[str(FONT_DIR)], ignore_system_fonts=True,
                                 sys_inputs=inputs, pdf_standards=STANDARDS, timestamp=stamp)
        except typst.TypstError as error:
            raise TypesetError(str(error)) from None
        finally:
            del inputs
            forget()


def forget() -> None:
    """Push every cached result of the last document out of Typst's process-wide cache, by
    compiling the blank template FLUSHES times (what they share, the fonts and the blank page,
    holds nothing of anyone's answers)."""
    blank = _blank()
    for _ in range(FLUSHES):
        blank.compile(format="svg")


@lru_cache(maxsize=1)
def _blank() -> typst.Compiler:
    """The compiler of the blank page, made once per process (it holds no one's data)."""
    return typst.Compiler(str(BLANK), root=str(BLANK.parent), font_paths=[str(FONT_DIR)],
                          ignore_system_fonts=True)
