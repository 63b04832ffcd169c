"""Reviewers' corrections: parse a corrections file, check it, and apply it to extracted mentions.

A corrections file is a CSV with the header `doc_id,start,end,field,value,note`. A line names one
mention by its key (`doc_id`, `start`, `end`) and sets one `field`: an attribute of `indicators`,
`drop` (not an indicator: the row goes) or `add` (a mention the extraction missed, at that key; its
attributes come from the other lines of the same key). Lines are appended as reviewers work, so a
later line for the same key and field wins over an earlier one, which is then `superseded`.

Corrections are data, applied to the raw extraction (the `mentions` dataset) on every run that
builds a document's `indicators`: they never change a mention, so they survive re-runs, `--full`
and new pipeline versions, and a line whose key matches no mention any more is reported `stale`.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from transforms.contracts import CORRECTABLE, CORRECTION_FIELDS, CORRECTION_STATUSES, INDICATORS

HEADER = ("doc_id", "start", "end", "field", "value", "note")
DROP, ADD = "drop", "add"
FIELDS = CORRECTION_FIELDS
NUMBER_FIELDS = ("value", "value_high")
# What an added mention cannot do without: the rest has a default (measure level, qualifier exact).
ADD_NEEDS = ("indicator", "value", "unit", "status", "period")
APPLIED, STALE, SUPERSEDED, FAILED = CORRECTION_STATUSES
_DOC_ID = re.compile(r"^[0-9a-f]{16}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# The unit as written after a figure's last digit (3.5万人 -> 万人).
_RAW_UNIT = re.compile(r"[0-9０-９.．一二三四五六七八九十百千零〇两]([^0-9０-９.．]*)$")


class CorrectionsError(ValueError):
    """A line of a corrections file that cannot be applied; `line` is 1 for the header."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class Correction:
    """One line of a corrections file: set `field` of the mention at (doc_id, start, end) to `value`."""

    line: int
    doc_id: str
    start: int
    end: int
    field: str
    value: str | None  # None: the line's value was empty
    note: str | None

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.doc_id, self.start, self.end)

    def describe(self) -> str:
        """The line as a reviewer recognises it.

        >>> Correction(3, "7ecb4e462155040d", 10, 14, "status", "target", None).describe()
        'line 3: 7ecb4e462155040d [10, 14) status=target'
        """
        shown = self.field if self.field in (DROP, ADD) else f"{self.field}={self.value or ''}"
        return f"line {self.line}: {self.doc_id} [{self.start}, {self.end}) {shown}"


def _integer(text: str, name: str, line: int) -> int:
    if not re.fullmatch(r"\d{1,9}", text.strip()):
        raise CorrectionsError(line, f"{name} must be a whole number of characters, not {text!r}")
    return int(text)


def check_value(field: str, value: str | None, codes: Collection[str] | None = None) -> str | None:
    """Why `value` cannot be set in `field` (None when it can): the contract's types and vocabularies.

    >>> check_value("status", "planned"), check_value("value", "七"), check_value("drop", None)
    ("status must be one of actual, target, not 'planned'", "value must be a number, not '七'", None)
    """
    if field not in FIELDS:
        return f"unknown field {field!r}: use one of {', '.join(FIELDS)}"
    if field in (DROP, ADD):
        return None if value is None else f"a {field} line takes no value (got {value!r})"
    if value is None:
        nullable = INDICATORS.schema.field(field).nullable
        return None if nullable else f"{field} cannot be empty"
    if _CONTROL.search(value):
        return f"{field} holds a control character"
    if field in NUMBER_FIELDS:
        try:
            number = float(value)
        except ValueError:
            return f"{field} must be a number, not {value!r}"
        return None if math.isfinite(number) else f"{field} must be a finite number, not {value!r}"
    allowed = INDICATORS.allowed.get(field)
    if allowed is not None and value not in allowed:
        return f"{field} must be one of {', '.join(allowed)}, not {value!r}"
    if field == "indicator_code" and codes is not None and value not in codes:
        return f"indicator_code {value!r} is not in seeds/indicator_codes.csv"
    return None


def parse_corrections(text: str, codes: Collection[str] | None = None) -> list[Correction]:
    """The corrections of a file's text, checked line by line; raises CorrectionsError naming the line."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    try:
        header = next(reader)
    except StopIteration:
        raise CorrectionsError(1, f"empty file: the first line must be {','.join(HEADER)}") from None
    except csv.Error as error:
        raise CorrectionsError(1, f"not a CSV line ({error})") from None
    if tuple(h.strip() for h in header) != HEADER:
        raise CorrectionsError(1, f"the header must be exactly {','.join(HEADER)}, not {','.join(header)}")
    corrections: list[Correction] = []
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise CorrectionsError(reader.line_num, f"not a CSV line ({error})") from None
        line = reader.line_num
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != len(HEADER):
            raise CorrectionsError(line, f"{len(row)} field(s), expected {len(HEADER)} ({','.join(HEADER)})")
        doc_id, start_text, end_text, field_name, value, note = (cell.strip() for cell in row)
        if not _DOC_ID.match(doc_id):
            raise CorrectionsError(line, f"doc_id must be a document's 16 hex digits, not {doc_id!r}")
        start, end = _integer(start_text, "start", line), _integer(end_text, "end", line)
        if end <= start:
            raise CorrectionsError(line, f"end ({end}) must be greater than start ({start})")
        problem = check_value(field_name, value or None, codes)
        if problem:
            raise CorrectionsError(line, problem)
        corrections.append(Correction(line, doc_id, start, end, field_name, value or None, note or None))
    _check_adds(corrections)
    return corrections


def _check_adds(corrections: Sequence[Correction]) -> None:
    """Every `add` comes with the attributes an indicator row cannot do without."""
    fields: dict[tuple[str, int, int], set[str]] = {}
    for c in corrections:
        fields.setdefault(c.key, set()).add(c.field)
    for c in corrections:
        if c.field == ADD:
            missing = [f for f in ADD_NEEDS if f not in fields[c.key]]
            if missing:
                raise CorrectionsError(c.line, f"an add needs lines with the same key setting {', '.join(missing)}")


def check_offsets(corrections: Iterable[Correction], lengths: Mapping[str, int]) -> None:
    """Raise CorrectionsError for a line whose offsets lie outside its document's text (of known length)."""
    for c in corrections:
        length = lengths.get(c.doc_id)
        if length is not None and c.end > length:
            raise CorrectionsError(c.line, f"[{c.start}, {c.end}) is outside the document's {length} characters")


