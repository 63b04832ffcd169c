"""Reviewers close the loop, end to end on the seed: corrections through runs, the review server,
the offline quality report, and a failing run as Prefect sees it."""

from __future__ import annotations

import os
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pytest

from flows import cli
from flows.pipeline import RunConfig, RunSummary, run
from flows.review_server import make_server
from tests.browser import browser, offline_dom
from tests.conftest import SEED

pytestmark = pytest.mark.usefixtures("prefect_server")

DOC = "1a1875a42955c032"  # the seed's id: the first 16 hex digits of its bytes' SHA-256
FLIP = (33, 36)  # 45个 (完成重点道桥项目), an achievement read again as a target
DROPPED = (112, 116)  # 124条
ADDED = (3910, 3917)  # 900万平方米, 房屋征收总面积: not extracted
STALE = (5, 7)
HEADER = "doc_id,start,end,field,value,note\n"
LINES = [
    f"{DOC},{FLIP[0]},{FLIP[1]},status,target,a reviewer's flip",
    f"{DOC},{DROPPED[0]},{DROPPED[1]},drop,,not an indicator",
    f"{DOC},{ADDED[0]},{ADDED[1]},add,,missed by the extraction",
    f"{DOC},{ADDED[0]},{ADDED[1]},indicator,房屋征收总面积,",
    f"{DOC},{ADDED[0]},{ADDED[1]},value,9000000,",
    f"{DOC},{ADDED[0]},{ADDED[1]},unit,m2,",
    f"{DOC},{ADDED[0]},{ADDED[1]},status,actual,",
    f"{DOC},{ADDED[0]},{ADDED[1]},period,2016-2020,",
    f"{DOC},{STALE[0]},{STALE[1]},status,target,no mention here",
]


def _rows(data_dir: Path, dataset: str) -> list[dict]:
    partitioning = None if dataset == "corrections" else "hive"
    table = ds.dataset(data_dir / dataset, format="parquet", partitioning=partitioning).to_table()
    return sorted(table.to_pylist(), key=lambda r: tuple(str(r.get(k)) for k in ("doc_id", "start", "end", "line")))


def _keyed(rows: list[dict]) -> dict[tuple[int, int], dict]:
    return {(r["start"], r["end"]): r for r in rows}


def _files(data_dir: Path, dataset: str) -> dict[str, int]:
    """Each file of a published dataset and its inode: a file carried over is the same inode."""
    root = (data_dir / dataset).resolve()
    return {str(p.relative_to(root)): p.stat().st_ino for p in root.rglob("*.parquet")}


@dataclass
class Runs:
    data_dir: Path
    corrections: Path
    first: RunSummary
    after_first: dict[str, list[dict]]
    catalog: list[tuple]
    review_page: str
    again: RunSummary
    after_again: list[dict]
    edited: RunSummary
    after_edit: list[dict]
    mentions_files: tuple[dict[str, int], dict[str, int]]
    full: RunSummary
    after_full: list[dict]
    broken: RunSummary
    after_broken: dict[str, list[dict]]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    """Five runs of the seed: with corrections, again, with the file changed alone, --full, and
    with a correction that fails the indicators suite."""
    data_dir = tmp_path_factory.mktemp("data")
    corrections = data_dir.parent / "corrections.csv"
    corrections.write_text(HEADER + "\n".join(LINES) + "\n", encoding="utf-8")
    config = RunConfig(paths=(SEED,), data_dir=data_dir, corrections=corrections)
    first = run(config)
    after_first = {name: _rows(data_dir, name) for name in ("mentions", "indicators", "corrections")}
    with duckdb.connect(str(data_dir / "govreport.duckdb"), read_only=True) as db:
        catalog = db.sql('SELECT start, "end", status, corrected FROM indicators ORDER BY start').fetchall()
    review_page = (data_dir / "quality" / "review" / f"{DOC}.html").read_text(encoding="utf-8")
    again = run(config)
    after_again = _rows(data_dir, "indicators")
    mentions_before = _files(data_dir, "mentions")
    corrections.write_text(HEADER + "\n".join(line for line in LINES if ",drop," not in line) + "\n", encoding="utf-8")
    edited = run(config)
    after_edit = _rows(data_dir, "indicators")
    mentions_after = _files(data_dir, "mentions")
    corrections.write_text(HEADER + "\n".join(LINES) + "\n", encoding="utf-8")
    full = run(RunConfig(paths=(SEED,), data_dir=data_dir, corrections=corrections, full=True))
    after_full = _rows(data_dir, "indicators")
    corrections.write_text(HEADER + "\n".join([*LINES, f"{DOC},208,211,value,99999,"]) + "\n", encoding="utf-8")
    broken = run(config)  # 83% corrected to 99999%: outside the unit's range
    after_broken = {name: _rows(data_dir, name) for name in ("indicators", "corrections")}
    corrections.write_text(HEADER + "\n".join(LINES) + "\n", encoding="utf-8")
    return Runs(data_dir, corrections, first, after_first, catalog, review_page, again, after_again, edited,
                after_edit, (mentions_before, mentions_after), full, after_full, broken, after_broken)  # fmt: skip


