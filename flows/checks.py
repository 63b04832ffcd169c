"""Columns added to a table for its validation only: facts that need the source text."""

from __future__ import annotations

import pyarrow as pa

from expectations.suites import CHECK_COLUMNS
from transforms.contracts import VALUE_RANGES


def with_check_columns(dataset: str, table: pa.Table, texts: dict[str, str]) -> pa.Table:
    """`table` with the check columns its suite expects (the writer drops them again).

    `quote_is_source`: the quote is the document's text at [start, end), so a reviewer
    finds it there; `span_in_document`: 0 <= start < end <= the document's length;
    `value_in_unit_range`: value (and value_high) inside the unit's plausible range.
    """
    checks = CHECK_COLUMNS.get(dataset, ())
    if not checks:
        return table
    columns = table.select(["doc_id", "start", "end"]).to_pydict()
    spans = [
        (texts.get(d, ""), s, e) for d, s, e in zip(columns["doc_id"], columns["start"], columns["end"], strict=True)
    ]
    added = {"span_in_document": [0 <= s < e <= len(t) for t, s, e in spans]}
    if "quote_is_source" in checks:
        quotes = table.column("quote").to_pylist()
        added["quote_is_source"] = [t[s:e] == q for (t, s, e), q in zip(spans, quotes, strict=True)]
    if "value_in_unit_range" in checks:
        rows = zip(*(table.column(c).to_pylist() for c in ("unit", "value", "value_high")), strict=True)
        added["value_in_unit_range"] = [
            _in_range(unit, value) and (high is None or _in_range(unit, high)) for unit, value, high in rows
        ]
    for name in checks:
        table = table.append_column(name, pa.array(added[name], pa.bool_()))
    return table


def _in_range(unit: str, value: float) -> bool:
    low, high = VALUE_RANGES.get(unit, (0.0, -1.0))  # an unknown unit is never in range
    return bool(low <= value <= high)
