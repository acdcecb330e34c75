"""A project tree holding every input fault djreview must survive, built at test time.

`build(root)` writes the tree and returns what a run must say about it: for
each bad file, a fragment of its notification; and the real defects (rule id,
path, line) that must still be found among them. Files that cannot be
committed (FIFOs, sockets, symlink loops, unreadable files) are made here.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from pathlib import Path

DEFECT = (
    "from django.utils.safestring import mark_safe\n"
    "\n"
    "\n"
    "def greet(request):\n"
    '    return mark_safe(request.GET["name"])\n'
)
DEFECT_LINE = 5
DEFECT_RULE = "DJR311"


@dataclass
class Expected:
    """What the run must report about the hostile tree."""

    notes: dict[str, str] = field(default_factory=dict)
    defects: list[tuple[str, str, int]] = field(default_factory=list)
    # Present but only required not to crash the run (a notification is optional).
    tolerated: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


def _write(root: Path, rel: str, data: bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def build(root: Path, outside: Path, max_bytes: int) -> Expected:
    """Write the hostile tree under `root`; `outside` is a folder beside it."""
    expected = Expected()
    root.mkdir(parents=True, exist_ok=True)

    def bad(rel: str, data: bytes, note: str) -> None:
        _write(root, rel, data)
        expected.notes[rel] = note

    def good(rel: str, data: bytes, line: int = DEFECT_LINE) -> None:
        _write(root, rel, data)
        expected.defects.append((DEFECT_RULE, rel, line))

    good("app/views.py", DEFECT.encode())
    good("app/latin1.py", b"# -*- coding: latin-1 -*-\n# caf\xe9\n" + DEFECT.encode(), 7)
    good("app/bom.py", b"\xef\xbb\xbf" + DEFECT.encode())
    good("app/crlf.py", DEFECT.replace("\n", "\r\n").encode())
    bad("app/syntax_error.py", b"def broken(:\n    pass\n", "syntax error")
    bad("app/python2.py", b'print "hello"\nexec "x = 1"\n', "read as Python 2 (2 lines")
    bad("app/invalid_utf8.py", b"name = '\xff\xfe\xfd'\n", "cannot decode")
    bad("app/nul_bytes.py", b"x = 1\x00\ny = 2\n", "binary content")
    bad("app/binary.py", bytes(range(256)) * 8, "binary content")
    bad("app/huge.py", b"x = 1\n" * (max_bytes // 6 + 100), "larger than")
    bad(
        "app/deep_parens.py",
        b"x = " + b"(" * 5_000 + b"1" + b")" * 5_000 + b"\n",
        "nested parentheses",
    )
    bad("app/templates/app/binary.html", b"<p>\x00\x01\x02</p>", "binary content")
    _write(root, "app/deep_binop.py", b"x = " + b"1 + " * 15_000 + b"1\n")
    expected.tolerated.append("app/deep_binop.py")
    _write(
        root,
        "app/templates/app/broken.html",
        b"{% for item in %}{{ item.owner.name }{% endif %}{% block %}\n{{ unclosed\n",
    )
    expected.tolerated.append("app/templates/app/broken.html")
    _write(
        root,
        "config/settings.py",
        (
            b'exec(open("local.py").read())\n'
            b'globals().update({"DEBUG": True})\n'
            b"INSTALLED_APPS = [name for name in ('app',)]\n"
            b"vars()['SECRET_KEY'] = 'x' * 10\n"
        ),
    )
    expected.tolerated.append("config/settings.py")

    (root / "loop").symlink_to(".", target_is_directory=True)
    (root / "app" / "self_loop.py").symlink_to("self_loop.py")
    expected.notes["app/self_loop.py"] = "symbolic link"
    (root / "app" / "dangling.py").symlink_to("does_not_exist.py")
    expected.notes["app/dangling.py"] = "symbolic link"
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret.py").write_bytes(DEFECT.encode())
    (root / "app" / "outside.py").symlink_to(outside / "secret.py")
    expected.notes["app/outside.py"] = "outside the scanned tree"
    (root / "outside_dir").symlink_to(outside, target_is_directory=True)
    expected.notes["outside_dir"] = "outside the scanned tree"

    os.mkfifo(root / "app" / "pipe.py")
    expected.notes["app/pipe.py"] = "not a regular file"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(root / "app" / "sock.py"))
    listener.close()
    # Opening a socket fails (ENXIO) before it can be seen not to be a file.
    expected.notes["app/sock.py"] = "skipped: "

    _write(root, "app/unreadable.py", DEFECT.encode())
    _write(root, "locked/inner.py", DEFECT.encode())
    expected.unreadable += ["app/unreadable.py", "locked"]
    expected.notes["app/unreadable.py"] = "Permission denied"
    expected.notes["locked"] = "cannot list folder"
    # Names that would drive a terminal or cannot be encoded in UTF-8.
    good("app/evil\x1b[2J\x07name.py", DEFECT.encode())
    # Terminal escapes inside the flagged line itself (a comment): the code frame shows them.
    hostile_comment = '["name"])  # \x1b]0;pwned\x07\x1b[2J'
    good("app/escapes.py", DEFECT.replace('["name"])', hostile_comment).encode())
    bad(os.fsdecode(b"app/not_utf8_\xff.py"), b"x = 1\n", "not valid UTF-8")
    return expected


def lock(root: Path, expected: Expected) -> None:
    """Make the unreadable entries unreadable (for a non-root reader)."""
    for rel in expected.unreadable:
        os.chmod(root / rel, 0)


def snapshot(root: Path) -> dict[str, tuple[int, bytes | None]]:
    """Every entry's mode and (for regular files and links) content, without following links."""
    state: dict[str, tuple[int, bytes | None]] = {}
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in sorted(dirs + files):
            path = Path(folder, name)
            info = path.lstat()
            if path.is_symlink():
                content: bytes | None = os.readlink(path).encode("utf-8", "surrogateescape")
            elif path.is_file() and info.st_mode & 0o444:
                content = path.read_bytes()
            else:
                content = None
            state[str(path.relative_to(root))] = (info.st_mode, content)
    return state
