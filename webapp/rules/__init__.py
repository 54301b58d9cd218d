"""The eligibility rules of the IMP+ open work permit (A76), as pure Python.

Nothing here imports Flask: answers in, an assessment out, as of a date. The command line, the
JSON API, the wizard and the PDF all get their verdicts from `assess`.
"""

from .answers import FORMAT, SCHEMA, Answers, AnswersError, loads, parse_answers
from .assessment import assess, today
from .model import Assessment
from .text import Text, msg

__all__ = ["FORMAT", "SCHEMA", "Answers", "AnswersError", "Assessment", "Text", "assess",
           "loads", "msg", "parse_answers", "today"]
