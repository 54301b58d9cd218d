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


# Our PDFs hold one attachment in a one-node name tree. Any tree is walked with a budget of
# nodes and entries in all, each object visited once: a tree that lists one child 100,000
# times, each holding 50,000 names, is 2 KB, and pypdf's own walk of it took hours.
NODE_BUDGET = 2000
TOO_COMPLEX = object()


def _attachment(reader, name: str = PDF_NAME):
    """The bytes of the first embedded file called `name` (by its file name, /UF or /F,
    or by its key in the EmbeddedFiles name tree), None when there is none, TOO_COMPLEX when
    the tree is larger than NODE_BUDGET nodes and entries. pypdf's public objects only."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    budget = NODE_BUDGET

    def resolve(obj):
        nonlocal budget
        budget -= 1
        if budget < 0:
            raise _Budget()
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:  # a loop, or a child listed again: walked once
                return None
            seen.add(ref)
            obj = obj.get_object()
        return obj

    try:
        root = reader.root_object  # pypdf finds it in a damaged file too, or raises
        names = resolve(root.get("/Names")) if isinstance(root, DictionaryObject) else None
        tree = names.get("/EmbeddedFiles") if isinstance(names, DictionaryObject) else None
        stack = [tree]
        while stack:
            node = resolve(stack.pop())
            if not isinstance(node, DictionaryObject):
                continue
            kids = resolve(node.get("/Kids"))
            if isinstance(kids, ArrayObject):
                if len(kids) > budget:
                    raise _Budget()
                stack.extend(reversed(kids))
            pairs = resolve(node.get("/Names"))
            if not isinstance(pairs, ArrayObject):
                continue
            if len(pairs) > 2 * budget:
                raise _Budget()
            for i in range(0, len(pairs) - 1, 2):
                spec = resolve(pairs[i + 1])
                if not isinstance(spec, DictionaryObject):
                    continue
                if name not in (str(pairs[i]), str(spec.get("/UF", "")),
                                str(spec.get("/F", ""))):
                    continue
                files = resolve(spec.get("/EF"))
                stream = files.get("/UF", files.get("/F")) if isinstance(
                    files, DictionaryObject) else None
                stream = resolve(stream)
                if stream is None or not hasattr(stream, "get_data"):  # named, but no file
                    raise ValueError(f"{name} without its stream")  # damaged
                return stream.get_data()
    except _Budget:
        return TOO_COMPLEX
    return None


class _Budget(Exception):
    """The walk of a PDF's name tree ran out of budget."""


def _from_pdf(data: bytes) -> bytes:
    """The bytes of the `answers.json` embedded in one of our PDFs."""
    content = embedded(data, PDF_NAME)
    if content is None:
        raise _error(msg("This PDF was not made by this tool: it has no answers inside. Upload "
                         "an instruction sheet downloaded from this tool, or your answers file "
                         "(JSON)."))
    return content


def embedded(data: bytes, name: str) -> bytes | None:
    """The bytes of the file called `name` embedded in a PDF of ours (`data`), or None when it
    has none (answers.json in an instruction sheet, permit.json in a permit check). Raises
    AnswersError, with a message for the person, for a PDF protected by a password, damaged,
    too complex, or holding a file larger than MAX_BYTES."""
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
            content = _attachment(reader, name)
    except AnswersError:
        raise
    except (DependencyError, FileNotDecryptedError):  # encrypted (AES needs `cryptography`)
        raise _error(PROTECTED)
    except LimitReachedError:
        raise _error(TOO_LARGE)
    except Exception:  # pypdf raises many kinds of error on a damaged file; all mean the same
        raise _error(msg("This PDF is damaged or incomplete: it cannot be read. Download it "
                         "again, or upload your answers file (JSON)."))
    if content is TOO_COMPLEX:
        raise _error(msg("This PDF is too complex to be one of ours: it cannot be read. Upload "
                         "an instruction sheet downloaded from this tool, or your answers file "
                         "(JSON)."))
    if content is not None and len(content) > MAX_BYTES:
        raise _error(TOO_LARGE)
    return content
