"""The wizard's flow, node by node, in the style of alphagov/smart-answers' flow tests.

For every node: given the earlier answers, each possible answer leads to the node asserted here.
Then `path()` and `effective_answers()` (which answers count once the user changes branch), and
the shape of the graph itself (`edges()`).
"""

import copy
import functools
from collections import deque

import pytest

from conftest import BASES, build_answers
from webapp import flow
from webapp.flow import CHECK, FIRST, QUESTIONS, edges, effective_answers, next_node, path

PURPOSES = ("initial", "extension", "family")


def answers_with(base: dict | None = None, **fields) -> dict:
    """A copy of `base` with dotted fields set (use "__" for the dots: csq__held=True)."""
    out = copy.deepcopy(base or {})
    for key, value in fields.items():
        flow.put(out, key.replace("__", "."), value)
    return out


def value_of(node: str, key: str):
    """The stored value of the choice whose form key is `key`."""
    return {c.key: c.value for c in QUESTIONS[node].choices}[key]


def next_for(node: str, key: str, earlier: dict | None = None) -> str:
    """The node after `node` when it is answered with the choice `key`, given `earlier` answers
    (the wizard's state: a family member's own answers under "family")."""
    answers = copy.deepcopy(earlier or {})
    flow.put(answers, QUESTIONS[node].key, value_of(node, key))
    return next_node(node, answers)


def test_the_flow_starts_with_purpose():
    assert FIRST == "purpose"
    assert next_node("assessment_date", {}) == "purpose"
    assert next_node("assessment_date", {"assessment_date": "2024-11-15"}) == "purpose"


def test_unknown_node_is_an_error():
    with pytest.raises(KeyError):
        next_node("no_such_question", {})


# ------------------------------------------------------------------ purpose

@pytest.mark.parametrize("key, expected", [
    ("initial", "residence"),
    ("extension", "current_permit_code"),
    ("family", "family_member"),
])
def test_purpose(key, expected):
    assert next_for("purpose", key) == expected


def test_purpose_choices_are_exactly_the_three_branches():
    assert [c.key for c in QUESTIONS["purpose"].choices] == list(PURPOSES)


# ------------------------------------------------------------------ first permit

INITIAL = {"purpose": "initial"}


@pytest.mark.parametrize("key, expected", [
    ("outside_canada", "intends_to_live_and_work_in_quebec"),
    ("canada_outside_quebec", "status_in_canada"),
    ("quebec", CHECK),  # living in Quebec settles it: not eligible
    ("dont_know", "holds_r206_permit"),  # perhaps in Canada: an R206 permit counts (v2)
])
def test_residence(key, expected):
    assert next_for("residence", key, INITIAL) == expected


def test_residence_covers_every_choice():
    assert {c.key for c in QUESTIONS["residence"].choices} == {
        "outside_canada", "canada_outside_quebec", "quebec", "dont_know"}


IN_CANADA = {"purpose": "initial", "residence": "canada_outside_quebec"}


@pytest.mark.parametrize("key, expected", [
    ("valid", "holds_r206_permit"),
    ("restorable", "holds_r206_permit"),
    ("none", CHECK),  # no status and cannot restore it: ends early
    ("dont_know", "holds_r206_permit"),
])
def test_status_in_canada(key, expected):
    assert next_for("status_in_canada", key, IN_CANADA) == expected


@pytest.mark.parametrize("key, expected", [
    ("yes", CHECK),  # an R206 permit holder is not eligible: ends early
    ("no", "can_apply_from_inside_canada"),
    ("dont_know", "can_apply_from_inside_canada"),
])
def test_holds_r206_permit(key, expected):
    earlier = answers_with(IN_CANADA, status_in_canada="valid")
    assert next_for("holds_r206_permit", key, earlier) == expected


@pytest.mark.parametrize("key, expected", [
    ("yes", CHECK),
    ("no", "intends_to_live_and_work_in_quebec"),  # the in-Canada questions need a residence
    ("dont_know", "intends_to_live_and_work_in_quebec"),
])
def test_holds_r206_permit_when_the_residence_is_not_known(key, expected):
    earlier = answers_with(INITIAL, residence=None)
    assert next_for("holds_r206_permit", key, earlier) == expected


@pytest.mark.parametrize("residence, goes_on", [
    ("canada_outside_quebec", "can_apply_from_inside_canada"),
    (None, "intends_to_live_and_work_in_quebec"),
])
def test_holds_r206_permit_goes_on_to_the_next_question_of_its_branch(residence, goes_on):
    answers = answers_with(INITIAL, residence=residence, holds_r206_permit=True)
    assert flow.goes_on("holds_r206_permit", answers) == goes_on


@pytest.mark.parametrize("key", ["yes", "no", "dont_know"])
def test_can_apply_from_inside_canada(key):
    earlier = answers_with(IN_CANADA, status_in_canada="valid", holds_r206_permit=False)
    assert next_for("can_apply_from_inside_canada", key, earlier) == \
        "intends_to_live_and_work_in_quebec"


@pytest.mark.parametrize("residence", ["outside_canada", "canada_outside_quebec", None])
@pytest.mark.parametrize("key", ["yes", "no", "dont_know"])
def test_intends_to_live_and_work_in_quebec(residence, key):
    earlier = answers_with(INITIAL, residence=residence)
    assert next_for("intends_to_live_and_work_in_quebec", key, earlier) == "csq_held"


def test_csq_held_has_no_dont_know():
    assert [c.key for c in QUESTIONS["csq_held"].choices] == ["yes", "no"]
    assert QUESTIONS["csq_held"].dont_know is False


@pytest.mark.parametrize("key, expected", [
    ("yes", "csq_category"),
    ("no", CHECK),  # no CSQ: ends early
])
def test_csq_held(key, expected):
    earlier = answers_with(INITIAL, residence="outside_canada",
                           intends_to_live_and_work_in_quebec=True)
    assert next_for("csq_held", key, earlier) == expected


