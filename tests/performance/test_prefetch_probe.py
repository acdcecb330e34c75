"""Which `if` tests say "the prefetched list is there" (djreview.nplusone.prefetch_probe)."""

from __future__ import annotations

import ast

import pytest

from djreview.nplusone.prefetch_probe import Probe, probe_of


def _probe(source: str) -> Probe | None:
    function = ast.parse(source).body[0]
    assert isinstance(function, ast.FunctionDef)
    test = [n for n in ast.walk(function) if isinstance(n, ast.If)][-1].test
    return probe_of(test, function)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def f(p):\n if hasattr(p, 'x'):\n  pass", Probe("p", "x", True)),
        ("def f(p):\n if not hasattr(p, 'x'):\n  pass", Probe("p", "x", False)),
        ("def f(p):\n if getattr(p, 'x', None) is not None:\n  pass", Probe("p", "x", True)),
        ("def f(p):\n if getattr(p, 'x', None) is None:\n  pass", Probe("p", "x", False)),
        (
            "def f(p):\n v = getattr(p, 'x', None)\n if v is not None:\n  pass",
            Probe("p", "x", True),
        ),
        (
            "def f(p):\n v = None\n if hasattr(p, 'x'):\n  v = getattr(p, 'x')\n"
            " if v is None:\n  pass",
            Probe("p", "x", False),
        ),
    ],
)
def test_tests_of_a_set_attribute(source: str, expected: Probe) -> None:
    assert _probe(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        # A truth test also falls back on an empty list: a query per row without items.
        "def f(p):\n v = getattr(p, 'x', None)\n if v:\n  pass",
        # Another default than None: the test does not say whether the attribute is set.
        "def f(p):\n if getattr(p, 'x', []) is not None:\n  pass",
        # The name also holds something else.
        "def f(p):\n v = getattr(p, 'x', None)\n v = p.y\n if v is not None:\n  pass",
        "def f(p):\n if p.x is not None:\n  pass",
    ],
)
def test_other_tests_decide_nothing(source: str) -> None:
    assert _probe(source) is None
