"""The contracts are the one source of each dataset's shape: suites, writer and imports agree."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from expectations.suites import build_suite, load_suite
from transforms.contracts import CONTRACTS, INDICATORS, UNITS, VALUE_RANGES
from transforms.records import Document, Indicator, Sentence
from transforms.tables import DocumentResult, documents_table, indicators_table, sentences_table, tokens_table

PROJECT = Path(__file__).resolve().parent.parent
# What the pure library may import: charset-normalizer too, because decoding bytes is
# pure logic (bytes in, text out) and the brief asks for it rather than guessing.
TRANSFORM_IMPORTS = {"pyarrow", "numpy", "pandas", "cn2an", "charset_normalizer", "transforms"}
# The document readers parse bytes held in memory (io.BytesIO), never a path: pure too.
READER_IMPORTS = {"pdf_text.py": {"pdfplumber", "pdfminer"}, "docx_text.py": {"docx"}}


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_suite_json_is_derived_from_the_contract(name: str) -> None:
    assert load_suite(name) == build_suite(name), "run `python -m expectations` to rewrite the suites"


def test_every_unit_has_a_plausible_range() -> None:
    assert set(VALUE_RANGES) == set(UNITS)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize(
    "path", sorted((PROJECT / "transforms").rglob("*.py")), ids=lambda p: str(p.relative_to(PROJECT))
)
def test_transforms_import_only_the_pure_library(path: Path) -> None:
    allowed = TRANSFORM_IMPORTS | READER_IMPORTS.get(path.name, set())
    outside = _imports(path) - allowed - set(sys.stdlib_module_names) - {"__future__"}
    assert not outside, f"{path.name} imports {outside}: transforms stay free of I/O frameworks"


@pytest.mark.parametrize("package", ["transforms", "expectations"])
def test_nothing_imports_flows(package: str) -> None:
    for path in (PROJECT / package).rglob("*.py"):
        assert "flows" not in _imports(path), f"{path} imports flows"


def _result() -> DocumentResult:
    text = "城镇新增就业77.4万人。"
    document = Document("a.txt", "0123456789abcdef", "/in/a.txt", "utf-8", text, "报告", "无锡", "city", 2021)
    sentence = Sentence("0123456789abcdef", 0, "", text, tuple(range(len(text))))
    words = ["城镇新增就业", "77.4", "万人", "。"]
    indicator = Indicator(
        "a.txt", "0123456789abcdef", 0, 6, 11, "77.4万人", "城镇新增就业", 774000.0, None,
        "person", "万人", "level", None, "exact", None, "actual", "2020",
    )  # fmt: skip
    return DocumentResult(document, [sentence], [words], [indicator])


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("documents", lambda r: documents_table(r, "v1")),
        ("sentences", sentences_table),
        ("tokens", tokens_table),
        ("indicators", indicators_table),
    ],
)
def test_tables_have_the_contract_schema(name: str, build) -> None:  # noqa: ANN001
    table: pa.Table = build([_result()])
    assert table.schema.equals(CONTRACTS[name].schema)
    assert table.num_rows >= 1


def test_token_offsets_point_into_the_source() -> None:
    table = tokens_table([_result()])
    assert table.column("start").to_pylist() == [0, 6, 10, 12]
    assert table.column("end").to_pylist() == [6, 10, 12, 13]


def test_indicator_fields_cover_the_guideline() -> None:
    guideline = {"doc", "start", "end", "quote", "indicator", "value", "value_high", "unit", "measure",
                 "direction", "qualifier", "baseline", "status", "period"}  # fmt: skip
    assert guideline <= set(INDICATORS.schema.names)
