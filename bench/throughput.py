"""Throughput benchmark: jieba alone against the whole pipeline, cold, over the same reports.

usage: python bench/throughput.py [CORPUS] [--manifest FILE] [--pdf-only]

In one process tree and one go it measures
  1. `jieba.lcut` over every report (one process, dictionary loaded beforehand),
  2. the pipeline's fixed start-up cost: `govreport run` on a one-line document,
  3. `govreport run` cold over the reports (a new data folder), with the peak memory of
     its whole process tree (the run, its worker processes, Prefect's server);
     each of 1-3 twice (2 and 3 taking turns), keeping the shorter time and the larger
     memory: on this shared 2-core machine the same run varies by several seconds,
  4. the same run again on the unchanged reports (the incremental re-run),
  5. PDF text extraction alone (the ingest stage's reader) on the Beijing report, in pages per second,
and prints the figures and the ratios
  throughput = t(jieba) / (t(pipeline) - start-up)   (target >= 0.8)
  re-run work = (t(re-run) - start-up) / (t(pipeline) - start-up)   (target <= 0.2)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import jieba
import psutil

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = PROJECT.parent / "shared" / "corpus"
PDF_REPORT = DEFAULT_CORPUS / "pdf" / "province_beijing_2024.pdf"
ONE_LINE = "2021年政府工作报告：全年地区生产总值增长7%左右，城镇新增就业13.5万人。\n"


def _reports(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".html", ".htm", ".pdf", ".docx"))


def _project_transforms() -> None:
    """Put this checkout first on the path: its transforms, not another installed copy."""
    if str(PROJECT) not in sys.path:
        sys.path.insert(0, str(PROJECT))


def _text(path: Path) -> str:
    """The text jieba is given: a PDF's or Word file's as the ingest stage extracts it (not timed)."""
    if path.suffix in (".pdf", ".docx"):
        _project_transforms()
        from transforms.ingest import read_document

        return read_document(path.name, str(path), path.read_bytes()).text
    return path.read_bytes().decode("utf-8", errors="replace")


def time_pdf(path: Path, times: int = 3) -> tuple[int, float]:
    """Pages and seconds (the shortest of `times`) of extracting a PDF's text, as the ingest stage does."""
    _project_transforms()
    from transforms.pdf_text import pdf_text

    data = path.read_bytes()
    seconds = []
    for _ in range(times):
        start = time.perf_counter()
        pages = pdf_text(data).pages
        seconds.append(time.perf_counter() - start)
    return pages, min(seconds)


def time_jieba(paths: list[Path], times: int = 2) -> tuple[int, float]:
    """Characters and seconds (the shortest of `times`) of jieba.lcut over the reports, dictionary already loaded."""
    texts = [_text(p) for p in paths]
    jieba.setLogLevel(60)
    jieba.initialize()
    seconds = []
    for _ in range(times):
        start = time.perf_counter()
        for text in texts:
            jieba.lcut(text)
        seconds.append(time.perf_counter() - start)
    return sum(map(len, texts)), min(seconds)


class PeakMemory(threading.Thread):
    """Samples the memory of a process and all its descendants: summed RSS (which counts the
    pages the processes share, such as libraries, once per process) and summed PSS (which
    shares them out: what the tree really occupies)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.peak_rss = self.peak_pss = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            try:
                tree = [p for p in (self.process, *self.process.children(recursive=True)) if p.is_running()]
                self.peak_rss = max(self.peak_rss, sum(p.memory_info().rss for p in tree))
                self.peak_pss = max(self.peak_pss, sum(p.memory_full_info().pss for p in tree))
            except psutil.Error:
                pass
            self.done.wait(0.2)


def time_run(args: list[str]) -> tuple[float, int, int]:
    """Seconds and peak tree memory (RSS, PSS in bytes) of one `govreport run`."""
    command = [sys.executable, "-m", "flows.cli", "run", *args]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sampler = PeakMemory(process.pid)
    sampler.start()
    out, _ = process.communicate()
    elapsed = time.perf_counter() - start
    sampler.done.set()
    sampler.join()
    if process.returncode != 0:
        sys.exit(f"govreport run {' '.join(args)} exited {process.returncode}:\n{out[-3000:]}")
    return elapsed, sampler.peak_rss, sampler.peak_pss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--manifest", type=Path, help="default: CORPUS/MANIFEST.tsv if present")
    parser.add_argument("--pdf-only", action="store_true", help="measure PDF extraction only (seconds, not minutes)")
    args = parser.parse_args()
    pages, t_pdf = time_pdf(PDF_REPORT)
    pdf_line = f"PDF extraction     {pages / t_pdf:7.1f} pages/s ({pages} pages of {PDF_REPORT.name} in {t_pdf:.2f} s)"
    if args.pdf_only:
        print(pdf_line)
        return
    manifest = args.manifest or (args.corpus / "MANIFEST.tsv")
    manifest_args = ["--manifest", str(manifest)] if manifest.exists() else []
    paths = _reports(args.corpus)
    for name, value in {
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "GX_ANALYTICS_ENABLED": "false",
    }.items():
        os.environ.setdefault(name, value)

    chars, t_jieba = time_jieba(paths)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        one_line = tmp_dir / "one_line.txt"
        one_line.write_text(ONE_LINE, encoding="utf-8")
        starts, cold = [], []
        for i in range(2):  # taking turns, so that a slow spell of the machine slows both
            starts.append(time_run([str(one_line), "--data-dir", str(tmp_dir / f"startup{i}")])[0])
            cold.append(time_run([str(args.corpus), "--data-dir", str(tmp_dir / f"data{i}"), *manifest_args]))
        t_start = min(starts)
        t_pipeline, peak, peak_pss = min(c[0] for c in cold), max(c[1] for c in cold), max(c[2] for c in cold)
        t_rerun, _, _ = time_run([str(args.corpus), "--data-dir", str(tmp_dir / "data0"), *manifest_args])

    work = t_pipeline - t_start
    print(f"reports            {len(paths)} ({chars:,} characters)")
    print(f"jieba.lcut alone   {t_jieba:7.1f} s  ({chars / t_jieba:,.0f} chars/s, one process)")
    print(f"pipeline, cold     {t_pipeline:7.1f} s")
    print(f"start-up           {t_start:7.1f} s  (govreport run on a one-line document)")
    print(f"re-run, unchanged  {t_rerun:7.1f} s")
    print(f"throughput ratio   {t_jieba / work:7.2f}   t(jieba) / (t(pipeline) - start-up), target >= 0.8")
    rerun = max(0.0, t_rerun - t_start) / work
    print(f"re-run work ratio  {rerun:7.2f}   (t(re-run) - start-up) / (t(pipeline) - start-up), target <= 0.2")
    print(f"peak memory        {peak / 2**20:7.0f} MB RSS summed over the process tree, target <= 1500 MB")
    print(f"                   {peak_pss / 2**20:7.0f} MB PSS (shared pages counted once)")
    print(pdf_line)


if __name__ == "__main__":
    main()
