"""The datasets' contracts: each one's Arrow schema, key and allowed values, declared once.

The writer casts every table to these schemas, the Great Expectations suites in
`expectations/` are derived from them, and the tests assert outputs match them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

UNITS = (
    "CNY", "USD", "person", "person_time", "m2", "km", "mu", "ug_m3", "m3", "ha", "ton",
    "jin", "TEU", "kW", "kWh", "day", "year", "percent", "pp", "times", "count",
)  # fmt: skip
MEASURES = ("level", "change", "share")
DIRECTIONS = ("up", "down")
QUALIFIERS = ("exact", "over", "under", "approx", "range")
STATUSES = ("actual", "target")
LEVELS = ("national", "province", "city", "county")
STAGES = ("read", "ingest", "segment", "extract", "validate")

# What a value may plausibly be, per canonical unit; outside it a figure is a misreading
# (增长99999%, a negative concentration). Bounds are generous: Shanghai's financial markets
# trade about 4e15 yuan a year, China's land is 9.6e12 m2, its population 1.4e9.
VALUE_RANGES: dict[str, tuple[float, float]] = {
    "CNY": (0, 1e17),
    "USD": (0, 1e16),
    "person": (0, 2e9),
    "person_time": (0, 1e12),
    "m2": (0, 1e14),
    "km": (0, 1e8),
    "mu": (0, 1e10),
    "ug_m3": (0, 1000),
    "m3": (0, 1e13),
    "ha": (0, 1e9),
    "ton": (0, 1e11),
    "jin": (0, 1e13),
    "TEU": (0, 1e10),
    "kW": (0, 1e13),
    "kWh": (0, 1e14),
    "day": (0, 3660),
    "year": (0, 200),
    "percent": (0, 1000),
    "pp": (0, 100),
    "times": (0, 1000),
    "count": (0, 1e13),
}


@dataclass(frozen=True)
class Contract:
    """A dataset's schema, the columns that identify a row, and the values columns allow."""

    name: str
    schema: pa.Schema
    key: tuple[str, ...]
    allowed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    partitions: tuple[str, ...] = ()

    @property
    def required(self) -> tuple[str, ...]:
        """The columns that may not hold nulls."""
        return tuple(f.name for f in self.schema if not f.nullable)


def _schema(*fields: tuple[str, pa.DataType, bool]) -> pa.Schema:
    return pa.schema([pa.field(name, kind, nullable=nullable) for name, kind, nullable in fields])


# Every dataset but rejects carries the document's level and report year, the hive
# partition keys; a document whose text does not say them lands in the "unknown" partition.
_PARTITION_FIELDS = (("level", pa.string(), True), ("report_year", pa.int32(), True))

DOCUMENTS = Contract(
    name="documents",
    schema=_schema(
        ("doc_id", pa.string(), False),
        ("doc", pa.string(), False),
        ("source_path", pa.string(), False),
        ("encoding", pa.string(), False),
        ("chars", pa.int64(), False),
        ("sentences", pa.int32(), False),
        ("indicators", pa.int32(), False),
        ("title", pa.string(), True),
        ("region", pa.string(), True),
        ("pipeline_version", pa.string(), False),
        *_PARTITION_FIELDS,
    ),
    key=("doc_id",),
    allowed={"level": LEVELS},
    partitions=("level", "report_year"),
)

SENTENCES = Contract(
    name="sentences",
    schema=_schema(
        ("doc_id", pa.string(), False),
        ("sentence_id", pa.int32(), False),
        ("heading", pa.string(), False),
        ("text", pa.large_string(), False),
        ("start", pa.int32(), False),
        ("end", pa.int32(), False),
        ("page", pa.int32(), True),  # 1-based page of `start` in a PDF; null for text, HTML and Word
        *_PARTITION_FIELDS,
    ),
    key=("doc_id", "sentence_id"),
    allowed={"level": LEVELS},
    partitions=("level", "report_year"),
)

TOKENS = Contract(
    name="tokens",
    schema=_schema(
        ("doc_id", pa.string(), False),
        ("sentence_id", pa.int32(), False),
        ("token_id", pa.int32(), False),
        ("token", pa.string(), False),
        ("pos", pa.string(), True),
        ("start", pa.int32(), False),
        ("end", pa.int32(), False),
        *_PARTITION_FIELDS,
    ),
    key=("doc_id", "sentence_id", "token_id"),
    allowed={"level": LEVELS},
    partitions=("level", "report_year"),
)

INDICATORS = Contract(
    name="indicators",
    schema=_schema(
        ("doc", pa.string(), False),
        ("start", pa.int32(), False),
        ("end", pa.int32(), False),
        ("quote", pa.string(), False),
        ("indicator", pa.string(), True),
        ("value", pa.float64(), False),
        ("value_high", pa.float64(), True),
        ("unit", pa.string(), False),
        ("measure", pa.string(), False),
        ("direction", pa.string(), True),
        ("qualifier", pa.string(), False),
        ("baseline", pa.string(), True),
        ("status", pa.string(), False),
        ("period", pa.string(), True),
        ("raw_unit", pa.string(), False),
        ("indicator_code", pa.string(), True),  # seeds/indicator_codes.csv; null when none applies
        ("doc_id", pa.string(), False),
        ("sentence_id", pa.int32(), False),
        ("page", pa.int32(), True),  # 1-based page of `start` in a PDF; null for text, HTML and Word
        # Not "region": the scorer reads a row with a truthy `region` as an annotation
        # marker, and so would any tool built on the guideline's format.
        ("region_name", pa.string(), True),
        *_PARTITION_FIELDS,
    ),
    key=("doc_id", "start", "end"),
    allowed={
        "unit": UNITS,
        "measure": MEASURES,
        "direction": DIRECTIONS,
        "qualifier": QUALIFIERS,
        "status": STATUSES,
        "level": LEVELS,
    },
    partitions=("level", "report_year"),
)

REJECTS = Contract(
    name="rejects",
    schema=_schema(
        ("file", pa.string(), False),
        ("doc_id", pa.string(), True),
        ("stage", pa.string(), False),
        ("reason", pa.string(), False),
        ("time", pa.timestamp("s", tz="UTC"), False),
    ),
    key=("file", "stage", "time"),
    allowed={"stage": STAGES},
)

CONTRACTS: dict[str, Contract] = {c.name: c for c in (DOCUMENTS, SENTENCES, TOKENS, INDICATORS, REJECTS)}
