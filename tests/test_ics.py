"""Calendar reminders: webapp.ics.calendar_file, GET /<lang>/dates.ics and the result page's
"Dates to remember".

Which dates (webapp.rules.reminders): the last day to submit a first application, when it is on
or after the assessment date; for an extension with the current permit's expiry, a reminder to
apply `extension_reminder_days` (webapp/rules/parameters.toml) before it, when that is on or after
the assessment date, and the expiry day itself. Files are read back with icalendar.
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timedelta, timezone

import pytest
from icalendar import Calendar

from conftest import EXAMPLES, build_answers
from webapp import flow
from webapp.ics import SEQUENCE_EPOCH, calendar_file, sequence
from webapp.report import report
from webapp.rules import assess, parse_answers
from webapp.rules.parameters import snapshot
from webapp.rules.sources import MANUAL
from webapp.wizard import PAGES
from webapp.wizard import DOWNLOAD_PATHS

LANGS = ("en", "fr")
E01 = EXAMPLES / "e01_outside_canada_eligible.json"
E05 = EXAMPLES / "e05_family_spouse_principal_applied_for_pr.json"
E01_ON = date(2024, 11, 15)
E01_DEADLINE = date(2025, 1, 23)  # received 2024-10-25 + 90 days
EXT_ON = date(2025, 6, 1)  # conftest BASES["extension"]

PDF_PATH = {lang: f"/{lang}/{DOWNLOAD_PATHS['pdf'][lang]}" for lang in ("en", "fr")}

SUMMARIES = {
    "submission_deadline": {"en": "Last day to submit your IMP+ work permit application (A76)",
                            "fr": "Dernier jour pour présenter votre demande de permis de "
                                  "travail du PMI+ (A76)"},
    "apply_for_extension": {"en": "Apply to extend your A76 work permit",
                            "fr": "Demander la prolongation de votre permis de travail A76"},
    "permit_expires": {"en": "Your A76 work permit expires",
                       "fr": "Votre permis de travail A76 expire"},
}
SUGGESTION = {"en": "Our suggestion", "fr": "Notre suggestion"}
MANUAL_TITLE = {"en": "A76 manual, opening paragraphs",
                "fr": "Guide A76, paragraphes d’introduction"}
ICS_NAMES = {"en": "impplus-dates-2024-11-15.ics", "fr": "verif-pmi-dates-2024-11-15.ics"}


# ------------------------------------------------------------------ helpers

def e01() -> dict:
    return json.loads(E01.read_text(encoding="utf-8"))["answers"]


def extension(expiry: date | None) -> dict:
    """conftest's extension file (assessed 2025-06-01) with the current permit expiring on
    `expiry`."""
    return build_answers("extension", {
        "current_permit_expiry": expiry.isoformat() if expiry else "<delete>"})


def ics(answers: dict, lang: str, on: date | None = None) -> bytes | None:
    return calendar_file(assess(parse_answers(answers), on), lang)


def parsed(body: bytes) -> Calendar:
    assert body is not None
    return Calendar.from_ical(body)


def events(body: bytes) -> list:
    return [c for c in parsed(body).walk() if c.name == "VEVENT"]


def kind(event) -> str:
    """The reminder id an event's UID starts with."""
    return str(event["UID"]).split("-", 1)[0]


def plain(text: str) -> str:
    return str(text).replace("\u00a0", " ").replace("\u202f", " ")


def upload(client, lang: str, answers: dict):
    """Restore `answers` and, as a person would, answer "I don't know" to each question the
    file leaves open, until the check-your-answers page."""
    r = client.post(f"/{lang}/resume", content_type="multipart/form-data", data={
        "answers_file": (io.BytesIO(json.dumps(answers).encode()), "answers.json")})
    check = f"/{lang}/{PAGES['check'][lang]}"
    for _ in range(len(flow.QUESTIONS)):
        assert r.status_code == 302, r.status_code
        if r.headers["Location"] == check:
            return
        slug = r.headers["Location"].rsplit("/", 1)[1]
        q = flow.BY_SLUG[lang][slug]
        field = {"answer": flow.DONT_KNOW} if q.kind == "choice" else {"dont_know": "1"}
        r = client.post(r.headers["Location"], data=field)
    raise AssertionError(f"no check page after answering every question: {r.headers}")


def result_page(client, lang: str) -> str:
    r = client.get(f"/{lang}/{PAGES['result'][lang]}")
    assert r.status_code == 200
    return r.get_data(as_text=True)


# ------------------------------------------------------------------ 1. the submission deadline