def _changes(mentions: list[dict], indicators: list[dict]) -> dict[str, object]:
    """What separates the published indicators from the raw extraction."""
    before, after = _keyed(mentions), _keyed(indicators)
    changed = {
        key: {c: (before[key][c], after[key][c]) for c in before[key] if before[key][c] != after[key][c]}
        for key in before.keys() & after.keys()
    }
    return {
        "dropped": sorted(before.keys() - after.keys()),
        "added": sorted(after.keys() - before.keys()),
        "changed": {key: diff for key, diff in changed.items() if diff},
    }


def test_the_corrections_make_exactly_their_changes(runs: Runs) -> None:
    assert runs.first.ok, (runs.first.failures, runs.first.rejects)
    mentions, indicators = runs.after_first["mentions"], runs.after_first["indicators"]
    assert _changes([{**m, "corrected": None} for m in mentions], indicators) == {
        "dropped": [DROPPED],
        "added": [ADDED],
        "changed": {FLIP: {"status": ("actual", "target"), "corrected": (None, "status")}},
    }
    added = _keyed(indicators)[ADDED]
    text = SEED.read_text(encoding="utf-8")
    assert (added["quote"], added["indicator"], added["value"], added["unit"]) == (
        text[ADDED[0] : ADDED[1]], "房屋征收总面积", 9_000_000.0, "m2")  # fmt: skip
    assert added["corrected"] == "add,indicator,value,unit,status,period"
    assert added["level"] == "city" and added["report_year"] == 2021


def test_the_catalog_shows_the_corrected_rows(runs: Runs) -> None:
    catalog = {(start, end): (status, corrected) for start, end, status, corrected in runs.catalog}
    assert catalog[FLIP] == ("target", "status")
    assert DROPPED not in catalog
    assert catalog[ADDED] == ("actual", "add,indicator,value,unit,status,period")
    assert len(catalog) == len(runs.after_first["mentions"])  # one dropped, one added


def test_the_review_page_shows_keys_and_corrections(runs: Runs) -> None:
    page = runs.review_page
    assert f"{DOC}<br>{FLIP[0]}–{FLIP[1]}" in page and f"{DOC}<br>{ADDED[0]}–{ADDED[1]}" in page
    assert f"{DOC}<br>{DROPPED[0]}–{DROPPED[1]}" not in page
    assert "<mark>900万平方米</mark>" in page
    assert page.count('class="corrected"') == 2
    assert "<form" not in page  # the static pages have no forms: only the server's do


