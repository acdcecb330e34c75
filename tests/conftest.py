"""Shared test helpers: run djreview in-process on a tree and collect findings."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
# Keep the suite hermetic: CLI runs without --no-cache must not read or fill
# the developer's own ~/.cache/djreview (subprocesses inherit this).
os.environ.setdefault("XDG_CACHE_HOME", tempfile.mkdtemp(prefix="djreview-test-cache-"))


@pytest.fixture
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def sarif_session():
    """Collects SARIF logs; one Multitool run validates them all when the session ends.

    Per pytest-xdist worker, so `-n 2` starts the Multitool at most twice.
    """
    from integrations.sarif_validate import SarifSession

    session = SarifSession()
    yield session
    session.finish()