@pytest.mark.parametrize("key, expected", [
    ("skilled_worker", "csq_issued"),
    ("pilot_ai_it_vfx", "csq_issued"),
    ("other", CHECK),  # another programme: ends early
    ("dont_know", "csq_issued"),
])
def test_csq_category(key, expected):
    earlier = answers_with(INITIAL, residence="outside_canada", csq__held=True)
    assert next_for("csq_category", key, earlier) == expected


@pytest.mark.parametrize("issued", ["2023-12-01", None])  # a date, or "I don't know"
def test_csq_issued(issued):
    earlier = answers_with(INITIAL, csq__held=True, csq__category="skilled_worker")
    earlier = answers_with(earlier, csq__issued=issued)
    assert next_node("csq_issued", earlier) == "pr_submitted"


@pytest.mark.parametrize("key, expected", [
    ("yes", "pr_submitted_on"),  # the date is asked for a first permit only
    ("no", "invitation_received"),
    ("dont_know", "invitation_received"),
])
def test_pr_submitted_initial(key, expected):
    earlier = answers_with(INITIAL, csq__held=True, csq__category="skilled_worker")
    assert next_for("pr_submitted", key, earlier) == expected


@pytest.mark.parametrize("submitted_on", ["2024-02-01", None])
def test_pr_submitted_on(submitted_on):
    earlier = answers_with(INITIAL, pr_application__submitted=True,
                           pr_application__submitted_on=submitted_on)
    assert next_node("pr_submitted_on", earlier) == "pr_status"


@pytest.mark.parametrize("key", ["in_progress", "approved", "refused", "withdrawn", "dont_know"])
def test_pr_status_initial(key):
    earlier = answers_with(INITIAL, pr_application__submitted=True)
    assert next_for("pr_status", key, earlier) == "invitation_received"


@pytest.mark.parametrize("key, expected", [
    ("yes", "invitation_dated"),
    ("no", CHECK),  # no letter of invitation: ends early
    ("dont_know", "channel"),  # "I don't know" skips the dates
])
def test_invitation_received(key, expected):
    earlier = answers_with(INITIAL, pr_application__submitted=False)
    assert next_for("invitation_received", key, earlier) == expected


@pytest.mark.parametrize("dated", ["2024-10-20", None])
def test_invitation_dated(dated):
    earlier = answers_with(INITIAL, invitation__received=True, invitation__dated=dated)
    assert next_node("invitation_dated", earlier) == "invitation_received_on"


@pytest.mark.parametrize("received_on", ["2024-10-25", None])
def test_invitation_received_on(received_on):
    earlier = answers_with(INITIAL, assessment_date="2024-11-15", invitation__received=True,
                           invitation__dated="2024-10-20", invitation__received_on=received_on)
    assert next_node("invitation_received_on", earlier) == "channel"


@pytest.mark.parametrize("on, received_on, expected", [
    ("2025-01-23", "2024-10-25", "channel"),  # the last of the 90 days after receipt
    ("2025-01-24", "2024-10-25", CHECK),  # the days have all passed: settled
    ("2025-01-18", None, "channel"),  # counted from the letter's date when receipt is unknown
    ("2025-01-19", None, CHECK),
    (None, "2024-10-25", CHECK),  # as of today (2026), long past
])
def test_days_to_submit_that_have_passed_settle_a_first_application(on, received_on,
                                                                     expected):
    """A newcomer's walk: after a letter whose 90 days had ended, the wizard still asked how
    they would apply and their passport, which could not change the verdict (manual, opening
    paragraphs: 90 days from receipt)."""
    earlier = answers_with(INITIAL, assessment_date=on, invitation__received=True,
                           invitation__dated="2024-10-20", invitation__received_on=received_on)
    assert next_node("invitation_received_on", earlier) == expected


@pytest.mark.parametrize("key", ["online", "paper", "port_of_entry", "dont_know"])
def test_channel(key):
    earlier = answers_with(INITIAL, invitation__received=True)
    assert next_for("channel", key, earlier) == "passport_expiry"


@pytest.mark.parametrize("purpose", PURPOSES)
@pytest.mark.parametrize("expiry", ["2033-04-30", None])
def test_passport_expiry_ends_every_branch(purpose, expiry):
    assert next_node("passport_expiry", {"purpose": purpose, "passport_expiry": expiry}) == CHECK
    assert next_node("family_passport_expiry",
                     {"purpose": purpose, "family": {"passport_expiry": expiry}}) == CHECK


# ------------------------------------------------------------------ extension

EXTENSION = {"purpose": "extension"}


@pytest.mark.parametrize("code", ["A76", "C10", None])
def test_current_permit_code(code):
    earlier = answers_with(EXTENSION, current_permit_code=code)
    assert next_node("current_permit_code", earlier) == "current_permit_expiry"


@pytest.mark.parametrize("expiry", ["2025-09-01", None])
def test_current_permit_expiry(expiry):
    earlier = answers_with(EXTENSION, current_permit_code="A76", current_permit_expiry=expiry)
    assert next_node("current_permit_expiry", earlier) == "pr_submitted"


@pytest.mark.parametrize("key, expected", [
    ("yes", "pr_status"),  # no submission date for an extension
    ("no", "passport_expiry"),  # and no invitation questions
    ("dont_know", "passport_expiry"),
])
def test_pr_submitted_extension(key, expected):
    earlier = answers_with(EXTENSION, current_permit_code="A76")
    assert next_for("pr_submitted", key, earlier) == expected


@pytest.mark.parametrize("key, expected", [
    ("in_progress", "pr_aor_received"), ("dont_know", "pr_aor_received"),
    # not in processing settles an extension (manual, Extensions): nothing more to ask
    ("approved", CHECK), ("refused", CHECK), ("withdrawn", CHECK)])
