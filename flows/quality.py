"""The quality gate: runs each dataset's Great Expectations suite and builds the Data Docs.

Great Expectations is imported here, lazily, when a gate is opened: its import takes
seconds and `govreport --help` must stay instant.
"""

from __future__ import annotations

import csv
import html
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from expectations.suites import load_suite

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

SITE = "quality"
# The style sheets, scripts and fonts the Data Docs load from CDNs, vendored with their licences
# (see its README), and the CDN address each one replaces.
ASSETS = Path(__file__).parent / "datadocs_assets"
VENDOR = Path("static") / "vendor"
# The logo GX loads from S3 with the data context id in its query: a beacon.
_BEACON = re.compile(r"https://great-expectations-web-assets\.s3\.[a-z0-9-]+\.amazonaws\.com/([a-z_-]+\.png)[^\"')]*")


@dataclass(frozen=True)
class Failure:
    """An expectation a table failed, and the documents whose rows failed it."""

    dataset: str
    expectation: str  # e.g. expect_column_values_to_be_between(column=value, unit=="percent")
    doc_ids: frozenset[str] | None  # None when the whole table failed (a table-level check)
    examples: tuple[str, ...]

    def describe(self) -> str:
        where = "the whole table" if self.doc_ids is None else f"{len(self.doc_ids)} document(s)"
        shown = "; ".join(self.examples[:3])
        return f"{self.dataset}: {self.expectation} failed for {where}" + (f" (e.g. {shown})" if shown else "")


def _describe_expectation(kind: str, kwargs: dict[str, Any]) -> str:
    args = {k: v for k, v in kwargs.items() if k not in ("batch_id", "condition_parser", "value_set")}
    condition = args.pop("row_condition", None)
    if isinstance(condition, dict) and "column" in condition:
        condition = f"{condition['column']['name']}{condition['operator']}{condition['parameter']}"
    elif condition is not None:
        condition = str(condition)
    shown = ", ".join(f"{k}={v}" for k, v in args.items())
    return f"{kind}({shown}{', where ' + condition if condition else ''})"


def _frame(table: pa.Table) -> pd.DataFrame:
    """The table as the pandas frame GX validates, integers widened to int64: GX compares
    int64 and float64 columns with bounds vectorized, narrower ones row by row in Python."""
    frame = table.to_pandas()
    return frame.astype({name: "int64" for name, dtype in frame.dtypes.items() if dtype.kind in "iu"})


# Its length is checked (at most 40 characters), which escaping would change; a quote is a
# figure and its unit as the report writes them, not a file name or free text.
_UNESCAPED = frozenset({"quote"})


