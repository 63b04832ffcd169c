"""The DuckDB catalog over a small published data folder: typed views, targets beside actuals."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from flows import catalog
from flows.catalog import CATALOG_NAME, build_catalog
from flows.store import Snapshot
from transforms.contracts import DOCUMENTS, INDICATORS, SENTENCES, TOKENS

# A national report pair (2021 sets targets for 2021, 2022 reports what 2021 achieved), a
# Shanghai report whose actual must not pair with the nation's targets.
DOCS = {
    "n2021": ("national_china_2021.txt", "china", "national", 2021),
    "n2022": ("national_china_2022.txt", "china", "national", 2022),
    "sh2022": ("shanghai_2022.txt", "shanghai", "province", 2022),
}

# (doc_id, start, quote, indicator_code, value, value_high, unit, measure, direction, qualifier, status, period)
# fmt: off
MENTIONS = [
    ("n2021", 100, "2.3%", "gdp", 2.3, None, "percent", "change", "up", "exact", "actual", "2020"),
    ("n2021", 500, "6%以上", "gdp", 6.0, None, "percent", "change", "up", "over", "target", "2021"),
    ("n2021", 520, "6.5%", "gdp", 6.5, None, "percent", "change", "up", "exact", "target", "2021"),  # not the headline
    ("n2021", 560, "5%以上", "gdp", 5.0, None, "percent", "change", "up", "over", "target", "2021-2025"),
    ("n2021", 600, "1100万人以上", "urban_new_jobs", 1.1e7, None, "person", "level", None, "over", "target", "2021"),
    ("n2021", 640, "5.5%以内", "urban_unemployment_rate", 5.5, None, "percent", "share", None, "under", "target",
     "2021"),
    ("n2021", 680, "3%左右", "cpi", 3.0, None, "percent", "change", "up", "approx", "target", "2021"),
    ("n2021", 720, "3%左右", "energy_intensity", 3.0, None, "percent", "change", "down", "approx", "target", "2021"),
    ("n2021", 760, "5%-6%", "retail_sales", 5.0, 6.0, "percent", "change", "up", "range", "target", "2021"),
    ("n2021", 800, "7%", None, 7.0, None, "percent", "change", "up", "exact", "target", "2021"),  # no code
    ("n2022", 10, "114万亿元", "gdp", 1.14e14, None, "CNY", "level", None, "exact", "actual", "2021"),
    ("n2022", 20, "8.1%", "gdp", 8.1, None, "percent", "change", "up", "exact", "actual", "2021"),
    ("n2022", 900, "5%", "gdp", 5.0, None, "percent", "change", "up", "exact", "actual", "2021"),  # a detail
    ("n2022", 40, "1269万人", "urban_new_jobs", 1.269e7, None, "person", "level", None, "exact", "actual", "2021"),
    ("n2022", 60, "5.6%", "urban_unemployment_rate", 5.6, None, "percent", "share", None, "exact", "actual", "2021"),
    ("n2022", 80, "3.1%", "cpi", 3.1, None, "percent", "change", "up", "exact", "actual", "2021"),
    ("n2021", 750, "3%", "fiscal_deficit_ratio", 3.0, None, "percent", "share", None, "exact", "target", "2021"),
    ("n2022", 115, "2.8%", "fiscal_deficit_ratio", 2.8, None, "percent", "share", None, "exact", "actual", "2021"),
    ("n2022", 100, "3.5%", "energy_intensity", 3.5, None, "percent", "change", "up", "exact", "actual", "2021"),
    ("n2021", 740, "3%", "carbon_intensity", 3.0, None, "percent", "change", "down", "exact", "target", "2021"),
    ("n2022", 110, "3.2%", "carbon_intensity", 3.2, None, "percent", "change", "down", "exact", "actual", "2021"),
    ("n2022", 120, "12.5%", "retail_sales", 12.5, None, "percent", "change", "up", "exact", "actual", "2021"),
    ("n2022", 300, "5.5%左右", "gdp", 5.5, None, "percent", "change", "up", "approx", "target", "2022"),
    ("sh2022", 10, "1%", "gdp", 1.0, None, "percent", "change", "up", "exact", "actual", "2021"),
]
# fmt: on

# (indicator_code, unit, year) -> (target_value, actual_value, met, target_quote, actual_quote)
EXPECTED = {
    ("gdp", "percent", 2021): (6.0, 8.1, True, "6%以上", "8.1%"),
    ("urban_new_jobs", "person", 2021): (1.1e7, 1.269e7, True, "1100万人以上", "1269万人"),
    ("urban_unemployment_rate", "percent", 2021): (5.5, 5.6, False, "5.5%以内", "5.6%"),  # a ceiling, missed
    ("cpi", "percent", 2021): (3.0, 3.1, True, "3%左右", "3.1%"),  # a ceiling: 3.1 <= 3 + 5% of 3
    ("energy_intensity", "percent", 2021): (3.0, 3.5, False, "3%左右", "3.5%"),  # to cut 3%, it rose 3.5%
    ("carbon_intensity", "percent", 2021): (3.0, 3.2, True, "3%", "3.2%"),  # to cut 3%, it fell 3.2%
    ("fiscal_deficit_ratio", "percent", 2021): (3.0, 2.8, True, "3%", "2.8%"),  # a ceiling code's level
    ("retail_sales", "percent", 2021): (5.0, 12.5, True, "5%-6%", "12.5%"),  # beyond a range's top is met
    ("gdp", "percent", 2022): (5.5, None, None, "5.5%左右", None),  # no report of 2023 yet
}


def _table(contract_schema: pa.Schema, rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=contract_schema)


def _document_rows(names: list[str]) -> list[dict]:
    return [
        {"doc_id": n, "doc": DOCS[n][0], "source_path": f"corpus/{DOCS[n][0]}", "encoding": "utf-8", "chars": 1000,
         "sentences": 1, "indicators": sum(m[0] == n for m in MENTIONS), "title": "政府工作报告",
         "region": DOCS[n][1], "pipeline_version": "test", "level": DOCS[n][2], "report_year": DOCS[n][3]}
        for n in names
    ]  # fmt: skip


def _indicator_rows(names: list[str]) -> list[dict]:
    rows = []
    for doc_id, start, quote, code, value, high, unit, measure, direction, qualifier, status, period in MENTIONS:
        if doc_id not in names:
            continue
        doc, region, level, year = DOCS[doc_id]
        rows.append({
            "doc": doc, "start": start, "end": start + len(quote), "quote": quote, "indicator": code or "其他",
            "value": value, "value_high": high, "unit": unit, "measure": measure, "direction": direction,
            "qualifier": qualifier, "baseline": "prev_year" if measure == "change" else None, "status": status,
            "period": period, "raw_unit": "%", "doc_id": doc_id, "sentence_id": 0, "region_name": region,
            "level": level, "report_year": year, "indicator_code": code,
        })  # fmt: skip
    return rows


def _write_indicators(snapshot: Snapshot, rows: list[dict]) -> None:
    """Write the indicators with their indicator_code, which the contract may not declare yet."""
    schema = INDICATORS.schema
    if "indicator_code" not in schema.names:  # a stand-in until the codes table lands in the contract
        schema = schema.insert(schema.get_field_index("level"), pa.field("indicator_code", pa.string()))
    partitioning = ds.partitioning(pa.schema([schema.field("level"), schema.field("report_year")]), flavor="hive")
    ds.write_dataset(_table(schema, rows), snapshot.path("indicators"), format="parquet", partitioning=partitioning,
                     basename_template=f"part-{snapshot.id}-{{i}}.parquet")  # fmt: skip


def _publish(data_dir: Path, names: list[str]) -> None:
    snapshot = Snapshot(data_dir)
    documents = _document_rows(names)
    snapshot.write("documents", _table(DOCUMENTS.schema, documents))
    where = [{"doc_id": d["doc_id"], "level": d["level"], "report_year": d["report_year"]} for d in documents]
    snapshot.write("sentences", _table(SENTENCES.schema, [
        {**w, "sentence_id": 0, "heading": "", "text": "全年经济增长。", "start": 0, "end": 7} for w in where
    ]))  # fmt: skip
    snapshot.write("tokens", _table(TOKENS.schema, [
        {**w, "sentence_id": 0, "token_id": 0, "token": "经济", "pos": None, "start": 2, "end": 4} for w in where
    ]))  # fmt: skip
    _write_indicators(snapshot, _indicator_rows(names))
    snapshot.publish()  # rejects stays empty: its view must exist all the same


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    _publish(folder, list(DOCS))
    return folder


def _read_only(path: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(path), read_only=True)


def test_views_are_typed_as_the_contracts_say(data_dir: Path, tmp_path: Path, monkeypatch) -> None:
    path = build_catalog(data_dir)
    assert path == data_dir / CATALOG_NAME
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the views' paths are absolute: any working directory sees the data
    with _read_only(path) as connection:
        listed = connection.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
        views = {row[0] for row in listed}
        assert {"documents", "sentences", "tokens", "indicators", "rejects", "targets_vs_actuals"} <= views
        types = dict(connection.execute("SELECT column_name, column_type FROM (DESCRIBE indicators)").fetchall())
        assert types["value"] == "DOUBLE" and types["value_high"] == "DOUBLE"
        assert types["start"] == "INTEGER" and types["end"] == "INTEGER" and types["sentence_id"] == "INTEGER"
        assert types["report_year"] == "INTEGER" and types["level"] == "VARCHAR"
        assert types["quote"] == "VARCHAR" and types["indicator_code"] == "VARCHAR"
        documents = dict(connection.execute("SELECT column_name, column_type FROM (DESCRIBE documents)").fetchall())
        assert documents["chars"] == "BIGINT" and documents["report_year"] == "INTEGER"
        counts = {v: connection.execute(f"SELECT count(*) FROM {v}").fetchone()[0]
                  for v in ("documents", "sentences", "tokens", "indicators", "rejects")}  # fmt: skip
        assert counts == {"documents": 3, "sentences": 3, "tokens": 3, "indicators": len(MENTIONS), "rejects": 0}
        rejects = dict(connection.execute("SELECT column_name, column_type FROM (DESCRIBE rejects)").fetchall())
        assert rejects["time"] == "TIMESTAMP WITH TIME ZONE"
        comment = connection.execute("SELECT comment FROM duckdb_views() WHERE view_name = 'targets_vs_actuals'")
        assert "Y+1" in comment.fetchone()[0]
        tags = connection.execute("SELECT tags FROM duckdb_databases() WHERE database_name = 'govreport'").fetchone()
        assert tags[0]["storage_version"].startswith("v1.0.0")  # older DuckDB clients can open it


def test_targets_pair_with_the_actuals_of_the_next_report(data_dir: Path) -> None:
    with _read_only(build_catalog(data_dir)) as connection:
        rows = connection.execute(
            "SELECT indicator_code, unit, year, target_value, actual_value, met, target_quote, actual_quote, "
            "region, level, measure, target_doc, actual_doc FROM targets_vs_actuals"
        ).fetchall()
    got = {(r[0], r[1], r[2]): r[3:8] for r in rows}
    assert got == EXPECTED
    gdp = next(r for r in rows if r[:3] == ("gdp", "percent", 2021))
    assert gdp[8:] == ("china", "national", "change", "national_china_2021.txt", "national_china_2022.txt")
    with _read_only(build_catalog(data_dir)) as connection:
        query = "SELECT indicator_code, goal FROM targets_vs_actuals WHERE year = 2021"
        goals = dict(connection.execute(query).fetchall())
    assert goals["cpi"] == goals["fiscal_deficit_ratio"] == goals["urban_unemployment_rate"] == "at_most"
    assert goals["carbon_intensity"] == goals["energy_intensity"] == goals["gdp"] == "at_least"  # cuts: at least


def test_the_views_follow_a_new_snapshot_without_a_rebuild(data_dir: Path) -> None:
    path = build_catalog(data_dir)
    _publish(data_dir, ["n2021"])
    with _read_only(path) as connection:
        assert connection.execute("SELECT count(*) FROM documents").fetchone()[0] == 1


def test_a_rebuild_replaces_the_file_atomically(data_dir: Path, monkeypatch) -> None:
    path = build_catalog(data_dir)
    first = path.stat().st_ino
    reader = _read_only(path)  # a reader of the old file keeps it while the new one replaces it
    assert build_catalog(data_dir) == path
    assert path.stat().st_ino != first
    assert reader.execute("SELECT count(*) FROM targets_vs_actuals").fetchone()[0] == len(EXPECTED)
    reader.close()
    second = path.stat().st_ino
    monkeypatch.setattr(catalog, "TARGETS_VS_ACTUALS_SQL", "CREATE VIEW broken AS SELECT * FROM nowhere")
    with pytest.raises(duckdb.Error):
        build_catalog(data_dir)
    assert path.stat().st_ino == second  # a failed build leaves the last good catalog
    assert sorted(p.name for p in data_dir.iterdir() if "duckdb" in p.name) == [CATALOG_NAME]


def test_a_folder_with_nothing_published_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(catalog.CatalogError, match="govreport run"):
        build_catalog(tmp_path)
    assert not os.listdir(tmp_path)
