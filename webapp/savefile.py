"""Read a saved file back: an answers JSON file, or one of our PDFs with `answers.json` inside.

The file the user keeps is the save (nothing is stored on the server), so this is what "resume"
and `impplus assess file.pdf` read. Every way a file can be wrong gives an `AnswersError` with a
message for the person who chose it; nothing here raises anything else.
"""

from __future__ import annotations

import json
import logging
from io import BytesIO

from .rules import Answers, AnswersError, msg, parse_answers
from .rules.answers import is_answers_file, unwrap

MAX_BYTES = 1024 * 1024  # an answers file or one of our PDFs: 1 MB at most, on every channel
PDF_NAME = "answers.json"

# pypdf logs a warning for every oddity of a damaged file; the message we return says enough.
logging.getLogger("pypdf").setLevel(logging.ERROR)


TOO_LARGE = msg("The file is larger than 1 MB: it is not an answers file.")
PROTECTED = msg("This PDF is protected by a password: upload the PDF as this tool made it, or "
                "your answers file (JSON).")


def _error(text) -> AnswersError:
    return AnswersError([(None, text)])


def read(data: bytes, strict: bool = False) -> Answers:
    """The `Answers` in `data` (the bytes of a JSON file or one of our PDFs, MAX_BYTES at most).
    Raises AnswersError, with a message for the person, for every way the file can be wrong.

    `strict` (resuming in the wizard) also refuses a JSON object with none of the answers
    file's fields, which is someone else's file; the CLI and the API read `{}` as answers with
    nothing answered, as CONTRACT.md says."""
    if len(data) > MAX_BYTES:
        raise _error(TOO_LARGE)
    if not data.strip():
        raise _error(msg("The file is empty."))
    if data.lstrip()[:5] == b"%PDF-":
        return _answers(_from_pdf(data), inside_pdf=True, strict=strict)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _error(msg("This file is neither an answers file (JSON) nor a PDF made by this "
                         "tool."))
    return _answers(text, inside_pdf=False, strict=strict)


def _answers(text: str | bytes, inside_pdf: bool, strict: bool) -> Answers:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        if inside_pdf:
            raise _error(msg("The answers inside this PDF are damaged: make the PDF again, or "
                             "upload your answers file (JSON)."))
        raise _error(msg("This is not a JSON file: it cannot be read as answers."))
    data = unwrap(data)  # a worked example is read through its answers
    if strict and isinstance(data, dict) and not is_answers_file(data):
        raise _error(msg("This JSON file is not an answers file of this tool: it has none of "
                         "the expected fields, such as “format” or “purpose”."))
    return parse_answers(data)


def _from_pdf(data: bytes) -> bytes:
    """The bytes of the `answers.json` embedded in one of our PDFs."""
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

    # No stream may inflate past the size of an answers file: a few hundred bytes of deflate
    # can otherwise become tens of megabytes (pypdf's own limit is 75 MB per stream).
    limit = MAX_BYTES + 1
    try:
        with apply_configuration(zlib_maximum_output_length=limit,
                                 lzw_maximum_output_length=limit,
                                 run_length_maximum_output_length=limit):
            reader = PdfReader(BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise _error(PROTECTED)
            # only the first attachment of that name is read (pypdf's `attachments` would
            # inflate every one)
            first = next((f for f in reader.attachment_list if f.name == PDF_NAME), None)
            content = first.content if first is not None else None
    except AnswersError:
        raise
    except (DependencyError, FileNotDecryptedError):  # encrypted (AES needs `cryptography`)
        raise _error(PROTECTED)
    except LimitReachedError:
        raise _error(TOO_LARGE)
    except Exception:  # pypdf raises many kinds of error on a damaged file; all mean the same
        raise _error(msg("This PDF is damaged or incomplete: it cannot be read. Download it "
                         "again, or upload your answers file (JSON)."))
    if content is None:
        raise _error(msg("This PDF was not made by this tool: it has no answers inside. Upload "
                         "an instruction sheet downloaded from this tool, or your answers file "
                         "(JSON)."))
    if len(content) > MAX_BYTES:
        raise _error(TOO_LARGE)
    return content
