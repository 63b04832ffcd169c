"""The quality gate: runs each dataset's Great Expectations suite and builds the Data Docs.

Great Expectations is imported here, lazily, when a gate is opened: its import takes
seconds and `govreport --help` must stay instant.
"""

from __future__ import annotations

import html
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from expectations.suites import load_suite

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

SITE = "quality"


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
        return self.docs_dir / "index.html"