def test_pr_status_extension(key, expected):
    earlier = answers_with(EXTENSION, pr_application__submitted=True)
    assert next_for("pr_status", key, earlier) == expected


@pytest.mark.parametrize("key", ["yes", "no", "dont_know"])
def test_pr_aor_received(key):
    earlier = answers_with(EXTENSION, pr_application__submitted=True,
                           pr_application__status="in_progress")
    assert next_for("pr_aor_received", key, earlier) == "passport_expiry"


def test_extension_branch_in_order():
    answers = dict(BASES["extension"])
    assert walk(answers) == ["purpose", "current_permit_code", "current_permit_expiry",
                             "pr_submitted", "pr_status", "pr_aor_received", "passport_expiry"]


@pytest.mark.parametrize("submitted", [False, None])
def test_extension_asks_the_acknowledgment_only_when_a_pr_application_was_submitted(submitted):
    answers = answers_with(BASES["extension"], pr_application__submitted=submitted)
    assert walk(answers) == ["purpose", "current_permit_code", "current_permit_expiry",
                             "pr_submitted", "passport_expiry"]


def test_a_first_permit_never_asks_the_acknowledgment():
    for base in ("outside", "in_canada"):
        answers = answers_with(BASES[base], pr_application__submitted=True)
        assert "pr_aor_received" not in walk(answers)
        nodes, _ = _simulate("initial")
        assert "pr_aor_received" not in nodes


# ------------------------------------------------------------------ family member

FAMILY = {"purpose": "family"}


def test_family_member_is_asked_first_on_the_family_branch():
    assert next_for("purpose", "family") == "family_member"


@pytest.mark.parametrize("key", ["spouse", "child", "dont_know"])
def test_family_member(key):
    assert next_for("family_member", key, FAMILY) == "principal_permit_code"


PRINCIPAL = answers_with(FAMILY, family_member="spouse", principal__permit_code="A76")


@pytest.mark.parametrize("code", ["A76", None])
def test_principal_permit_code(code):
    earlier = answers_with(FAMILY, family_member="spouse", principal__permit_code=code)
    assert next_node("principal_permit_code", earlier) == "principal_applying_together"


@pytest.mark.parametrize("key, value, expected", [
    ("holds", False, "principal_permit_expiry"),
    ("together", True, "principal_lives_in_quebec"),  # no permit of their own yet: no date
    ("dont_know", None, "principal_permit_expiry"),  # the date may still be known
])
def test_principal_applying_together(key, value, expected):
    assert value_of("principal_applying_together", key) is value
    assert next_for("principal_applying_together", key, PRINCIPAL) == expected


@pytest.mark.parametrize("expiry", ["2026-01-31", None])
def test_principal_permit_expiry(expiry):
    earlier = answers_with(PRINCIPAL, principal__applying_together=False,
                           principal__permit_expiry=expiry)
    assert next_node("principal_permit_expiry", earlier) == "principal_lives_in_quebec"


@pytest.mark.parametrize("key", ["yes", "no", "dont_know"])
def test_principal_lives_in_quebec(key):
    earlier = answers_with(PRINCIPAL, principal__applying_together=True)
    assert next_for("principal_lives_in_quebec", key, earlier) == "principal_pr_submitted"


@pytest.mark.parametrize("key, expected", [
    ("yes", "included_in_pr_application"),  # C49: included as an accompanying dependant?
    ("no", "family_residence"),
    ("dont_know", "family_residence"),
])
def test_principal_pr_submitted(key, expected):
    earlier = answers_with(PRINCIPAL, principal__lives_in_quebec=True)
    assert next_for("principal_pr_submitted", key, earlier) == expected


@pytest.mark.parametrize("key", ["yes", "no", "dont_know"])
def test_included_in_pr_application(key):
    earlier = answers_with(PRINCIPAL, principal__pr_submitted=True)
    assert next_for("included_in_pr_application", key, earlier) == "family_residence"


@pytest.mark.parametrize("key, expected", [
    ("outside_canada", "family_passport_expiry"),
    ("canada_outside_quebec", "family_status_in_canada"),
    ("quebec", "family_status_in_canada"),  # a family member may live in Quebec
    ("dont_know", "family_passport_expiry"),
])
def test_family_residence(key, expected):
    # unlike the applicant's own residence, the family member's never ends the flow early
    earlier = answers_with(PRINCIPAL, principal__pr_submitted=False)
    assert next_for("family_residence", key, earlier) == expected


IN_CANADA_FAMILY = answers_with(PRINCIPAL, family__residence="quebec")


@pytest.mark.parametrize("key, expected", [
    ("valid", "family_can_apply_from_inside_canada"),
    ("restorable", "family_can_apply_from_inside_canada"),
    ("none", CHECK),  # no status and cannot restore it: ends early
    ("dont_know", "family_can_apply_from_inside_canada"),
])
def test_family_status_in_canada(key, expected):
    assert next_for("family_status_in_canada", key, IN_CANADA_FAMILY) == expected
    assert flow.goes_on("family_status_in_canada", IN_CANADA_FAMILY) == \
        "family_can_apply_from_inside_canada"


@pytest.mark.parametrize("key", ["yes", "no", "dont_know"])
def test_family_can_apply_from_inside_canada(key):
    earlier = answers_with(IN_CANADA_FAMILY, family__status_in_canada="valid")
    assert next_for("family_can_apply_from_inside_canada", key, earlier) == \
        "family_passport_expiry"


@pytest.mark.parametrize("expiry", ["2030-01-01", None])
def test_family_passport_expiry_ends_the_family_branch(expiry):
    earlier = answers_with(IN_CANADA_FAMILY, family__passport_expiry=expiry)
    assert next_node("family_passport_expiry", earlier) == CHECK


FAMILY_ALL = answers_with(  # every family question on the way, the family member in Quebec
    BASES["family"], principal__applying_together=False, principal__permit_expiry="2026-06-30",
    principal__lives_in_quebec=True, principal__pr_submitted=True,
    included_in_pr_application=True, family__residence="quebec",
    family__status_in_canada="valid", family__can_apply_from_inside_canada=True,
    family__passport_expiry="2030-01-01")


