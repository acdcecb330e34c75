"""The GitHub Action: schema-valid, and its composite steps run locally as a runner would."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml
from helpers import make_repo
from integrations.sarif_validate import schema_errors

ROOT = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
WORKFLOW = ROOT / "docs" / "examples" / "djreview.yml"
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
EXPRESSION_RE = re.compile(r"\$\{\{\s*([\w.-]+)\s*\}\}")
VIEWS = (
    "from django.utils.safestring import mark_safe\n\n\n"
    "def banner(request):\n"
    "    return mark_safe(request.GET['b'])\n\n\n"
    "def quiet(request):\n"
    "    return mark_safe(request.GET['q'])  # djreview: ignore[DJR311]\n"
)


@pytest.mark.parametrize(
    ("path", "schema"),
    [(ROOT / "action.yml", "vendor.github-actions"), (WORKFLOW, "vendor.github-workflows")],
    ids=["action", "workflow"],
)
def test_valid_against_githubs_schema(path: Path, schema: str) -> None:
    out = subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_example_workflow_uploads_sarif_and_falls_back_to_annotations() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert {"push", "pull_request"} <= set(workflow[True])  # YAML 1.1 reads `on` as True
    job = workflow["jobs"]["djreview"]
    assert job["permissions"]["security-events"] == "write"
    steps = {step.get("name"): step for step in job["steps"]}
    upload = steps["Upload SARIF to code scanning"]
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["category"] == "djreview"
    assert "FROM_FORK != 'true'" in upload["if"]
    assert steps["djreview"]["with"]["annotations"] == "${{ env.FROM_FORK }}"


def test_scripts_take_inputs_only_through_the_environment() -> None:
    # `${{ inputs.x }}` inside `run:` would be pasted into the script: injection.
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step["name"]
    assert ACTION["runs"]["using"] == "composite"
    assert ACTION["runs"]["steps"][0]["uses"].startswith("actions/setup-python@")


def evaluate(value: str, context: dict[str, str]) -> str:
    """The runner's `${{ name }}` substitution for the names the action uses."""
    return EXPRESSION_RE.sub(lambda m: context[m.group(1)], value)


def run_step(
    name: str, inputs: dict[str, str], workspace: Path, bin_dir: Path, github_output: Path
) -> subprocess.CompletedProcess[str]:
    """Run one `run:` step of the composite as the runner does: bash, env, GITHUB_*."""
    [step] = [s for s in ACTION["runs"]["steps"] if s["name"] == name]
    context = {
        f"inputs.{key}": str(spec.get("default", "")) for key, spec in ACTION["inputs"].items()
    }
    context.update({f"inputs.{key}": value for key, value in inputs.items()})
    context["github.action_path"] = str(ROOT)
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": os.environ.get("HOME", str(workspace)),
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_ACTION_PATH": str(ROOT),
        "GITHUB_OUTPUT": str(github_output),
        "GITHUB_EVENT_NAME": "pull_request",
        "RUNNER_TEMP": str(workspace.parent),
    }
    env.update({key: evaluate(str(value), context) for key, value in step.get("env", {}).items()})
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def install_runner(tmp_path: Path) -> Path:
    """A fresh venv standing in for setup-python, with the install step run in it.

    The test venv's packages are visible through a .pth file, so pip installs
    only djreview itself (from this checkout, as `github.action_path`).
    """
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(purelib) / "test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    workspace = make_repo(tmp_path / "install")
    step = "Install djreview from this action's checkout"
    out = run_step(step, {}, workspace, venv / "bin", tmp_path / "install-output")
    assert out.returncode == 0, out.stdout + out.stderr
    assert (venv / "bin" / "djreview").exists()
    return venv / "bin"


def run_check(
    bin_dir: Path, workspace: Path, inputs: dict[str, str]
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """The "Run djreview" step: its process and the outputs it wrote."""
    github_output = workspace.parent / f"{workspace.name}-output"
    out = run_step("Run djreview", inputs, workspace, bin_dir, github_output)
    lines = github_output.read_text().splitlines() if github_output.exists() else []
    return out, dict(line.split("=", 1) for line in lines)


def project(tmp_path: Path, name: str) -> Path:
    workspace = make_repo(tmp_path / name)
    (workspace / "views.py").write_text(VIEWS)
    return workspace


# One test, three runs: the install (a wheel build) is the slow part; it runs once.
@pytest.mark.slow
def test_composite_steps_run_locally(tmp_path: Path) -> None:
    bin_dir = install_runner(tmp_path)

    # SARIF, annotations and counts; fail-on warning fails the step.
    workspace = project(tmp_path, "plain")
    inputs = {
        "output": "reports/djreview.sarif",
        "args": "--select DJR311",
        "annotations": "true",
        "fail-on": "warning",
    }
    out, outputs = run_check(bin_dir, workspace, inputs)
    assert out.returncode == 1, out.stdout + out.stderr
    assert outputs == {
        "sarif-file": "reports/djreview.sarif",
        "exit-code": "1",
        "findings": "1",
        "errors": "1",
        "warnings": "0",
        "notes": "0",
    }
    log = json.loads((workspace / "reports" / "djreview.sarif").read_text())
    assert schema_errors(log) == []
    assert len(log["runs"][0]["results"]) == 2  # the suppressed one stays, marked
    annotations = [line for line in out.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 1 and annotations[0].startswith("::error file=views.py,line=5,")

    # A baseline: known findings neither count nor fail.
    workspace = project(tmp_path, "baselined")
    subprocess.run(
        [
            str(bin_dir / "djreview"),
            "check",
            ".",
            "--select",
            "DJR311",
            "--write-baseline",
            "base.json",
        ],
        cwd=workspace,
        check=True,
        capture_output=True,
    )
    inputs = {"args": "--select DJR311", "baseline": "base.json", "fail-on": "warning"}
    out, outputs = run_check(bin_dir, workspace, inputs)
    assert out.returncode == 0, out.stdout + out.stderr
    assert outputs["findings"] == "0" and outputs["exit-code"] == "0"

    # A usage error fails the step with exit code 2 and no counts.
    out, outputs = run_check(bin_dir, project(tmp_path, "bad"), {"args": "--select NOPE"})
    assert out.returncode == 2
    assert outputs["exit-code"] == "2" and "findings" not in outputs