def test_the_corrections_dataset_lists_applied_and_stale_lines(runs: Runs) -> None:
    status = {(r["start"], r["end"], r["field"]): r["status"] for r in runs.after_first["corrections"]}
    assert status[(*FLIP, "status")] == status[(*DROPPED, "drop")] == status[(*ADDED, "add")] == "applied"
    assert status[(*STALE, "status")] == "stale"
    assert [r["note"] for r in runs.after_first["corrections"] if r["line"] == 3] == ["not an indicator"]
    assert runs.first.corrections_applied == 8
    assert [(c.line, c.start, c.end) for c in runs.first.stale] == [(10, *STALE)]


def test_a_rerun_keeps_them_and_publishes_nothing_new(runs: Runs) -> None:
    assert (runs.again.processed, runs.again.unchanged) == (0, 1)
    assert runs.after_again == runs.after_first["indicators"]


def test_a_changed_file_alone_reapplies_without_extracting(runs: Runs) -> None:
    assert runs.edited.ok and (runs.edited.processed, runs.edited.new_indicators) == (0, 0)
    before, after = runs.mentions_files
    assert before == after  # the mentions files were carried over, not written again
    indicators = _keyed(runs.after_edit)
    assert DROPPED in indicators and indicators[DROPPED]["corrected"] is None
    assert indicators[FLIP]["status"] == "target" and ADDED in indicators


def test_a_full_run_keeps_them(runs: Runs) -> None:
    assert runs.full.ok and runs.full.processed == 1
    assert runs.after_full == runs.after_first["indicators"]


def test_a_correction_that_fails_the_suite_blocks_its_document(runs: Runs) -> None:
    assert not runs.broken.ok and runs.broken.processed == 0
    assert [f.expectation for f in runs.broken.failures] == [
        "expect_column_values_to_be_in_set(column=value_in_unit_range)"
    ]
    (reject,) = runs.broken.rejects
    assert reject.doc_id == DOC and "its earlier rows stay" in reject.reason
    assert runs.after_broken["indicators"] == runs.after_full  # the document keeps its published rows
    status = {r["line"]: r["status"] for r in runs.after_broken["corrections"]}
    assert status == {**dict.fromkeys(range(2, 10), "failed"), 10: "stale", 11: "failed"}


