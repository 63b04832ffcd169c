"""The run's report as a Prefect artifact: counts, failed checks, rejects, stale corrections, links."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from prefect.artifacts import create_markdown_artifact

if TYPE_CHECKING:
    from flows.pipeline import RunSummary

ARTIFACT_KEY = "govreport-run"  # one key: Prefect's UI lists every run's version of it
SHOWN = 50  # rows of each list in the artifact; the summary and the datasets hold them all


def _cell(text: object) -> str:
    """Text safe inside a markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _link(path: Path | None) -> str:
    return f"[{path}]({path.resolve().as_uri()})" if path else "–"


def run_markdown(summary: RunSummary) -> str:
    """The summary as markdown: a table of counts, then each failure, reject and stale correction."""
    state = "error" if summary.error else ("ok" if summary.ok else "problems")
    lines = [f"# govreport run: {state}", ""]
    if summary.error:
        lines += [f"**{_cell(summary.error)}**", ""]
    counts = [
        ("reports found", summary.found), ("processed", summary.processed), ("unchanged", summary.unchanged),
        ("published documents", summary.published_documents), ("new indicators", summary.new_indicators),
        ("published indicators", summary.published_indicators), ("suite runs", summary.validations),
        ("failed expectations", len(summary.failures)), ("rejected inputs", len(summary.rejects)),
        ("corrections applied", summary.corrections_applied), ("stale corrections", len(summary.stale)),
    ]  # fmt: skip
    lines += ["| what | count |", "|---|---:|", *(f"| {name} | {value:,} |" for name, value in counts), ""]
    if summary.failures:
        lines += ["## Failed checks", "", "| dataset | expectation | where |", "|---|---|---|"]
        for f in summary.failures[:SHOWN]:
            where = "the whole table" if f.doc_ids is None else f"{len(f.doc_ids)} document(s)"
            lines.append(f"| {f.dataset} | {_cell(f.expectation)} | {where} |")
        lines.append("")
    if summary.rejects:
        lines += ["## Rejected inputs", "", "| file | stage | reason |", "|---|---|---|"]
        lines += [f"| {_cell(r.file)} | {r.stage} | {_cell(r.reason)} |" for r in summary.rejects[:SHOWN]]
        lines.append("")
    if summary.stale:
        lines += ["## Stale corrections (their key matches no mention)", ""]
        lines += [f"- {_cell(c.describe())}" for c in summary.stale[:SHOWN]]
        lines.append("")
    lines += ["## Reports", "", f"- data quality report: {_link(summary.docs_index)}"]
    lines += [f"- review pages: {_link(summary.review_index)}", f"- DuckDB catalog: {_link(summary.catalog)}"]
    return "\n".join(lines) + "\n"


def publish_artifact(summary: RunSummary) -> None:
    """Publish the run's report as a markdown artifact of the current flow run."""
    state = "failed" if summary.error or not summary.ok else "passed"
    create_markdown_artifact(key=ARTIFACT_KEY, markdown=run_markdown(summary), description=f"govreport run: {state}")
