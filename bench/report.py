"""Plain-text tables: every benchmark prints its results with this."""

from __future__ import annotations


def print_table(title: str, headers: list[str], rows: list[list[object]]) -> None:
    cells = [headers, *[[_cell(value) for value in row] for row in rows]]
    widths = [max(len(row[column]) for row in cells) for column in range(len(headers))]
    print(f"\n{title}")
    for number, row in enumerate(cells):
        print("  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)))
        if number == 0:
            print("  ".join("-" * width for width in widths))


def _cell(value: object) -> str:
    return f"{value:.1%}" if isinstance(value, float) else str(value)
