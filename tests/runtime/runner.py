"""Load one fixture project with real Django and measure its runtime cases.

Run as ``python runner.py FIXTURE_DIR REQUEST_JSON``; REQUEST_JSON is
``{"measure": [case, ...], "explain": [case, ...]}``. Prints one JSON object
``{"measure": {case: {...}}, "explain": {case: {...}}}`` on stdout. The
fixture's ``runtime_cases.py`` names its settings, data builder and cases.
The database is a fresh in-memory SQLite test database, migrated once; each
measurement runs in a transaction that is rolled back.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import traceback
from pathlib import Path
from typing import Any


def _setup(fixture_dir: Path, database: dict[str, Any] | None) -> Any:
    sys.path.insert(0, str(fixture_dir))
    os.chdir(fixture_dir)
    cases = importlib.import_module("runtime_cases")
    os.environ["DJANGO_SETTINGS_MODULE"] = cases.SETTINGS
    import django
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    if database is not None:
        # Same project, another database: settings are still mutable before setup().
        settings.DATABASES = {"default": database}
    django.setup()
    setup_test_environment()
    # The builders create many users; the default PBKDF2 hasher would dominate the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return cases


# Rows per BUILD on PostgreSQL, so that ANALYZE has something to count.
PG_ROWS = 12


def _resolve(dotted: str) -> Any:
    module_name, _, attribute = dotted.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def _measure_once(case: dict[str, Any], build: Any, size: int) -> tuple[int, int]:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    with transaction.atomic():
        values = build(size) or {}
        client = Client()
        if case.get("login"):
            admin = get_user_model().objects.create_superuser("harness-admin", "", "pw")
            client.force_login(admin)
        url = case["url"].format(**values)
        send = getattr(client, case.get("method", "get"))
        # A GraphQL case posts its query as JSON (POST /graphql/).
        body = (
            {"data": {"query": case["query"]}, "content_type": "application/json"}
            if "query" in case
            else {}
        )
        # The first request fills per-process caches (content types, sessions),
        # so only the second one is counted.
        send(url, **body)
        if case.get("cold_cache"):
            # A page whose reads Django's cache memoises queries again once it expires.
            from django.core.cache import cache

            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = send(url, **body)
        transaction.set_rollback(True)
    status = response.status_code
    if "query" in case and status == 200 and response.json().get("errors"):
        # GraphQL answers resolver errors with HTTP 200; a case that errs must not pass.
        status = 500
    return len(captured.captured_queries), status


def measure_cases(cases: Any, names: list[str]) -> dict[str, Any]:
    """Count the queries of each named N+1 case at every size in SIZES."""
    build = _resolve(cases.BUILD)
    results: dict[str, Any] = {}
    for name in names:
        case = cases.N_PLUS_ONE[name]
        try:
            runs = [_measure_once(case, build, size) for size in cases.SIZES]
        except Exception:
            results[name] = {"error": traceback.format_exc()}
            continue
        results[name] = {
            "sizes": list(cases.SIZES),
            "counts": [count for count, _ in runs],
            "status": [status for _, status in runs],
        }
    return results


def explain_cases(cases: Any, names: list[str]) -> dict[str, Any]:
    """The plan and SQL of each named index case (SQLite's EXPLAIN QUERY PLAN, or PostgreSQL's).

    On PostgreSQL the tables are filled first (BUILD at PG_ROWS, then ANALYZE)
    and each case gets two plans: the planner's own choice, and the plan with
    sequential scans priced out (``enable_seqscan = off``), which uses an
    index whenever one can serve the query at all.
    """
    from django.db import connection, transaction

    postgres = connection.vendor == "postgresql"
    results: dict[str, Any] = {}
    with transaction.atomic():
        if postgres and names:
            _resolve(cases.BUILD)(getattr(cases, "PG_ROWS", PG_ROWS))
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        for name in names:
            try:
                queryset = cases.INDEXES[name]["query"]()
                result = {"plan": queryset.explain(), "sql": str(queryset.query)}
                if postgres:
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL enable_seqscan = off")
                    result["forced_plan"] = queryset.explain()
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL enable_seqscan = on")
                results[name] = result
            except Exception:
                results[name] = {"error": traceback.format_exc()}
        transaction.set_rollback(True)
    return results


def main() -> None:
    """Entry point: read the request, measure, print JSON."""
    fixture_dir = Path(sys.argv[1]).resolve()
    request = json.loads(sys.argv[2])
    cases = _setup(fixture_dir, request.get("database"))
    measure = request.get("measure")
    explain = request.get("explain")
    output = {
        "measure": measure_cases(cases, list(cases.N_PLUS_ONE) if measure is None else measure),
        "explain": explain_cases(cases, list(cases.INDEXES) if explain is None else explain),
    }
    sys.stdout.write(json.dumps(output))


if __name__ == "__main__":
    main()
