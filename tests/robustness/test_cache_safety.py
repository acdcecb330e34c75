"""The result cache never breaks a run: corrupt entries are misses, concurrent runs are safe."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from djreview.engine.cache.store import Store


def check(tree: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "djreview", "check", ".", "--format", "sarif", "-j", "1", *args],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )


def results(stdout: str) -> tuple[list[dict], list[dict]]:
    """What a run found and what it skipped (not the rule docs, which are no run's output)."""
    run = json.loads(stdout)["runs"][0]
    return run["results"], run["invocations"]


def entries(cache: Path) -> list[Path]:
    return [path for path, _, _ in Store(cache).entries()]


def test_store_ignores_truncated_flipped_and_mislabelled_entries(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.put("a" * 40, {"findings": [1, 2, 3]})
    assert store.get("a" * 40) == {"findings": [1, 2, 3]}
    path = store.path("a" * 40)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert store.get("a" * 40) is None
    flipped = bytearray(data)
    flipped[-5] ^= 0x20
    path.write_bytes(bytes(flipped))
    assert store.get("a" * 40) is None
    # A valid entry copied under another key is not that key's entry.
    store.path("b" * 40).parent.mkdir(parents=True, exist_ok=True)
    store.path("b" * 40).write_bytes(data)
    assert store.get("b" * 40) is None
    assert store.get("c" * 40) is None


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "valid-but-wrong-shape"])
def test_a_run_over_a_damaged_cache_prints_what_a_fresh_run_prints(
    library: Path, tmp_path: Path, damage: str
) -> None:
    cache = tmp_path / "cache"
    fresh = check(library, "--no-cache")
    check(library, "--cache-dir", str(cache))
    for path in entries(cache):
        data = path.read_bytes()
        if damage == "truncate":
            path.write_bytes(data[: len(data) // 3])
        elif damage == "garbage":
            path.write_bytes(b"\x00\xff" * 50)
        elif damage == "empty":
            path.write_bytes(b"")
        else:  # right checksum and key, nonsense value
            value = {"parts": [{"nonsense": 1}], "findings": 7}
            body = json.dumps({"key": path.name, "value": value}).encode()
            path.write_bytes(hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
    again = check(library, "--cache-dir", str(cache))
    assert again.returncode == fresh.returncode
    assert results(again.stdout) == results(fresh.stdout)
    assert "Traceback" not in again.stderr


def test_an_unusable_cache_folder_only_costs_speed(library: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where the cache folder should be")
    out = check(library, "--cache-dir", str(blocker))
    assert out.returncode == check(library, "--no-cache").returncode
    assert out.stdout == check(library, "--no-cache").stdout


def test_concurrent_runs_sharing_a_cache_do_not_corrupt_it(library: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    fresh = results(check(library, "--no-cache").stdout)
    command = [
        sys.executable,
        "-m",
        "djreview",
        "check",
        ".",
        "--format",
        "sarif",
        "-j",
        "1",
        "--cache-dir",
        str(cache),
    ]
    runs = [
        subprocess.Popen(
            command, cwd=library, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(6)
    ]
    outputs = [run.communicate(timeout=600) for run in runs]
    assert all(results(stdout) == fresh for stdout, _ in outputs), [e[-500:] for _, e in outputs]
    store = Store(cache)
    files = entries(cache)
    assert files and not [p for p in files if p.name.startswith(".tmp-")]
    assert all(store.get(path.name) is not None for path in files)
    assert results(check(library, "--cache-dir", str(cache)).stdout) == fresh
