"""Save receivers: which models a bulk write would silently skip signals for."""

from __future__ import annotations

from pathlib import Path

from helpers import make_repo, write_tree

from djreview.config import Config
from djreview.engine.runner import load_project
from djreview.project.project_model import ProjectModel

MODELS = """\
from django.db import models


class Locale(models.Model):
    code = models.CharField(max_length=20)


class Attachment(models.Model):
    size = models.IntegerField()


class Token(models.Model):
    key = models.CharField(max_length=40)


class Draft(models.Model):
    text = models.TextField()
"""

SIGNALS = """\
from django.db.models import signals as model_signals
from django.db.models.signals import post_save
from django.dispatch import receiver as on

from app.models import Attachment, Draft, Locale, Token


@on(model_signals.pre_save, sender=Locale)
def keep_permissions(sender, instance, **kwargs):
    instance.code = instance.code.lower()


@on(post_save, sender=Attachment)
def count_storage(instance, created, raw=False, **kwargs):
    \"\"\"Counts a new file once.\"\"\"
    from app.counters import add

    if raw:
        return
    if not created:
        return
    add(instance.size)


def issue_token(sender, instance, created, **kwargs):
    if created:
        print(instance.key)
    print("every save")


post_save.connect(issue_token, sender=Token)


@on(post_save)
def audit_everything(sender, instance, **kwargs):
    # No sender: names no model.
    print(instance)
"""


TEST_RECEIVER = """\
from django.db.models.signals import post_save
from django.dispatch import receiver

from app.models import Draft


@receiver(post_save, sender=Draft)
def record_draft(sender, instance, **kwargs):
    print(instance)
"""


def test_receivers_are_read_by_qualified_name_and_kind(tmp_path: Path) -> None:
    root = write_tree(
        make_repo(tmp_path / "site"),
        {
            "app/__init__.py": "",
            "app/models.py": MODELS,
            "app/signals.py": SIGNALS,
            "app/tests/__init__.py": "",
            "app/tests/test_drafts.py": TEST_RECEIVER,
        },
    )
    receivers = load_project([root], Config()).analysis(ProjectModel).save_receivers
    # pre_save via an aliased module and an aliased `receiver`: every save.
    assert receivers.on_update("app.Locale") and receivers.on_create("app.Locale")
    # `if not created: return` after other guards and a local import: created rows only.
    assert receivers.on_create("app.Attachment") and not receivers.on_update("app.Attachment")
    # `.connect()` handlers are not read: taken to act on every save.
    assert receivers.on_update("app.Token")
    # A receiver without a sender names no model; nor does one a test connects.
    assert not receivers.on_create("app.Draft")
