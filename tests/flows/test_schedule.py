"""Scheduled runs: prefect.yaml's deployment, the served deployment, the flow's summary."""

from __future__ import annotations

import contextlib
import importlib
import json
from pathlib import Path

import pyarrow as pa
import pytest
import yaml
from prefect import Flow

from flows import schedule
from flows.pipeline import RunConfig, RunSummary
from flows.store import Snapshot
from transforms.contracts import DOCUMENTS

PROJECT = Path(__file__).resolve().parents[2]


def _deployment() -> dict:
    config = yaml.safe_load((PROJECT / "prefect.yaml").read_text(encoding="utf-8"))
    (deployment,) = config["deployments"]
    return deployment


def test_prefect_yaml_declares_a_daily_run_at_six_beijing_time() -> None:
    deployment = _deployment()
    assert deployment["name"] == schedule.DEPLOYMENT_NAME
    (when,) = deployment["schedules"]
    assert when["cron"] == "0 6 * * *" == schedule.CRON
    assert when["timezone"] == "Asia/Shanghai" == schedule.TIMEZONE


def test_prefect_yaml_is_what_prefect_deploy_reads() -> None:
    from prefect.cli.deploy._models import PrefectYamlModel  # the model `prefect deploy` validates with

    config = yaml.safe_load((PROJECT / "prefect.yaml").read_text(encoding="utf-8"))
    (deployment,) = PrefectYamlModel.model_validate(config).deployments
    assert deployment.schedules[0].cron == schedule.CRON


def test_the_entrypoint_imports_and_is_the_flow_with_the_parameters_given() -> None:
    deployment = _deployment()
    path, name = deployment["entrypoint"].split(":")
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    flow = getattr(module, name)
    assert isinstance(flow, Flow) and flow is schedule.scheduled_run
    json.dumps(deployment["parameters"])  # Prefect parameters travel as JSON
    assert set(deployment["parameters"]) <= set(flow.parameters.properties)
    flow.validate_parameters(deployment["parameters"])


def test_serve_registers_the_deployment_with_absolute_paths(tmp_path: Path, monkeypatch) -> None:
    served = []
    monkeypatch.setattr(schedule, "scheduling_server", lambda port: contextlib.nullcontext("http://test/api"))
    monkeypatch.setattr("prefect.serve", lambda *deployments, **options: served.append((deployments, options)))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reports").mkdir()
    assert schedule.main(["--input-dir", "reports", "--data-dir", "out"]) == 0
    ((deployment,), options) = served[0]
    assert options["limit"] == 1
    assert deployment.name == "govreport-daily"
    assert deployment.entrypoint == "flows.schedule.scheduled_run"
    (when,) = deployment.schedules
    assert (when.schedule.cron, when.schedule.timezone) == ("0 6 * * *", "Asia/Shanghai")
    assert deployment.parameters == {
        "input_dir": str(tmp_path / "reports"),
        "data_dir": str(tmp_path / "out"),
        "manifest": None,
        "corrections": None,
    }


def test_serve_refuses_a_missing_input_folder(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_:
        schedule.main(["--input-dir", str(tmp_path / "missing")])
    assert exit_.value.code == 2


def _publish_one_document(data_dir: Path) -> None:
    snapshot = Snapshot(data_dir)
    row = {"doc_id": "d1", "doc": "a.txt", "source_path": "a.txt", "encoding": "utf-8", "chars": 10,
           "sentences": 1, "indicators": 1, "title": None, "region": "china", "pipeline_version": "test",
           "level": "national", "report_year": 2024}  # fmt: skip
    snapshot.write("documents", pa.Table.from_pylist([row], schema=DOCUMENTS.schema))
    snapshot.publish()


@pytest.mark.parametrize("published", [True, False])
def test_a_scheduled_run_runs_the_pipeline_and_reports_its_catalog(tmp_path: Path, monkeypatch, published) -> None:
    calls: list[RunConfig] = []

    def run(config: RunConfig) -> RunSummary:
        calls.append(config)
        catalog = config.data_dir / "govreport.duckdb" if published else None
        return RunSummary(found=1, processed=int(published), published_documents=int(published), catalog=catalog)

    monkeypatch.setattr(schedule, "run", run)
    (tmp_path / "reports").mkdir()
    data_dir = tmp_path / "data"
    result = schedule.scheduled_run.fn(input_dir=str(tmp_path / "reports"), data_dir=str(data_dir))
    assert calls == [RunConfig(paths=(tmp_path / "reports",), data_dir=data_dir)]
    assert result["ok"] and result["found"] == 1
    json.dumps(result)
    assert result["catalog"] == (str(data_dir / "govreport.duckdb") if published else None)


@pytest.mark.usefixtures("prefect_server")
def test_a_scheduled_run_with_problems_ends_failed_with_its_counts(tmp_path: Path, monkeypatch) -> None:
    from flows.pipeline import Reject

    rejected = RunSummary(found=1, rejects=[Reject("a.txt", None, "read", "empty file")])
    monkeypatch.setattr(schedule, "run", lambda config: rejected)
    (tmp_path / "reports").mkdir()
    state = schedule.scheduled_run(input_dir=str(tmp_path / "reports"), data_dir=str(tmp_path / "data"),
                                   return_state=True)  # fmt: skip
    assert state.is_failed() and state.message == "0 failed check(s), 1 rejected input(s)"
    result = state.result(raise_on_failure=False)
    assert result["rejects"] == 1 and not result["ok"]
