"""Web fonts for scripts a device may not have: loaded only where a language written in one is shown.

Android phones without a vendor font show Ethiopic (Amharic, Tigrinya) as empty boxes, and a computer
without the Noto fonts (a Linux desktop as it comes) shows Bengali, Gurmukhi (Punjabi) and Malayalam the
same way, and the few letters of the Arabic script that only Urdu and Pashto use: its DejaVu Sans has the
rest, so Arabic, Farsi, Dari and Sorani need no font (tests/browser/test_scripts.py checks every letter
of their cards). Each stylesheet in static/fonts/ declares its font only for its script's characters
(unicode-range) and prefers a font the device already has (local()), so even a page that links it
downloads the font file only when it draws one of those characters and the device lacks them (the Arabic
one comes first for Urdu and Pashto, so that a word is drawn in one font: it is downloaded unless the
device has Noto Naskh Arabic). The font
files are copied from the npm lockfile's @fontsource packages into static/vendor/fonts/ by `make`.
"""

from __future__ import annotations

# language code -> the stylesheet of its script's font (under static/)
SCRIPT_FONTS = {
    "am": "fonts/ethiopic.css",
    "ti": "fonts/ethiopic.css",
    "bn": "fonts/bengali.css",
    "pa": "fonts/gurmukhi.css",
    "ml": "fonts/malayalam.css",
    "ur": "fonts/arabic.css",
    "ps": "fonts/arabic.css",
}


def stylesheet(language: str) -> str | None:
    """The URL of the stylesheet a page or card in ``language`` needs, or None (English, and most)."""
    path = SCRIPT_FONTS.get(language)
    return f"/static/{path}" if path else None
