"""The statistics as files: a CSV, and a workbook (.xlsx) with one sheet per table laid out as the
published quarterly tables (title, then a heading row, then a row per category, then the notes).

Exported counts are rounded to the nearest 5 (assistant/disclosure.py); suppressed counts stay words.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from ..disclosure import rounded
from ..statistics import Cell
from ..statistics_report import Report
from .statistics_words import CAPTIONS, LABELS, quarter, worded

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Sheet:
    key: str
    title: str
    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def value(cell: Cell) -> Any:
    """A count as exported: rounded to the nearest 5, or the word that hides it."""
    return cell.shown if cell.mark else rounded(cell.count)


def sheets(made: Report) -> list[Sheet]:
    """Every table of the report, worded, with exported counts."""
    found = worded(made.found)
    national = found.national
    kinds = [str(LABELS["kind"][column]) for column in national.columns]
    out = [
        Sheet(
            national.key,
            national.caption,
            [_("Quarter"), *kinds],
            [[quarter(key), *(value(cell) for cell in cells)] for key, cells in national.rows],
        )
    ]
    for table in found.tables:
        out.append(Sheet(table.key, table.caption, [_("Category"), _("Referrals")]))
        out[-1].rows = [[cell.label, value(cell)] for cell in table.cells]
    if found.timeliness:
        sheet = Sheet(
            "timeliness",
            str(CAPTIONS["timeliness"]),
            [_("Decision"), _("Decisions"), _("Median"), _("90th percentile"), _("Within the target")],
        )
        for row in found.timeliness:
            sheet.rows.append(
                [
                    str(LABELS["decision"][row.decision]),
                    value(row.decided),
                    row.median if row.median is not None else "",
                    row.percentile_90 if row.percentile_90 is not None else "",
                    value(row.within_target) if row.within_target else "",
                ]
            )
        out.append(sheet)
    if found.panel:
        panel = found.panel
        sheet = Sheet("panel", str(CAPTIONS["panel"]), [_("Outcome"), _("Reviews")])
        sheet.rows = [[str(LABELS["panel"][c.key]), value(c)] for c in (panel.upheld, panel.sent_back)]
        out.append(sheet)
    return out


def notes() -> list[str]:
    return [
        _(
            "Counts are rounded to the nearest 5. A count from 1 to 4 shows as “fewer than 5”, and where it could be"
            " worked out by subtraction the next smallest count is withheld."
        ),
        _("Made from the categories each referral is filed under, never from the answers."),
    ]


def as_csv(made: Report) -> str:
    """Each table's heading row, then its rows, each starting with the table's key and caption."""
    out = io.StringIO()
    writer = csv.writer(out)
    for sheet in sheets(made):
        writer.writerow([_("Table"), _("Caption"), *sheet.header])
        for row in sheet.rows:
            writer.writerow([sheet.key, sheet.title, *row])
    for note in notes():
        writer.writerow([note])
    # A byte-order mark, so spreadsheet programs read the labels of every language as UTF-8.
    return "\ufeff" + out.getvalue()


def as_workbook(made: Report) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets(made):
        page = book.create_sheet(sheet.key[:31])
        page.append([sheet.title])
        page["A1"].font = Font(bold=True, size=14)
        page.append([])
        page.append(sheet.header)
        for cell in page[3]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            page.append(row)
        page.append([])
        for note in notes():
            page.append([note])
        page.column_dimensions["A"].width = 45
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
