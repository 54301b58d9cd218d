"""The programme's dated parameters, read from parameters.toml.

`value(name, on)` is the value in force on a date: the latest one whose `from` is on or before it,
or None before the first. Each parameter also knows where its number comes from.
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
    name: str
    description: str
    reference: str
    source: str
    starts: tuple[date, ...]
    values: tuple[Any, ...]
    sources: tuple[str, ...]

    def at(self, on: date) -> Any:
        """Value in force on `on`, or None if the parameter had no value yet."""
        i = bisect.bisect_right(self.starts, on)
        return self.values[i - 1] if i else None

    def source_at(self, on: date) -> str:
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

# Every parameter keeps its value between two of these dates, so one snapshot per period holds
# them all, worked out once: the same for everyone, whatever date an answer gives.
_CHANGES: tuple[date, ...] = tuple(sorted({day for p in PARAMETERS.values() for day in p.starts}))
SNAPSHOTS: tuple[dict[str, Any], ...] = tuple(
    {name: p.at(day) for name, p in PARAMETERS.items()} for day in (date.min, *_CHANGES))


def period(on: date) -> int:
    """The period `on` falls in, an index of SNAPSHOTS: 0 before the first value of any
    parameter, then one more at each date on which a value takes effect."""
    return bisect.bisect_right(_CHANGES, on)


def snapshot(on: date) -> dict[str, Any]:
    """Every parameter's value in force on `on` (None before its first value), by name.
    Shared between calls: read it, never change it."""
    return SNAPSHOTS[period(on)]


def value(name: str, on: date) -> Any:
    return snapshot(on)[name]