@dataclass(frozen=True)
class Source:
    """What an added mention takes from its document: the text, the sentence spans and the metadata."""

    text: str
    sentences: Sequence[tuple[int, int, int]]  # (sentence_id, start, end), in text order
    metadata: Mapping[str, object]  # doc, region_name, level, report_year


def _typed(field: str, value: str | None) -> object:
    if value is None:
        return None
    return float(value) if field in NUMBER_FIELDS else value


def _sentence_of(source: Source, start: int) -> int:
    """The sentence holding offset `start` (or the last one starting before it)."""
    found = source.sentences[0][0] if source.sentences else 0
    for sentence_id, begin, _ in source.sentences:
        if begin > start:
            break
        found = sentence_id
    return found


def _raw_unit(quote: str) -> str:
    """The unit as written after the figure.

    >>> _raw_unit("3.5万人"), _raw_unit("7%"), _raw_unit("增长")
    ('万人', '%', '')
    """
    match = _RAW_UNIT.search(quote)
    return match.group(1) if match else ""


def _added_row(key: tuple[str, int, int], source: Source) -> dict[str, object]:
    doc_id, start, end = key
    row: dict[str, object] = {name: None for name in INDICATORS.schema.names}
    quote = source.text[start:end]
    row.update(source.metadata)
    row.update(doc_id=doc_id, start=start, end=end, quote=quote, raw_unit=_raw_unit(quote),
               measure="level", qualifier="exact", sentence_id=_sentence_of(source, start))  # fmt: skip
    return row


def effective(corrections: Sequence[Correction]) -> tuple[dict[tuple[str, int, int], dict[str, Correction]], set[int]]:
    """The last line for each key and field, by key; and the lines later ones supersede."""
    by_key: dict[tuple[str, int, int], dict[str, Correction]] = {}
    superseded = set()
    for c in corrections:
        fields = by_key.setdefault(c.key, {})
        if c.field in fields:
            superseded.add(fields[c.field].line)
        fields[c.field] = c
    return by_key, superseded


CodeFor = Callable[[str | None, str, str], str | None]


def apply_corrections(
    rows: Sequence[Mapping[str, object]],
    corrections: Sequence[Correction],
    sources: Mapping[str, Source],
    code_for: CodeFor | None = None,
) -> tuple[list[dict[str, object]], dict[int, str]]:
    """The indicator rows of mentions `rows` once the corrections of their documents are applied,
    each with `corrected` (the fields set, comma-separated; null if none), sorted by key; and the
    outcome of each correction line (applied, stale or superseded).

    Only corrections whose document is among `rows` or `sources` are decided; the caller passes
    `sources` (text and sentences) for the documents with an `add`. A changed name, unit or measure
    gets the standard code `code_for` gives, unless the code itself is corrected.
    """
    by_key, superseded = effective(corrections)
    documents = {str(r["doc_id"]) for r in rows} | set(sources)
    outcome = {c.line: SUPERSEDED for c in corrections if c.line in superseded and c.doc_id in documents}
    result: dict[tuple[str, int, int], dict[str, object]] = {}
    for row in rows:
        result[(str(row["doc_id"]), int(row["start"]), int(row["end"]))] = {**row, "corrected": None}  # type: ignore[call-overload]
    for key, fields in by_key.items():
        if key[0] not in documents:
            continue
        lines = [c.line for c in fields.values()]
        row = result.get(key)
        if row is None and ADD in fields and DROP not in fields and key[0] in sources:
            row = result[key] = _added_row(key, sources[key[0]])
            row["corrected"] = ADD
        elif row is not None and ADD in fields:
            outcome[fields[ADD].line] = STALE  # the extraction finds this mention now
        if row is None:
            outcome.update(dict.fromkeys(lines, STALE))
            continue
        if DROP in fields:
            del result[key]
            outcome.update(dict.fromkeys(lines, SUPERSEDED))
            outcome[fields[DROP].line] = APPLIED
            continue
        changed = [f for f in fields if f in CORRECTABLE]
        for name in changed:
            row[name] = _typed(name, fields[name].value)
            outcome[fields[name].line] = APPLIED
        if ADD in fields and outcome.get(fields[ADD].line) != STALE:
            outcome[fields[ADD].line] = APPLIED
        renamed = {"indicator", "unit", "measure"} & set(changed)
        if code_for is not None and (renamed or row["corrected"] == ADD) and "indicator_code" not in changed:
            row["indicator_code"] = code_for(row["indicator"], str(row["unit"]), str(row["measure"]))  # type: ignore[arg-type]
        marks = [ADD] if row["corrected"] == ADD else []
        row["corrected"] = ",".join(marks + [f for f in CORRECTABLE if f in changed]) or None
    ordered = sorted(result.items(), key=lambda item: item[0])
    return [row for _, row in ordered], outcome