def test_family_branch_in_order():
    assert walk(FAMILY_ALL) == [
        "purpose", "family_member", "principal_permit_code", "principal_applying_together",
        "principal_permit_expiry", "principal_lives_in_quebec", "principal_pr_submitted",
        "included_in_pr_application", "family_residence", "family_status_in_canada",
        "family_can_apply_from_inside_canada", "family_passport_expiry"]


def test_family_branch_outside_canada_applying_together_without_pr():
    answers = answers_with(FAMILY_ALL, principal__applying_together=True,
                           principal__pr_submitted=False, family__residence="outside_canada")
    assert walk(answers) == [
        "purpose", "family_member", "principal_permit_code", "principal_applying_together",
        "principal_lives_in_quebec", "principal_pr_submitted", "family_residence",
        "family_passport_expiry"]


def test_the_family_member_in_canada_outside_quebec_is_asked_the_in_canada_questions():
    answers = answers_with(FAMILY_ALL, family__residence="canada_outside_quebec")
    visited = walk(answers)
    i = visited.index("family_residence")
    assert visited[i:] == ["family_residence", "family_status_in_canada",
                           "family_can_apply_from_inside_canada", "family_passport_expiry"]


def test_the_family_branch_never_asks_the_applicants_own_questions():
    nodes, _ = _simulate("family")
    assert not nodes & {"residence", "status_in_canada", "holds_r206_permit",
                        "can_apply_from_inside_canada", "passport_expiry"}
    for node in nodes - {"family_member", "principal_pr_submitted"}:
        q = QUESTIONS[node]
        for text in (q.title, q.hint_msg, q.short, *(c.label for c in q.choices)):
            if text is not None:  # one voice: "the family member", never "you"
                assert not {"you", "your"} & set(text.msgid.lower().replace("?", " ").split()), \
                    (node, text.msgid)


def test_the_family_members_answers_are_kept_apart_and_written_to_the_contracts_fields():
    effective = effective_answers(FAMILY_ALL, set(QUESTIONS))
    assert effective == {
        "format": "impplus-answers/1", "assessment_date": "2025-06-01", "purpose": "family",
        "family_member": "spouse",
        "principal": {"permit_code": "A76", "pr_submitted": True, "applying_together": False,
                      "permit_expiry": "2026-06-30", "lives_in_quebec": True},
        "included_in_pr_application": True, "residence": "quebec", "status_in_canada": "valid",
        "can_apply_from_inside_canada": True, "passport_expiry": "2030-01-01"}
    # an applicant's own answers, in the same state, are not the family member's
    both = answers_with(FAMILY_ALL, residence="outside_canada", passport_expiry="2040-01-01",
                        status_in_canada="none")
    assert effective_answers(both, set(QUESTIONS)) == effective
    both["purpose"] = "initial"
    mine = effective_answers(both, set(QUESTIONS))
    assert mine["residence"] == "outside_canada" and mine["passport_expiry"] == "2040-01-01"
    assert "status_in_canada" not in mine and "principal" not in mine


@pytest.mark.parametrize("change, gone", [
    ({"principal__applying_together": True}, {"principal.permit_expiry"}),
    ({"principal__pr_submitted": False}, {"included_in_pr_application"}),
    ({"family__residence": "outside_canada"},
     {"status_in_canada", "can_apply_from_inside_canada"}),
])
def test_family_answers_off_the_branch_are_not_assessed(change, gone):
    answers = answers_with(FAMILY_ALL, **change)
    effective = effective_answers(answers, set(QUESTIONS))
    for field in gone:
        assert flow.get(effective, field) is None, field


# ------------------------------------------------------------------ whole journeys

def walk(answers: dict) -> list[str]:
    """The nodes visited when every question is answered, following next_node to CHECK."""
    answered = set(QUESTIONS)
    done, nxt = path(answers, answered)
    assert nxt == CHECK
    return done


def test_outside_canada_journey():
    assert walk(BASES["outside"]) == [
        "purpose", "residence", "intends_to_live_and_work_in_quebec", "csq_held",
        "csq_category", "csq_issued", "pr_submitted", "invitation_received",
        "invitation_dated", "invitation_received_on", "channel", "passport_expiry"]


def test_in_canada_journey_asks_the_in_canada_questions():
    assert walk(BASES["in_canada"]) == [
        "purpose", "residence", "status_in_canada", "holds_r206_permit",
        "can_apply_from_inside_canada", "intends_to_live_and_work_in_quebec", "csq_held",
        "csq_category", "csq_issued", "pr_submitted", "pr_submitted_on", "pr_status",
        "invitation_received", "invitation_dated", "invitation_received_on", "channel",
        "passport_expiry"]


IN_CANADA_ONLY = {"status_in_canada", "holds_r206_permit", "can_apply_from_inside_canada"}


@pytest.mark.parametrize("residence", ["outside_canada", "quebec"])
def test_in_canada_questions_only_when_living_in_canada_outside_quebec(residence):
    answers = answers_with(BASES["in_canada"], residence=residence)
    assert not IN_CANADA_ONLY & set(walk(answers))


def test_an_unknown_residence_asks_only_the_r206_permit():
    """An R206 permit settles the verdict wherever one lives (CONTRACT.md v2); the other two
    in-Canada criteria are unknown without a residence, so they are not asked."""
    visited = walk(answers_with(BASES["in_canada"], residence=None))
    assert IN_CANADA_ONLY & set(visited) == {"holds_r206_permit"}
    assert visited[1:4] == ["residence", "holds_r206_permit",
                            "intends_to_live_and_work_in_quebec"]


