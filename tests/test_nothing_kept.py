"""Nothing a person typed stays in the server's memory once their requests are answered.

A fresh Python process builds the app, sends whole journeys with answers full of unusual dates
and permit codes (a resumed file, the check and result pages, a question page showing an
answer, the PDF, answers.json, the calendar, the API in both languages), lets every client go,
and then looks at what every object the garbage collector tracks refers to (a dict's keys and
values, a cache entry's arguments and result, ...) for those dates, as date objects and in each
way the pages write them, and those codes. None may be found: a cache of anything derived from
answers would hold them.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow  # a minute or more in all: `pytest -m "not slow"` skips it

PROBE = textwrap.dedent('''
    import gc, io, json, sys
    from datetime import date

    from webapp import create_app
    from webapp.i18n import format_day
    from webapp.wizard import DOWNLOAD_PATHS

    def marks():
        # Written backwards, so that the forward text exists only where the app made it.
        return [m[::-1] for m in ("91-70-3202", "71-01-4202", "32-01-4202", "92-80-4302",
                                  "WXZQ", "31-30-4202", "11-50-7202", "ZWXQ", "X7ZQ")]

    def initial():
        m = marks()
        return {"format": "impplus-answers/1", "assessment_date": "2024-11-15",
                "purpose": "initial", "residence": "outside_canada",
                "intends_to_live_and_work_in_quebec": True,
                "csq": {"held": True, "category": "skilled_worker", "issued": m[0]},
                "pr_application": {"submitted": False},
                "invitation": {"received": True, "dated": m[1], "received_on": m[2]},
                "channel": "online", "passport_expiry": m[3]}

    def extension():
        m = marks()
        return {"format": "impplus-answers/1", "assessment_date": "2025-06-01",
                "purpose": "extension", "current_permit_code": m[4],
                "current_permit_expiry": m[6],
                "pr_application": {"submitted": True, "submitted_on": m[5],
                                   "status": "in_progress"},
                "passport_expiry": m[3]}

    def family():
        return {"format": "impplus-answers/1", "assessment_date": "2025-06-01",
                "purpose": "family", "family_member": "spouse",
                "principal": {"permit_code": marks()[7], "pr_submitted": False}}

    def journeys(app):
        pages = {"en": ("result", "check-your-answers", "current-permit"),
                 "fr": ("resultat", "verifier-vos-reponses", "permis-actuel")}
        for lang in ("en", "fr"):
            for answers in (initial(), extension(), family()):
                client = app.test_client()
                body = io.BytesIO(json.dumps(answers).encode())
                r = client.post(f"/{lang}/resume", data={"answers_file": (body, "a.json")})
                assert r.status_code == 302, r.status_code
                for page in (*pages[lang], *(DOWNLOAD_PATHS[kind][lang]
                                             for kind in ("pdf", "answers", "ics"))):
                    r = client.get(f"/{lang}/{page}")
                    assert r.status_code in (200, 302, 404), (page, r.status_code)
                r = client.post(f"/{lang}/{pages[lang][2]}", data={"code": marks()[8]})
                assert r.status_code in (302, 400), r.status_code
                r = client.post(f"/api/v1/assessments?lang={lang}", json=answers)
                assert r.status_code == 200, r.status_code

    def spellings():
        out = []
        for mark in marks():
            out.append(mark)
            if mark[:2] == "20":
                day = date.fromisoformat(mark)
                out += [format_day(day, "en"), format_day(day, "fr")]
        return out

    def kept(wanted):
        """What refers to a marked text or date, among all objects the collector tracks (their
        referents: a dict's keys and values, a cache entry's arguments and result...)."""
        days = {date.fromisoformat(w) for w in wanted if w[:2] == "20" and w[4:5] == "-"}
        found = []
        for obj in gc.get_objects():
            if obj is wanted or obj is days:
                continue
            for item in gc.get_referents(obj):
                if type(item) is date and item in days:
                    found.append((str(item), type(obj).__name__, "a date"))
                    continue
                if isinstance(item, bytes):
                    item = item.decode("latin-1")
                if isinstance(item, str):
                    found += [(w, type(obj).__name__, item[:120]) for w in wanted if w in item]
        return found

    def main():
        app = create_app("test")
        journeys(app)
        gc.collect()
        found = kept(spellings())
        print(json.dumps(found))

    main()
''')


def test_no_answer_stays_in_memory_after_the_requests():
    run = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    found = run.stdout.strip().splitlines()[-1]
    assert found == "[]", f"answers kept in memory: {found}"
