"""The two-year provincial panel: each province's 2025 targets (Word reports) beside its 2025 actuals (2026 texts)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml

from flows.pipeline import RunConfig, RunSummary, run
from tests.conftest import PROJECT, SHARED

pytestmark = pytest.mark.usefixtures("prefect_server")
CORPUS = SHARED / "corpus"
# Read by hand from the texts: the targets of each 2025 report and the actuals its 2026 report gives.
PANEL = yaml.safe_load((PROJECT / "tests" / "golden" / "panel_2025.yaml").read_text(encoding="utf-8"))
MEASURES = {"gdp": "change", "cpi": "change", "urban_new_jobs": "level", "general_budget_revenue": "change"}

Cell = tuple[str, str, str]  # region, indicator_code, "target" or "actual"


def read_panel(catalog: Path) -> dict[Cell, object]:
    """The 2025 provincial cells of targets_vs_actuals for the codes of the panel, as the YAML writes them."""
    with duckdb.connect(str(catalog), read_only=True) as db:
        rows = db.execute(
            "SELECT region, indicator_code, measure, target_value, target_value_high, target_qualifier, "
            "actual_value, actual_direction FROM targets_vs_actuals WHERE level = 'province' AND year = 2025"
        ).fetchall()
    cells: dict[Cell, object] = {}
    for region, code, measure, value, high, qualifier, actual, direction in rows:
        if MEASURES.get(code) != measure:
            continue  # 力争达到8% read as a share is not the growth target: the change row is compared
        cells[(region, code, "target")] = [value, high, qualifier]
        cells[(region, code, "actual")] = None if actual is None else -actual if direction == "down" else actual
    return cells


def score_panel(cells: dict[Cell, object], code: str | None = None) -> tuple[list[Cell], list[Cell]]:
    """The cells the reports fill (a target, or an actual the next report states) that come out right, and wrong."""
    right: list[Cell] = []
    wrong: list[Cell] = []
    for region, codes in PANEL.items():
        for each, expected in codes.items():
            if code is not None and each != code:
                continue
            for kind in ("target", "actual"):
                if expected[kind] is None:
                    continue
                cell = (region, each, kind)
                (right if cells.get(cell) == expected[kind] else wrong).append(cell)
    return right, wrong


@pytest.fixture(scope="module")
def panel_run(tmp_path_factory: pytest.TempPathFactory) -> RunSummary:
    reports = sorted((CORPUS / "docx").glob("province_*_2025.docx")) + sorted(CORPUS.glob("province_*_2026.txt"))
    assert len(reports) == 62
    return run(RunConfig(paths=tuple(reports), data_dir=tmp_path_factory.mktemp("panel")))


def test_the_yaml_holds_every_province() -> None:
    assert len(PANEL) == 31 and all("gdp" in codes for codes in PANEL.values())


def test_each_provinces_gdp_target_beside_its_actual(panel_run: RunSummary) -> None:
    assert panel_run.ok
    cells = read_panel(panel_run.catalog)
    right, wrong = score_panel(cells, "gdp")
    # A province counts when both its target and its actual are right.
    missed = {region for region, _, _ in wrong}
    assert len(PANEL) - len(missed) >= 30, sorted(missed)
    assert len(right) + len(wrong) == 62


def test_cpi_jobs_and_revenue_where_the_reports_state_them(panel_run: RunSummary) -> None:
    cells = read_panel(panel_run.catalog)
    right, wrong = [], []
    for code in ("cpi", "urban_new_jobs", "general_budget_revenue"):
        r, w = score_panel(cells, code)
        right += r
        wrong += w
    assert len(right) >= 0.9 * (len(right) + len(wrong)), (len(right), len(right) + len(wrong), wrong)
