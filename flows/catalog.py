"""The DuckDB catalog: `data/govreport.duckdb`, views over the published datasets for BI tools.

The file holds no data, only views (and one small rules table). Each view reads the
Parquet files through the absolute path of the dataset's symlink, `<data_dir>/<dataset>`,
never the snapshot it points to: a query sees whatever snapshot is published when it runs,
and the file opens from any working directory. Moving or renaming the data folder needs a
rebuild (`build_catalog`), which every run does anyway.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb
import pyarrow as pa

from flows.store import UNKNOWN_PARTITION
from transforms.contracts import CONTRACTS, Contract

CATALOG_NAME = "govreport.duckdb"
VIEW_DATASETS = ("documents", "sentences", "tokens", "mentions", "indicators", "rejects", "corrections")

# Columns a view shows beyond its contract's, until the contract declares them:
# indicator_code comes from the codes table (null where no code applies).
EXTRA_COLUMNS: dict[str, dict[str, str]] = {"indicators": {"indicator_code": "VARCHAR"}}

# Codes for which lower is better (seeds/indicator_codes.csv): a level or a rise given as their
# target is a ceiling, not a floor: 居民消费价格涨幅3%左右 means "at most about 3%", 赤字率3% "at
# most 3%". A reduction target (单位GDP能耗降低3%) is "at least that much down" for every code.
CEILING_CODES: dict[str, str] = {
    "cpi": "居民消费价格涨幅: a cap on inflation",
    "retail_price_index": "商品零售价格涨幅: a cap on inflation",
    "urban_surveyed_unemployment_rate": "城镇调查失业率: a cap",
    "urban_registered_unemployment_rate": "城镇登记失业率: a cap",
    "fiscal_deficit_ratio": "赤字率: a cap on the deficit as a share of GDP",
    "pm25": "PM2.5平均浓度: a cap",
    "energy_intensity": "单位GDP能耗: lower is better",
    "carbon_intensity": "单位GDP二氧化碳排放: lower is better",
    "sulfur_dioxide_emissions": "二氧化硫排放量: lower is better",
    "cod_emissions": "化学需氧量排放量: lower is better",
    "nox_emissions": "氮氧化物排放量: lower is better",
    "ammonia_nitrogen_emissions": "氨氮排放量: lower is better",
    "coal_consumption_share": "煤炭消费比重: lower is better",
    "poverty_incidence": "贫困发生率: lower is better",
}

# The oldest storage format DuckDB can write: BI drivers often bundle an older DuckDB than
# ours, and a file of views gains nothing from a newer one. Readable by DuckDB 1.0 and later.
STORAGE_VERSION = "v1.0.0"

# 左右 (approx) admits a twentieth of the target's size either way: 5%左右 is met by
# 4.75% or more, 3%左右 as a ceiling by 3.15% or less. Simple, symmetric, and tight
# enough that a 5.5%左右 target is missed by 5.2%.
APPROX_TOLERANCE = 0.05

_DUCKDB_TYPES = {
    pa.string(): "VARCHAR",
    pa.large_string(): "VARCHAR",
    pa.int32(): "INTEGER",
    pa.int64(): "BIGINT",
    pa.float64(): "DOUBLE",
    pa.bool_(): "BOOLEAN",
}


class CatalogError(RuntimeError):
    """The catalog cannot be built from the data folder."""


def duckdb_type(kind: pa.DataType) -> str:
    """The DuckDB type that holds an Arrow type of the contracts.

    >>> duckdb_type(pa.int32()), duckdb_type(pa.timestamp("s", tz="UTC"))
    ('INTEGER', 'TIMESTAMPTZ')
    """
    if pa.types.is_timestamp(kind):
        return "TIMESTAMPTZ" if kind.tz else "TIMESTAMP"
    if kind not in _DUCKDB_TYPES:
        raise CatalogError(f"no DuckDB type declared for the contract type {kind}: add it to _DUCKDB_TYPES")
    return _DUCKDB_TYPES[kind]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def glob_escaped(path: str) -> str:
    """`path` with DuckDB's glob characters taken literally: a data folder may be named `a[1]`.

    >>> glob_escaped("/data/a[1]*?")
    '/data/a[[]1][*][?]'
    """
    return re.sub(r"([\[*?])", r"[\1]", path)


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns(contract: Contract) -> dict[str, str]:
    """The view's columns and their DuckDB types: the contract's, then the extras it lacks."""
    columns = {f.name: duckdb_type(f.type) for f in contract.schema}
    for name, kind in EXTRA_COLUMNS.get(contract.name, {}).items():
        columns.setdefault(name, kind)
    return columns


def dataset_view_sql(connection: duckdb.DuckDBPyConnection, data_dir: Path, contract: Contract) -> str:
    """The SELECT behind a dataset's view: its Parquet files, every column cast to the contract's type.

    A column no file holds yet (a new contract column, indicator_code before it lands) is a typed
    NULL; a dataset with no file at all is an empty typed SELECT (DuckDB refuses a glob that
    matches nothing). Both are resolved when the catalog is built, so a run rebuilds it.
    """
    columns = _columns(contract)
    folder = Path(os.path.abspath(data_dir / contract.name))  # the symlink, not its target
    if not any(folder.rglob("*.parquet")):
        select = ", ".join(f"CAST(NULL AS {kind}) AS {_identifier(name)}" for name, kind in columns.items())
        return f"SELECT {select} WHERE false"
    options = ["union_by_name = true"]  # carried-over files of an older contract lack new columns
    if contract.partitions:
        # Read as text: a document with no level or year is in the folder `unknown`, null in the view.
        types = ", ".join(f"{_literal(p)}: VARCHAR" for p in contract.partitions)
        options += ["hive_partitioning = true", f"hive_types = {{{types}}}"]
    source = f"read_parquet({_literal(glob_escaped(str(folder)) + '/**/*.parquet')}, {', '.join(options)})"
    present = {row[0] for row in connection.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}

    def read(name: str) -> str:
        if name not in present:
            return "NULL"
        if name in contract.partitions:
            return f"NULLIF({_identifier(name)}, {_literal(UNKNOWN_PARTITION)})"
        return _identifier(name)

    select = ", ".join(f"CAST({read(name)} AS {kind}) AS {_identifier(name)}" for name, kind in columns.items())
    return f"SELECT {select} FROM {source}"


TARGETS_VS_ACTUALS_SQL = f"""
-- Each target of report year Y (status 'target', period Y, in the report of Y) beside the actual
-- reported for Y in the report of Y+1 (status 'actual', period Y) of the same region (documents.region)
-- and level, for the same indicator_code, unit and measure: a growth target (8%, change) pairs with
-- the growth actual (8.1%), never with the level (114万亿元). Targets with no actual yet (the latest
-- report, a missing year) are kept with NULL actual columns and NULL met.
-- Several mentions of one code, unit and measure in a report (the headline, then details): the
-- first in document order is taken, for targets and for actuals alike. Two documents for one region,
-- level and year (two versions of a report): the first by doc name, then doc_id.
-- Values are as in indicators: magnitudes, with the direction apart.
-- met:
--   goal 'at_most' when the target is qualified 'under' (以内, 不超过, 控制在), or its code is one
--   for which lower is better (target_ceilings: CPI, unemployment rates, deficit ratio, PM2.5, ...)
--   and the target is a level or a rise; else 'at_least' (a reduction target, 下降3%, is "at least
--   3% down" whatever the code).
--   progress = the actual in the target's direction: actual_value, negated when the actual's
--   direction is opposite to the target's (a 下降3% target met by 下降3.1%; missed by 增长1%).
--   at_least: progress >= target_value       (range: >= its lower bound; beyond value_high is met too)
--   at_most:  progress <= target_value       (range: <= its upper bound value_high)
--   approx (左右) widens either bound by {APPROX_TOLERANCE} x |target_value|: 5%左右 is met by 4.75%.
--   exact and over (以上) targets are bounds as stated: 6%以上 is met by 6%.
--   The actual's own qualifier (超过, 近) is shown, not used: its value is compared as written.
CREATE VIEW targets_vs_actuals AS
WITH coded AS (
    SELECT d.region, i.level, i.report_year, i.indicator_code, i.unit, i.measure, i.value, i.value_high,
           i.direction, i.qualifier, i.status, i.period, i.doc, i.doc_id, i.start, i.quote, i.page
    FROM indicators AS i
    JOIN documents AS d ON d.doc_id = i.doc_id
    WHERE i.indicator_code IS NOT NULL AND d.region IS NOT NULL
      AND i.level IS NOT NULL AND i.report_year IS NOT NULL
),
targets AS (
    SELECT * FROM coded
    WHERE status = 'target' AND period = CAST(report_year AS VARCHAR)
    QUALIFY row_number() OVER (PARTITION BY region, level, report_year, indicator_code, unit, measure
                               ORDER BY doc, doc_id, start) = 1
),
actuals AS (
    SELECT * FROM coded
    WHERE status = 'actual' AND period = CAST(report_year - 1 AS VARCHAR)
    QUALIFY row_number() OVER (PARTITION BY region, level, report_year, indicator_code, unit, measure
                               ORDER BY doc, doc_id, start) = 1
),
paired AS (
    SELECT t.region, t.level, t.indicator_code, t.report_year AS year, t.unit, t.measure,
           t.value AS target_value, t.value_high AS target_value_high, t.qualifier AS target_qualifier,
           t.direction AS target_direction,
           a.value AS actual_value, a.qualifier AS actual_qualifier, a.direction AS actual_direction,
           CASE WHEN t.qualifier = 'under'
                  OR (t.indicator_code IN (SELECT indicator_code FROM target_ceilings)
                      AND coalesce(t.direction, 'up') <> 'down') THEN 'at_most'
                ELSE 'at_least' END AS goal,
           CASE WHEN t.measure = 'change' AND coalesce(a.direction, 'up') <> coalesce(t.direction, 'up')
                THEN -a.value ELSE a.value END AS progress,
           CASE WHEN t.qualifier = 'approx' THEN {APPROX_TOLERANCE} * abs(t.value) ELSE 0 END AS tolerance,
           t.doc AS target_doc, a.doc AS actual_doc, t.quote AS target_quote, a.quote AS actual_quote,
           t.page AS target_page, a.page AS actual_page
    FROM targets AS t
    LEFT JOIN actuals AS a
      ON a.region = t.region AND a.level = t.level AND a.report_year = t.report_year + 1
     AND a.indicator_code = t.indicator_code AND a.unit = t.unit AND a.measure = t.measure
)
SELECT region, level, indicator_code, year, unit, measure,
       target_value, target_value_high, target_qualifier,
       actual_value, actual_qualifier,
       CASE WHEN actual_value IS NULL THEN NULL
            WHEN goal = 'at_most' THEN progress <= coalesce(target_value_high, target_value) + tolerance
            ELSE progress >= target_value - tolerance END AS met,
       target_doc, actual_doc, target_quote, actual_quote,
       goal, target_direction, actual_direction, target_page, actual_page
FROM paired
"""


# The rules in brief, kept in the file itself (duckdb_views().comment, duckdb_columns().comment):
# DuckDB drops the comments of a view's SQL.
COMMENTS = {
    "VIEW targets_vs_actuals": "Each target of report Y (status target, period Y) with the actual for Y in report "
    "Y+1 (status actual, period Y), same region, level, indicator_code, unit and measure; first mention in "
    "document order of each. See docs/bi.md.",
    "COLUMN targets_vs_actuals.met": f"at_least: actual (in the target's direction) >= target; at_most: <= target "
    f"(a range: its top); approx widens by {APPROX_TOLERANCE} x |target|; NULL without an actual",
    "COLUMN targets_vs_actuals.goal": "at_most for targets qualified under, and for levels or rises of codes in "
    "target_ceilings (lower is better); else at_least",
}


def build_catalog(data_dir: Path) -> Path:
    """Write `data_dir/govreport.duckdb` anew, atomically: a view per dataset, and targets_vs_actuals."""
    if not (data_dir / "documents").exists():
        raise CatalogError(f"{data_dir} holds no published datasets: run `govreport run` first")
    final = data_dir / CATALOG_NAME
    temporary = data_dir / f".{CATALOG_NAME}.{os.getpid()}.tmp"
    temporary.unlink(missing_ok=True)
    try:
        connection = duckdb.connect(str(temporary), config={"storage_compatibility_version": STORAGE_VERSION})
        try:
            for name in VIEW_DATASETS:
                sql = dataset_view_sql(connection, data_dir, CONTRACTS[name])
                connection.execute(f"CREATE VIEW {_identifier(name)} AS {sql}")
            connection.execute("CREATE TABLE target_ceilings (indicator_code VARCHAR PRIMARY KEY, why VARCHAR)")
            connection.executemany("INSERT INTO target_ceilings VALUES (?, ?)", sorted(CEILING_CODES.items()))
            connection.execute(TARGETS_VS_ACTUALS_SQL)
            for target, text in COMMENTS.items():
                connection.execute(f"COMMENT ON {target} IS {_literal(text)}")
            connection.execute("CHECKPOINT")
        finally:
            connection.close()
        fd = os.open(temporary, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, final)
    finally:
        temporary.unlink(missing_ok=True)
        Path(f"{temporary}.wal").unlink(missing_ok=True)
    return final
