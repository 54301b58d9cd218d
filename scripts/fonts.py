"""Build the fonts the PDF embeds: DejaVu Sans, Sans Bold and Sans Mono, cut down to the
characters a French or English instruction sheet can hold.

    python scripts/fonts.py [/usr/share/fonts/truetype/dejavu]

The source is Debian's fonts-dejavu-core (DejaVu 2.37). The cut-down files are committed in
webapp/fonts/ with DejaVu's licence beside them, so a checkout needs neither this script nor the
Debian package; tests/test_pdf.py checks that every character of the catalogue is covered.
Smaller fonts load and subset faster, and keep the wheel small.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "webapp" / "fonts"
FONTS = {"DejaVuSans.ttf": "DejaVuSans-Latin.ttf",
         "DejaVuSans-Bold.ttf": "DejaVuSans-Bold-Latin.ttf",
         "DejaVuSansMono.ttf": "DejaVuSansMono-Latin.ttf"}
# Basic Latin, Latin-1, Latin Extended-A, general punctuation (dashes, quotes, spaces), the euro,
# and the ballot box the checklist prints.
UNICODES = [*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x2000, 0x2070), 0x20AC, 0x2610,
            0x2192, 0x2212]

# Typst carries its own, complete DejaVu Sans Mono and prefers it to a font of the same name:
# ours gets a name of its own, so that the PDF embeds the font shipped here (the Bitstream Vera
# licence allows any name without "Bitstream" or "Vera").
RENAMED = {"DejaVuSansMono.ttf": "DejaVu Sans Mono Latin"}


def rename(font: TTFont, family: str) -> None:
    """Give `font` the family `family` (name records 1, 3, 4, 6 and 16), style unchanged."""
    table = font["name"]
    postscript = family.replace(" ", "")
    for record in table.names:
        if record.nameID in (1, 16):
            record.string = family
        elif record.nameID == 4:
            record.string = family
        elif record.nameID == 6:
            record.string = postscript
        elif record.nameID == 3:
            record.string = f"{postscript}:2.37"


def build(source: Path) -> None:
    OUT.mkdir(exist_ok=True)
    for name, target in FONTS.items():
        font = TTFont(source / name)
        options = subset.Options()
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        options.notdef_outline = True
        options.hinting = False
        options.layout_features = []
        options.drop_tables += ["FFTM"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=UNICODES)
        subsetter.subset(font)
        if name in RENAMED:
            rename(font, RENAMED[name])
        font.save(OUT / target)
        print(f"{target}: {(OUT / target).stat().st_size} bytes")


if __name__ == "__main__":
    build(Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/dejavu"))
