"""DJR601 and the project's API: a read-only or self-guarded API is not opened by the default."""

from __future__ import annotations

import pytest
from helpers import make_repo, run_tree

SETTINGS = (
    'INSTALLED_APPS = ["rest_framework"]\nSECRET_KEY = "x" * 60\n'
    'REST_FRAMEWORK = {"PAGE_SIZE": 20}\n'
)
HEAD = (
    "from rest_framework import generics, viewsets\n"
    "from rest_framework.decorators import api_view\n"
)
READ_ONLY = HEAD + (
    "\n\nclass PackageViewSet(viewsets.ReadOnlyModelViewSet):\n    pass\n"
    "\n\n@api_view(['GET'])\ndef stats(request):\n    pass\n"
)


def _reported(tmp_path, views: str) -> bool:
    root = make_repo(tmp_path)
    (root / "site_conf").mkdir()
    (root / "site_conf" / "__init__.py").write_text("")
    (root / "site_conf" / "settings.py").write_text(SETTINGS)
    (root / "api").mkdir()
    (root / "api" / "__init__.py").write_text("")
    (root / "api" / "views.py").write_text(views)
    return any(f.rule_id == "DJR601" for f in run_tree(root, select=("DJR601",)).active)


@pytest.mark.parametrize(
    ("views", "reported"),
    [
        (READ_ONLY, False),
        (READ_ONLY + "\n\nclass Edit(viewsets.ModelViewSet):\n    pass\n", True),
        (
            READ_ONLY + "\n\nclass Edit(viewsets.ModelViewSet):\n    permission_classes = [X]\n",
            False,
        ),
        # A writing view built on a project base class is still a DRF view.
        (
            READ_ONLY + "\n\nclass Base(generics.GenericAPIView):\n    pass\n"
            "\n\nclass Vote(Base):\n    def post(self, request):\n        pass\n",
            True,
        ),
        (READ_ONLY + "\n\n@api_view(['POST'])\ndef vote(request):\n    pass\n", True),
        ("x = 1\n", True),  # no API view seen: the default still matters
    ],
    ids=[
        "read-only",
        "writer",
        "guarded-writer",
        "writer-on-project-base",
        "post-api-view",
        "none",
    ],
)
def test_default_permission_matters_only_when_a_view_writes_unguarded(
    tmp_path, views, reported
) -> None:
    assert _reported(tmp_path, views) is reported
