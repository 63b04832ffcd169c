"""Standard indicator codes: the shipped table is valid and names map to codes as tests/golden/codes/cases.yaml says."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from transforms.codes import HEADER, IndicatorCodes, parse_codes
from transforms.contracts import MEASURES, UNITS

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "seeds" / "indicator_codes.csv"
CASES = yaml.safe_load((ROOT / "tests" / "golden" / "codes" / "cases.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def codes() -> IndicatorCodes:
    return parse_codes(TABLE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in CASES])
def test_golden_case(codes: IndicatorCodes, case: dict) -> None:
    assert codes.code_for(case["indicator"], case["unit"], case["measure"]) == case["code"]


def test_golden_cases_are_enough_and_unique() -> None:
    assert len(CASES) >= 40
    assert len({c["id"] for c in CASES}) == len(CASES)


def test_shipped_table_is_valid(codes: IndicatorCodes) -> None:
    assert len(codes) >= 45
    assert all(c.unit in UNITS and c.measure in MEASURES for c in codes.codes)
    assert len({c.code for c in codes.codes}) == len(codes)


def test_every_golden_code_exists(codes: IndicatorCodes) -> None:
    known = {c.code for c in codes.codes}
    assert {c["code"] for c in CASES if c["code"]} <= known


def test_every_code_matches_its_own_name(codes: IndicatorCodes) -> None:
    for entry in codes.codes:
        assert codes.code_for(entry.name, entry.unit, entry.measure) is not None, entry.code


GOOD = "code,name,aliases,unit,measure\ngdp,地区生产总值,国内生产总值|GDP,CNY,level\n"


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("gdp,人均地区生产总值,人均GDP,CNY,level", "already defined on line 2"),
        ("pm25,PM2.5平均浓度,PM2.5浓度,ugm3,level", "unit 'ugm3'"),
        ("pm25,PM2.5平均浓度,PM2.5浓度,ug_m3,average", "measure 'average'"),
        ("PM25,PM2.5平均浓度,PM2.5浓度,ug_m3,level", "snake_case"),
        ("gdp2,生产总值,GDP,CNY,level", "already an alias of 'gdp'"),
        ("pm25,PM2.5平均浓度,ug_m3,level", "expected 5 columns"),
    ],
)
def test_broken_table_names_the_line(line: str, problem: str) -> None:
    with pytest.raises(ValueError, match="line 3") as error:
        parse_codes(GOOD + line + "\n")
    assert problem in str(error.value)


def test_broken_header_is_line_1() -> None:
    with pytest.raises(ValueError, match="line 1"):
        parse_codes("code,name,unit\n")
    assert HEADER == ("code", "name", "aliases", "unit", "measure")


def test_same_alias_with_another_unit_is_allowed() -> None:
    codes = parse_codes(GOOD + "good_days,优良天数比例,优良天数,percent,share\ngood_days_n,优良天数,,day,level\n")
    assert codes.code_for("优良天数", "day", "level") == "good_days_n"
    assert codes.code_for("优良天数", "pp", "change") == "good_days"
