"""Render a broad sample of pages and downloads into a folder, to compare before and after a
change that must not alter what people see.

    python3 scripts/sample_pages.py OUT_DIR
    diff -r BEFORE_DIR AFTER_DIR

For every worked example, scenario and base answers file of the tests, in English and French, it
restores the file through the start page's upload and saves every question page on its branch,
the check-your-answers page, the result page, the answers file, the calendar, the PDF (its text,
metadata and embedded answers: the bytes carry a creation time) and the API's answer; then the
start, error and "start again" pages. CSRF tokens are replaced by a fixed word (each session
signs its own), and the calendar's DTSTAMP by a fixed word. It writes only into OUT_DIR and
reads only the repository.
"""

from __future__ import annotations

import copy
import io
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from pypdf import PdfReader  # noqa: E402

from conftest import BASES, build_answers  # noqa: E402
from webapp import create_app, flow  # noqa: E402
from webapp.wizard import DOWNLOAD_PATHS  # noqa: E402

TOKEN = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+(")|(value=")[^"]+(" name="csrf_token")')


STAMP = re.compile(rb"DTSTAMP:[0-9TZ]+")  # when the file was made


def answers_files() -> dict[str, dict]:
    """name -> answers file: the worked examples, the scenarios (base + changes), the bases."""
    out: dict[str, dict] = {}
    for path in sorted((ROOT / "tests" / "examples").glob("*.json")):
        out["example-" + path.stem] = json.loads(path.read_text(encoding="utf-8"))["answers"]
    for path in sorted((ROOT / "tests" / "scenarios").glob("*.json")):
        for i, case in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            data = build_answers(case["base"], case.get("set"))
            if "on" in case:
                data["assessment_date"] = case["on"]
            out[f"{path.stem}-{i:03d}"] = data
    for name, data in BASES.items():
        if data:
            out["base-" + name] = copy.deepcopy(data)
    return out


def _clean(body: bytes) -> bytes:
    text = body.decode("utf-8")
    text = TOKEN.sub(lambda m: (m.group(1) or m.group(3)) + "TOKEN" + (m.group(2) or m.group(4)),
                     text)
    return text.encode("utf-8")


def _pdf_summary(body: bytes) -> bytes:
    reader = PdfReader(io.BytesIO(body))
    meta = {k: str(v) for k, v in (reader.metadata or {}).items()
            if k not in ("/CreationDate", "/ModDate")}
    parts = [json.dumps(meta, sort_keys=True, ensure_ascii=False)]
    parts += [page.extract_text() for page in reader.pages]
    for name, contents in reader.attachments.items():
        parts += [name] + [c.decode("utf-8") for c in contents]
    return "\n\f\n".join(parts).encode("utf-8")


def sample(out: Path) -> int:
    app = create_app("test")
    n = 0

    def save(name: str, status: int, body: bytes) -> None:
        nonlocal n
        (out / name).write_bytes(f"{status}\n".encode() + body)
        n += 1

    for name, data in answers_files().items():
        for lang in ("en", "fr"):
            client = app.test_client()
            upload = {"answers_file": (io.BytesIO(json.dumps(data).encode()), "a.json")}
            r = client.post(f"/{lang}/resume", data=upload, content_type="multipart/form-data")
            save(f"{name}.{lang}.resume", r.status_code, r.headers.get("Location", "").encode()
                 + b"\n" + _clean(r.data))
            with client.session_transaction() as s:
                answers, done = s.get("a", {}), set(s.get("done", []))
            visited, _nxt = flow.path(answers, done)
            for node in visited:
                slug = flow.QUESTIONS[node].slug(lang)
                r = client.get(f"/{lang}/{slug}")
                save(f"{name}.{lang}.q-{node}.html", r.status_code, _clean(r.data))
            for page in ("check-your-answers", "result") if lang == "en" else (
                    "verifier-vos-reponses", "resultat"):
                r = client.get(f"/{lang}/{page}")
                save(f"{name}.{lang}.{page}.html", r.status_code, _clean(r.data))
            r = client.get(f"/{lang}/{DOWNLOAD_PATHS['answers'][lang]}")
            save(f"{name}.{lang}.answers.json", r.status_code, r.data)
            r = client.get(f"/{lang}/{DOWNLOAD_PATHS['ics'][lang]}")
            save(f"{name}.{lang}.dates.ics", r.status_code, STAMP.sub(b"DTSTAMP:NOW", r.data))
            r = client.get(f"/{lang}/{DOWNLOAD_PATHS['pdf'][lang]}")
            save(f"{name}.{lang}.pdf.txt", r.status_code,
                 _pdf_summary(r.data) if r.status_code == 200 else r.data)
            r = client.post(f"/api/v1/assessments?lang={lang}", json=data)
            save(f"{name}.{lang}.api.json", r.status_code, r.data)
    client = app.test_client()
    for path in ("/", "/en/", "/fr/", "/en/nowhere", "/fr/nulle-part", "/en/start-again",
                 "/fr/recommencer", "/en/purpose", "/fr/objet", "/en/result", "/api/v1/x",
                 "/api/v1/openapi.json"):
        r = client.get(path, headers={"Accept-Language": "fr-CA"})
        save("page" + path.replace("/", "_") + ".html", r.status_code,
             r.headers.get("Location", "").encode() + b"\n" + _clean(r.data))
    return n


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    print(f"{sample(target)} files written to {target}")
