"""The analysed project as the rules see it: its files, root, settings and project model."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from djreview.config import Config
from djreview.model import Notification
from djreview.source.file import SourceFile

if TYPE_CHECKING:
    from djreview.project.project_model import ProjectModel


@dataclass
class Project:
    """Every readable file of one run, shared by all rules; built once per run."""

    root: Path
    files: list[SourceFile]
    config: Config = field(default_factory=Config)
    notifications: list[Notification] = field(default_factory=list)

    @cached_property
    def by_rel(self) -> dict[str, SourceFile]:
        """Files by project-relative POSIX path."""
        return {file.rel: file for file in self.files}

    @property
    def python_files(self) -> list[SourceFile]:
        """The Python modules, in path order."""
        return [file for file in self.files if file.kind == "python"]

    @cached_property
    def model(self) -> ProjectModel:
        """The static model of the Django project (models, views, templates...)."""
        from djreview.project.project_model import build_model

        return build_model(self)