@pytest.mark.parametrize("lang", LANGS)
def test_e01_gives_one_all_day_event_on_the_deadline(lang):
    assessment = assess(parse_answers(e01()), E01_ON)
    body = calendar_file(assessment, lang)
    cal = parsed(body)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]).startswith("-//")
    (event,) = events(body)
    start, end = event["DTSTART"].dt, event["DTEND"].dt
    assert type(start) is date and type(end) is date  # all day, not a moment
    assert start == E01_DEADLINE
    assert start.isoformat() == report(assessment, lang)["submission_deadline"]
    assert end == start + timedelta(days=1)
    assert str(event["SUMMARY"]) == SUMMARIES["submission_deadline"][lang]
    description = plain(event["DESCRIPTION"])
    assert MANUAL in description
    assert MANUAL_TITLE[lang] in description
    assert isinstance(event["DTSTAMP"].dt, datetime)


@pytest.mark.parametrize("lang", LANGS)
def test_each_event_has_alarms_a_week_and_a_day_before(lang):
    (event,) = events(ics(e01(), lang, E01_ON))
    alarms = [c for c in event.walk() if c.name == "VALARM"]
    assert sorted(a["TRIGGER"].dt for a in alarms) == [timedelta(days=-7), timedelta(days=-1)]
    for alarm in alarms:
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert str(alarm["DESCRIPTION"]) == SUMMARIES["submission_deadline"][lang]


def test_the_uid_is_stable_and_the_same_in_both_languages():
    uids = [str(events(ics(e01(), lang, E01_ON))[0]["UID"]) for lang in ("en", "en", "fr")]
    assert len(set(uids)) == 1
    # without a file_id, other answers are another file: other events
    other = build_answers("outside", {"invitation.received_on": "2024-10-26"})
    assert str(events(ics(other, "en", E01_ON))[0]["UID"]) != uids[0]


def test_the_uid_comes_from_the_file_id_so_a_corrected_file_updates_its_event():
    """CONTRACT.md v2: calendar events take their UID from `file_id`; the day corrected, the
    event is the same one; two files never share one."""
    file_id = "0f8b8a52-6c1e-4c77-9d25-2a8f3b9d1e11"
    first = build_answers("outside", {"file_id": file_id})
    fixed = build_answers("outside", {"file_id": file_id, "invitation.received_on": "2024-10-26"})
    uid = str(events(ics(first, "en", E01_ON))[0]["UID"])
    assert file_id in uid and kind(events(ics(first, "en", E01_ON))[0]) == "submission_deadline"
    assert str(events(ics(fixed, "en", E01_ON))[0]["UID"]) == uid
    another = build_answers("outside", {"file_id": "9d1e11aa-6c1e-4c77-9d25-2a8f3b0f8b8a"})
    assert str(events(ics(another, "en", E01_ON))[0]["UID"]) != uid


@pytest.mark.parametrize("lang", LANGS)
def test_the_label_is_in_the_event_titles(lang):
    (event,) = events(ics(build_answers("outside", {"label": "Client 42 – Tremblay"}), lang,
                          E01_ON))
    title = SUMMARIES["submission_deadline"][lang]
    assert str(event["SUMMARY"]) == f"{title} (Client 42 – Tremblay)"


def test_two_files_with_the_same_dates_never_share_a_uid():
    """Two clients with the same letter date: the same day in the calendar, two events."""
    made = datetime(2025, 3, 1, 12, tzinfo=timezone.utc)
    uids, days = set(), set()
    for i, label in enumerate(("Client 1", "Client 2", None)):
        answers = build_answers("outside", {"file_id": f"0f8b8a52-6c1e-4c77-9d25-2a8f3b9d1e1{i}",
                                            **({"label": label} if label else {})})
        (event,) = events(calendar_file(assess(parse_answers(answers), E01_ON), "en", made))
        uids.add(str(event["UID"]))
        days.add(event["DTSTART"].dt)
    assert len(uids) == 3 and days == {E01_DEADLINE}


