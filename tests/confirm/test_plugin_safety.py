"""The plugin never fails, changes or litters the user's test run."""

from __future__ import annotations

import hashlib

import pytest

from tests.runtime import harness

from .plugin_run import copy_fixture, run_plugin


def _tree(root):
    return {
        path.relative_to(root).as_posix(): hashlib.sha1(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def blog(tmp_path):
    return copy_fixture("blog", tmp_path)


def test_plugin_writes_nothing_but_its_report(blog):
    before = _tree(blog)
    run = run_plugin(blog, "--djreview")
    assert run.returncode == 0, run.output
    after = _tree(blog)
    assert set(after) - set(before) == {"djreview-confirm.json"}
    assert {path: after[path] for path in before} == before


def test_plugin_is_off_unless_asked(blog):
    run = run_plugin(blog)
    assert run.returncode == 0, run.output
    assert "djreview" not in run.output
    assert not (blog / "djreview-confirm.json").exists()


def test_confirm_true_in_pyproject_switches_it_on(blog):
    (blog / "pyproject.toml").write_text("[tool.djreview]\nconfirm = true\n")
    run = run_plugin(blog, "tests/test_pages.py::test_page_answers[author_loop]")
    assert run.returncode == 0, run.output
    assert run.report["tests"] == 1
    assert run.finding_states("planted", "author_loop") == ["confirmed"]


def test_a_crash_inside_the_recorder_is_reported_and_the_tests_still_pass(blog):
    # A conftest that breaks the stack reader the recorder calls on every query.
    (blog / "tests" / "conftest.py").write_text(
        (blog / "tests" / "conftest.py").read_text() + "\n\nfrom djreview.confirm import sites\n\n"
        "def _broken(self, frame):\n    raise RuntimeError('reader exploded')\n\n"
        "sites.StackReader.read = _broken\n"
    )
    run = run_plugin(blog, "--djreview", "tests/test_pages.py::test_page_answers[author_loop]")
    assert run.returncode == 0, run.output
    assert "1 passed" in run.output
    assert "reader exploded" in run.output
    assert run.report["errors"]


def test_a_failing_static_run_is_reported_and_the_tests_still_pass(blog):
    # djreview refuses an unknown configuration key (exit 2).
    (blog / "pyproject.toml").write_text("[tool.djreview]\nno-such-key = 1\n")
    run = run_plugin(blog, "--djreview", "tests/test_pages.py::test_page_answers[author_loop]")
    assert run.returncode == 0, run.output
    assert "1 passed" in run.output
    assert "djreview plugin problem: djreview check" in run.output
    assert "no confirmation report" in run.output


def test_query_results_are_the_same_with_the_plugin(blog):
    # The pages' JSON bodies, recorded by a test of the copy, with and without recording.
    (blog / "tests" / "test_bodies.py").write_text(
        "import json, os, pytest\n"
        "from blog.testdata import build\n\n"
        "@pytest.mark.django_db\n"
        "def test_bodies(client):\n"
        "    build(3)\n"
        "    urls = ['/reports/authors/', '/reports/tags/', '/api/posts/', '/digest/']\n"
        "    bodies = {url: client.get(url).content.decode() for url in urls}\n"
        "    with open(os.environ['BODIES_OUT'], 'w') as out:\n"
        "        json.dump(bodies, out, sort_keys=True)\n"
    )
    outputs = []
    for extra in ((), ("--djreview",)):
        out = blog.parent / f"bodies{len(outputs)}.json"
        run = run_plugin(blog, *extra, "tests/test_bodies.py", env={"BODIES_OUT": str(out)})
        assert run.returncode == 0, run.output
        outputs.append(out.read_text())
    assert outputs[0] == outputs[1]
    assert '"/reports/authors/"' in outputs[0]


def test_xdist_workers_hand_their_recording_to_the_controller(blog):
    serial = run_plugin(blog, "--djreview")
    assert serial.returncode == 0, serial.output
    parallel = run_plugin(blog, "--djreview", "-n", "2")
    assert parallel.returncode == 0, parallel.output
    pages = len(harness.load_cases(harness.FIXTURES_DIR / "blog").N_PLUS_ONE)
    assert parallel.report["tests"] == serial.report["tests"] == pages

    def states(run):
        return sorted((f["path"], f["line"], f["state"]) for f in run.report["findings"])

    assert states(parallel) == states(serial)
    assert len(parallel.report["dynamic"]) == len(serial.report["dynamic"])
