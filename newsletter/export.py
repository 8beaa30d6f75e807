"""The staff call list as CSV, safe against formula injection in spreadsheet programs.

OWASP's rule: a cell that starts with ``= + - @``, a tab or a carriage return is read as a formula,
so it gets a leading quote.  A separator inside a cell splits it in a program that reads the file
with another separator than it was written with (Dutch Excel splits on ";", English Excel on ","),
and the piece after it must not start a formula either: every cell is quoted, and a formula start
after a separator or line break gets its own leading quote.
"""

import csv
import re
from collections.abc import Iterable, Iterator

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_AFTER_SEPARATOR = re.compile(r"([;,\n])(?=\s*[=+\-@\t\r])")


def csv_safe(value: object) -> str:
    """The cell with every place a spreadsheet would start a formula neutralised (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    text = _FORMULA_AFTER_SEPARATOR.sub(r"\1'", text)
    return "'" + text if text.startswith(FORMULA_START) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: Iterable[str], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
    yield writer.writerow([csv_safe(cell) for cell in header])
    for row in rows:
        yield writer.writerow([csv_safe(cell) for cell in row])
