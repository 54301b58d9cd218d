"""The timeline of the person's dates (issue 17, item 7): InstructionSheet.timeline, its layout
(webapp.timeline), the result page's drawing and list, and the PDF's table."""

from __future__ import annotations

import io
import json
import re
from datetime import date

import pytest
from pypdf import PdfReader

from conftest import BASES, EXAMPLES, build_answers, load_scenarios
from test_pages import parse, url
from webapp import pdf
from webapp.rules import assess, parse_answers
from webapp.sheet import InstructionSheet
from webapp.timeline import geometry

NBSP = "\u00a0"
E01 = json.loads((EXAMPLES / "e01_outside_canada_eligible.json").read_text())["answers"]
FAMILY = {**BASES["v2_family"], "principal": {**BASES["v2_family"]["principal"],
                                              "applying_together": False}}


def timeline(answers: dict, lang: str) -> list[dict]:
    return InstructionSheet.build(assess(parse_answers(answers)), lang).timeline


def rows(answers: dict, lang: str) -> list[tuple[str, str, str]]:
    return [(t["date"], t["kind"], t["label"]) for t in timeline(answers, lang)]


def test_a_first_application_has_its_csq_letter_deadline_and_permit_dates():
    assert rows(E01, "en") == [
        ("2023-12-01", "csq_issued", "CSQ issued"),
        ("2024-10-20", "letter_dated", "Date on the letter of invitation"),
        ("2024-10-25", "letter_received", "Letter of invitation received"),
        ("2024-11-15", "assessment_date", "Date of this assessment"),
        ("2025-01-23", "submission_deadline", "Last day to submit"),
        ("2025-12-01", "csq_expiry", "CSQ expiry"),
        ("2027-11-15", "permit_end",
         "End of the permit, if issued on the date of this assessment"),
    ]
    fr = timeline(E01, "fr")
    assert [t["label"] for t in fr] == [
        "Délivrance du CSQ", "Date inscrite sur la lettre d’invitation",
        "Réception de la lettre d’invitation", "Date de cette évaluation",
        "Dernier jour pour présenter la demande", "Expiration du CSQ",
        "Fin du permis, s’il est délivré à la date de cette évaluation"]
    assert fr[0]["day"] == f"1er{NBSP}décembre{NBSP}2023"
    assert fr[4]["day"] == f"23{NBSP}janvier{NBSP}2025"


def test_a_first_application_shows_only_the_dates_it_knows():
    answers = build_answers("outside", {"csq.issued": "<delete>", "csq.expires": "<delete>",
                                        "invitation.received_on": "<delete>"})
    kinds = [t["kind"] for t in timeline(answers, "en")]
    assert "csq_issued" not in kinds and "letter_received" not in kinds
    assert kinds[0] in ("letter_dated", "pr_submitted", "assessment_date")


def test_a_first_application_past_its_days_shows_when_they_ended():
    """Not eligible: no last day to submit (CONTRACT.md v2), but the end of the days after the
    letter, as the rules worked it out."""
    a = assess(parse_answers({**BASES["outside"], "assessment_date": "2025-06-01"}))
    kinds = {t["kind"]: t for t in InstructionSheet.build(a, "en").timeline}
    assert "submission_deadline" not in kinds and "permit_end" not in kinds
    assert kinds["window_end"]["date"] == a.submission_window_end.isoformat()
    assert kinds["window_end"]["label"] == "End of the 90 days after the letter"
    fr = {t["kind"]: t for t in InstructionSheet.build(a, "fr").timeline}
    assert fr["window_end"]["label"] == "Fin des 90 jours suivant la lettre"


def test_an_extension_has_the_current_permit_and_the_new_permit():
    assert rows(BASES["v2_extension"], "en") == [
        ("2024-02-01", "pr_submitted", "Permanent residence application submitted"),
        ("2025-06-01", "assessment_date", "Date of this assessment"),
        ("2025-08-01", "current_permit_expiry", "Expiry of your current permit"),
        ("2026-06-01", "permit_end",
         "End of the permit, if issued on the date of this assessment"),
    ]
    assert [t["label"] for t in timeline(BASES["v2_extension"], "fr")] == [
        "Demande de résidence permanente présentée", "Date de cette évaluation",
        "Expiration de votre permis actuel",
        "Fin du permis, s’il est délivré à la date de cette évaluation"]
    # The passport expires after the new permit would end: it does not matter here.
    assert "passport_expiry" not in [t["kind"] for t in timeline(BASES["v2_extension"], "en")]


