"""The programme's dated parameters, read from parameters.toml.

A parameter's value in force on a date is the latest one whose `from` is on or before it, or None
before the first (`Parameter.at`). `snapshot(on)` gives every parameter's value on a date; the
rules read their numbers and dates from it, and pass them to their messages as placeholders, so
that changing the toml changes every verdict and every text. Each parameter also knows where its
number comes from (`reference`, and `source`, a key of webapp.rules.sources.SOURCES).
"""

from __future__ import annotations

import bisect
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

_FILE = Path(__file__).with_name("parameters.toml")


@dataclass(frozen=True)
class Parameter:
    """One dated parameter of parameters.toml: its values, each in force from a date on.

    `starts`, `values` and `sources` run in parallel, in the order of `starts`; `source` is the
    default source key, `reference` says where in that source the number is written.
    """

    name: str
    description: str
    reference: str
    source: str
    starts: tuple[date, ...]
    values: tuple[Any, ...]
    sources: tuple[str, ...]

    def at(self, on: date) -> Any:
        """The value in force on `on` (an int, a date...), or None if the parameter had no
        value yet."""
        i = bisect.bisect_right(self.starts, on)
        return self.values[i - 1] if i else None

    def source_at(self, on: date) -> str:
        """The source key (webapp.rules.sources.SOURCES) of the value in force on `on`; the
        parameter's default source before its first value."""
        i = bisect.bisect_right(self.starts, on)
        return self.sources[i - 1] if i else self.source


def _load() -> dict[str, Parameter]:
    with _FILE.open("rb") as f:
        raw = tomllib.load(f)
    params = {}
    for name, spec in raw.items():
        entries = sorted(spec["values"], key=lambda e: e["from"])
        params[name] = Parameter(
            name=name,
            description=spec["description"],
            reference=spec["reference"],
            source=spec["source"],
            starts=tuple(e["from"] for e in entries),
            values=tuple(e["value"] for e in entries),
            sources=tuple(e.get("source", spec["source"]) for e in entries),
        )
    return params


PARAMETERS: dict[str, Parameter] = _load()


def snapshot(on: date) -> dict[str, Any]:
    """{parameter name: its value in force on `on`, or None before its first value}: days and
    calendar months as ints, amounts as ints of whole Canadian dollars, dates as dates."""
    return {name: p.at(on) for name, p in PARAMETERS.items()}


def in_force_or_first(name: str, on: date) -> Any:
    """The value of parameter `name` in force on `on`; before its first value, that first value.

    For a length or a date the sources have only ever given one way (the days to submit after
    the letter, the months a CSQ is valid), which a date earlier than the toml's first `from` (a
    letter or a CSQ older than the parameter) is still measured with. Raises KeyError for an
    unknown name."""
    parameter = PARAMETERS[name]
    value = parameter.at(on)
    return parameter.values[0] if value is None else value