@pytest.mark.parametrize("residence", ["outside_canada", "quebec", None])
@pytest.mark.parametrize("holds", [True, False])
def test_a_files_r206_answer_rides_with_the_residence_where_it_is_not_asked(residence, holds):
    data = answers_with(BASES["outside"], residence=residence, holds_r206_permit=holds)
    state, done = flow.from_answers(data)
    assert ("holds_r206_permit" in done) == (residence is None)
    assert effective_answers(state, done)["holds_r206_permit"] is holds


def test_an_r206_answer_left_on_another_branch_does_not_ride():
    """Answered in Canada, then the residence changed to outside Canada: the answer stays for
    going back, but is not assessed (CONTRACT.md v2 would read it for every residence)."""
    answers = answers_with(BASES["in_canada"], holds_r206_permit=True)
    answered = set(QUESTIONS)
    assert effective_answers(answers, answered)["holds_r206_permit"] is True
    flow.put(answers, "residence", "outside_canada")
    assert "holds_r206_permit" not in effective_answers(answers, answered)
    flow.put(answers, "residence", "canada_outside_quebec")
    assert effective_answers(answers, answered)["holds_r206_permit"] is True


def test_quebec_goes_straight_to_check():
    answers = answers_with(BASES["outside"], residence="quebec")
    assert next_node("residence", answers) == CHECK
    assert path(answers, {"purpose", "residence"}) == (["purpose", "residence"], CHECK)


@pytest.mark.parametrize("change, last", [
    ({"residence": "quebec"}, "residence"),
    ({"status_in_canada": "none"}, "status_in_canada"),
    ({"holds_r206_permit": True}, "holds_r206_permit"),
    ({"csq__held": False}, "csq_held"),
    ({"csq__category": "other"}, "csq_category"),
    ({"invitation__received": False}, "invitation_received"),
])
def test_answers_that_end_early(change, last):
    base = "outside" if last == "residence" else "in_canada"
    answers = answers_with(BASES[base], **change)
    assert next_node(last, answers) == CHECK  # nothing more is asked...
    everything = walk(answers)
    i = everything.index(last)
    done, nxt = path(answers, set(everything[:i + 1]))
    assert (done, nxt) == (everything[:i + 1], CHECK)
    # ...but answers already given further on (before a change, or in a file) still count,
    # from the question that would have come next, and the path ends where they end.
    assert everything[i + 1] == flow.goes_on(last, answers)
    assert everything[-1] == "passport_expiry"
    part = set(everything[:i + 3])
    done, nxt = path(answers, part)
    assert (done, nxt) == (everything[:i + 3], CHECK)


def test_dont_know_invitation_skips_the_dates():
    answers = answers_with(BASES["outside"], invitation__received=None)
    visited = walk(answers)
    assert "invitation_dated" not in visited and "invitation_received_on" not in visited
    assert visited[visited.index("invitation_received") + 1] == "channel"


def test_pr_date_only_for_a_first_permit():
    initial = walk(answers_with(BASES["outside"], pr_application__submitted=True))
    i = initial.index("pr_submitted")
    assert initial[i:i + 4] == ["pr_submitted", "pr_submitted_on", "pr_status",
                                "invitation_received"]
    extension = walk(BASES["extension"])
    assert "pr_submitted_on" not in extension
    assert extension[extension.index("pr_submitted") + 1] == "pr_status"


# ------------------------------------------------------------------ path()

def test_path_of_nothing_answered_is_the_first_question():
    assert path({}, set()) == ([], "purpose")


def test_path_stops_at_the_first_unanswered_question():
    answers = copy.deepcopy(BASES["outside"])
    answered = set(QUESTIONS) - {"csq_category"}
    done, nxt = path(answers, answered)
    assert done == ["purpose", "residence", "intends_to_live_and_work_in_quebec", "csq_held"]
    assert nxt == "csq_category"


def test_path_counts_questions_answered_dont_know():
    # "I don't know" stores no value but the question is answered
    answers = answers_with(INITIAL, residence=None)
    assert path(answers, {"purpose", "residence"}) == (
        ["purpose", "residence"], "holds_r206_permit")


def test_path_ignores_answers_to_questions_not_on_the_branch():
    answers = answers_with(INITIAL, residence="outside_canada", status_in_canada="valid")
    done, nxt = path(answers, {"purpose", "residence", "status_in_canada"})
    assert done == ["purpose", "residence"]
    assert nxt == "intends_to_live_and_work_in_quebec"


def test_path_ends_at_check():
    done, nxt = path(answers_with(INITIAL, residence="quebec"), {"purpose", "residence"})
    assert (done, nxt) == (["purpose", "residence"], CHECK)


# ------------------------------------------------------------------ changing branch

def test_switching_branch_keeps_answers_but_leaves_them_out_of_effective_answers():
    answers = copy.deepcopy(BASES["in_canada"])
    answered = set(QUESTIONS) - {"assessment_date"}
    assert effective_answers(answers, answered)["status_in_canada"] == "valid"

    flow.put(answers, "residence", "outside_canada")  # the user changes where they live
    assert answers["status_in_canada"] == "valid"  # still stored...
    effective = effective_answers(answers, answered)
    for field in ("status_in_canada", "holds_r206_permit", "can_apply_from_inside_canada"):
        assert field not in effective  # ...but not assessed
    assert effective["residence"] == "outside_canada"
    assert effective["csq"] == BASES["in_canada"]["csq"]

    flow.put(answers, "residence", "canada_outside_quebec")  # and back again
    effective = effective_answers(answers, answered)
    assert effective["status_in_canada"] == "valid"
    assert effective["holds_r206_permit"] is False
    assert effective["can_apply_from_inside_canada"] is True


