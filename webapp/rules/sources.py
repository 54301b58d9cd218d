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
_INSTRUCTIONS = ("https://www.canada.ca/en/immigration-refugees-citizenship/corporate/"
                 "publications-manuals/operational-bulletins-manuals/temporary-residents/"
                 "foreign-workers/")
# The instructions the A76 manual tells officers to consult (shared/sources/).
C41_C46 = _INSTRUCTIONS + "public-policy-competitiveness-economy/c41-c46.html"
C49 = _INSTRUCTIONS + "public-policy-competitiveness-economy/c49.html"
OPEN_WORK_PERMIT = _INSTRUCTIONS + "eligibility/open.html"
CONDITIONS = (_INSTRUCTIONS + "eligibility/"
              "eligibility-admissibility-conditions-including-validity-period.html")
A73 = (_INSTRUCTIONS + "quebec-cases/labour-market-impact-assessment-exempt-work-permit-"
       "renewals-extensions-certain-quebec-selection-holders.html")
A75 = (_INSTRUCTIONS + "provincial-nominees-permanent-resident-applicants/"
       "bridging-open-work-permits.html")
IRPR = "https://laws-lois.justice.gc.ca/eng/regulations/SOR-2002-227/"
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
            msg("Background article on IMP+, not an IRCC source"),
            False,
        ),
        Source("irpr_299", IRPR + "section-299.html",
               msg("IRPR s. 299: work permit processing fee (not the A76 manual)"), False),
        Source("irpr_303_2", IRPR + "section-303.2.html",
               msg("IRPR s. 303.2: open work permit holder fee (not the A76 manual)"), False),
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
        Source("c41_c46_eligibility", C41_C46 + "#eligibility",
               msg("IRCC instructions for codes C41 and C46 (family members), Eligibility "
                   "(consulted as the A76 manual says)"), False),
        Source("c41_c46_evidence", C41_C46 + "#documentary-evidence",
               msg("IRCC instructions for codes C41 and C46, Documentary evidence"), False),
        Source("c41_c46_relationship", C41_C46 + "#genuine-relationship",
               msg("IRCC instructions for codes C41 and C46, Genuine relationship"), False),
        Source("c41_c46_approval", C41_C46 + "#approval",
               msg("IRCC instructions for codes C41 and C46, Final decision: Approval"), False),
        Source("c41_c46_group_outside", C41_C46 + "#work-permit-applicant",
               msg("IRCC instructions for codes C41 and C46, Family group outside Canada: "
                   "principal foreign national is a work permit applicant"), False),
        Source("c49_family_group", C49 + "#receipt",
               msg("IRCC instructions for code C49, Applications received as a family group"),
               False),
        Source("c49_eligibility", C49 + "#eligibility",
               msg("IRCC instructions for code C49 (family members of permanent residence "
                   "applicants), Eligibility (consulted as the A76 manual says)"), False),
        Source("c49_evidence", C49 + "#documentary-evidence",
               msg("IRCC instructions for code C49, Documentary evidence"), False),
        Source("c49_decision", C49 + "#decision",
               msg("IRCC instructions for code C49, Final decision"), False),
        Source("open_medical", OPEN_WORK_PERMIT + "#conditions-restricted",
               msg("IRCC open work permit instructions, Medical conditions for "
                   "occupation-restricted work permits (linked from the A76 manual)"), False),
        Source("validity", CONDITIONS + "#validity",
               msg("IRCC instructions, Conditions and validity period on work permits: Validity "
                   "period (linked from the A76 manual)"), False),
        Source("implied_status_conditions", CONDITIONS + "#conditions_imposed_during",
               msg("IRCC instructions, Conditions and validity period on work permits: "
                   "Conditions imposed during the implied status period"), False),
        Source("maintained_status",
               "https://www.canada.ca/en/immigration-refugees-citizenship/corporate/"
               "publications-manuals/operational-bulletins-manuals/temporary-residents/"
               "visitors/implied-status-extending-stay.html",
               msg("IRCC instructions on maintained status, IRPR s. 181, 183(5) and 186(u) (not "
                   "the A76 manual)"), False),
        Source("ircc_extend",
               "https://www.canada.ca/en/immigration-refugees-citizenship/services/work-canada/"
               "permit/temporary/extend.html",
               msg("IRCC client page, Extend your work permit (not the A76 manual)"), False),
        Source("irpr_182", IRPR + "section-182.html",
               msg("IRPR s. 182: restoration of status (not the A76 manual)"), False),
        Source("ircc_error_form", "https://secure.cic.gc.ca/ClientContact/en/Application",
               msg("IRCC’s web form to correct an error (not the A76 manual)"), False),
        Source("ircc_help_location",
               "https://ircc.canada.ca/english/helpcentre/answer.asp?qnum=1667&top=17",
               msg("IRCC Help Centre, location of work for CSQ holders’ open work permits (not "
                   "the A76 manual)"), False),
        Source("a73", A73 + "#eligibility",
               msg("IRCC instructions for code A73 (certain CSQ holders in Quebec), "
                   "Eligibility (not the A76 manual)"), False),
        Source("a75", A75 + "#toc5",
               msg("IRCC instructions for the bridging open work permit (A75), Specific "
                   "eligibility – Quebec skilled workers (not the A76 manual)"), False),
        Source("open_issuance_restricted", OPEN_WORK_PERMIT + "#issuance-restricted",
               msg("IRCC open work permit instructions, Work permit issuance in GCMS: "
                   "Occupation or location restricted (linked from the A76 manual)"), False),
        Source("ircc_help_medical",
               "https://www.ircc.canada.ca/english/helpcentre/answer.asp?qnum=844&top=4",
               msg("IRCC Help Centre, removing the medical restriction from a work permit (not "
                   "the A76 manual)"), False),
        Source("ours", "", msg("Our suggestion, not an IRCC requirement"), False),
    )
}