def test_an_expired_permit_shows_the_last_day_to_restore_the_status():
    """Issue 17 (seen in the walk): an extension asked for after the permit expired; the line
    shows the last day to apply to restore the status (IRPR s. 182: 90 days), 2025-07-30 for a
    permit that expired on 2025-05-01, whether that day is still ahead or already past."""
    expired = {**BASES["v2_extension"], "current_permit_expiry": "2025-05-01"}
    assert rows(expired, "en") == [
        ("2024-02-01", "pr_submitted", "Permanent residence application submitted"),
        ("2025-05-01", "current_permit_expiry", "Expiry of your current permit"),
        ("2025-06-01", "assessment_date", "Date of this assessment"),
        ("2025-07-30", "restoration_end", "Last day to apply to restore your status"),
    ]
    assert timeline(expired, "fr")[-1]["label"] == \
        "Dernier jour pour demander le rétablissement de votre statut"
    late = {**expired, "assessment_date": "2025-09-01"}
    assert [t["kind"] for t in timeline(late, "en")][-2:] == ["restoration_end",
                                                              "assessment_date"]
    assert "restoration_end" not in [t["kind"] for t in timeline(BASES["v2_extension"], "en")]


def test_a_family_member_has_the_principals_permit_the_6_month_line_and_the_passport():
    assert rows(FAMILY, "en") == [
        ("2025-06-01", "assessment_date", "Date of this assessment"),
        ("2025-12-01", "principal_needed_until", "6 months after this assessment: the "
         "principal applicant must be authorized to work until at least this day"),
        ("2027-06-01", "principal_permit_expiry", "Expiry of the principal applicant’s permit"),
        ("2030-01-01", "passport_expiry", "Passport expiry"),
    ]
    assert [t["label"] for t in timeline(FAMILY, "fr")] == [
        "Date de cette évaluation",
        f"6 mois après cette évaluation{NBSP}: le demandeur principal doit être autorisé à "
        "travailler au moins jusqu’à ce jour",
        "Expiration du permis du demandeur principal", "Expiration du passeport"]
    # The 6-month line is the one the criterion used (Assessment.principal_needed_until).
    a = assess(parse_answers(FAMILY))
    assert a.principal_needed_until == date(2025, 12, 1) and a.principal_months == 6


def test_a_family_member_applying_with_the_principal_has_no_6_month_line():
    together = {**FAMILY, "principal": {**FAMILY["principal"], "applying_together": True}}
    assert "principal_needed_until" not in [t["kind"] for t in timeline(together, "en")]


def test_a_passport_that_cuts_the_permit_short_is_on_the_line():
    answers = {**E01, "passport_expiry": "2026-03-01"}
    last = [(t["date"], t["kind"]) for t in timeline(answers, "en")][-2:]
    assert last == [("2026-03-01", "permit_end"), ("2026-03-01", "passport_expiry")]


def all_answers():
    out = [("e01", E01), ("family", FAMILY)]
    out += [(p.stem, json.loads(p.read_text())["answers"]) for p in sorted(EXAMPLES.glob("*.json"))]
    out += [(case.id, build_answers(case.values[0]["base"], case.values[0].get("set")))
            for case in load_scenarios(True)]
    return out


@pytest.mark.parametrize("units", [dict(width=720, char=7.6, line=17),
                                   dict(width=500, char=4.3, line=8.5, pad=4)])
def test_every_timeline_is_sorted_and_laid_out_without_overlap(units):
    for name, answers in all_answers():
        a = assess(parse_answers(answers))
        items = InstructionSheet.build(a, "fr").timeline
        assert [t["date"] for t in items] == sorted(t["date"] for t in items), name
        if not items:  # only the assessment's date known: no timeline
            continue
        g = geometry(items, **units)
        marks = list(g.marks)
        assert len(marks) == len({t["date"] for t in items}), name
        xs = [m.x for m in marks]
        assert xs == sorted(xs) and all(g.x0 <= x <= g.x1 for x in xs), name
        for m in marks:
            right = m.left + max(len(s) for s in m.lines) * units["char"]
            assert g.x0 - 1e-6 <= m.left and right <= g.x1 + 1e-6, name
            assert 0 <= min(m.tops) and max(m.tops) + units["line"] <= g.height, name
        for side in ("above", "below"):
            same = [m for m in marks if (m.y2 < g.axis) == (side == "above")]
            for one, two in zip(same, same[1:]):  # in date order, left to right, apart
                assert one.left + max(len(s) for s in one.lines) * units["char"] <= two.left, name
                assert one.x2 <= two.x2, name  # leaders do not cross


