"""Tables in the layout of the legacy Go CLI (``ocm`` v1).

    >>> rows = [["COMPONENT", "VERSION", "HASH"], ["acme.org/x", "v1", "ab12"]]
    >>> print(format_table(rows), end="")
    COMPONENT  VERSION HASH
    acme.org/x v1      ab12

Columns are padded to their widest cell and separated by one space; the last column is not
padded.  When a table has more than two columns and some cell is longer than 200 characters,
each row is printed as ``TITLE: value`` lines followed by ``---`` instead.
"""

from __future__ import annotations

from collections.abc import Sequence

_LONG_CELL = 200


def format_table(rows: Sequence[Sequence[str]]) -> str:
    """``rows`` (the first is the header) as the legacy CLI prints them."""
    if not rows:
        return ""
    columns = max(len(r) for r in rows)
    widths = [max((len(r[i]) for r in rows if i < len(r)), default=0) for i in range(columns)]
    if columns > 2 and max(widths) > _LONG_CELL:
        header = rows[0]
        title_width = max(len(h) for h in header)
        out: list[str] = []
        for row in rows[1:]:
            for i, cell in enumerate(row):
                title = f"{header[i]:<{title_width}}" if i < len(header) else str(i)
                out.append(f"{title}: {cell}")
            if row:
                out.append("---")
        return "".join(line + "\n" for line in out)
    lines = []
    for row in rows:
        cells = [row[i] if i < len(row) else "" for i in range(columns)]
        padded = [f"{c:<{widths[i]}}" for i, c in enumerate(cells[:-1])] + [cells[-1]]
        lines.append(" ".join(padded))
    return "".join(line + "\n" for line in lines)