def test_switching_purpose_leaves_the_other_branch_out():
    answers = copy.deepcopy(BASES["outside"])
    flow.put(answers, "current_permit_code", "A76")
    flow.put(answers, "current_permit_expiry", "2025-09-01")
    answered = set(QUESTIONS)
    effective = effective_answers(answers, answered)
    assert "current_permit_code" not in effective
    answers["purpose"] = "extension"
    effective = effective_answers(answers, answered)
    assert effective["current_permit_code"] == "A76"
    for field in ("csq", "invitation", "channel", "intends_to_live_and_work_in_quebec"):
        assert field not in effective
    assert effective["pr_application"] == {"submitted": False}


def test_effective_answers_of_a_complete_journey_are_the_answers_file():
    answered = set(QUESTIONS)
    for base in ("outside", "in_canada"):
        assert effective_answers(copy.deepcopy(BASES[base]), answered) == BASES[base]


def test_effective_answers_stop_at_the_first_unanswered_question():
    answers = copy.deepcopy(BASES["outside"])
    answered = {"assessment_date", "purpose", "residence"}
    assert effective_answers(answers, answered) == {
        "format": "impplus-answers/1", "assessment_date": "2024-11-15", "purpose": "initial",
        "residence": "outside_canada"}


def test_effective_answers_leave_out_dont_know_and_unanswered_assessment_date():
    answers = answers_with(INITIAL, residence=None, assessment_date="2024-11-15")
    effective = effective_answers(answers, {"purpose", "residence"})
    assert effective == {"format": "impplus-answers/1", "purpose": "initial"}


# ------------------------------------------------------------------ from_answers (resuming)
# The flow reads and writes dotted paths only: these files are the dicts `Answers.to_dict()`
# writes, the fields of CONTRACT.md v2 included (the parser of the rules branch reads them).

def resumed(data: dict) -> tuple[dict, set[str], list[str], str]:
    """(state, answered, path, next node) after reading the answers file `data`."""
    state, done = flow.from_answers(data)
    visited, nxt = path(state, done)
    return state, done, visited, nxt


FAMILY_FILE = {  # every field of a family member's file, as in FAMILY_ALL
    "format": "impplus-answers/1", "assessment_date": "2025-06-01", "purpose": "family",
    "family_member": "spouse",
    "principal": {"permit_code": "A76", "applying_together": False,
                  "permit_expiry": "2026-06-30", "lives_in_quebec": True, "pr_submitted": True},
    "included_in_pr_application": True, "residence": "quebec", "status_in_canada": "valid",
    "can_apply_from_inside_canada": True, "passport_expiry": "2030-01-01"}


def test_a_family_file_with_the_new_fields_restores_them():
    state, done, visited, nxt = resumed(FAMILY_FILE)
    assert nxt == CHECK
    assert visited == walk(FAMILY_ALL)
    assert state["family"] == {"residence": "quebec", "status_in_canada": "valid",
                               "can_apply_from_inside_canada": True,
                               "passport_expiry": "2030-01-01"}
    assert "residence" not in state and "passport_expiry" not in state  # the family member's
    assert effective_answers(state, done) == FAMILY_FILE


def test_an_applicants_file_keeps_its_own_residence_status_and_passport():
    state, done, _, nxt = resumed(BASES["in_canada"])
    assert nxt == CHECK and "family" not in state
    assert state["residence"] == "canada_outside_quebec" and state["status_in_canada"] == "valid"


def test_an_extension_file_with_the_acknowledgment_restores_it():
    data = answers_with(BASES["extension"], pr_application__aor_received=False)
    state, done, visited, nxt = resumed(data)
    assert nxt == CHECK and "pr_aor_received" in visited
    assert effective_answers(state, done)["pr_application"]["aor_received"] is False


@pytest.mark.parametrize("submitted", [False, None])
def test_an_extension_file_keeps_its_acknowledgment_where_it_is_not_asked(submitted):
    data = answers_with(BASES["extension"], pr_application={"submitted": submitted,
                                                            "aor_received": True})
    state, done, visited, nxt = resumed(data)
    assert nxt == CHECK and "pr_aor_received" not in visited
    assert effective_answers(state, done)["pr_application"]["aor_received"] is True


def test_an_acknowledgment_answered_then_left_on_another_branch_does_not_ride():
    answers = answers_with(BASES["extension"], pr_application__aor_received=True)
    answered = set(QUESTIONS)
    assert effective_answers(answers, answered)["pr_application"]["aor_received"] is True
    flow.put(answers, "pr_application.submitted", False)  # the person changes their answer
    assert "aor_received" not in effective_answers(answers, answered)["pr_application"]


def test_a_first_permit_file_keeps_its_acknowledgment_and_its_r206_answer():
    data = answers_with(BASES["outside"], pr_application__submitted=True,
                        pr_application__status="in_progress",
                        pr_application__aor_received=True, holds_r206_permit=False)
    state, done, visited, nxt = resumed(data)
    assert nxt == CHECK and "pr_aor_received" not in visited
    assert effective_answers(state, done) == data


def test_a_file_from_before_the_new_questions_opens_on_the_first_of_them():
    """A v1 extension file never answered whether the letter arrived: the wizard asks it
    rather than record "I don't know"; nothing of the file is lost meanwhile."""
    state, done, visited, nxt = resumed(BASES["extension"])
    assert nxt == "pr_aor_received" and "pr_aor_received" not in done
    assert "passport_expiry" in done  # answered in the file, after it
    assert effective_answers(state, done) == BASES["extension"]
    flow.record(state, QUESTIONS["pr_aor_received"], True)
    done.add("pr_aor_received")
    assert path(state, done)[1] == CHECK


