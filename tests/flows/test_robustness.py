"""Bad input, failed checks, killed and concurrent runs: nothing crashes, nothing is lost."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.pipeline import RunConfig, RunSummary, run
from flows.store import locked
from tests.conftest import SEED, SHARED, published_rows

pytestmark = pytest.mark.usefixtures("prefect_server")
SEED_TEXT = SEED.read_bytes().decode("utf-8")


def _run(*paths: Path, data_dir: Path, **options: object) -> RunSummary:
    return run(RunConfig(paths=tuple(paths), data_dir=data_dir, **options))


def _cli(*args: str, server: str) -> subprocess.Popen:
    env = dict(os.environ, PREFECT_API_URL=server)
    command = [sys.executable, "-m", "flows.cli", *args]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )


@pytest.fixture(scope="module")
def drop_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed in four encodings, and the things people drop into a folder by mistake."""
    folder = tmp_path_factory.mktemp("drop")
    (folder / "seed_utf8.txt").write_bytes(SEED_TEXT.encode("utf-8"))
    (folder / "seed_bom.txt").write_bytes(SEED_TEXT.encode("utf-8-sig"))
    (folder / "seed_gb18030.txt").write_bytes(SEED_TEXT.encode("gb18030"))
    (folder / "seed_utf16.txt").write_bytes(SEED_TEXT.encode("utf-16"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "random.txt").write_bytes(random.Random(7).randbytes(4096))
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (folder / "truncated.txt").write_bytes((SEED_TEXT[:500] + "报告").encode("gb18030")[:-1])
    (folder / "no_numbers.txt").write_text(
        "各位代表：我们要坚持稳中求进工作总基调，扎实做好各项工作。", encoding="utf-8"
    )
    (folder / "report.pdf").write_bytes(b"%PDF-1.4\n")
    return folder


@pytest.fixture(scope="module")
def drop_run(drop_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunSummary]:
    data_dir = tmp_path_factory.mktemp("data")
    return data_dir, _run(drop_folder, data_dir=data_dir)


def test_every_encoding_gives_the_same_indicators(drop_run: tuple[Path, RunSummary]) -> None:
    data_dir, _ = drop_run
    by_doc: dict[str, list[tuple]] = {}
    for row in published_rows(data_dir, "indicators"):
        by_doc.setdefault(row["doc"], []).append((row["start"], row["end"], row["quote"], row["value"], row["unit"]))
    assert set(by_doc) == {"seed_utf8.txt", "seed_bom.txt", "seed_gb18030.txt", "seed_utf16.txt"}
    reference = sorted(by_doc["seed_utf8.txt"])
    assert len(reference) >= 80
    for doc, rows in by_doc.items():
        assert sorted(rows) == reference, doc


EXPECTED_REJECTS = {
    "empty.txt": "empty",
    "random.txt": "",
    "image.txt": "PNG",
    "truncated.txt": "",
    "no_numbers.txt": "no indicators",
    "report.pdf": "corrupt PDF",
}


def test_bad_files_are_rejected_with_a_reason(drop_run: tuple[Path, RunSummary]) -> None:
    data_dir, summary = drop_run
    assert not summary.ok
    reasons = {Path(r.file).name: r.reason for r in summary.rejects}
    assert set(reasons) == set(EXPECTED_REJECTS)
    for name, expected in EXPECTED_REJECTS.items():
        assert expected.lower() in reasons[name].lower(), (name, reasons[name])
    published = {Path(r["file"]).name for r in published_rows(data_dir, "rejects")}
    assert published == set(EXPECTED_REJECTS)


def test_the_cli_names_bad_files_without_a_traceback(drop_folder: Path, tmp_path: Path, prefect_server: str) -> None:
    process = _cli("run", str(drop_folder), "--data-dir", str(tmp_path / "data"), server=prefect_server)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 1, err
    assert "Traceback" not in out + err
    for name in EXPECTED_REJECTS:
        assert name in out


def test_usage_errors_exit_2(tmp_path: Path, prefect_server: str) -> None:
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,region,level,year\nseed.txt,../../x,city,2021\n", encoding="utf-8")
    for args in (["run", str(tmp_path / "missing")], ["run", str(SEED), "--manifest", str(manifest)]):
        process = _cli(*args, "--data-dir", str(tmp_path / "data"), server=prefect_server)
        out, err = process.communicate(timeout=120)
        assert process.returncode == 2, (args, err)
        assert "Traceback" not in out + err
        assert err.startswith("govreport: ")
    assert not (tmp_path / "data").exists()


ABSURD = "2021年政府工作报告\n\n今年主要预期目标是：地区生产总值增长99999%，城镇新增就业10万人。\n"


def test_a_failed_suite_publishes_nothing_of_the_bad_document(tmp_path: Path) -> None:
    data_dir, inbox = tmp_path / "data", tmp_path / "inbox"
    inbox.mkdir()
    (inbox / SEED.name).write_bytes(SEED.read_bytes())
    assert _run(inbox, data_dir=data_dir).ok
    seed_rows = published_rows(data_dir, "indicators")
    (inbox / "absurd.txt").write_text(ABSURD, encoding="utf-8")
    summary = _run(inbox, data_dir=data_dir)
    assert not summary.ok
    assert any(f.dataset == "indicators" and "value_in_unit_range" in f.expectation for f in summary.failures)
    assert [Path(r.file).name for r in summary.rejects] == ["absurd.txt"]
    assert published_rows(data_dir, "indicators") == seed_rows
    assert "absurd.txt" not in {r["doc"] for r in published_rows(data_dir, "documents")}
    docs = (data_dir / "quality").rglob("*.html")
    assert any("value_in_unit_range" in p.read_text(encoding="utf-8") for p in docs)


def test_symlinks_out_of_the_input_folder_are_not_followed(tmp_path: Path) -> None:
    inbox, outside = tmp_path / "inbox", tmp_path / "outside"
    inbox.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_bytes(SEED.read_bytes())
    (inbox / "link.txt").symlink_to(outside / "secret.txt")
    (inbox / "dir").symlink_to(outside, target_is_directory=True)
    summary = _run(inbox, data_dir=tmp_path / "data")
    assert summary.processed == 0
    assert any("outside the input folder" in r.reason for r in summary.rejects)


def _corpus_sample(folder: Path, count: int) -> Path:
    folder.mkdir()
    for path in sorted((SHARED / "corpus").glob("province_*.txt"))[:count]:
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def test_a_killed_run_leaves_the_published_data_intact(tmp_path: Path, prefect_server: str) -> None:
    data_dir = tmp_path / "data"
    assert _run(SEED, data_dir=data_dir).ok
    before = {name: published_rows(data_dir, name) for name in ("documents", "indicators", "sentences")}
    inbox = _corpus_sample(tmp_path / "inbox", 12)
    process = _cli("run", str(inbox), str(SEED), "--data-dir", str(data_dir), server=prefect_server)
    deadline = time.monotonic() + 120
    while not (data_dir / ".staging").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(random.Random(3).uniform(1, 4))
    os.killpg(process.pid, signal.SIGKILL)  # the run and its worker processes, as kill -9 of a job
    process.communicate()
    after = {name: published_rows(data_dir, name) for name in before}
    docs_after = {r["doc_id"] for r in after["documents"]}
    for name in before:  # as before, or with whole documents added
        old = [r for r in after[name] if r["doc_id"] in {d["doc_id"] for d in before["documents"]}]
        assert old == before[name], name
        assert {r["doc_id"] for r in after[name]} <= docs_after | {d["doc_id"] for d in before["documents"]}
    finished = _run(inbox, SEED, data_dir=data_dir)
    assert finished.ok and finished.published_documents == 13


def test_two_runs_at_once_end_as_one(tmp_path: Path, prefect_server: str) -> None:
    inbox = _corpus_sample(tmp_path / "inbox", 3)
    alone = tmp_path / "alone"
    assert _run(inbox, data_dir=alone).ok
    shared = tmp_path / "shared"
    runs = [_cli("run", str(inbox), "--data-dir", str(shared), server=prefect_server) for _ in range(2)]
    results = [p.communicate(timeout=600) for p in runs]
    assert [p.returncode for p in runs] == [0, 0], results
    for name in ("documents", "indicators", "sentences", "tokens", "rejects"):
        assert published_rows(shared, name) == published_rows(alone, name), name


def test_no_wait_refuses_while_another_run_writes(tmp_path: Path, prefect_server: str) -> None:
    data_dir = tmp_path / "data"
    with locked(data_dir, wait=False):
        process = _cli("run", str(SEED), "--data-dir", str(data_dir), "--no-wait", server=prefect_server)
        out, err = process.communicate(timeout=300)
    assert process.returncode == 1
    assert "being written by another govreport run" in err
    assert "Traceback" not in out + err


def test_a_folder_of_a_thousand_files_is_answered_file_by_file(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    for number in range(1000):
        folder = inbox / f"part{number % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        content = b"" if number % 2 else f"第{number}号通知：请各单位做好准备工作。".encode()
        (folder / f"note{number:04d}.txt").write_bytes(content)
    (inbox / "part0" / SEED.name).write_bytes(SEED.read_bytes())
    summary = _run(inbox, data_dir=tmp_path / "data")
    assert summary.found == 1001
    assert summary.processed == 1
    assert len(summary.rejects) == 1000
    assert len(published_rows(tmp_path / "data", "rejects")) == 1000
