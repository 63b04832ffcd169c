"""Corrections files: what is refused (naming the line), and what applying them does to mention rows."""

from __future__ import annotations

import pytest

from transforms.contracts import INDICATORS
from transforms.corrections import (
    APPLIED,
    STALE,
    SUPERSEDED,
    CorrectionsError,
    Source,
    apply_corrections,
    check_offsets,
    parse_corrections,
)

HEADER = "doc_id,start,end,field,value,note\n"
DOC = "0123456789abcdef"
TEXT = "今年城镇新增就业10万人，粮食产量600亿斤。"


def _row(start: int, end: int, **values: object) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(INDICATORS.schema.names)
    row.update(doc="a.txt", doc_id=DOC, start=start, end=end, quote=TEXT[start:end], indicator="城镇新增就业",
               value=100000.0, unit="person", measure="level", qualifier="exact", status="actual", raw_unit="万人",
               sentence_id=0, level="city", report_year=2021)  # fmt: skip
    row.update(values)
    return row


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("doc,start,end,field,value,note\n", 1, "header must be exactly"),
        (HEADER + f"{DOC},8,12,colour,red,\n", 2, "unknown field 'colour'"),
        (HEADER + f"{DOC},8,12,status,planned,\n", 2, "status must be one of actual, target"),
        (HEADER + f"{DOC},8,12,unit,万人,\n", 2, "unit must be one of"),
        (HEADER + f"{DOC},8,12,value,十万,\n", 2, "value must be a number"),
        (HEADER + f"{DOC},8,12,value,,\n", 2, "value cannot be empty"),
        (HEADER + f"{DOC},8,12,status,target,ok\n{DOC},8,12\n", 3, "3 field(s), expected 6"),
        (HEADER + f"{DOC},x,12,status,target,\n", 2, "start must be a whole number"),
        (HEADER + f"{DOC},12,8,status,target,\n", 2, "end (8) must be greater than start (12)"),
        (HEADER + "../etc,8,12,status,target,\n", 2, "doc_id must be"),
        (HEADER + f"{DOC},8,12,drop,yes,\n", 2, "a drop line takes no value"),
        (HEADER + f'{DOC},8,12,status,"unclosed\n', 2, "5 field(s), expected 6"),
        (HEADER + f"{DOC},8,12,add,,\n{DOC},8,12,value,10,\n", 2, "indicator, unit, status, period"),
        (HEADER + f"{DOC},8,12,indicator_code,no_such_code,\n", 2, "not in seeds/indicator_codes.csv"),
    ],
)
def test_a_bad_line_is_refused_naming_it(text: str, line: int, reason: str) -> None:
    with pytest.raises(CorrectionsError) as error:
        parse_corrections(text, codes={"urban_new_jobs"})
    assert error.value.line == line and reason in error.value.reason, error.value


def test_offsets_outside_the_text_are_refused_for_a_known_document() -> None:
    corrections = parse_corrections(HEADER + f"{DOC},8,12,status,target,\n{DOC},30,99,drop,,\n")
    check_offsets(corrections, {"fedcba9876543210": 5})  # unknown document: its lines turn stale, not an error
    with pytest.raises(CorrectionsError, match="line 3: \\[30, 99\\) is outside the document's 23 characters"):
        check_offsets(corrections, {DOC: len(TEXT)})


def test_flip_drop_add_and_stale() -> None:
    rows = [_row(8, 12), _row(17, 22, indicator="粮食产量", value=6e10, unit="jin", raw_unit="亿斤")]
    text = HEADER + "\n".join([
        f"{DOC},8,12,status,target,a target",
        f"{DOC},17,22,drop,,not a figure",
        f"{DOC},2,4,add,,missed",
        f"{DOC},2,4,indicator,年份,", f"{DOC},2,4,value,1,", f"{DOC},2,4,unit,year,",
        f"{DOC},2,4,status,actual,", f"{DOC},2,4,period,2021,",
        f"{DOC},0,1,status,target,nothing there",
        "fedcba9876543210,0,1,status,target,another document",
    ]) + "\n"  # fmt: skip
    corrections = parse_corrections(text)
    source = Source(TEXT, [(0, 0, len(TEXT))], {"doc": "a.txt", "region_name": None, "level": "city",
                                                 "report_year": 2021})  # fmt: skip
    out, outcome = apply_corrections(rows, corrections, {DOC: source})
    assert [(r["start"], r["end"], r["status"], r["corrected"]) for r in out] == [
        (2, 4, "actual", "add,indicator,value,unit,status,period"),
        (8, 12, "target", "status"),
    ]
    added = out[0]
    assert added["quote"] == TEXT[2:4] and added["value"] == 1.0 and added["measure"] == "level"
    assert outcome == {
        2: APPLIED,
        3: APPLIED,
        **dict.fromkeys(range(4, 10), APPLIED),
        10: STALE,
    }  # line 11: not decided
    assert rows[0]["status"] == "actual"  # the mentions are not changed


def test_a_later_line_supersedes_an_earlier_one_and_unchanged_rows_stay() -> None:
    corrections = parse_corrections(HEADER + f"{DOC},8,12,status,target,\n{DOC},8,12,status,actual,back\n")
    out, outcome = apply_corrections([_row(8, 12)], corrections, {})
    assert outcome == {2: SUPERSEDED, 3: APPLIED}
    assert (out[0]["status"], out[0]["corrected"]) == ("actual", "status")
    untouched, _ = apply_corrections([_row(8, 12)], [], {})
    assert untouched[0]["corrected"] is None


def test_a_renamed_row_gets_its_code_again() -> None:
    corrections = parse_corrections(HEADER + f"{DOC},8,12,indicator,粮食产量,\n")
    out, _ = apply_corrections([_row(8, 12)], corrections, {}, lambda name, unit, measure: f"code:{name}")
    assert out[0]["indicator_code"] == "code:粮食产量"