def test_a_v1_family_file_is_asked_each_new_question_and_keeps_its_answers():
    data = {"format": "impplus-answers/1", "purpose": "family", "assessment_date": "2024-03-01",
            "family_member": "spouse", "principal": {"permit_code": "A76", "pr_submitted": True},
            "residence": "outside_canada", "passport_expiry": "2030-01-01"}  # e05, and more
    state, done, visited, nxt = resumed(data)
    assert visited == ["purpose", "family_member", "principal_permit_code"]
    assert nxt == "principal_applying_together"
    new = {"principal_applying_together", "principal_permit_expiry", "principal_lives_in_quebec",
           "included_in_pr_application"}
    assert not new & done  # never recorded as "I don't know"
    assert {"principal_pr_submitted", "family_residence", "family_passport_expiry"} <= done
    assert effective_answers(state, done) == data  # downloading again loses nothing
    asked = []
    for node, value in [("principal_applying_together", True),
                        ("principal_lives_in_quebec", True),
                        ("included_in_pr_application", None)]:
        nxt = path(state, done)[1]
        asked.append(nxt)
        flow.record(state, QUESTIONS[node], value)
        done.add(node)
    assert asked == ["principal_applying_together", "principal_lives_in_quebec",
                     "included_in_pr_application"]
    assert path(state, done)[1] == CHECK  # the file's residence and passport still count


def test_a_partial_file_opens_after_its_last_answer_with_nothing_recorded_beyond():
    """A file saved halfway: the questions after its last answer were never asked."""
    data = {"format": "impplus-answers/1", "purpose": "initial", "residence": "outside_canada",
            "intends_to_live_and_work_in_quebec": True, "csq": {"held": True}}
    state, done, visited, nxt = resumed(data)
    assert nxt == "csq_category"
    assert done == {"purpose", "residence", "intends_to_live_and_work_in_quebec", "csq_held"}
    family = {"format": "impplus-answers/1", "purpose": "family", "family_member": "child"}
    state, done, visited, nxt = resumed(family)
    assert (done, nxt) == ({"purpose", "family_member"}, "principal_permit_code")


def test_a_blank_passed_over_counts_as_dont_know():
    """A question the file leaves blank but answers past: "I don't know", as before."""
    data = build_answers("outside", {"channel": "<delete>", "csq.category": "<delete>"})
    state, done, visited, nxt = resumed(data)
    assert nxt == CHECK and {"channel", "csq_category"} <= done
    assert flow.get(state, "channel") is None


def test_a_question_that_cannot_be_unknown_is_asked_and_later_answers_still_count():
    data = build_answers("outside", {"csq.held": "<delete>", "csq.category": "<delete>",
                                     "csq.issued": "<delete>"})
    state, done, visited, nxt = resumed(data)
    assert nxt == "csq_held" and "csq_held" not in done
    assert {"invitation_received", "channel", "passport_expiry"} <= done
    flow.record(state, QUESTIONS["csq_held"], True)
    done.add("csq_held")
    assert path(state, done)[1] == CHECK  # the programme and date blank: passed over


def test_a_settled_verdict_needs_nothing_more_from_a_file():
    for data in ({"purpose": "initial", "residence": "quebec"},
                 {"purpose": "family", "residence": "quebec", "status_in_canada": "none",
                  "principal": {"permit_code": "A76", "lives_in_quebec": True,
                                "applying_together": True, "pr_submitted": False}}):
        assert resumed(data)[3] == CHECK, data


def test_a_file_without_purpose_still_opens_on_the_first_question_it_left_blank():
    state, done, visited, nxt = resumed({"format": "impplus-answers/1"})
    assert (visited, nxt) == (["purpose"], "residence")


def test_the_summary_lists_the_family_questions_in_order_in_both_languages():
    from webapp.i18n import localize

    state, done, _, _ = resumed(FAMILY_FILE)
    for lang in ("en", "fr"):
        rows = flow.summary(state, done, lang)
        assert [n for n, _, _ in rows] == walk(FAMILY_ALL)
        for node, label, _ in rows:
            assert label == localize(QUESTIONS[node].short, lang)
    values = {n: v for n, _, v in flow.summary(state, done, "en")}
    assert values["principal_applying_together"] == "Yes, they have it, or it has been approved"
    assert values["principal_permit_expiry"] == "June 30, 2026"
    assert values["family_status_in_canada"] == "Their status is valid"


def test_the_summary_of_a_file_shows_questions_it_never_answered_as_dont_know():
    """The PDF's table of answers (pdf.py) comes from from_answers then summary: a question the
    wizard would still ask is listed with "I don't know", and the rows go on past it."""
    state, done, _, _ = resumed(BASES["extension"])
    rows = {n: v for n, _, v in flow.summary(state, done, "en")}
    assert rows["pr_aor_received"] == "I don’t know"
    assert rows["passport_expiry"] == "January 1, 2030"


# ------------------------------------------------------------------ the graph

def test_slugs_are_unique_per_language():
    for lang in ("en", "fr"):
        slugs = [q.slug(lang) for q in QUESTIONS.values()]
        assert len(slugs) == len(set(slugs)), lang
        assert all(s and s == s.strip("/") and " " not in s for s in slugs)
        assert set(flow.BY_SLUG[lang]) == set(slugs)


def test_slugs_do_not_collide_with_fixed_pages():
    from webapp.wizard import PAGES

    for lang in ("en", "fr"):
        fixed = {slugs[lang] for slugs in PAGES.values()}
        assert not fixed & {q.slug(lang) for q in QUESTIONS.values()}


def test_question_ids_match_their_keys():
    assert all(key == q.id for key, q in QUESTIONS.items())


def test_every_edge_names_a_known_node():
    for source, answer, target in edges():
        assert source in QUESTIONS
        assert target in QUESTIONS or target == CHECK, (source, answer, target)


def test_every_choice_has_an_edge():
    found = {(s, a) for s, a, _ in edges()}
    for q in QUESTIONS.values():
        if q.id == "assessment_date":
            continue
        keys = [c.key for c in q.choices] if q.kind == "choice" else ["answered"]
        for key in keys:
            assert (q.id, key) in found, (q.id, key)


