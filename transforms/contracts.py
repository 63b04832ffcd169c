"""The datasets' contracts: each one's Arrow schema, key and allowed values, declared once.

The writer casts every table to these schemas, the Great Expectations suites in
`expectations/` are derived from them, and the tests assert outputs match them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

UNITS = (
    "CNY", "USD", "person", "person_time", "m2", "km2", "km", "mu", "ug_m3", "m3", "ha", "ton",
    "jin", "TEU", "kW", "kWh", "day", "year", "percent", "permille", "pp", "times", "count",
)  # fmt: skip
MEASURES = ("level", "change", "share")
DIRECTIONS = ("up", "down")
QUALIFIERS = ("exact", "over", "under", "approx", "range")
STATUSES = ("actual", "target")
LEVELS = ("national", "province", "city", "county")
# Which precedence level of the time-scope model decided a row's period and status
# (transforms/extract/timescope.py); "document" is the default, no cue reached the figure.
SCOPE_CUES = ("figure", "clause", "sentence", "paragraph", "heading", "document")
STAGES = ("read", "ingest", "segment", "extract", "validate")
# The attributes a reviewer's correction may set (the key and the quote are the source's), and
# what else a line of a corrections file may do to a mention.
CORRECTABLE = ("indicator", "value", "value_high", "unit", "measure", "direction", "qualifier", "baseline",
               "status", "period", "indicator_code")  # fmt: skip
CORRECTION_FIELDS = (*CORRECTABLE, "drop", "add")
CORRECTION_STATUSES = ("applied", "stale", "superseded", "failed")

# What a value may plausibly be, per canonical unit; outside it a figure is a misreading
# (增长99999%, a negative concentration). Bounds are generous: Shanghai's financial markets
# trade about 4e15 yuan a year, China's land is 9.6e12 m2, its population 1.4e9.
VALUE_RANGES: dict[str, tuple[float, float]] = {
    "CNY": (0, 1e17),
    "USD": (0, 1e16),
    "person": (0, 2e9),
    "person_time": (0, 1e12),
    "m2": (0, 1e14),
    "km2": (0, 1e8),
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
    "permille": (0, 1000),
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

# The columns of an indicator mention, as extracted: `mentions` holds them, `indicators` the same
# with reviewers' corrections applied (transforms/corrections.py) and the fields they set.
_MENTION_FIELDS = (
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
    ("scope_cue", pa.string(), True),
    ("raw_unit", pa.string(), False),
    ("indicator_code", pa.string(), True),  # seeds/indicator_codes.csv; null when none applies
    ("doc_id", pa.string(), False),
    ("sentence_id", pa.int32(), False),
    ("page", pa.int32(), True),  # 1-based page of `start` in a PDF; null for text, HTML and Word
    # Not "region": the scorer reads a row with a truthy `region` as an annotation
    # marker, and so would any tool built on the guideline's format.
    ("region_name", pa.string(), True),
)
_MENTION_ALLOWED = {
    "unit": UNITS,
    "measure": MEASURES,
    "direction": DIRECTIONS,
    "qualifier": QUALIFIERS,
    "status": STATUSES,
    "scope_cue": SCOPE_CUES,
    "level": LEVELS,
}

MENTIONS = Contract(
    name="mentions",
    schema=_schema(*_MENTION_FIELDS, *_PARTITION_FIELDS),
    key=("doc_id", "start", "end"),
    allowed=_MENTION_ALLOWED,
    partitions=("level", "report_year"),
)

INDICATORS = Contract(
    name="indicators",
    # `corrected`: the fields a correction set, comma-separated ("add" first for an added row); null if none.
    schema=_schema(*_MENTION_FIELDS, ("corrected", pa.string(), True), *_PARTITION_FIELDS),
    key=("doc_id", "start", "end"),
    allowed=_MENTION_ALLOWED,
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

# One row per line of the corrections file a run was given, and what became of it: applied,
# stale (its key matches no mention), superseded (a later line sets the same field) or failed
# (the corrected rows failed the indicators suite: the document kept its earlier rows).
CORRECTIONS = Contract(
    name="corrections",
    schema=_schema(
        ("line", pa.int32(), False),
        ("doc_id", pa.string(), False),
        ("start", pa.int32(), False),
        ("end", pa.int32(), False),
        ("field", pa.string(), False),
        ("value", pa.string(), True),
        ("note", pa.string(), True),
        ("status", pa.string(), False),
    ),
    key=("line",),
    allowed={"field": CORRECTION_FIELDS, "status": CORRECTION_STATUSES},
)

CONTRACTS: dict[str, Contract] = {
    c.name: c for c in (DOCUMENTS, SENTENCES, TOKENS, MENTIONS, INDICATORS, REJECTS, CORRECTIONS)
}
