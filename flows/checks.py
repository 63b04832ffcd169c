"""Columns added to a table for its validation only: facts that need the source text."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from expectations.suites import CHECK_COLUMNS
from transforms.contracts import VALUE_RANGES


def check_frame(dataset: str, table: pa.Table, texts: dict[str, str]) -> pd.DataFrame:
    """`table` as a DataFrame, with the check columns its suite expects.

    `quote_is_source`: the quote is the document's text at [start, end), so a reviewer
    finds it there; `span_in_document`: 0 <= start < end <= the document's length;
    `value_in_unit_range`: value (and value_high) inside the unit's plausible range.
    """
    frame = table.to_pandas()
    checks = CHECK_COLUMNS.get(dataset, ())
    if not checks:
        return frame
    rows = zip(frame["doc_id"], frame["start"], frame["end"], strict=True)
    spans = [(texts.get(d, ""), int(s), int(e)) for d, s, e in rows]
    frame["span_in_document"] = [0 <= s < e <= len(t) for t, s, e in spans]
    if "value_in_unit_range" in checks:
        frame["value_in_unit_range"] = [
            _in_range(unit, value) and (high is None or pd.isna(high) or _in_range(unit, high))
            for unit, value, high in zip(frame["unit"], frame["value"], frame["value_high"], strict=True)
        ]
    if "quote_is_source" in checks:
        frame["quote_is_source"] = [t[s:e] == q for (t, s, e), q in zip(spans, frame["quote"], strict=True)]
    return frame


def _in_range(unit: str, value: float) -> bool:
    low, high = VALUE_RANGES.get(unit, (0.0, -1.0))  # an unknown unit is never in range
    return bool(low <= value <= high)