def _escaped(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its text HTML-escaped, for a run whose failing values GX writes into the Data
    Docs as they are: a file named `<img src=x onerror=…>` must not become a live element there.

    Escaping is one-to-one, so every check but a length gives the same result on it.
    """
    import pandas as pd

    texts = [c for c in frame.columns if c not in _UNESCAPED and pd.api.types.is_string_dtype(frame[c])]
    return frame.assign(**{c: frame[c].map(html.escape, na_action="ignore") for c in texts})


class QualityGate:
    """A file-backed Great Expectations context under the data folder, one suite per dataset."""

    def __init__(self, store_dir: Path, docs_dir: Path) -> None:
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self._gx = gx
        # Absolute: GX resolves a relative folder against its own project folder.
        store_dir, docs_dir = store_dir.resolve(), docs_dir.resolve()
        self.docs_dir = docs_dir
        self.context = gx.get_context(mode="file", project_root_dir=str(store_dir))
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        if SITE not in self.context.get_site_names():
            self.context.add_data_docs_site(
                site_name=SITE,
                site_config={
                    "class_name": "SiteBuilder",
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                    "store_backend": {
                        "class_name": "TupleFilesystemStoreBackend",
                        "base_directory": str(docs_dir),
                    },
                },
            )
        try:  # kept across runs: stored validation definitions refer to its assets
            self._source = self.context.data_sources.get("govreport")
        except KeyError:
            self._source = self.context.data_sources.add_pandas("govreport")
        self._definitions: dict[str, Any] = {}
        from great_expectations.core.run_identifier import RunIdentifier

        # One run name for every validation of this gate, so that its pages alone are rendered.
        self.run_id = RunIdentifier(run_name=f"govreport-{uuid.uuid4().hex[:12]}")

    def _definition(self, dataset: str) -> Any:
        """The validation definition of `dataset`, its suite refreshed from the JSON in git."""
        if dataset in self._definitions:
            return self._definitions[dataset]
        gx, ctx = self._gx, self.context
        from great_expectations.exceptions import DataContextError

        # Definitions and suites of an earlier run are replaced: the JSON in git is the truth.
        # `all()` skips stored definitions whose pandas asset is not registered yet, so
        # delete by name and take "not found" as done.
        for store in (ctx.validation_definitions, ctx.suites):
            try:
                store.delete(dataset)
            except DataContextError:
                pass
        suite = ctx.suites.add(gx.ExpectationSuite(**load_suite(dataset)))
        try:
            asset = self._source.get_asset(dataset)
        except LookupError:
            asset = self._source.add_dataframe_asset(dataset)
        batch = next(iter(asset.batch_definitions), None) or asset.add_batch_definition_whole_dataframe("batch")
        definition = ctx.validation_definitions.add(gx.ValidationDefinition(name=dataset, data=batch, suite=suite))
        self._definitions[dataset] = definition
        return definition

    def validate(self, dataset: str, table: pa.Table) -> list[Failure]:
        """The expectations `table` fails in the suite of `dataset`; results are kept for the Data Docs.

        A first pass asks only pass or fail (half the cost of a full result); only a table
        that fails is validated again with the failing rows' documents named.
        """
        definition = self._definition(dataset)
        parameters = {"dataframe": _frame(table)}
        boolean = {"result_format": "BOOLEAN_ONLY"}
        if definition.run(batch_parameters=parameters, result_format=boolean, run_id=self.run_id).success:
            return []
        key = "doc_id" if "doc_id" in table.column_names else None
        result_format: dict[str, Any] = {"result_format": "COMPLETE"}
        if key:
            result_format["unexpected_index_column_names"] = [key]
        parameters = {"dataframe": _escaped(parameters["dataframe"])}
        result = definition.run(batch_parameters=parameters, result_format=result_format, run_id=self.run_id)
        return [self._failure(dataset, r, key) for r in result.results if not r.success]

    @staticmethod
    def _failure(dataset: str, result: Any, key: str | None) -> Failure:
        config = result.expectation_config
        details = result.result or {}
        rows = details.get("unexpected_index_list")
        doc_ids = None
        if key and rows and all(isinstance(r, dict) and key in r for r in rows):
            doc_ids = frozenset(str(r[key]) for r in rows)
        examples = tuple(str(v) for v in (details.get("partial_unexpected_list") or [])[:3])
        if result.exception_info and result.exception_info.get("raised_exception"):
            examples = (str(result.exception_info.get("exception_message")),)
        return Failure(dataset, _describe_expectation(config.type, dict(config.kwargs)), doc_ids, examples)

    def build_docs(self) -> Path:
        """Render this gate's validations into the Data Docs (earlier runs' pages stay); returns the index."""
        store = self.context.validation_results_store
        mine = [key for key in store.list_keys() if key.run_id.run_name == self.run_id.run_name]
        self.context.build_data_docs(site_names=[SITE], resource_identifiers=mine)
        make_offline(self.docs_dir)
        return self.docs_dir / "index.html"


_STATIC = re.compile(r"""([="'(]\s*["']?)(?:\./|(?:\.\./)*)static/""")
# Links out of the report (GX's documentation, its newsletter with tracking parameters): a
# reviewer offline cannot follow them, and no address under quality/ may point off the machine.
_EXTERNAL_LINK = re.compile(r"""(<a\b[^>]*?)\s*\bhref=(["'])(?:https?:)?//[^"']*\2""", re.I)


def _cdn_map() -> dict[str, str]:
    with open(ASSETS / "cdn.csv", encoding="utf-8", newline="") as handle:
        return {row["url"]: row["path"] for row in csv.DictReader(handle)}


def _localized(text: str, up: Path, cdn: dict[str, str], pattern: re.Pattern[str]) -> str:
    """A page's text with CDN addresses replaced by the local copies, `up` the way to the docs' root."""
    # The logo is shipped in static/images; the dark one is not, so that style keeps no image.
    logo = (up / "static" / "images" / "logo-long.png").as_posix()
    text = _BEACON.sub(lambda m: logo if m.group(1) == "logo-long.png" else "", text)
    text = pattern.sub(lambda m: (up / VENDOR / cdn[m.group(0)]).as_posix(), text)
    # GX writes some pages' favicon one folder short of the docs' root: every static/ address
    # is made relative to the page again.
    text = _STATIC.sub(lambda m: f"{m.group(1)}{up.as_posix()}/static/", text)
    text = _EXTERNAL_LINK.sub(r"\1", text)
    return text.replace("url('')", "none")


def _copy_if_changed(source: str, target: str) -> str:
    """Copy a file unless the same size is there already: the assets are copied once, not every run."""
    if not os.path.exists(target) or os.path.getsize(target) != os.path.getsize(source):
        shutil.copy2(source, target)
    return target


def make_offline(docs_dir: Path) -> None:
    """Serve the Data Docs' assets from the data folder: copy the vendored ones into
    static/vendor/ and point every page (and style sheet) at them; the S3 logo beacon goes."""
    vendor = docs_dir / VENDOR
    shutil.copytree(ASSETS, vendor, dirs_exist_ok=True, copy_function=_copy_if_changed)
    cdn = _cdn_map()
    pattern = re.compile("|".join(re.escape(url) for url in sorted(cdn, key=len, reverse=True)))
    for page in [*docs_dir.rglob("*.html"), *(docs_dir / "static" / "styles").glob("*.css")]:
        if vendor in page.parents or "review" in page.relative_to(docs_dir).parts[:1]:
            continue
        text = page.read_text(encoding="utf-8")
        local = _localized(text, Path(os.path.relpath(docs_dir, page.parent)), cdn, pattern)
        if local != text:
            temporary = page.with_name(f".{page.name}.tmp")
            temporary.write_text(local, encoding="utf-8")
            os.replace(temporary, page)