def test_every_question_is_reachable_from_the_start():
    graph: dict[str, set[str]] = {}
    for source, _, target in edges():
        graph.setdefault(source, set()).add(target)
    seen, queue = {FIRST}, deque([FIRST])
    while queue:
        for target in graph.get(queue.popleft(), ()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    # the assessment date is asked from the start page, before the first question
    assert seen == set(QUESTIONS) - {"assessment_date"} | {CHECK}


@functools.lru_cache(maxsize=None)
def _simulate(purpose: str) -> tuple[set[str], set[tuple[str, ...]]]:
    """Every node reachable when answers are really given (not mixed across purposes), and
    every complete journey. Dates and codes are answered with a value (the tests above show
    that "I don't know" on them leads to the same node)."""
    reached: set[str] = set()
    journeys: set[tuple[str, ...]] = set()
    stack = [({"purpose": purpose}, ("purpose",))]
    while stack:
        answers, trail = stack.pop()
        node = next_node(trail[-1], answers)
        if node == CHECK:
            journeys.add(trail)
            continue
        assert node not in trail, f"cycle: {trail} -> {node}"
        reached.add(node)
        q = QUESTIONS[node]
        values = [c.value for c in q.choices] if q.kind == "choice" else ["X"]
        for value in values:
            nxt = copy.deepcopy(answers)
            flow.put(nxt, q.key, value)
            stack.append((nxt, trail + (node,)))
    return reached, journeys


EARLY_ENDS = {"residence", "status_in_canada", "holds_r206_permit", "csq_held", "csq_category",
              "invitation_received"}
FAMILY_EARLY_ENDS = {"family_status_in_canada"}
EXTENSION_EARLY_ENDS = {"pr_status"}  # an application not in processing (manual, Extensions)
LAST = {"initial": "passport_expiry", "extension": "passport_expiry",
        "family": "family_passport_expiry"}


def test_every_question_is_reachable_on_a_real_journey_and_every_journey_ends_at_check():
    reached = {"purpose"}
    for purpose in PURPOSES:
        nodes, journeys = _simulate(purpose)
        assert journeys
        reached |= nodes
        for journey in journeys:
            assert journey[0] == "purpose"
            assert journey[-1] == LAST[purpose] or journey[-1] in {
                "initial": EARLY_ENDS, "family": FAMILY_EARLY_ENDS,
                "extension": EXTENSION_EARLY_ENDS}.get(purpose, ()), journey
    assert reached == set(QUESTIONS) - {"assessment_date"}


@pytest.mark.parametrize("purpose, expected", [
    ("initial", {"purpose", "residence", "status_in_canada", "holds_r206_permit",
                 "can_apply_from_inside_canada", "intends_to_live_and_work_in_quebec",
                 "csq_held", "csq_category", "csq_issued", "pr_submitted", "pr_submitted_on",
                 "pr_status", "invitation_received", "invitation_dated",
                 "invitation_received_on", "channel", "passport_expiry"}),
    ("extension", {"purpose", "current_permit_code", "current_permit_expiry", "pr_submitted",
                   "pr_status", "pr_aor_received", "passport_expiry"}),
    ("family", {"purpose", "family_member", "principal_permit_code",
                "principal_applying_together", "principal_permit_expiry",
                "principal_lives_in_quebec", "principal_pr_submitted",
                "included_in_pr_application", "family_residence", "family_status_in_canada",
                "family_can_apply_from_inside_canada", "family_passport_expiry"}),
])
def test_each_purpose_asks_only_its_own_questions(purpose, expected):
    nodes, _ = _simulate(purpose)
    assert nodes | {"purpose"} == expected


def test_choice_questions_offer_dont_know_exactly_when_they_allow_it():
    for q in QUESTIONS.values():
        if q.kind == "choice":
            has = any(c.key == flow.DONT_KNOW for c in q.choices)
            assert has == q.dont_know, q.id
            assert all(c.value is None for c in q.choices if c.key == flow.DONT_KNOW)
            keys = [c.key for c in q.choices]
            assert len(keys) == len(set(keys)), q.id
        else:
            assert not q.choices


def test_hints_follow_the_parameters_in_force_today(monkeypatch):
    """A hint that states a programme number takes it from parameters.toml, not from its
    wording: changing the parameter changes the text."""
    from webapp.i18n import localize
    from webapp.rules import parameters

    hint = QUESTIONS["invitation_received_on"].hint
    assert localize(hint, "en").startswith("You have 90 days from that day")
    changed = {**parameters.snapshot(flow.today()), "submission_window_days": 120}
    monkeypatch.setattr(parameters, "snapshot", lambda on: changed)
    assert localize(QUESTIONS["invitation_received_on"].hint, "en").startswith(
        "You have 120 days from that day")


# ------------------------------------------------------------------ progress

def test_every_question_on_a_path_belongs_to_a_section():
    for q in QUESTIONS.values():
        assert (q.section is None) == (q.id == "assessment_date"), q.id


def test_progress_counts_the_path_walked_so_far_and_follows_a_change_of_branch():
    answers = {"purpose": "initial", "residence": "outside_canada"}
    done = {"purpose", "residence"}
    assert flow.progress("purpose", answers, done) == 1
    assert flow.progress("residence", answers, done) == 2
    assert flow.progress("intends_to_live_and_work_in_quebec", answers, done) == 3
    assert flow.progress("status_in_canada", answers, done) is None  # off the branch
    assert flow.progress("assessment_date", answers, done | {"assessment_date"}) is None
    # living in Canada puts three questions before the intent
    answers["residence"] = "canada_outside_quebec"
    for node in ("status_in_canada", "holds_r206_permit", "can_apply_from_inside_canada"):
        flow.put(answers, QUESTIONS[node].key, "valid" if node == "status_in_canada" else True)
        done.add(node)
    answers["holds_r206_permit"] = False
    assert flow.progress("intends_to_live_and_work_in_quebec", answers, done) == 6
    # and back outside Canada, the answers kept there no longer count
    answers["residence"] = "outside_canada"
    assert flow.progress("intends_to_live_and_work_in_quebec", answers, done) == 3
    assert flow.progress("purpose", {}, set()) == 1
