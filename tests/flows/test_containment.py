"""Faults kept to their file: discovery, manifests, the data folder, and one document's crash."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import flows.tasks
from flows.inputs import InputFile, Override, UsageError, discover_inputs, doc_id_of, read_manifest
from flows.store import MARKER, DataFolderError, clean_up, prepare_data_dir
from flows.tasks import MAX_REPORT_BYTES, Reject, extract_batch, ingest_batch, segment_batch
from tests.conftest import SEED


def _reasons(paths: list[Path]) -> dict[str, str]:
    found, skipped = discover_inputs(paths)
    return {p.name: "" for p in found} | {s.path.name: s.reason for s in skipped}


def test_discovery_names_fifos_loops_and_broken_links_without_reading_them(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("报告", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "loop.txt").symlink_to("loop.txt")
    (tmp_path / "gone.txt").symlink_to("nowhere.txt")
    reasons = _reasons([tmp_path])
    assert reasons["good.txt"] == ""
    assert "FIFO" in reasons["pipe.txt"]
    assert "loop" in reasons["loop.txt"]
    assert "broken" in reasons["gone.txt"]
    assert "FIFO" in _reasons([tmp_path / "pipe.txt"])["pipe.txt"]  # named on the command line too


def test_discovery_skips_data_folders_and_gives_absolute_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text("报告", encoding="utf-8")
    marked = tmp_path / "old-output"
    marked.mkdir()
    (marked / MARKER).write_text("", encoding="utf-8")
    (marked / "review.html").write_text("<p>报告</p>", encoding="utf-8")
    named = tmp_path / "out"
    named.mkdir()
    (named / "b.txt").write_text("报告", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    found, skipped = discover_inputs([Path(".")], exclude=[Path("out")])
    assert found == [tmp_path / "a.txt"]
    assert skipped == []
    with pytest.raises(UsageError, match="data folder"):
        discover_inputs([marked])


def _manifest(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "manifest.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_manifest_header_with_spaces_is_read(tmp_path: Path) -> None:
    manifest = _manifest(tmp_path, "file, region, level, year, notes\na.txt, 北京, province, 2023, 核对过\n")
    assert read_manifest(manifest) == {"a.txt": Override("北京", "province", 2023)}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("file,regoin\na.txt,北京\n", "line 1: the header"),
        ("region,year\n北京,2023\n", "line 1: the header"),
        ("file,notes\na.txt,x\n", "line 1: the header"),
        ("file,year,year\na.txt,2023,2024\n", "line 1: the header"),
        ("file,year\na.txt,²⁰²³\n", "line 2: year"),
        ("file,year\na.txt,2023\nb.txt,2024\na.txt,2025\n", "line 4: 'a.txt' is already given on line 2"),
        ("file,region\na.txt," + "长" * 2000 + "\n", "line 2: a cell longer"),
        ("file,region\na.txt," + "x" * 200_000 + "\n", "line 2"),
        ("file,region,year\na.txt,北京\n", "line 2: 2 cell"),
    ],
    ids=[
        "misspelled",
        "no-file-column",
        "no-override-column",
        "twice",
        "superscript-year",
        "duplicate",
        "long-cell",
        "huge-cell",
        "short-row",
    ],
)
def test_a_wrong_manifest_is_a_usage_error_naming_the_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        read_manifest(_manifest(tmp_path, text))


def test_a_data_folder_must_be_a_folder_and_govreports(tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("", encoding="utf-8")
    with pytest.raises(DataFolderError, match="not a folder"):
        prepare_data_dir(a_file)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("", encoding="utf-8")
    with pytest.raises(DataFolderError, match="not a govreport data folder"):
        prepare_data_dir(foreign)
    empty = tmp_path / "empty"
    empty.mkdir()
    prepare_data_dir(empty)
    assert (empty / MARKER).is_file()
    legacy = tmp_path / "legacy"  # made before the marker: recognised by its dataset links
    (legacy / ".snapshots" / "20260101T000000-0123abcd" / "documents").mkdir(parents=True)
    (legacy / "documents").symlink_to(os.path.join(".snapshots", "20260101T000000-0123abcd", "documents"))
    prepare_data_dir(legacy)
    assert (legacy / MARKER).is_file()


def test_clean_up_removes_only_what_govreport_made(tmp_path: Path) -> None:
    prepare_data_dir(tmp_path)
    ours = tmp_path / ".staging" / "20260101T000000-0123abcd"
    ours.mkdir(parents=True)
    theirs = [tmp_path / ".staging" / "keep", tmp_path / ".snapshots" / "keep"]
    for folder in theirs:
        folder.mkdir(parents=True)
    (tmp_path / ".documents.keep.link").write_text("", encoding="utf-8")
    clean_up(tmp_path)
    assert not ours.exists()
    assert all(folder.is_dir() for folder in theirs)
    assert (tmp_path / ".documents.keep.link").exists()


def _input(path: Path) -> InputFile:
    return InputFile(path, path.name, doc_id_of(path.read_bytes()), Override())


def test_one_documents_crash_rejects_it_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_bytes(SEED.read_bytes())
    bad.write_bytes(SEED.read_bytes() + "（另一版本）".encode())
    real = flows.tasks.extract_indicators

    def extract(document, sentences, words, vocabulary):  # noqa: ANN001, ANN202 (the transform's signature)
        if document.doc == "bad.txt":
            raise KeyError("第一一次")
        return real(document, sentences, words, vocabulary)

    monkeypatch.setattr(flows.tasks, "extract_indicators", extract)
    ingested = ingest_batch.fn([_input(good), _input(bad)])
    tables = extract_batch.fn(ingested, segment_batch.fn(ingested), "test").value
    assert tables.tables["documents"].column("doc").to_pylist() == ["good.txt"]
    assert tables.tables["indicators"].num_rows >= 80
    (reject,) = tables.rejects
    assert (Path(reject.file).name, reject.stage, reject.reason) == ("bad.txt", "extract", "KeyError: '第一一次'")
    assert "Traceback" in reject.detail and "第一一次" in reject.detail


def test_a_file_too_large_to_be_a_report_is_rejected_unread(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:
        handle.truncate(MAX_REPORT_BYTES + 1)  # sparse: no disk, no memory
    ingested = ingest_batch.fn([InputFile(huge, huge.name, "0" * 16, Override())]).value
    assert ingested.documents == []
    (reject,) = ingested.rejects
    assert reject.stage == "ingest" and "too large to be one report" in reject.reason


def test_a_reject_stores_a_name_that_is_not_utf8_readably() -> None:
    name = os.fsdecode(b"/in/\xb1\xa8\xb8\xe6.txt")
    assert Reject(name, None, "read", "x").file == "/in/报告.txt"
