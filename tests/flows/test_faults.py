"""Faults stay small: one bad document, an odd file, a careless path never costs the rest.

One folder of every kind of trouble (a crashing report, a GBK file name, a FIFO, a symlink
loop, markup and escape codes in file names, a report naming no region, its own data
folder inside it), run twice through the command line with a home folder nothing can be
written to.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from flows.pipeline import RunConfig, run
from flows.quality import QualityGate
from flows.store import MARKER
from tests.conftest import SEED, SHARED, published_rows
from transforms.contracts import REJECTS, STAGES

pytestmark = pytest.mark.usefixtures("prefect_server")

# A one-character typo in the meeting line (第一一次): metadata's numeral reader raised on it.
TYPO_FROM, TYPO_TO = "第十四届全国人民代表大会第二次会议上", "第十四届全国人民代表大会第一一次会议上"
GBK_NAME = "报告.txt".encode("gbk")  # as unzipping a Windows archive names it
MARKUP_BIN = "<img src=x onerror=alert(7)>.bin"
MARKUP_TXT = "<img src=x onerror=alert(8)>.txt"
ESCAPE_NAME = "\x1b[31mred.txt"
NO_REGION = "今年发展主要预期目标是：城镇新增就业1100万人以上，城镇调查失业率5.5%左右，居民消费价格涨幅3%左右。\n"
# The header as the README writes it, with spaces after the commas.
MANIFEST = "file, region, level, year\nseed.txt, 样例市, city, 2021\n"


def _cli(*args: str, server: str, home: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PREFECT_API_URL=server)
    if home is not None:
        env["HOME"] = str(home)
    command = [sys.executable, "-m", "flows.cli", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def trouble(tmp_path_factory: pytest.TempPathFactory, prefect_server: str) -> dict:
    """The folder, its data folder inside it, and both runs' outputs and rows."""
    root = tmp_path_factory.mktemp("faults")
    inbox = root / "inbox"
    inbox.mkdir()
    (inbox / "seed.txt").write_bytes(SEED.read_bytes())
    national = (SHARED / "corpus" / "national_china_2024.txt").read_text(encoding="utf-8")
    assert TYPO_FROM in national
    (inbox / "typo.txt").write_text(national.replace(TYPO_FROM, TYPO_TO, 1), encoding="utf-8")
    province = sorted((SHARED / "corpus").glob("province_*.txt"))[0]
    with open(os.path.join(os.fsencode(inbox), GBK_NAME), "wb") as handle:
        handle.write(province.read_bytes())
    (inbox / "noregion.txt").write_text(NO_REGION, encoding="utf-8")
    os.mkfifo(inbox / "x.txt")
    (inbox / "loop.txt").symlink_to("loop.txt")
    for name in (MARKUP_BIN, MARKUP_TXT, ESCAPE_NAME):
        (inbox / name).write_bytes(b"")
    manifest = root / "manifest.csv"
    manifest.write_text(MANIFEST, encoding="utf-8")
    # A home folder nothing can be created in, even by root: its parent is a file.
    (root / "not-a-folder").write_text("", encoding="utf-8")
    home = root / "not-a-folder" / "home"
    data_dir = inbox / "data"
    args = ("run", str(inbox), "--data-dir", str(data_dir), "--manifest", str(manifest))
    first = _cli(*args, server=prefect_server, home=home)
    rows = {
        name: published_rows(data_dir, name) for name in ("documents", "sentences", "tokens", "indicators", "rejects")
    }
    # Reports lost since (a full disk, someone's rm): the next run, unchanged input or not, rebuilds them.
    (data_dir / "quality" / "review" / "index.html").unlink()
    (data_dir / "govreport.duckdb").unlink()
    second = _cli(*args, server=prefect_server, home=home)
    return {"inbox": inbox, "data_dir": data_dir, "first": first, "second": second, "rows": rows}


def test_the_good_reports_are_published_and_the_bad_ones_rejected_with_a_reason(trouble: dict) -> None:
    first, rows = trouble["first"], trouble["rows"]
    assert first.returncode == 1, first.stderr
    assert "Traceback" not in first.stdout + first.stderr
    docs = {r["doc"]: r for r in rows["documents"]}
    assert {"seed.txt", "报告.txt", "noregion.txt"} <= set(docs)
    rejects = {Path(r["file"]).name: r for r in rows["rejects"]}
    assert all(r["stage"] in STAGES and r["reason"] for r in rejects.values())
    # The typo report: read (once metadata reads 第一一次) or rejected with its stage and error.
    assert ("typo.txt" in docs) != ("typo.txt" in rejects)
    if "typo.txt" in rejects:
        assert rejects["typo.txt"]["stage"] == "ingest"
        assert rejects["typo.txt"]["reason"].startswith("ValueError: ")
        log = (trouble["data_dir"] / "govreport.log").read_text(encoding="utf-8")
        assert "Traceback" in log and "typo.txt" in log
    assert "FIFO" in rejects["x.txt"]["reason"]
    assert "loop" in rejects["loop.txt"]["reason"]
    for name in (MARKUP_BIN, MARKUP_TXT, ESCAPE_NAME):
        assert name in rejects, name
    # Each file once, by its absolute path.
    assert all(Path(r["file"]).is_absolute() for r in rows["rejects"])
    assert len({r["file"] for r in rows["rejects"]}) == len(rows["rejects"])


def test_the_manifest_with_spaces_in_its_header_applies(trouble: dict) -> None:
    seed = next(r for r in trouble["rows"]["documents"] if r["doc"] == "seed.txt")
    assert (seed["region"], seed["level"], str(seed["report_year"])) == ("样例市", "city", "2021")


