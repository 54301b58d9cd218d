"""Language-neutral messages.

The rules never pick a language: they return `Text` objects (a catalogue msgid and its
parameters), and `webapp.i18n.localize` renders them in English or French at the edge. That keeps
the locale in one place, so the page, the PDF and the JSON can never disagree.
"""

from __future__ import annotations


class Text:
    """A message to translate later: `msgid` is the English catalogue key, in %(name)s style;
    `params` fill its placeholders (dates, ints such as days or months, strings, other Texts),
    formatted in the language by webapp.i18n.localize."""

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, **params: object) -> None:
        self.msgid = msgid
        self.params = params

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Text({self.msgid!r}, **{self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and (self.msgid, self.params) == (other.msgid, other.params)

    def __hash__(self) -> int:
        # Parameters are dates, numbers, strings or other Texts: all hashable, so a Text compared
        # by value can also be a set member or a dict key.
        return hash((self.msgid, tuple(self.params.items())))


# `msg("…")` marks a string for the catalogue (`pybabel extract -k msg`) and keeps its parameters.
msg = Text
