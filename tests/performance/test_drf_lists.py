"""DJR120 on DRF lists: property reads, filtered managers, a viewset's own list()."""

from __future__ import annotations

from helpers import make_repo, run_tree, write_tree

_MODELS = """from django.db import models


class Locale(models.Model):
    code = models.CharField(max_length=10)


class Term(models.Model):
    text = models.CharField(max_length=100)
    owner = models.ForeignKey("auth.User", on_delete=models.CASCADE)

    @property
    def owner_name(self):
        return self.owner.username


class Translation(models.Model):
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="translations")
    locale = models.ForeignKey(Locale, on_delete=models.CASCADE)
    text = models.CharField(max_length=100)
"""

_API = """from django.db.models import Prefetch
from rest_framework import generics, serializers, viewsets
from rest_framework.response import Response

from .models import Term, Translation


class TermSerializer(serializers.ModelSerializer):
    translation = serializers.SerializerMethodField()

    class Meta:
        model = Term
        fields = ["text", "translation"]

    def get_translation(self, obj):
        found = obj.translations.filter(locale__code="fr").first()
        return found.text if found else None


class TermList(generics.ListAPIView):
    serializer_class = TermSerializer
    queryset = Term.objects.prefetch_related("translations__locale")


class PrefetchedTermSerializer(serializers.ModelSerializer):
    translation = serializers.SerializerMethodField()

    class Meta:
        model = Term
        fields = ["text", "translation"]

    def get_translation(self, obj):
        return obj.french[0].text if obj.french else None


class PrefetchedTermList(generics.ListAPIView):
    serializer_class = PrefetchedTermSerializer
    queryset = Term.objects.prefetch_related(
        Prefetch(
            "translations",
            queryset=Translation.objects.filter(locale__code="fr"),
            to_attr="french",
        )
    )


class OwnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Term
        fields = ["text", "owner_name"]


class OwnerList(generics.ListAPIView):
    serializer_class = OwnerSerializer
    queryset = Term.objects.all()


class LocalOwnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Term
        fields = ["text", "owner_name"]


class LocalRowsViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LocalOwnerSerializer
    queryset = Term.objects.all()

    def list(self, request):
        queryset = Term.objects.select_related("owner")
        return Response(self.get_serializer(queryset, many=True).data)


class NarrowedOwnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Term
        fields = ["text", "owner_name"]


class NarrowedRowsViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = NarrowedOwnerSerializer
    queryset = Term.objects.all()

    def list(self, request):
        queryset = self.get_queryset().select_related("owner")
        return Response(self.get_serializer(queryset, many=True).data)


class BareOwnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Term
        fields = ["text", "owner_name"]


class BareRowsViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BareOwnerSerializer
    queryset = Term.objects.select_related("owner")

    def list(self, request):
        queryset = Term.objects.order_by("text")
        return Response(self.get_serializer(queryset, many=True).data)
"""


def _line_of(code):
    """The 1-based line of `code` in the sample's api.py."""
    return next(n for n, line in enumerate(_API.splitlines(), 1) if code in line)


def _findings(tmp_path):
    root = make_repo(tmp_path / "project")
    write_tree(
        root,
        {"glossary/__init__.py": "", "glossary/models.py": _MODELS, "glossary/api.py": _API},
    )
    return [f for f in run_tree(root, select=("DJR120",)).findings if f.rule_id == "DJR120"]


def _listed_by(findings, name):
    """The findings of the list views (or list methods) of view `name`."""
    return [f for f in findings if f"listed by {name}" in f.message]


def test_a_filtered_manager_bypasses_the_prefetch_and_is_reported(tmp_path):
    (finding,) = _listed_by(_findings(tmp_path), "TermList")
    origin = _line_of('queryset = Term.objects.prefetch_related("translations__locale")')
    assert finding.message.startswith(
        "obj.translations.filter() runs a new query once per object listed by TermList, "
        "bypassing the queryset's prefetch_related; "
        'add Prefetch("translations", queryset=..., to_attr=...) '
        f"to the queryset at api.py:{origin}"
    )
    assert "prefetch_related(" not in finding.message.split("; add ")[1]
    # A Prefetch's queryset is the project's to write: no mechanical fix.
    assert finding.fix is None


def test_rows_prefetched_filtered_to_an_attribute_are_silent(tmp_path):
    assert not _listed_by(_findings(tmp_path), "PrefetchedTermList")


def test_a_property_read_names_the_line_in_the_property_that_queries(tmp_path):
    (finding,) = _listed_by(_findings(tmp_path), "OwnerList")
    queries = [r.location for r in finding.related if r.message == "the line that queries"]
    assert [(loc.path, loc.start_line) for loc in queries] == [("glossary/models.py", 14)]


def test_own_list_serializes_its_local_rows_not_the_views_queryset(tmp_path):
    findings = _findings(tmp_path)
    # `queryset = ...` in list() is a local name, not the view's attribute.
    assert not _listed_by(findings, "LocalRowsViewSet")
    # list() narrows get_queryset() with the join before serializing it.
    assert not _listed_by(findings, "NarrowedRowsViewSet")
    # The view's queryset joins the owner; the rows list() serializes do not.
    (bare,) = _listed_by(findings, "BareRowsViewSet")
    local = _line_of('queryset = Term.objects.order_by("text")')
    assert bare.message.endswith(f'add select_related("owner") to the queryset at api.py:{local}')
