"""Metadata: every corpus file whose name says its level, region and year must get them right."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.conftest import PROJECT, SHARED
from transforms.ingest import read_document
from transforms.metadata import npc_session_year, parse_places, read_metadata

CORPUS = SHARED / "corpus"
MANIFEST = CORPUS / "MANIFEST.tsv"
REGIONS = {
    "anhui": "安徽", "beijing": "北京", "chongqing": "重庆", "fujian": "福建", "gansu": "甘肃",
    "guangdong": "广东", "guangxi": "广西", "guizhou": "贵州", "hainan": "海南", "hebei": "河北",
    "heilongjiang": "黑龙江", "henan": "河南", "hubei": "湖北", "hunan": "湖南", "jiangsu": "江苏",
    "jiangxi": "江西", "jilin": "吉林", "liaoning": "辽宁", "neimenggu": "内蒙古", "ningxia": "宁夏",
    "qinghai": "青海", "shaanxi": "陕西", "shandong": "山东", "shanghai": "上海", "shanxi": "山西",
    "sichuan": "四川", "tianjin": "天津", "xinjiang": "新疆", "xizang": "西藏", "yunnan": "云南",
    "zhejiang": "浙江", "china": "中国",
}  # fmt: skip
# The 1964 report survives as an undated abstract that speaks only of the plan for 1965:
# the text alone cannot say 1964 (the manifest's override gives it in a run).
TEXT_YEAR = {"national_china_1964.txt": 1965}


def _manifest() -> list[pytest.param]:
    if not MANIFEST.exists():
        return [pytest.param(None, marks=pytest.mark.skip(reason="shared corpus not present"))]
    rows = list(csv.DictReader(MANIFEST.open(encoding="utf-8"), delimiter="\t"))
    return [pytest.param(row, id=row["file"]) for row in rows]


@pytest.mark.parametrize("row", _manifest())
def test_corpus_region_and_level(row: dict) -> None:
    document = read_document(Path(row["file"]).name, row["file"], (CORPUS / row["file"]).read_bytes())
    assert (document.region, document.level) == (REGIONS[row["region"]], row["level"])


@pytest.mark.parametrize("row", _manifest())
def test_corpus_report_year(row: dict) -> None:
    name = Path(row["file"]).name
    document = read_document(name, row["file"], (CORPUS / row["file"]).read_bytes())
    assert document.report_year == TEXT_YEAR.get(row["file"], int(row["year"]))


@pytest.mark.parametrize(
    ("congress", "session", "year"),
    [(1, 1, 1954), (1, 5, 1958), (2, 1, 1959), (3, 1, 1964), (4, 1, 1975), (5, 1, 1978), (6, 1, 1983),
     (7, 5, 1992), (9, 1, 1998), (13, 4, 2021), (14, 1, 2023)],
)  # fmt: skip
def test_npc_session_year(congress: int, session: int, year: int) -> None:
    assert npc_session_year(congress, session) == year


def test_title_is_a_title_line_not_a_sentence() -> None:
    meta = read_metadata("各位代表：\n现在，我代表国务院向大会作政府工作报告，请予审议。")
    assert meta.title is None
    assert read_metadata("陕西省2026年政府工作报告\n各位代表：").title == "陕西省2026年政府工作报告"


def test_a_county_named_only_in_passing_is_found_with_the_places_seed() -> None:
    places = parse_places((PROJECT / "seeds" / "places.tsv").read_text(encoding="utf-8"))
    text = "县长 某某\n各位代表：\n一、2019年工作回顾\n全县生产总值增长7%，解放思想，一批项目落户婺源。"
    assert (read_metadata(text, places).region, read_metadata(text).region) == ("婺源县", None)
    # Two places of the level, named as often: no guess.
    assert read_metadata(text + "项目落户弋阳。", places).region is None


def test_a_name_in_traditional_script_is_written_as_the_places_seed_writes_it() -> None:
    places = parse_places((PROJECT / "seeds" / "places.tsv").read_text(encoding="utf-8"))
    text = (
        "——2016年1月8日在蕪湖市第十五屆人民代表大會第五次會議上\n市長 某某\n各位代表:\n現在,我代表市人民政府報告工作。"
    )
    assert (read_metadata(text).region, read_metadata(text, places).region) == ("蕪湖市", "芜湖市")


def test_a_county_level_city_is_county_level_with_the_places_seed() -> None:
    places = parse_places((PROJECT / "seeds" / "places.tsv").read_text(encoding="utf-8"))
    text = "2020年江阴市人民政府工作报告\n江阴市人民政府市长 某某\n各位代表：\n现在，我代表市人民政府报告工作。"
    meta = read_metadata(text, places)
    assert (meta.region, meta.level) == ("江阴市", "county")
    meta = read_metadata(text.replace("江阴", "无锡"), places)
    assert (meta.region, meta.level) == ("无锡市", "city")