def test_the_run_never_reads_its_own_data_folder(trouble: dict) -> None:
    data_dir = trouble["data_dir"]
    assert (data_dir / MARKER).is_file()
    for dataset in ("documents", "rejects"):
        column = "source_path" if dataset == "documents" else "file"
        for row in trouble["rows"][dataset]:
            assert not row[column].startswith(str(data_dir)), row[column]


def test_a_second_run_publishes_exactly_what_the_first_did(trouble: dict) -> None:
    second, data_dir = trouble["second"], trouble["data_dir"]
    assert second.returncode == 1, second.stderr
    assert "Traceback" not in second.stdout + second.stderr
    assert "0 processed" in second.stdout
    for name, rows in trouble["rows"].items():
        assert published_rows(data_dir, name) == rows, name


def test_reports_lost_are_rebuilt_by_the_next_run(trouble: dict) -> None:
    data_dir = trouble["data_dir"]
    assert (data_dir / "quality" / "review" / "index.html").is_file()
    with duckdb.connect(str(data_dir / "govreport.duckdb"), read_only=True) as db:
        assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == len(trouble["rows"]["documents"])


def test_pandas_reads_every_dataset_with_a_document_naming_no_region(trouble: dict) -> None:
    data_dir = trouble["data_dir"]
    for name, rows in trouble["rows"].items():
        assert len(pd.read_parquet(data_dir / name)) == len(rows), name
    documents = pd.read_parquet(data_dir / "documents")
    no_region = documents[documents["doc"] == "noregion.txt"].iloc[0]
    assert pd.isna(no_region["region"])
    assert str(no_region["level"]) == "unknown"  # the partition folder, not a null pandas cannot unify
    assert (data_dir / "indicators" / "level=unknown").is_dir()


class _Elements(HTMLParser):
    """Every start tag of a page, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _injected(folder: Path) -> list[tuple[Path, str]]:
    """Elements of the pages under `folder` that come from a file name's markup."""
    found = []
    for page in folder.rglob("*.html"):
        parser = _Elements()
        parser.feed(page.read_text(encoding="utf-8"))
        found += [(page, tag) for tag, attrs in parser.tags if "onerror" in attrs or attrs.get("src") == "x"]
    return found


def test_no_page_holds_an_element_from_a_file_name(trouble: dict) -> None:
    quality = trouble["data_dir"] / "quality"
    assert any(quality.rglob("*.html"))
    assert _injected(quality) == []


def test_the_data_docs_escape_failing_file_names(tmp_path: Path) -> None:
    """A failed suite is where GX writes values into its pages: the rejects of one file twice."""
    gate = QualityGate(tmp_path / "gx", tmp_path / "quality")
    row = {"file": f"/in/{MARKUP_BIN}", "doc_id": None, "stage": "read", "reason": "x", "time": pd.Timestamp(0)}
    failures = gate.validate("rejects", pa.Table.from_pylist([row, row], schema=REJECTS.schema))
    assert failures, "the duplicate key must fail the suite, or this test shows nothing"
    gate.build_docs()
    pages = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "quality").rglob("*.html"))
    assert "onerror=alert(7)" in pages  # the name is shown ...
    assert _injected(tmp_path / "quality") == []  # ... as text


def test_file_names_reach_the_terminal_escaped(trouble: dict) -> None:
    out = trouble["first"].stdout
    assert "\x1b" not in out
    assert "\\x1b[31mred.txt" in out


def test_a_full_disk_in_the_report_stage_is_one_line_and_repaired(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import flows.pipeline

    def full(data_dir: Path) -> Path:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    data_dir = tmp_path / "glob [1] *" / "data"  # glob characters in the path, taken literally
    config = RunConfig(paths=(SEED,), data_dir=data_dir)
    with monkeypatch.context() as patched:
        patched.setattr(flows.pipeline, "write_review_pages", full)
        failed = run(config)
    assert failed.error is not None and "No space left on device" in failed.error
    assert "\n" not in failed.error
    assert len(published_rows(data_dir, "documents")) == 1  # published before the report stage
    repaired = run(config)
    assert repaired.error is None and repaired.processed == 0
    assert (data_dir / "quality" / "review" / "index.html").is_file()
    with duckdb.connect(str(data_dir / "govreport.duckdb"), read_only=True) as db:
        assert db.execute("SELECT count(*) FROM indicators").fetchone()[0] == len(
            published_rows(data_dir, "indicators")
        )


def test_a_data_folder_that_is_a_file_or_someone_elses_is_a_usage_error(tmp_path: Path, prefect_server: str) -> None:
    a_file = tmp_path / "data.txt"
    a_file.write_text("mine", encoding="utf-8")
    foreign = tmp_path / "photos"
    (foreign / ".staging").mkdir(parents=True)
    (foreign / ".snapshots").mkdir()
    (foreign / ".documents.1.link").write_text("not a link", encoding="utf-8")
    (foreign / "holiday.jpg").write_bytes(b"\xff\xd8")
    before = sorted(p.relative_to(foreign) for p in foreign.rglob("*"))
    for data_dir in (a_file, foreign):
        result = _cli("run", str(SEED), "--data-dir", str(data_dir), server=prefect_server)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("govreport: --data-dir ") and result.stderr.count("\n") == 1
    assert a_file.read_text(encoding="utf-8") == "mine"
    assert sorted(p.relative_to(foreign) for p in foreign.rglob("*")) == before
