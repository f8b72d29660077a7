"""Spreadsheet cells that no spreadsheet program reads as a formula.

A text cell starting with `=`, `+`, `-` or `@` (or a tab or carriage return,
which some programs skip before looking) is run as a formula by Excel and
LibreOffice when the file is opened: the OWASP "CSV injection" case. Such a
text is written with a leading `'`, which they read as "this is text".
Numbers are never touched: a negative number stays a number.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """The text as a spreadsheet shows it as text, never as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_cell(value: Any) -> Any:
    """A cell's value: texts made safe, anything else (numbers, None) as it is."""
    return safe_text(value) if isinstance(value, str) else value
