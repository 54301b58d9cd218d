"""The result page's drawing of the person's dates, as SVG markup (the PDF draws the same
geometry with Typst, templates/sheet.typ).

Written here rather than in a Jinja template because it is almost only numbers: a template
escapes and formats each of them (some 150 per drawing), which made the timeline a quarter of
the result page's cost (bench/pages.py); here the numbers are formatted once, and only the
labels, the one text a person's answers reach, are escaped. The markup is the one the template
wrote (the page's stylesheet colours marks by their `mark-<kind>` class).
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .timeline import Geometry

BOLD = ' font-weight="700"'  # the first line of a label: the date


def _n(value: float) -> str:
    """A coordinate with one decimal, as the drawing writes them."""
    return f"{value:.1f}"


def svg(g: Geometry, font_size: int = 13) -> Markup:
    """The drawing of `g` (webapp.timeline.geometry, in pixels) as an `<svg>` element hidden
    from assistive technology (the list beside it says the same): the axis, then per mark its
    leader line, its dot and its label (the date in bold, then what it is)."""
    height = _n(g.height)
    out = [f'<svg class="timeline-drawing" viewBox="0 0 {g.width} {height}" width="{g.width}" '
           f'height="{height}" aria-hidden="true" focusable="false" font-size="{font_size}">\n',
           f'  <line class="timeline-axis" x1="{_n(g.x0)}" y1="{_n(g.axis)}" x2="{_n(g.x1)}" '
           f'y2="{_n(g.axis)}" stroke="#505a5f" stroke-width="2"/>\n']
    for m in g.marks:
        kinds = "".join(f" mark-{escape(k)}" for k in m.kinds)
        left = _n(m.left)
        spans = "".join(
            f'<tspan x="{left}" y="{_n(base)}"{BOLD if i == 0 else ""}>'
            f"{escape(text)}</tspan>" for i, (text, base) in enumerate(zip(m.lines, m.bases)))
        out.append(f'  \n  <g class="timeline-mark {kinds}">\n'
                   f'    <line x1="{_n(m.x)}" y1="{_n(m.y1)}" x2="{_n(m.x2)}" y2="{_n(m.y2)}" '
                   f'stroke="#6f777b" stroke-width="1"/>\n'
                   f'    <circle cx="{_n(m.x)}" cy="{_n(m.y1)}" r="5" fill="#1d4f91"/>\n'
                   f'    <text fill="#1b1b1b">{spans}</text>\n'
                   f"  </g>\n")
    out.append("  \n</svg>")
    return Markup("".join(out))
