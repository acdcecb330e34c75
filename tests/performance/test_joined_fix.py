"""One finding for several lists carries one fix: every list's edit once, or none at all."""

from __future__ import annotations

from djreview.model import Applicability, Edit, Fix, Location
from djreview.nplusone.one_read import joined_fix


def _fix(line: int, text: str, safety: Applicability = Applicability.SAFE) -> Fix:
    edit = Edit(Location("app/views.py", line, 10), text)
    return Fix(f"add {text} at line {line}", (edit,), safety)


def test_each_lists_edit_is_kept_once_and_the_least_safe_wins() -> None:
    first, second = _fix(3, ".select_related('a')"), _fix(9, ".select_related('a')")
    joined = joined_fix([first, second, first])
    assert joined is not None
    assert [e.location.start_line for e in joined.edits] == [3, 9]
    unsafe = joined_fix([first, _fix(9, ".x()", Applicability.UNSAFE)])
    assert unsafe is not None and unsafe.applicability is Applicability.UNSAFE


def test_a_list_without_a_fix_leaves_the_finding_without_one() -> None:
    assert joined_fix([_fix(3, ".x()"), None]) is None
    assert joined_fix([]) is None


def test_two_lists_editing_one_place_differently_get_no_fix() -> None:
    # One queryset shared by two lists needing different paths: applying both
    # edits at one place would write one over the other.
    assert joined_fix([_fix(3, ".select_related('a')"), _fix(3, ".select_related('b')")]) is None
