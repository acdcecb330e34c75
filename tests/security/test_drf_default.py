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

MIXIN = "\n\nclass Guard:\n    permission_classes = [X]\n"


def _reported(tmp_path, views: str, urls: str = "") -> bool:
    root = make_repo(tmp_path)
    (root / "site_conf").mkdir()
    (root / "site_conf" / "__init__.py").write_text("")
    (root / "site_conf" / "settings.py").write_text(SETTINGS)
    (root / "api").mkdir()
    (root / "api" / "__init__.py").write_text("")
    (root / "api" / "views.py").write_text(views)
    if urls:
        (root / "api" / "urls.py").write_text(urls)
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
        (READ_ONLY + MIXIN + "\n\nclass Edit(Guard, viewsets.ModelViewSet):\n    pass\n", False),
        (
            READ_ONLY
            + MIXIN
            + "\n\nclass Guard:\n    pass\n"
            + "\n\nclass Edit(Guard, viewsets.ModelViewSet):\n    pass\n",
            True,
        ),
    ],
    ids=[
        "read-only",
        "writer",
        "guarded-writer",
        "writer-on-project-base",
        "post-api-view",
        "none",
        "guarded-by-project-mixin",
        "mixin-name-shared-with-an-unguarded-class",
    ],
)
def test_default_permission_matters_only_when_a_view_writes_unguarded(
    tmp_path, views, reported
) -> None:
    assert _reported(tmp_path, views) is reported


IDENTIFY = READ_ONLY + "\n\nclass Identify(viewsets.ModelViewSet):\n    pass\n"


@pytest.mark.parametrize(
    ("urls", "reported"),
    [
        ("from api.views import Identify\n\nview = Identify.as_view({'get': 'retrieve'})\n", False),
        ("from api import views\n\nview = views.Identify.as_view({'get': 'retrieve'})\n", False),
        (
            "from api.views import Identify\n\n"
            "read = Identify.as_view({'get': 'retrieve'})\n"
            "write = Identify.as_view({'post': 'create'})\n",
            True,
        ),
        (
            "from rest_framework import routers\n\nfrom api.views import Identify\n\n"
            "read = Identify.as_view({'get': 'retrieve'})\n"
            "router = routers.DefaultRouter()\nrouter.register('identify', Identify)\n",
            True,
        ),
        ("from api.views import Identify\n\nview = Identify.as_view(ACTIONS)\n", True),
    ],
    ids=["safe-binding", "safe-binding-dotted", "write-binding", "router", "unknown-map"],
)
def test_a_viewset_bound_only_to_safe_methods_is_read_only(tmp_path, urls, reported) -> None:
    assert _reported(tmp_path, IDENTIFY, urls) is reported
