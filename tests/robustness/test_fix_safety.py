"""`djreview fix` never damages a file: atomic writes, kept encodings, refusals, crashes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hostile import snapshot

from djreview.fix.apply import FixError, plan_fixes, write_atomic
from djreview.model import Edit, Fix, Location


def insert_at_line_2(rel: str, text: str) -> Fix:
    return Fix("insert a line", (Edit(Location(rel, 2, 1, 2, 1), text),))


def test_write_keeps_mode_encoding_bom_and_line_endings(tmp_path: Path) -> None:
    files = {
        "latin1.py": b"# -*- coding: latin-1 -*-\nname = 'caf\xe9'\n",
        "bom.py": b"\xef\xbb\xbfa = 1\nb = 2\n",
        "crlf.py": b"a = 1\r\nb = 2\r\n",
        "mixed.py": b"a = 1\r\nb = 2\nc = 3\r\n",
    }
    analysed = {}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        os.chmod(tmp_path / name, 0o751)
        analysed[name] = data.decode("latin-1" if name == "latin1.py" else "utf-8-sig")
    fixes = [insert_at_line_2(name, "x = 'é'\ny = 0\n") for name in files]
    plan = plan_fixes(fixes, tmp_path, analysed)
    assert not plan.skipped
    for change in plan.changes:
        write_atomic(change)
    assert (tmp_path / "latin1.py").read_bytes() == (
        b"# -*- coding: latin-1 -*-\nx = '\xe9'\ny = 0\nname = 'caf\xe9'\n"
    )
    assert (tmp_path / "bom.py").read_bytes() == "\ufeffa = 1\nx = 'é'\ny = 0\nb = 2\n".encode()
    assert (tmp_path / "crlf.py").read_bytes() == "a = 1\r\nx = 'é'\r\ny = 0\r\nb = 2\r\n".encode()
    # Lines the fix did not touch keep their own endings.
    assert (tmp_path / "mixed.py").read_bytes() == (
        "a = 1\r\nx = 'é'\r\ny = 0\r\nb = 2\nc = 3\r\n".encode()
    )
    assert all(os.stat(tmp_path / name).st_mode & 0o777 == 0o751 for name in files)
    assert not list(tmp_path.glob(".*.djreview"))


def test_a_file_changed_since_analysis_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "views.py"
    target.write_text("a = 1\nb = 2\n")
    analysed = {"views.py": "a = 1\nb = 2\n"}
    plan = plan_fixes([insert_at_line_2("views.py", "c = 3\n")], tmp_path, analysed)
    target.write_text("a = 1\nb = 22\n")
    with pytest.raises(FixError, match="changed since it was analysed"):
        write_atomic(plan.changes[0])
    assert target.read_text() == "a = 1\nb = 22\n"


def test_an_unencodable_fix_is_refused_not_written_as_another_encoding(tmp_path: Path) -> None:
    original = b"# -*- coding: latin-1 -*-\nname = 'x'\n"
    (tmp_path / "m.py").write_bytes(original)
    plan = plan_fixes(
        [insert_at_line_2("m.py", "sign = '€'\n")], tmp_path, {"m.py": original.decode("latin-1")}
    )
    with pytest.raises(FixError, match="cannot be written in"):
        write_atomic(plan.changes[0])
    assert (tmp_path / "m.py").read_bytes() == original


def test_nothing_is_written_outside_the_root_or_through_an_outward_link(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "target.py").write_text("a = 1\nb = 2\n")
    (root / "linked_dir").symlink_to(outside, target_is_directory=True)
    (root / "linked.py").symlink_to(outside / "target.py")
    text = {
        "linked_dir/target.py": "a = 1\nb = 2\n",
        "linked.py": "a = 1\nb = 2\n",
        "../outside/target.py": "a = 1\nb = 2\n",
    }
    fixes = [insert_at_line_2(rel, "evil = 1\n") for rel in text]
    plan = plan_fixes(fixes, root, text)
    for change in plan.changes:
        with pytest.raises(FixError):
            write_atomic(change)
    assert len(plan.skipped) + len(plan.changes) == 3
    assert (outside / "target.py").read_text() == "a = 1\nb = 2\n"


CRASH = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from djreview.fix.apply import plan_fixes, write_atomic
    from djreview.model import Edit, Fix, Location

    root, crash_at, hook = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    names = ["a.py", "b.py", "c.py"]
    texts = {name: (root / name).read_text() for name in names}
    fixes = [Fix("f", (Edit(Location(name, 1, 1, 1, 1), "import os\\n"),)) for name in names]
    calls = 0
    real = getattr(os, hook)

    def crashing(*args):
        global calls
        calls += 1
        if calls == crash_at:
            os._exit(9)  # the process dies here: no cleanup, no finally
        return real(*args)

    setattr(os, hook, crashing)
    for change in plan_fixes(fixes, root, texts).changes:
        write_atomic(change)
""")


@pytest.mark.parametrize(("hook", "crash_at"), [("replace", 2), ("fsync", 2), ("replace", 1)])
def test_a_crash_between_writes_leaves_each_file_old_or_new(
    tmp_path: Path, hook: str, crash_at: int
) -> None:
    old = {name: f"x = {index}\n" * 200 for index, name in enumerate(["a.py", "b.py", "c.py"])}
    for name, text in old.items():
        (tmp_path / name).write_text(text)
    out = subprocess.run(
        [sys.executable, "-c", CRASH, str(tmp_path), str(crash_at), hook],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 9, out.stderr
    states = []
    for name, text in old.items():
        now = (tmp_path / name).read_text()
        assert now in (text, "import os\n" + text), f"{name} is half written"
        states.append(now != text)
    assert states == sorted(states, reverse=True)  # written in order, up to the crash
    assert sum(states) == crash_at - 1


def test_dry_run_writes_nothing_and_fix_changes_only_what_it_reports(
    library: Path,
) -> None:
    before = snapshot(library)
    dry = subprocess.run(
        [sys.executable, "-m", "djreview", "fix", ".", "--dry-run", "--no-cache"],
        cwd=library,
        capture_output=True,
        text=True,
        check=False,
    )
    assert dry.returncode == 0, dry.stderr
    assert "+++ b/library/" in dry.stdout
    assert snapshot(library) == before
    done = subprocess.run(
        [sys.executable, "-m", "djreview", "fix", ".", "--no-cache"],
        cwd=library,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    after = snapshot(library)
    changed = {rel for rel in after if after[rel] != before.get(rel)}
    reported = {line[6:] for line in dry.stdout.splitlines() if line.startswith("+++ b/")}
    assert changed == reported
