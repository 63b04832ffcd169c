"""Each dataset's suite: the contract's columns, nulls, vocabularies and key, plus extras.

Suites are plain dicts in Great Expectations' JSON form (`{"type": ..., "kwargs": ...}`),
so building them needs no Great Expectations import.
"""

from __future__ import annotations

import json
from pathlib import Path

from transforms.contracts import CONTRACTS, Contract

SUITE_DIR = Path(__file__).parent

# Columns the flow adds to a table just for validation: facts that need the source text,
# which a table-level check cannot see (flows/checks.py computes them).
CHECK_COLUMNS: dict[str, tuple[str, ...]] = {
    "mentions": ("quote_is_source", "span_in_document"),
    "indicators": ("quote_is_source", "span_in_document", "value_in_unit_range"),
    "sentences": ("span_in_document",),
}


def _expect(kind: str, **kwargs: object) -> dict:
    return {"type": f"expect_{kind}", "kwargs": kwargs, "meta": {}}


def _where(column: str, operator: str, value: str) -> dict:
    """A row condition in Great Expectations' structured form (string conditions are deprecated)."""
    return {"type": "comparison", "column": {"name": column}, "operator": operator, "parameter": value}


def _contract_expectations(contract: Contract) -> list[dict]:
    columns = [f.name for f in contract.schema] + list(CHECK_COLUMNS.get(contract.name, ()))
    out = [_expect("table_columns_to_match_set", column_set=columns, exact_match=True)]
    out += [_expect("column_values_to_not_be_null", column=c) for c in contract.required]
    out += [
        _expect("column_values_to_be_in_set", column=c, value_set=list(values))
        for c, values in contract.allowed.items()
    ]
    if len(contract.key) == 1:
        out.append(_expect("column_values_to_be_unique", column=contract.key[0]))
    else:
        out.append(_expect("compound_columns_to_be_unique", column_list=list(contract.key)))
    return out


def _span_expectations() -> list[dict]:
    return [
        _expect("column_values_to_be_between", column="start", min_value=0),
        _expect("column_pair_values_a_to_be_greater_than_b", column_A="end", column_B="start"),
    ]


def _mention_extras() -> list[dict]:
    """What every extracted mention holds to; the plausibility of its value is the indicators suite's,
    so that a reviewer's correction can still fix a misread figure."""
    return [
        *_span_expectations(),
        _expect("column_value_lengths_to_be_between", column="quote", min_value=1, max_value=40),
        _expect("column_values_to_be_in_set", column="quote_is_source", value_set=[True]),
        _expect("column_values_to_be_in_set", column="span_in_document", value_set=[True]),
    ]


def _indicator_extras() -> list[dict]:
    return [
        *_span_expectations(),
        # A range's upper bound lies above its lower bound, and only ranges have one.
        _expect("column_pair_values_a_to_be_greater_than_b", column_A="value_high", column_B="value",
                ignore_row_if="either_value_is_missing"),
        _expect("column_values_to_not_be_null", column="value_high",
                row_condition=_where("qualifier", "==", "range")),
        _expect("column_values_to_be_null", column="value_high",
                row_condition=_where("qualifier", "!=", "range")),
        # Direction belongs to changes alone.
        _expect("column_values_to_be_null", column="direction",
                row_condition=_where("measure", "!=", "change")),
        _expect("column_value_lengths_to_be_between", column="quote", min_value=1, max_value=40),
        _expect("column_values_to_be_in_set", column="quote_is_source", value_set=[True]),
        _expect("column_values_to_be_in_set", column="span_in_document", value_set=[True]),
        # One check column rather than a row-conditioned expectation per unit: GX evaluates
        # each row condition as a pandas query, and 21 of them took a second per batch.
        _expect("column_values_to_be_in_set", column="value_in_unit_range", value_set=[True]),
    ]  # fmt: skip


EXTRAS: dict[str, list[dict]] = {
    "documents": [
        _expect("column_values_to_be_between", column="chars", min_value=1),
        _expect("column_values_to_be_between", column="report_year", min_value=1949, max_value=2100),
        _expect("column_values_to_match_regex", column="doc_id", regex="^[0-9a-f]{16}$"),
    ],
    "sentences": [
        *_span_expectations(),
        _expect("column_values_to_be_in_set", column="span_in_document", value_set=[True]),
    ],
    "tokens": _span_expectations(),
    "mentions": _mention_extras(),
    "indicators": _indicator_extras(),
    "rejects": [],
    "corrections": [
        _expect("column_values_to_be_between", column="line", min_value=2),
        *_span_expectations(),
    ],
}


def build_suite(name: str) -> dict:
    """The suite of dataset `name` as Great Expectations' JSON dict."""
    contract = CONTRACTS[name]
    return {
        "name": name,
        "expectations": _contract_expectations(contract) + EXTRAS[name],
        "meta": {"derived_from": f"transforms.contracts.{name.upper()}"},
    }


def suite_path(name: str) -> Path:
    return SUITE_DIR / f"{name}.json"


def load_suite(name: str) -> dict:
    """The declared suite of dataset `name`, as kept in git."""
    return json.loads(suite_path(name).read_text(encoding="utf-8"))


def write_suites() -> list[Path]:
    """Write every dataset's suite to `expectations/<name>.json`; returns the paths."""
    paths = []
    for name in CONTRACTS:
        path = suite_path(name)
        path.write_text(json.dumps(build_suite(name), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
