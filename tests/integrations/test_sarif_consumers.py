"""SARIF as GitHub code scanning, the Multitool and VS Code's SARIF Viewer read it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest
from helpers import make_repo
from integrations.sarif_validate import schema_errors

from djreview.model import (
    Applicability,
    Edit,
    Finding,
    Fix,
    FlowStep,
    Location,
    Notification,
    RelatedLocation,
    RuleMeta,
    Severity,
)
from djreview.report.sarif import build_log, render

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = sorted(path.name for path in (ROOT / "fixtures").iterdir() if path.is_dir())
# The viewer's loadLogs.ts accepts these `$schema` file names (after dropping
# "-schema" and ".json") for version 2.1.0 and refuses every other one.
VIEWER_SCHEMAS = {"", "sarif-2.1.0", "sarif-2.1.0-rtm.5"}

SECURITY = RuleMeta(
    id="DJR901",
    name="raw-sql-from-request",
    message="SQL built from request data",
    severity=Severity.ERROR,
    category="security",
    docs="## What it does\nFlags raw SQL.",
    cwe=(89,),
    security_severity=8.8,
)
PERFORMANCE = RuleMeta(
    id="DJR902",
    name="related-access-in-loop",
    message="Query per loop iteration",
    severity=Severity.WARNING,
    category="performance",
    docs="## What it does\nN+1.",
    tags=("n-plus-one",),
    fixable=True,
)
VIEWS = "app dir/vües.py"  # a space and a non-ASCII letter: URIs must be percent-encoded


def djreview_sarif(target: Path, cwd: Path, *args: str) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "djreview", "check", str(target), "--format", "sarif", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode in (0, 1), out.stderr
    return out.stdout


def rich_findings() -> list[Finding]:
    """One of everything a result can carry: related, flow, fix, suppression, baseline."""
    loop = Location(VIEWS, 4, 5, 4, 28)
    access = Location(VIEWS, 5, 15, 5, 28)
    queryset = Location(VIEWS, 3, 13, 3, 35)
    return [
        Finding(
            "DJR902",
            "related-access-in-loop",
            "`book.author` runs a query per [book]",
            Severity.WARNING,
            access,
            related=(
                RelatedLocation(loop, "the loop"),
                RelatedLocation(queryset, "the queryset [no select_related]"),
            ),
            flow=(
                FlowStep(queryset, "queryset built"),
                FlowStep(loop, "iterated"),
                FlowStep(access, "related access"),
            ),
            fix=Fix(
                "Add select_related('author')",
                (Edit(Location(VIEWS, 3, 35, 3, 35), ".select_related('author')"),),
            ),
            snippet="        print(book.author)",
            fingerprint="f" * 32,
        ),
        Finding(
            "DJR901",
            "raw-sql-from-request",
            "SQL built from request data",
            Severity.ERROR,
            Location(VIEWS, 7, 5, 7, 40),
            snippet="x",
            fingerprint="a" * 32,
            suppressed=True,
        ),
        Finding(
            "DJR902",
            "related-access-in-loop",
            "an AI guess",
            Severity.NOTE,
            Location(VIEWS, 5, 1, 5, 2),
            fingerprint="b" * 32,
            fix=Fix(
                "unverified", (Edit(Location(VIEWS, 5, 1, 5, 2), "y"),), Applicability.SUGGESTION
            ),
        ),
    ]


@pytest.fixture
def rich_repo(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "repo")
    (repo / "app dir").mkdir()
    (repo / VIEWS).write_text("\n" * 10, encoding="utf-8")
    return repo


def rich_log(repo: Path) -> dict[str, Any]:
    return build_log(
        rich_findings(),
        [PERFORMANCE, SECURITY],
        [Notification("app dir/broken.py", "skipped: binary content"), Notification(".", "crash")],
        repo,
        complete=False,
        known={"f" * 32},
    )


@pytest.mark.parametrize("fixture", FIXTURES)
def test_fixture_sarif_has_no_schema_or_multitool_problems(fixture: str, sarif_session) -> None:
    text = djreview_sarif(ROOT / "fixtures" / fixture, ROOT)
    log = json.loads(text)
    assert log["runs"][0]["results"], "a fixture project has planted findings"
    sarif_session.expect(f"fixtures/{fixture}", text)
    assert_viewer_resolves(log)
    for result in log["runs"][0]["results"]:
        region = result["locations"][0]["physicalLocation"]["region"]
        assert {"startLine", "startColumn", "endLine", "endColumn"} <= set(region)
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith(
            f"fixtures/{fixture}/"
        )


def test_rich_log_passes_the_multitool_and_both_schemas(rich_repo: Path, sarif_session) -> None:
    sarif_session.expect("rich log", json.dumps(rich_log(rich_repo)))


def _refused_by_github(problems: list[str]) -> None:
    assert any(p.startswith("GH") for p in problems), problems
    assert any("SARIF1004" in p for p in problems), problems


def test_multitool_reports_what_github_refuses(rich_repo: Path, sarif_session) -> None:
    # The validation is only worth something if it can fail: a message without
    # text and an absolute URI under a uriBaseId are GitHub errors. The same
    # Multitool run that passes the other logs must report these.
    log = rich_log(rich_repo)
    result = log["runs"][0]["results"][0]
    result["message"] = {"id": "missing"}
    result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "file:///etc/passwd"
    sarif_session.logs["broken rich log"] = (json.dumps(log), _refused_by_github)


def test_rules_carry_what_github_shows(rich_repo: Path) -> None:
    run = rich_log(rich_repo)["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    security, performance = rules["DJR901"], rules["DJR902"]
    assert security["properties"]["security-severity"] == "8.8"
    assert "problem.severity" not in security["properties"]
    assert {"security", "external/cwe/cwe-89"} <= set(security["properties"]["tags"])
    assert "security-severity" not in performance["properties"]
    assert performance["properties"]["problem.severity"] == "warning"
    assert {"performance", "n-plus-one"} <= set(performance["properties"]["tags"])
    for rule in rules.values():
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["helpUri"].startswith("https://")
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert rule["properties"]["precision"]
    assert run["automationDetails"]["id"] == "djreview/"


def test_results_keep_default_valued_level_and_index(rich_repo: Path) -> None:
    # sarif_om's own serializer drops values equal to schema defaults:
    # "warning" (the default level) and ruleIndex 0 would vanish.
    run = rich_log(rich_repo)["runs"][0]
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    first = run["results"][0]
    assert first["level"] == "warning"
    assert rule_ids[first["ruleIndex"]] == first["ruleId"] == "DJR902"
    assert run["results"][1]["ruleIndex"] == 0 and run["results"][1]["level"] == "error"


def test_related_locations_are_linked_from_the_message(rich_repo: Path) -> None:
    result = rich_log(rich_repo)["runs"][0]["results"][0]
    ids = [location["id"] for location in result["relatedLocations"]]
    assert ids == [1, 2]
    text = result["message"]["text"]
    assert "[the loop](1)" in text
    # Brackets in labels are escaped so they do not read as links.
    assert r"[the queryset \[no select_related\]](2)" in text
    assert r"per \[book\]" in text
    assert r"[the loop](1)" in result["message"]["markdown"]


def test_code_flow_fix_suppression_baseline_and_fingerprint(rich_repo: Path) -> None:
    flow_result, suppressed, suggestion = rich_log(rich_repo)["runs"][0]["results"]
    steps = flow_result["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [step["location"]["message"]["text"] for step in steps] == [
        "queryset built",
        "iterated",
        "related access",
    ]
    change = flow_result["fixes"][0]["artifactChanges"][0]
    assert change["replacements"][0]["deletedRegion"] == {
        "startLine": 3,
        "startColumn": 35,
        "endLine": 3,
        "endColumn": 35,
    }
    assert change["replacements"][0]["insertedContent"]["text"] == ".select_related('author')"
    assert "fixes" not in suggestion  # an unverified suggestion is not offered as a fix
    assert suppressed["suppressions"] == [{"kind": "inSource"}]
    assert flow_result["partialFingerprints"] == {"djreview/v1": "f" * 32}
    assert flow_result["baselineState"] == "unchanged"
    assert suppressed["baselineState"] == "new"


def test_unreadable_files_become_tool_execution_notifications(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r")
    (repo / "good.py").write_text("x = 1\n")
    (repo / "bad.py").write_bytes(b"x = 1\x00\n")
    log = json.loads(djreview_sarif(repo, repo))
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "bad.py"
    assert "binary" in note["message"]["text"]
    assert log["runs"][0]["results"] == []


def _artifact_locations(run: dict[str, Any]) -> list[tuple[dict[str, Any], bool]]:
    """Every artifactLocation the viewer may open, and whether the file must exist.

    Results, related locations, flow steps and notifications name existing
    files; a fix may create one (a new migration for a missing index).
    """
    found = []
    for result in run["results"]:
        places = [*result["locations"], *result.get("relatedLocations", [])]
        for flow in result.get("codeFlows", []):
            places += [step["location"] for t in flow["threadFlows"] for step in t["locations"]]
        found += [(place["physicalLocation"]["artifactLocation"], True) for place in places]
        for fix in result.get("fixes", []):
            found += [(change["artifactLocation"], False) for change in fix["artifactChanges"]]
    for invocation in run.get("invocations", []):
        for note in invocation.get("toolExecutionNotifications", []):
            found += [
                (at["physicalLocation"]["artifactLocation"], True)
                for at in note.get("locations", [])
            ]
    return found


def assert_viewer_resolves(log: dict[str, Any]) -> None:
    """What VS Code's SARIF Viewer needs to open every file of a log.

    It accepts version 2.1.0 with a known `$schema` file name, and resolves a
    relative `uri` against `originalUriBaseIds[uriBaseId].uri` one level deep
    only (a base that itself names a uriBaseId is not followed).
    """
    assert log["version"] == "2.1.0"
    name = urlparse(log["$schema"]).path.rsplit("/", 1)[-1]
    assert name.replace("-schema", "").removesuffix(".json") in VIEWER_SCHEMAS
    for run in log["runs"]:
        bases = run["originalUriBaseIds"]
        for location, must_exist in _artifact_locations(run):
            base = bases[location["uriBaseId"]]
            assert "uriBaseId" not in base and base["uri"].startswith("file:///")
            assert base["uri"].endswith("/")
            assert not urlparse(location["uri"]).scheme
            target = Path(unquote(urlparse(base["uri"] + location["uri"]).path))
            assert target.is_file() or not must_exist, target
            assert target.resolve().is_relative_to(Path(unquote(urlparse(base["uri"]).path)))


def test_viewer_resolves_every_location_of_a_rich_log(rich_repo: Path) -> None:
    log = rich_log(rich_repo)
    (rich_repo / "app dir" / "broken.py").write_text("")
    assert_viewer_resolves(log)
    uris = {loc["uri"] for loc, _ in _artifact_locations(log["runs"][0])}
    assert "app%20dir/v%C3%BCes.py" in uris


def test_subfolder_scan_is_relative_to_the_git_top_level(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    app = repo / "src" / "app"
    app.mkdir(parents=True)
    (app / "views.py").write_text(
        "from django.utils.safestring import mark_safe\n\n"
        "def v(request):\n    return mark_safe(request.GET['y'])\n"
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    log = json.loads(djreview_sarif(app, elsewhere))
    run = log["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"
    [result] = run["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "src/app/views.py"
    )
    assert_viewer_resolves(log)


def test_clean_project_renders_results_array(tmp_path: Path) -> None:
    log = json.loads(render([], [PERFORMANCE], [], tmp_path))
    assert log["runs"][0]["results"] == []
    assert len(log["runs"]) == 1


def test_regions_are_valid_even_for_line_zero(tmp_path: Path) -> None:
    project_wide = Finding(
        "DJR902", "related-access-in-loop", "settings-wide", Severity.NOTE, Location("s.py", 0, 0)
    )
    log = build_log([project_wide], [PERFORMANCE], [], tmp_path)
    region = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1}
    assert schema_errors(log) == []