def test_a_corrected_file_keeps_the_uid_with_a_higher_sequence_and_a_later_dtstamp():
    """RFC 5545 3.8.7.4 and RFC 5546 2.1.5: a calendar program takes an event with the same
    UID as an update when its SEQUENCE is higher; it grows with the moment the file is made."""
    file_id = "0f8b8a52-6c1e-4c77-9d25-2a8f3b9d1e11"
    first_made = datetime(2025, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
    first = build_answers("outside", {"file_id": file_id, "label": "Tremblay"})
    fixed = build_answers("outside", {"file_id": file_id, "label": "Tremblay",
                                      "invitation.received_on": "2024-10-26"})
    (old,) = events(calendar_file(assess(parse_answers(first), E01_ON), "en", first_made))
    (new,) = events(calendar_file(assess(parse_answers(fixed), E01_ON), "fr",
                                  first_made + timedelta(seconds=1)))
    assert str(new["UID"]) == str(old["UID"])
    assert new["DTSTART"].dt == old["DTSTART"].dt + timedelta(days=1)
    assert int(new["SEQUENCE"]) > int(old["SEQUENCE"]) >= 0
    assert new["DTSTAMP"].dt > old["DTSTAMP"].dt
    assert old["DTSTAMP"].dt == first_made
    assert "Tremblay" in str(old["SUMMARY"]) and "Tremblay" in str(new["SUMMARY"])
    # a file made a day later, from the same answers, still beats the first
    (later,) = events(calendar_file(assess(parse_answers(first), E01_ON), "en",
                                    first_made + timedelta(days=1)))
    assert int(later["SEQUENCE"]) == int(old["SEQUENCE"]) + 86400


def test_the_sequence_is_a_32_bit_integer_for_decades_and_the_clock_is_the_default():
    assert sequence(SEQUENCE_EPOCH - timedelta(days=1)) == 0
    assert sequence(datetime(2092, 12, 31, tzinfo=timezone.utc)) < 2**31 - 1
    assert sequence(datetime(9999, 1, 1, tzinfo=timezone.utc)) == 2**31 - 1
    before = sequence(datetime.now(timezone.utc))
    (event,) = events(ics(e01(), "en", E01_ON))
    assert before <= int(event["SEQUENCE"]) <= before + 5
    assert event["DTSTAMP"].dt.tzinfo is not None and "DTSTAMP:" in event.to_ical().decode()


def test_no_reminder_to_submit_for_someone_not_eligible():
    """CONTRACT.md v2: no "submit by" for someone who cannot apply."""
    assert ics(build_answers("outside", {"channel": "port_of_entry"}), "en", E01_ON) is None


@pytest.mark.parametrize("on, expected", [
    (E01_ON, 1),
    (E01_DEADLINE - timedelta(days=1), 1),
    (E01_DEADLINE, 1),  # the last day itself is still ahead
    (E01_DEADLINE + timedelta(days=1), 0),
    (date(2025, 6, 1), 0),
])
def test_after_the_deadline_there_is_no_calendar(on, expected):
    body = ics(e01(), "en", on)
    if expected:
        assert len(events(body)) == expected
    else:
        assert body is None


def test_no_letter_date_no_calendar():
    assert ics(build_answers("outside", {"invitation.dated": "<delete>",
                                         "invitation.received_on": "<delete>"}), "en") is None


# ------------------------------------------------------------------ 2. the download and the page

@pytest.mark.parametrize("lang", LANGS)
def test_dates_ics_download_when_the_deadline_is_ahead(client, lang):
    upload(client, lang, e01())  # assessed as of its own date, 2024-11-15
    r = client.get(f"/{lang}/dates.ics")
    assert r.status_code == 200
    assert r.mimetype == "text/calendar"
    assert r.headers["Content-Disposition"] == f'attachment; filename="{ICS_NAMES[lang]}"'
    assert "no-store" in r.headers["Cache-Control"]
    (event,) = events(r.data)
    assert event["DTSTART"].dt == E01_DEADLINE
    assert str(event["SUMMARY"]) == SUMMARIES["submission_deadline"][lang]
    page = result_page(client, lang)
    assert 'id="dates"' in page
    assert ("Dates to remember" if lang == "en" else "Dates à retenir") in page
    assert f'href="/{lang}/dates.ics"' in page


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("answers", [
    pytest.param({**e01(), "assessment_date": "2025-02-01"}, id="assessed-after-the-deadline"),
    pytest.param(json.loads((EXAMPLES / "e04_today_window_closed.json").read_text(
        encoding="utf-8"))["answers"], id="e04-today"),
    pytest.param(json.loads(E05.read_text(encoding="utf-8"))["answers"], id="e05-family"),
])
def test_dates_ics_is_404_when_nothing_is_ahead(client, lang, answers):
    upload(client, lang, answers)
    assert client.get(f"/{lang}/dates.ics").status_code == 404
    page = result_page(client, lang)
    assert 'id="dates"' not in page
    assert "dates.ics" not in page
    assert ("Dates to remember" if lang == "en" else "Dates à retenir") not in page


# ------------------------------------------------------------------ 3. extensions

def test_the_reminder_parameter_is_90_days():
    assert snapshot(EXT_ON)["extension_reminder_days"] == 90


@pytest.mark.parametrize("lang", LANGS)
def test_extension_200_days_ahead_gives_two_events(lang):
    days = snapshot(EXT_ON)["extension_reminder_days"]
    expiry = EXT_ON + timedelta(days=200)
    found = {kind(e): e for e in events(ics(extension(expiry), lang))}
    assert sorted(found) == ["apply_for_extension", "permit_expires"]
    apply, expires = found["apply_for_extension"], found["permit_expires"]
    assert apply["DTSTART"].dt == expiry - timedelta(days=days)
    assert apply["DTEND"].dt == expiry - timedelta(days=days - 1)
    assert expires["DTSTART"].dt == expiry
    assert expires["DTEND"].dt == expiry + timedelta(days=1)
    for key, event in found.items():
        assert str(event["SUMMARY"]) == SUMMARIES[key][lang]
        assert len([c for c in event.walk() if c.name == "VALARM"]) == 2
    # the day to apply is our suggestion, and says so; the expiry is the manual's
    assert SUGGESTION[lang] in plain(apply["DESCRIPTION"])
    assert f"{days} " in plain(apply["DESCRIPTION"])
    assert SUGGESTION[lang] not in plain(expires["DESCRIPTION"])
    assert f"{MANUAL}#extensions" in str(expires["DESCRIPTION"])


@pytest.mark.parametrize("lang", LANGS)
def test_an_extension_assessed_before_the_programme_began_still_has_its_expiry(client, lang):
    """Before 2022-05-24 our reminder's number of days has no value: no reminder to apply, but
    the expiry day is still there, on the page, in the PDF and in the calendar (this raised a
    TypeError, so the result page, the PDF and the calendar failed)."""
    on = date(2022, 3, 1)
    assert snapshot(on)["extension_reminder_days"] is None
    answers = {**extension(date(2022, 9, 1)), "assessment_date": on.isoformat()}
    found = {kind(e): e for e in events(ics(answers, lang))}
    assert sorted(found) == ["permit_expires"]
    assert found["permit_expires"]["DTSTART"].dt == date(2022, 9, 1)
    upload(client, lang, answers)
    assert 'id="dates"' in result_page(client, lang)
    assert client.get(f"/{lang}/dates.ics").status_code == 200
    assert client.get(PDF_PATH[lang]).status_code == 200


def test_extension_description_writes_the_expiry_day_in_the_language():
    expiry = EXT_ON + timedelta(days=200)  # 2025-12-18
    text = {lang: plain({kind(e): e for e in events(ics(extension(expiry), lang))}[
        "apply_for_extension"]["DESCRIPTION"]) for lang in LANGS}
    assert "December 18, 2025" in text["en"]
    assert "18 décembre 2025" in text["fr"]


@pytest.mark.parametrize("offset, expected", [
    (200, ["apply_for_extension", "permit_expires"]),
    (91, ["apply_for_extension", "permit_expires"]),
    (90, ["apply_for_extension", "permit_expires"]),  # apply by today: still on or after it
    (89, ["permit_expires"]),
    (30, ["permit_expires"]),
    (0, ["permit_expires"]),  # expires on the assessment date itself
    (-1, None),
    (-400, None),
])
def test_extension_reminders_by_expiry(offset, expected):
    body = ics(extension(EXT_ON + timedelta(days=offset)), "en")
    if expected is None:
        assert body is None
    else:
        assert sorted(kind(e) for e in events(body)) == expected


def test_extension_without_expiry_gives_no_calendar():
    assert ics(extension(None), "en") is None


@pytest.mark.parametrize("lang", LANGS)
def test_extension_download_and_result_page(client, lang):
    upload(client, lang, extension(EXT_ON + timedelta(days=200)))
    r = client.get(f"/{lang}/dates.ics")
    assert r.status_code == 200 and r.mimetype == "text/calendar"
    assert sorted(kind(e) for e in events(r.data)) == ["apply_for_extension", "permit_expires"]
    page = result_page(client, lang)
    assert 'id="dates"' in page and f'href="/{lang}/dates.ics"' in page
    assert SUGGESTION[lang] in plain(page)


def test_first_application_ignores_a_current_permit_expiry():
    answers = build_answers("outside", {"current_permit_expiry": "2025-06-01"})
    assert [kind(e) for e in events(ics(answers, "en", E01_ON))] == ["submission_deadline"]


# ------------------------------------------------------------------ 4. family members

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("answers", [
    pytest.param(build_answers("family"), id="family"),
    pytest.param(json.loads(E05.read_text(encoding="utf-8"))["answers"], id="e05"),
    pytest.param(build_answers("family", {"invitation": {"received": True,
                                                         "received_on": "2025-05-30"},
                                          "current_permit_expiry": "2026-01-01"}),
                 id="family-with-letter-and-permit-dates"),
])
def test_family_purpose_gives_no_calendar(lang, answers):
    assert ics(answers, lang) is None