BAD_FILES = {
    "unknown field": (f"{DOC},33,36,colour,red,", "line 2: unknown field 'colour'"),
    "outside the vocabulary": (f"{DOC},33,36,status,planned,", "line 2: status must be one of actual, target"),
    "not a number": (f"{DOC},33,36,value,四十五,", "line 2: value must be a number"),
    "outside the text": (f"{DOC},33,36,status,target,\n{DOC},99990,99999,drop,,", "line 3: [99990, 99999) is outside"),
    "malformed": (f"{DOC},33,36,status", "line 2: 4 field(s), expected 6"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_corrections_file_is_a_usage_error_naming_the_line(runs: Runs, name: str, capsys, tmp_path) -> None:
    lines, message = BAD_FILES[name]
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + lines + "\n", encoding="utf-8")
    links = {p.name: p.readlink() for p in runs.data_dir.iterdir() if p.is_symlink()}
    code = cli.main(["run", str(SEED), "--data-dir", str(runs.data_dir), "--corrections", str(bad)])
    assert code == cli.EXIT_USAGE
    error = capsys.readouterr().err
    assert message in error and str(bad) in error and error.count("\n") == 1, error
    assert {p.name: p.readlink() for p in runs.data_dir.iterdir() if p.is_symlink()} == links


@pytest.fixture(scope="module")
def review_server(runs: Runs, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`govreport review` on the corrected data folder, with a corrections file of its own."""
    corrections = tmp_path_factory.mktemp("review") / "corrections.csv"
    corrections.write_text(runs.corrections.read_text(encoding="utf-8"), encoding="utf-8")
    server = make_server(runs.data_dir, corrections, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", corrections
    finally:
        server.shutdown()
        server.server_close()


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def _post(url: str, form: dict[str, object]) -> tuple[int, str]:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode(), method="POST")
    return _get(request)  # type: ignore[arg-type]


def test_the_server_listens_on_localhost_and_serves_only_the_review_pages(review_server) -> None:
    url, _ = review_server
    assert url.startswith("http://127.0.0.1:")
    status, page = _get(f"{url}/{DOC}.html")
    assert status == 200 and page.count('<form class="fix"') > 90 and 'name="quote"' in page
    assert _get(f"{url}/")[0] == 200
    for path in ("/../govreport.duckdb", "/%2e%2e/govreport.duckdb", "/..%2fdocuments", "/static/x.css", "/x.html"):
        assert _get(url + path)[0] == 404, path


def test_a_form_post_appends_the_line_and_the_row_shows_pending(review_server) -> None:
    url, corrections = review_server
    before = corrections.read_text(encoding="utf-8")
    form = {"action": "correct", "doc_id": DOC, "start": 208, "end": 211, "field": "status", "value": "target",
            "note": 'a note, with "quotes"'}  # fmt: skip
    status, page = _post(f"{url}/corrections", form)
    assert status == 200  # the redirect, followed, to the document's page
    assert (
        corrections.read_text(encoding="utf-8") == before + f'{DOC},208,211,status,target,"a note, with ""quotes"""\n'
    )
    assert "pending: status=target" in page


def test_a_post_from_another_site_or_host_name_is_refused(review_server) -> None:
    url, corrections = review_server
    before = corrections.read_text(encoding="utf-8")
    form = urllib.parse.urlencode({"action": "correct", "doc_id": DOC, "start": 208, "end": 211, "field": "drop"})
    for headers in ({"Origin": "http://evil.example"}, {"Host": "evil.example"}):
        request = urllib.request.Request(f"{url}/corrections", data=form.encode(), method="POST", headers=headers)
        assert _get(request)[0] == 403, headers  # type: ignore[arg-type]
    assert corrections.read_text(encoding="utf-8") == before


def test_a_bad_value_is_refused_with_its_reason_and_the_file_unchanged(review_server) -> None:
    url, corrections = review_server
    before = corrections.read_text(encoding="utf-8")
    form = {"action": "correct", "doc_id": DOC, "start": 208, "end": 211, "field": "unit", "value": "furlongs"}
    status, page = _post(f"{url}/corrections", form)
    assert status == 400 and "unit must be one of" in page
    status, page = _post(f"{url}/corrections", {**form, "field": "value", "value": "1", "end": 99999})
    assert status == 400 and "outside the document" in page
    assert corrections.read_text(encoding="utf-8") == before


def test_a_browser_submits_a_row_form_and_a_sentence_form(review_server) -> None:
    url, corrections = review_server
    page_url = f"{url}/{DOC}.html"
    with browser() as page:
        page.open(page_url)
        # Fill the first row's form (45个, 33-36) as a user would, and press its button.
        page.evaluate("""(() => {
            const form = document.querySelector('tr[id="r1"] form');
            form.querySelector('select[name=field]').value = 'period';
            form.querySelector('input[name=value]').value = '2020';
            form.querySelector('input[name=note]').value = 'from a browser';
            form.querySelector('button').click();
        })()""")
        page.wait_for("document.body && document.body.innerText.includes('pending: period=2020')")
        # A missed figure, typed into the add form of the sentence it is in.
        page.evaluate("""(() => {
            const rows = [...document.querySelectorAll('#add ~ table tr')];
            const row = rows.find(r => r.innerText.includes('900万平方米'));
            const form = row.querySelector('form');
            for (const [name, value] of [['quote', '900万平方米'], ['indicator', '房屋征收面积'], ['value', '9000000'],
                                         ['period', '2020']]) form.querySelector(`[name=${name}]`).value = value;
            form.querySelector('select[name=unit]').value = 'm2';
            form.querySelector('select[name=status]').value = 'actual';
            form.querySelector('button').click();
        })()""")
        page.wait_for("document.body && document.body.innerText.includes('indicator=房屋征收面积')")
    text = corrections.read_text(encoding="utf-8")
    assert f"{DOC},33,36,period,2020,from a browser\n" in text
    assert f"{DOC},{ADDED[0]},{ADDED[1]},indicator,房屋征收面积,\n" in text


def _loaded_addresses(folder: Path) -> list[tuple[Path, str]]:
    """Every address a page or style sheet under `folder` loads (script, style, image, font)."""

    pattern = re.compile(
        r"<(?:script|img|iframe|source|embed)\b[^>]*?\bsrc=[\"']([^\"']*)[\"']|"
        r"<link\b[^>]*?\bhref=[\"']([^\"']*)[\"']|"
        r"url\(\s*[\"']?([^\"')]*)[\"']?\s*\)",
        re.I,
    )
    found = []
    for path in [*folder.rglob("*.html"), *folder.rglob("*.css")]:
        for match in pattern.finditer(path.read_text(encoding="utf-8", errors="replace")):
            address = next(g for g in match.groups() if g is not None)
            found.append((path, address))
    return found


def test_nothing_under_quality_loads_from_outside_the_data_folder(runs: Runs) -> None:
    quality = runs.data_dir / "quality"
    addresses = _loaded_addresses(quality)
    assert len(addresses) > 50
    for path, address in addresses:
        if address.startswith(("data:", "#")) or not address:
            continue
        assert "//" not in address and ":" not in address.split("/")[0], (path, address)
        target = (path.parent / urllib.parse.unquote(address.split("?")[0].split("#")[0])).resolve()
        assert target.is_relative_to(quality.resolve()) and target.exists(), (path, address)
    assert not [p for p in quality.rglob("*.html") if "amazonaws" in p.read_text(encoding="utf-8")]
    # Nor does any link point off the machine (GX's documentation and newsletter links are dropped).
    external = re.compile(r"""\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)
    assert not [p for p in quality.rglob("*.html") if external.search(p.read_text(encoding="utf-8"))]


def test_the_quality_report_shows_every_suite_offline(runs: Runs) -> None:
    dom = offline_dom((runs.data_dir / "quality" / "index.html").as_uri())
    assert 'class="bootstrap-table' in dom  # its script ran: the validation table was built
    for suite in ("documents", "sentences", "tokens", "mentions", "indicators", "rejects", "corrections"):
        assert f"validations/{suite}/" in dom, suite
    review = offline_dom((runs.data_dir / "quality" / "review" / f"{DOC}.html").as_uri(), wait_ms=1000)
    assert f"{DOC}<br>{ADDED[0]}–{ADDED[1]}" in review


def test_a_failing_check_ends_failed_in_prefect_with_an_artifact(tmp_path: Path, capsys) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, FlowFilter, FlowFilterName
    from prefect.client.schemas.sorting import FlowRunSort

    from flows.artifacts import ARTIFACT_KEY

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    absurd = "2021年政府工作报告\n\n今年主要预期目标是：地区生产总值增长99999%，城镇新增就业10万人。\n"
    (inbox / "absurd.txt").write_text(absurd, encoding="utf-8")
    assert cli.main(["run", str(inbox), "--data-dir", str(tmp_path / "data")]) == cli.EXIT_PROBLEMS
    assert "value_in_unit_range" in capsys.readouterr().out
    with get_client(sync_client=True) as client:
        (flow_run,) = client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=["govreport"])),
                                            sort=FlowRunSort.START_TIME_DESC, limit=1)  # fmt: skip
        assert flow_run.state.is_failed(), flow_run.state
        assert flow_run.state.message == "1 failed check(s), 1 rejected input(s)"
        artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(
            any_=[flow_run.id])))  # fmt: skip
    (artifact,) = artifacts
    assert artifact.key == ARTIFACT_KEY and artifact.type == "markdown"
    assert "| failed expectations | 1 |" in artifact.data and "value_in_unit_range" in artifact.data
    assert "absurd.txt" in artifact.data and os.fspath(tmp_path / "data" / "quality" / "index.html") in artifact.data
