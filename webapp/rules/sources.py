"""Where every rule comes from.

`MANUAL` is IRCC's officer instructions for A76 (the seed manual, page dated 2025-07-16). Each
section has the anchor the manual page uses, so a citation links to the exact place. Sources that
are not the manual (fee pages, Quebec's PMI+ page, a background article) say so in their title,
and whatever we take from them is shown as theirs, never as the manual's.
"""

from __future__ import annotations

from dataclasses import dataclass

from .text import Text, msg

MANUAL = (
    "https://www.canada.ca/en/immigration-refugees-citizenship/corporate/publications-manuals/"
    "operational-bulletins-manuals/temporary-residents/foreign-workers/quebec-cases/"
    "csq-outside-quebec.html"
)
CLIENT_INSTRUCTIONS = (
    "https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/"
    "quebec-skilled-workers/international-mobility-program-plus-csq.html"
)


@dataclass(frozen=True)
class Source:
    """A source a rule rests on: its `key` (what findings name), `url` ("" when it has none to
    link to), `title` (translated by webapp.i18n; webapp.report.citation gives both in a
    language) and whether it is the A76 officer manual itself (`manual`)."""

    key: str
    url: str
    title: Text
    manual: bool  # True when the text comes from the A76 officer manual itself


def _manual(key: str, anchor: str, title: Text) -> Source:
    return Source(key, MANUAL + anchor, title, True)


SOURCES: dict[str, Source] = {
    s.key: s
    for s in (
        _manual("intro", "", msg("A76 manual, opening paragraphs")),
        _manual("a76_note", "", msg("A76 manual, note under the description of code A76")),
        _manual("background", "#background", msg("A76 manual, Background")),
        _manual("eligibility", "#eligibility", msg("A76 manual, Eligibility requirements")),
        _manual(
            "not_eligible",
            "#eligibility",
            msg("A76 manual, Eligibility requirements: who is not eligible"),
        ),
        _manual("evidence", "#evidence", msg("A76 manual, Documentary evidence")),
        _manual("assessment", "#assessment", msg("A76 manual, Application assessment")),
        _manual("cap", "#cap", msg("A76 manual, Processing cap")),
        _manual(
            "cancellation",
            "#cancellation",
            msg("A76 manual, Cancellation of applications exceeding the cap"),
        ),
        _manual("owp", "#owp", msg("A76 manual, Receipt of open work permit applications")),
        _manual("approval", "#approval", msg("A76 manual, Final decision: Approval")),
        _manual("refusal", "#refusal", msg("A76 manual, Final decision: Refusal")),
        _manual("extensions", "#extensions", msg("A76 manual, Extensions")),
        _manual("permits", "#permits", msg("A76 manual, Open work permits for family members")),
        _manual("updates", "#updates", msg("A76 manual, Previous updates")),
        Source(
            "quebec_pmi",
            "https://www.quebec.ca/immigration/programmes-immigration/permis-travail-ouvert",
            msg("Government of Quebec, PMI+ page (not the IRCC manual)"),
            False,
        ),
        Source(
            "blog",
            "",
            msg("Background article on IMP+ (not an IRCC source)"),
            False,
        ),
        Source(
            "ircc_fees_work_permit",
            "https://www.canada.ca/en/immigration-refugees-citizenship/services/work-canada/"
            "permit/temporary/need-permit/appeal-removal.html",
            msg("IRCC work permit fees (not the A76 manual)"),
            False,
        ),
        Source(
            "ircc_fees_biometrics",
            "https://www.canada.ca/en/immigration-refugees-citizenship/corporate/"
            "publications-manuals/operational-bulletins-manuals/fees/immigration/general/"
            "biometric.html",
            msg("IRCC biometrics fees, IRPR s. 315.1 (not the A76 manual)"),
            False,
        ),
        Source(
            "ircc_quebec_cases",
            "https://www.canada.ca/en/immigration-refugees-citizenship/corporate/"
            "publications-manuals/operational-bulletins-manuals/temporary-residents/"
            "foreign-workers/quebec-cases.html",
            msg("IRCC instructions index, Quebec cases (not the A76 manual)"),
            False,
        ),
        Source(
            "client_instructions",
            CLIENT_INSTRUCTIONS,
            msg("IRCC client instructions for IMP+ (linked from the A76 manual)"),
            False,
        ),
        Source("ours", "", msg("Our suggestion, not an IRCC requirement"), False),
    )
}
