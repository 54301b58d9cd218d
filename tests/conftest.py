import copy
import functools
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "tests" / "examples"  # the worked examples, copied from shared/examples
SCENARIOS = Path(__file__).resolve().parent / "scenarios"

# Starting points for scenarios; each scenario overrides a few answers ("set").
BASES = {
    # eligible, living outside Canada, no PR application, as of 2024-11-15 (example e01)
    "outside": {
        "format": "impplus-answers/1",
        "assessment_date": "2024-11-15",
        "purpose": "initial",
        "residence": "outside_canada",
        "intends_to_live_and_work_in_quebec": True,
        "csq": {"held": True, "category": "skilled_worker", "issued": "2023-12-01"},
        "pr_application": {"submitted": False},
        "invitation": {"received": True, "dated": "2024-10-20", "received_on": "2024-10-25"},
        "channel": "online",
        "passport_expiry": "2033-04-30",
    },
    # eligible, living in Canada outside Quebec, PR in progress, as of 2024-07-15 (example e02)
    "in_canada": {
        "format": "impplus-answers/1",
        "assessment_date": "2024-07-15",
        "purpose": "initial",
        "residence": "canada_outside_quebec",
        "status_in_canada": "valid",
        "holds_r206_permit": False,
        "can_apply_from_inside_canada": True,
        "intends_to_live_and_work_in_quebec": True,
        "csq": {"held": True, "category": "skilled_worker", "issued": "2023-05-10"},
        "pr_application": {"submitted": True, "submitted_on": "2024-02-01",
                           "status": "in_progress"},
        "invitation": {"received": True, "dated": "2024-06-03"},
        "channel": "online",
        "passport_expiry": "2029-02-28",
    },
    "extension": {
        "format": "impplus-answers/1",
        "assessment_date": "2025-06-01",
        "purpose": "extension",
        "current_permit_code": "A76",
        "pr_application": {"submitted": True, "submitted_on": "2024-02-01",
                           "status": "in_progress"},
        "passport_expiry": "2030-01-01",
    },
    "family": {
        "format": "impplus-answers/1",
        "assessment_date": "2025-06-01",
        "purpose": "family",
        "family_member": "spouse",
        "principal": {"permit_code": "A76", "pr_submitted": False},
    },
    "empty": {},
    # Version 2 (CONTRACT.md v2). An extension that meets every v2 criterion as of 2025-06-01:
    # the current A76 permit expires after that day, the PR application is in progress and its
    # acknowledgment of receipt (AOR) has come.
    "v2_extension": {
        "format": "impplus-answers/1",
        "assessment_date": "2025-06-01",
        "purpose": "extension",
        "residence": "quebec",
        "current_permit_code": "A76",
        "current_permit_expiry": "2025-08-01",
        "pr_application": {"submitted": True, "submitted_on": "2024-02-01",
                           "status": "in_progress", "aor_received": True},
        "passport_expiry": "2030-01-01",
    },
    # A spouse living outside Canada who meets every v2 family criterion as of 2025-06-01: the
    # principal holds A76 until 2027-06-01 (more than 6 months after 2025-06-01), lives in
    # Quebec, and has not applied for permanent residence (so C41).
    "v2_family": {
        "format": "impplus-answers/1",
        "assessment_date": "2025-06-01",
        "purpose": "family",
        "residence": "outside_canada",
        "family_member": "spouse",
        "principal": {"permit_code": "A76", "permit_expiry": "2027-06-01",
                      "pr_submitted": False, "lives_in_quebec": True},
        "passport_expiry": "2030-01-01",
    },
}


def build_answers(base: str, changes: dict | None = None) -> dict:
    """A copy of BASES[base] with dotted-path changes applied; a value of "<delete>" removes."""
    data = copy.deepcopy(BASES[base])
    for path, value in (changes or {}).items():
        *parents, leaf = path.split(".")
        target = data
        for key in parents:
            target = target.setdefault(key, {})
        if value == "<delete>":
            target.pop(leaf, None)
        else:
            target[leaf] = value
    return data


def load_scenarios(assessable_only: bool = False):
    """Every case of tests/scenarios/*.json as a pytest param; with `assessable_only`, not the
    cases whose answers must be refused (`expect.rejected`)."""
    for path in sorted(SCENARIOS.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            if assessable_only and "rejected" in case["expect"]:
                continue
            yield pytest.param(case, id=f"{path.stem}:{case['name']}")


@pytest.fixture
def app():
    from webapp import create_app

    return create_app("test")


@pytest.fixture
def client(app):
    return app.test_client()


def _production_config():
    from webapp.config import ProductionConfig

    class ProductionTestConfig(ProductionConfig):
        """Production (secure cookies, CSRF, errors as 500 pages), with a fixed key for tests."""

        SECRET_KEY = "production-tests-secret-key-not-for-production"

        @classmethod
        def check(cls) -> None:  # the key above stands in for IMPPLUS_SECRET_KEY
            pass

    return ProductionTestConfig


@functools.cache
def production_app():
    """One production-like app for the fuzzing tests (shared: building one takes a while)."""
    from webapp import create_app

    app = create_app(_production_config())
    assert not app.testing and app.config.get("WTF_CSRF_ENABLED", True)
    return app
