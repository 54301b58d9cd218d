"""The eligibility rules of the IMP+ open work permit (A76), as pure Python.

Nothing here imports Flask: answers in, an assessment out, as of a date. The command line, the
JSON API, the wizard and the PDF all get their verdicts from `assess`, and the check of a permit
already issued from `check_permit`.
"""

from .answers import (FORMAT, SCHEMA, Answers, AnswersError, loads, parse_answers,
                      parse_iso_date)
from .assessment import assess, today
from .model import Assessment
from .permit_check import (PermitAsPrinted, PermitCheck, PermitError, check_permit,
                           loads_permit, parse_permit)
from .text import Text, msg

__all__ = ["FORMAT", "SCHEMA", "Answers", "AnswersError", "Assessment", "PermitAsPrinted",
           "PermitCheck", "PermitError", "Text", "assess", "check_permit", "loads", "loads_permit",
           "msg", "parse_answers", "parse_iso_date", "parse_permit", "today"]