def test_marks_are_proportional_to_the_dates():
    items = [{"date": d, "day": d, "label": "x", "kind": "k"}
             for d in ("2024-01-01", "2024-01-11", "2024-01-31")]
    g = geometry(items, width=320, char=5, line=10, pad=10)
    assert [round(m.x, 6) for m in g.marks] == [10, 110, 310]
    one = geometry(items[:1], width=320, char=5, line=10, pad=10)
    assert one.marks[0].x == 160
    assert geometry([], width=320, char=5, line=10) is None


def result_page(client, lang: str, answers: dict):
    r = client.post(f"/{lang}/resume", content_type="multipart/form-data", data={
        "answers_file": (io.BytesIO(json.dumps(answers).encode()), "mine.json")})
    assert r.status_code == 302
    return parse(client.get(url(lang, "result")))


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("answers", [E01, FAMILY], ids=["e01", "family"])
def test_the_result_page_draws_the_dates_and_lists_them(client, lang, answers):
    expected = timeline(answers, lang)
    doc = result_page(client, lang, answers)
    section = doc.one("section", class_="timeline")
    assert section.one("h2").text() == {"en": "Your dates", "fr": "Vos dates"}[lang]
    svg = section.one("svg")
    assert svg.get("aria-hidden") == "true" and svg.get("viewbox", svg.get("viewBox"))
    assert not any("style" in n.attrs for n in [svg, *svg.iter()])
    items = section.one("ol", class_="timeline-list").find_all("li")
    assert [li.one("time").get("datetime") for li in items] == [t["date"] for t in expected]
    assert [li.text() for li in items] == [f'{t["day"]} — {t["label"]}' for t in expected]
    drawn = " ".join(t.text() for t in svg.find_all("tspan"))
    for t in expected:  # the drawing shows the same days
        assert t["day"] in drawn
    # after "Key facts", before the criteria
    headings = [h.text() for h in doc.find_all("h2")]
    assert headings.index(section.one("h2").text()) == 1 + headings.index(
        {"en": "Key facts", "fr": "Renseignements clés"}[lang])


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("answers", [E01, FAMILY], ids=["e01", "family"])
def test_the_pdf_lists_the_dates_in_order(lang, answers):
    sheet = InstructionSheet.build(assess(parse_answers(answers)), lang)
    reader = PdfReader(io.BytesIO(pdf.render(sheet, answers)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    heading = {"en": "Your dates", "fr": "Vos dates"}[lang]
    assert heading in text
    table = text[text.rindex(heading):]
    flat = re.sub(r"\s+", " ", table.replace(NBSP, " "))
    at = 0
    for t in sheet.timeline:  # the table's rows, in order: the day, then what it is
        row = re.sub(r"\s+", " ", f'{t["day"]} {t["label"]}'.replace(NBSP, " "))
        found = flat.find(row, at)
        assert found >= 0, (row, flat[:600])
        at = found + len(row)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_assessment_date_alone_is_no_timeline(lang):
    """A Quebec resident answers nothing dated: no "Your dates" section with one mark."""
    sheet = InstructionSheet.build(assess(parse_answers(
        {"purpose": "initial", "residence": "quebec", "assessment_date": "2026-11-30"})), lang)
    assert sheet.timeline == []


def test_the_svg_has_a_mark_per_date_and_escapes_the_labels():
    """webapp.timeline_svg writes the drawing the template used to: one <g> per mark, classed
    by its kinds, the date in bold first; the labels are escaped (numbers need not be)."""
    from webapp.timeline_svg import svg

    items = [{"date": "2025-01-01", "day": "January 1, 2025", "label": "A <b>&", "kind": "x"},
             {"date": "2025-03-01", "day": "March 1, 2025", "label": "B", "kind": "y"}]
    out = str(svg(geometry(items, width=720, char=7.6, line=17)))
    assert out.startswith('<svg class="timeline-drawing" viewBox="0 0 720 ')
    assert out.count("<g class=") == 2 and 'class="timeline-mark  mark-x"' in out
    assert "A &lt;b&gt;&amp;" in out and "<b>" not in out
    assert '<tspan x="8.0" y="' in out and 'font-weight="700">January 1, 2025</tspan>' in out
    assert out.endswith("</svg>")
