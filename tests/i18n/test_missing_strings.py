"""The start-up scan for strings a language lacks, read with Babel (production has no polib) from the
catalogue as compiled."""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from assistant.i18n import missing_strings

TEMPLATE = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Done"
msgstr ""

msgctxt "nrm:pv-under-age"
msgid "Yes"
msgstr ""

msgid "Fuzzy"
msgstr ""

msgid "Untranslated"
msgstr ""

msgid "%(num)d answer"
msgid_plural "%(num)d answers"
msgstr[0] ""
msgstr[1] ""

msgid "%(num)d day"
msgid_plural "%(num)d days"
msgstr[0] ""
msgstr[1] ""
"""

CATALOGUE = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Done"
msgstr "Wedi gorffen"

msgctxt "nrm:pv-under-age"
msgid "Yes"
msgstr "Ydy"

#, fuzzy
msgid "Fuzzy"
msgstr "Niwlog"

msgid "Untranslated"
msgstr ""

msgid "%(num)d answer"
msgid_plural "%(num)d answers"
msgstr[0] "%(num)d ateb"
msgstr[1] "%(num)d o atebion"

msgid "%(num)d day"
msgid_plural "%(num)d days"
msgstr[0] "%(num)d diwrnod"
msgstr[1] ""

#~ msgid "Obsolete"
#~ msgstr ""
"""


def test_untranslated_fuzzy_and_half_translated_plurals_are_missing(tmp_path: Path) -> None:
    (tmp_path / "messages.pot").write_text(TEMPLATE, encoding="utf-8")
    folder = tmp_path / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(CATALOGUE, encoding="utf-8")
    with (folder / "messages.po").open("rb") as po, (folder / "messages.mo").open("wb") as mo:
        write_mo(mo, read_po(po))  # as `pybabel compile` does
    assert missing_strings(["cy"], tmp_path) == {"cy": [(None, "Fuzzy"), (None, "Untranslated"), (None, "%(num)d day")]}


def test_a_catalogue_not_compiled_lacks_every_string(tmp_path: Path) -> None:
    (tmp_path / "messages.pot").write_text(TEMPLATE, encoding="utf-8")
    (tmp_path / "cy" / "LC_MESSAGES").mkdir(parents=True)
    assert len(missing_strings(["cy"], tmp_path)["cy"]) == 6
    assert missing_strings(["cy"], tmp_path, cards_only=True) == {"cy": []}  # the template has no card string
