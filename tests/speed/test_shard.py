"""--shard K/N and merge-sarif: the union of the shards is the unsharded run."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from djreview.cli.main import main
from djreview.engine.shard import Shard, ShardError

SCHEMA = json.loads((Path(__file__).parents[1] / "data" / "sarif-schema-2.1.0.json").read_text())


def sarif(tree: Path, out: Path, *args: str) -> dict:
    result = CliRunner().invoke(
        main, ["check", str(tree), "--no-cache", "--format", "sarif", "-o", str(out), *args]
    )
    assert result.exit_code in (0, 1), result.output
    return json.loads(out.read_text())


def canonical(items: list[dict]) -> list[str]:
    return sorted(json.dumps(item, sort_keys=True) for item in items)


@pytest.mark.parametrize("count", [2, 3])
def test_union_of_shards_equals_the_unsharded_run(
    fixture_project: Path, tmp_path: Path, count: int
) -> None:
    whole = sarif(fixture_project, tmp_path / "whole.sarif")["runs"][0]
    parts = [tmp_path / f"shard{index}.sarif" for index in range(1, count + 1)]
    for index, path in enumerate(parts, start=1):
        sarif(fixture_project, path, "--shard", f"{index}/{count}")
    merged_path = tmp_path / "merged.sarif"
    result = CliRunner().invoke(main, ["merge-sarif", *map(str, parts), "-o", str(merged_path)])
    assert result.exit_code == 0, result.output
    merged = json.loads(merged_path.read_text())
    jsonschema.validate(merged, SCHEMA)
    run = merged["runs"][0]
    assert len(merged["runs"]) == 1
    assert canonical(run["results"]) == canonical(whole["results"])
    assert run["tool"]["driver"]["rules"] == whole["tool"]["driver"]["rules"]
    notes = [inv.get("toolExecutionNotifications", []) for inv in run["invocations"]]
    whole_notes = [inv.get("toolExecutionNotifications", []) for inv in whole["invocations"]]
    assert canonical(notes[0]) == canonical(whole_notes[0])
    assert (
        run["invocations"][0]["executionSuccessful"]
        == whole["invocations"][0]["executionSuccessful"]
    )


def test_every_path_belongs_to_exactly_one_shard() -> None:
    paths = [f"app{n}/views_{n * 7}.py" for n in range(500)]
    shards = [Shard(index, 4) for index in range(1, 5)]
    owners = [[shard for shard in shards if shard.owns(path)] for path in paths]
    assert all(len(found) == 1 for found in owners)
    sizes = [sum(1 for found in owners if found[0] == shard) for shard in shards]
    assert min(sizes) > 80  # roughly even: 125 each


@pytest.mark.parametrize("text", ["0/2", "3/2", "1", "a/b", "1/0"])
def test_malformed_shard_is_a_usage_error(text: str, tmp_path: Path) -> None:
    with pytest.raises(ShardError):
        Shard.parse(text)
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--shard", text])
    assert result.exit_code == 2


def test_merge_sarif_refuses_what_is_not_a_single_run_log(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sarif"
    bad.write_text('{"version": "2.1.0", "runs": []}')
    result = CliRunner().invoke(main, ["merge-sarif", str(bad), "-o", str(tmp_path / "o.sarif")])
    assert result.exit_code == 2
    assert not (tmp_path / "o.sarif").exists()
