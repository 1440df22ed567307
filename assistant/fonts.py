"""Web fonts for scripts a phone may not have: loaded only where a language written in one is shown.

Android phones without a vendor font show Ethiopic (Amharic, Tigrinya) as empty boxes; the Arabic,
Perso-Arabic, Bengali, Gurmukhi and Malayalam scripts ship with current Android and iOS, so they need none.
Each stylesheet in static/fonts/ declares its font only for its script's characters (unicode-range) and
prefers a font the device already has (local()), so even a page that links it downloads the font file
only when it draws one of those characters and the device lacks them. The font files are copied from the
npm lockfile's @fontsource packages into static/vendor/fonts/ by `make`.
"""

from __future__ import annotations

# language code -> the stylesheet of its script's font (under static/)
SCRIPT_FONTS = {"am": "fonts/ethiopic.css", "ti": "fonts/ethiopic.css"}


def stylesheet(language: str) -> str | None:
    """The URL of the stylesheet a page or card in ``language`` needs, or None (English, and most)."""
    path = SCRIPT_FONTS.get(language)
    return f"/static/{path}" if path else None
