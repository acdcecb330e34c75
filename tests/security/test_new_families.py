"""The issue-17 families in real runs: peers' markers, look-alikes, one finding per call."""

from __future__ import annotations

from helpers import make_repo, run_tree


def _lines(tmp_path, source: str, select=("security", "DJR325"), name="app/clients.py"):
    root = make_repo(tmp_path)
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)
    return sorted((f.rule_id, f.location.start_line) for f in run_tree(root, select=select).active)


_TLS = "import requests\n\n\ndef push(url):\n    return requests.post(url, verify=False){marker}\n"


def test_ruff_s501_marker_silences_tls_verification_disabled(tmp_path) -> None:
    assert _lines(tmp_path / "a", _TLS.format(marker="")) == [("DJR323", 5)]
    assert _lines(tmp_path / "b", _TLS.format(marker="  # noqa: S501 -- internal CA")) == []
    assert _lines(tmp_path / "c", _TLS.format(marker="  # nosec B501")) == []
    assert _lines(tmp_path / "d", _TLS.format(marker="  # noqa: S324")) == [("DJR323", 5)]


def test_bandit_b324_marker_silences_weak_hash(tmp_path) -> None:
    source = "import hashlib\n\n\ndef digest(password):\n    return hashlib.md5(password){m}\n"
    assert _lines(tmp_path / "a", source.format(m="")) == [("DJR324", 5)]
    assert _lines(tmp_path / "b", source.format(m="  # nosec B324")) == []


def test_look_alike_names_from_other_libraries_do_not_match(tmp_path) -> None:
    source = (
        "from mylib import Hashids, YAML, loads, md5, post\n"
        "from django.conf import settings\n\n\n"
        "def f(data, password):\n"
        "    post(settings.URL, verify=False)\n"
        "    loads(data)\n"
        "    md5(password)\n"
        "    Hashids(salt=settings.SECRET_KEY)\n"
        "    return YAML(typ='unsafe')\n"
    )
    assert _lines(tmp_path, source) == []


def test_aliases_and_function_local_imports_match(tmp_path) -> None:
    source = (
        "from django.conf import settings\n\n\n"
        "def f(data, password):\n"
        "    import hashlib as h\n"
        "    import ruamel.yaml as ry\n"
        "    from hashids import Hashids as Ids\n"
        "    from requests import post as send\n"
        "    from _pickle import loads as unpickle\n"
        "    send(settings.URL, verify=False)\n"
        "    unpickle(data)\n"
        "    h.sha1(password)\n"
        "    Ids(salt=settings.SECRET_KEY)\n"
        "    return ry.YAML(typ='unsafe')\n"
    )
    assert _lines(tmp_path, source) == [
        ("DJR323", 10),
        ("DJR324", 12),
        ("DJR325", 11),
        ("DJR326", 13),
        ("DJR327", 14),
    ]


def test_request_data_unpickled_is_reported_once(tmp_path) -> None:
    source = "import pickle\n\n\ndef restore(request):\n    return pickle.loads(request.body)\n"
    assert _lines(tmp_path, source, name="app/views.py") == [("DJR309", 5)]


def test_new_rules_skip_tests(tmp_path) -> None:
    assert _lines(tmp_path, _TLS.format(marker=""), name="app/tests/test_clients.py") == []


def test_request_data_the_taint_engine_misses_is_named_in_the_pickle_finding(tmp_path) -> None:
    source = "import _pickle\n\n\ndef restore(request):\n    return _pickle.loads(request.body)\n"
    root = make_repo(tmp_path)
    (root / "app").mkdir()
    (root / "app" / "views.py").write_text(source)
    [finding] = run_tree(root, select=("security", "DJR325")).active
    assert finding.rule_id == "DJR325"
    assert "request data from `request.body`" in finding.message
