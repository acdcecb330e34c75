"""A reverse-relation term on a status or flag keeps the query judged.

`Job.objects.filter(repository=r, job_log__status__in=[1, 3])`: the job
logs' status, a column of few values, only checks the rows the job's own
columns find, so the query's needs are judged on those columns. An
identifier or a key of the related rows (`logs__author=u`) may be where the
join starts: the query stays unjudged.
"""

from __future__ import annotations

from pathlib import Path

from helpers import make_repo, run_tree, write_tree

MODELS = """from django.db import models


class Job(models.Model):
    guid = models.CharField(max_length=50)
    machine = models.CharField(max_length=50)


class JobLog(models.Model):
    job = models.ForeignKey(Job, related_name="job_logs", on_delete=models.CASCADE)
    status = models.IntegerField(choices=[(0, "pending"), (1, "parsed"), (2, "failed")])
    author = models.ForeignKey("auth.User", null=True, on_delete=models.SET_NULL)
"""
WRITES = """from .models import Job, JobLog


def ingest(request):
    job = Job.objects.create(guid=request.guid, machine=request.machine)
    JobLog.objects.create(job=job, status=0, author=request.user)
"""


FILES = {
    "ci/__init__.py": "",
    "ci/models.py": MODELS,
    "ci/writes.py": WRITES,
    "ci/migrations/__init__.py": "",
}


def _messages(tmp_path: Path, views: str) -> list[str]:
    tree = write_tree(make_repo(tmp_path / "p"), {**FILES, "ci/views.py": views})
    return [f.message for f in run_tree(tree, select=("DJR201",)).findings]


def test_a_status_of_the_joined_rows_keeps_the_query_judged(tmp_path: Path) -> None:
    views = """from .models import Job


def parsed(request, machine):
    return list(Job.objects.filter(machine=machine, job_logs__status__in=[1, 2]))
"""
    messages = _messages(tmp_path, views)
    assert any(m.startswith("Job.machine ") for m in messages), messages


def test_a_key_of_the_joined_rows_keeps_the_query_unjudged(tmp_path: Path) -> None:
    views = """from .models import Job


def mine(request, machine):
    return list(Job.objects.filter(machine=machine, job_logs__author=request.user))
"""
    assert not any(m.startswith("Job.machine ") for m in _messages(tmp_path, views))
