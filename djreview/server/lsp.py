"""The stdio language server: pygls and lsprotocol live here and nowhere else.

On open and change, the per-file rules run on the buffer's text and their
diagnostics go out at once; the whole-project checks run after a debounce
(`debounce` seconds, or only on save with `projectRun: "save"`), both set in
the client's initializationOptions. Findings carry their rule's docs as a
code description link and their loop, queryset, template or view as related
information; fixes and ignore comments come back as code actions.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from djreview import __version__
from djreview.config import resolve_config
from djreview.model import Applicability, Edit, Finding, Location, Severity
from djreview.report.sarif import HELP_URI
from djreview.server.actions import fix_all, ignore_fix
from djreview.server.session import Session
from djreview.source.discover import TEMPLATE_SUFFIXES
from djreview.source.project import Project

log = logging.getLogger("djreview")
FIX_ALL = types.CodeActionKind.SourceFixAll.value + ".djreview"
_SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.NOTE: types.DiagnosticSeverity.Information,
}


@dataclass(frozen=True)
class ServerSettings:
    """How eagerly the whole-project checks run (initializationOptions)."""

    debounce: float = 0.5
    on_save_only: bool = False

    @classmethod
    def parse(cls, options: Any, default: ServerSettings) -> ServerSettings:
        """The settings a client sent, over `default`; unknown or ill-typed values ignored."""
        if not isinstance(options, dict):
            return default
        debounce = options.get("debounce", default.debounce)
        mode = options.get("projectRun", "save" if default.on_save_only else "change")
        return cls(
            float(debounce) if isinstance(debounce, int | float) else default.debounce,
            mode == "save",
        )


class DjreviewServer(LanguageServer):
    """pygls' server with one djreview session and a pending whole-project run."""

    def __init__(self, settings: ServerSettings) -> None:
        super().__init__("djreview", __version__)
        self.settings = settings
        self.session: Session | None = None
        self.pending: asyncio.TimerHandle | None = None
        self.running: asyncio.Future[None] | None = None
        self.rerun = False

    def start_session(self, root: Path) -> None:
        """Read the project under `root` with its [tool.djreview] config."""
        self.session = Session(root, resolve_config(None, root))

    def rel_of(self, uri: str) -> str | None:
        """The project path of a document, or None outside the project."""
        path = to_fs_path(uri)
        if self.session is None or path is None:
            return None
        return self.session.rel(Path(path))

    def uri_of(self, rel: str) -> str:
        """The URI of a project path."""
        assert self.session is not None
        return from_fs_path(str(self.session.root / rel)) or ""

    def publish(self, rels: set[str]) -> None:
        """Send the current diagnostics of each path in `rels`."""
        assert self.session is not None
        for rel in sorted(rels):
            diagnostics = [
                self.diagnostic(f) for f in self.session.findings(rel) if not f.suppressed
            ]
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=self.uri_of(rel), diagnostics=diagnostics)
            )

    def schedule_project_run(self, delay: float) -> None:
        """Run the whole-project checks `delay` seconds from now, replacing a pending run."""
        if self.pending is not None:
            self.pending.cancel()
        self.pending = asyncio.get_running_loop().call_later(delay, self.run_project)

    def run_project(self) -> None:
        """Start the whole-project checks over the current texts, one run at a time.

        The run works in a thread on a snapshot of the texts, so the per-file
        diagnostics of later edits keep coming; an edit during a run asks for
        one more run after it.
        """
        self.pending = None
        if self.session is None:
            return
        if self.running is not None:
            self.rerun = True
            return
        self.running = asyncio.ensure_future(self._run_project(self.session.project()))

    async def _run_project(self, project: Project) -> None:
        assert self.session is not None
        try:
            self.publish(await asyncio.to_thread(self.session.check_project, project))
        finally:
            self.running = None
            if self.rerun:
                self.rerun = False
                self.run_project()

    def range_of(self, location: Location) -> types.Range:
        """An LSP range (0-based, UTF-16 columns) of a djreview location."""
        return types.Range(
            self.position(location.path, location.start_line, location.start_column),
            self.position(location.path, location.end_line, location.end_column),
        )

    def position(self, rel: str, line: int, column: int) -> types.Position:
        """An LSP position of a 1-based line and code-point column."""
        assert self.session is not None
        file = self.session.files.get(rel)
        text = file.line_text(line)[: max(column - 1, 0)] if file is not None else ""
        return types.Position(max(line - 1, 0), len(text.encode("utf-16-le")) // 2)

    def diagnostic(self, finding: Finding) -> types.Diagnostic:
        """The diagnostic of one finding."""
        related = [
            types.DiagnosticRelatedInformation(
                types.Location(self.uri_of(item.location.path), self.range_of(item.location)),
                item.message,
            )
            for item in finding.related
        ]
        return types.Diagnostic(
            range=self.range_of(finding.location),
            message=finding.message,
            severity=_SEVERITIES[finding.severity],
            code=finding.rule_id,
            code_description=types.CodeDescription(HELP_URI.format(id=finding.rule_id)),
            source="djreview",
            related_information=related or None,
            data={"fingerprint": finding.fingerprint},
        )

    def hover(self, rel: str, position: types.Position) -> types.Hover | None:
        """The docs of each rule with a diagnostic under `position`, as Markdown."""
        assert self.session is not None
        parts: dict[str, str] = {}
        where: types.Range | None = None
        for finding in self.session.findings(rel):
            span = self.range_of(finding.location)
            if finding.suppressed or not _contains(span, position):
                continue
            where = where or span
            meta = self.session.rules.get(finding.rule_id)
            if meta is not None and meta.id not in parts:
                link = HELP_URI.format(id=meta.id)
                parts[meta.id] = (
                    f"**{meta.id}** `{meta.name}`\n\n{meta.docs.strip()}\n\n[{link}]({link})"
                )
        if not parts:
            return None
        markdown = "\n\n---\n\n".join(parts.values())
        return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, markdown), where)

    def files_changed(self, changes: Sequence[types.FileEvent]) -> None:
        """Files created, changed or deleted on disk, outside the editor: read them again.

        A file open in the editor keeps its buffer's text (the editor owns it);
        the next save or close brings the disk back in.
        """
        assert self.session is not None
        touched: set[str] = set()
        for event in changes:
            rel = self.rel_of(event.uri)
            if rel is None or event.uri in self.workspace.text_documents:
                continue
            if event.type == types.FileChangeType.Deleted:
                if self.session.remove(rel):
                    touched.add(rel)
            elif self.session.reload(rel):
                self.session.check_file(rel)
                touched.add(rel)
        if touched:
            self.publish(touched)
            self.schedule_project_run(self.settings.debounce)

    def workspace_edit(self, edits: list[Edit] | tuple[Edit, ...]) -> types.WorkspaceEdit:
        """The workspace edit of djreview edits (which may span files)."""
        changes: dict[str, list[types.TextEdit]] = {}
        for edit in edits:
            changes.setdefault(self.uri_of(edit.location.path), []).append(
                types.TextEdit(self.range_of(edit.location), edit.replacement)
            )
        return types.WorkspaceEdit(changes=changes)

    def code_actions(self, rel: str, params: types.CodeActionParams) -> list[types.CodeAction]:
        """Fixes and ignore comments for the findings in the range; "fix all" when asked."""
        assert self.session is not None
        findings = [f for f in self.session.findings(rel) if not f.suppressed]
        only = params.context.only
        wanted = {kind.value if hasattr(kind, "value") else str(kind) for kind in only or ()}
        actions: list[types.CodeAction] = []
        if not wanted or wanted & {"quickfix"}:
            actions += self._quick_fixes(rel, findings, params.range)
        if not wanted or any(FIX_ALL.startswith(kind) for kind in wanted):
            edits = fix_all(findings)
            if edits:
                actions.append(
                    types.CodeAction(
                        "djreview: fix all safe fixes",
                        kind=FIX_ALL,
                        edit=self.workspace_edit(edits),
                    )
                )
        return actions

    def _quick_fixes(
        self, rel: str, findings: list[Finding], wanted: types.Range
    ) -> list[types.CodeAction]:
        assert self.session is not None
        file = self.session.files[rel]
        actions = []
        for finding in findings:
            where = self.range_of(finding.location)
            if where.end.line < wanted.start.line or where.start.line > wanted.end.line:
                continue
            diagnostic = self.diagnostic(finding)
            fixes = [finding.fix] if finding.fix is not None else []
            for fix in [*fixes, ignore_fix(finding, file)]:
                title = fix.description
                if fix.applicability is not Applicability.SAFE and fix in fixes:
                    title += f" ({fix.applicability.value})"
                actions.append(
                    types.CodeAction(
                        title,
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic],
                        edit=self.workspace_edit(fix.edits),
                        is_preferred=fix in fixes and fix.applicability is Applicability.SAFE,
                    )
                )
        return actions


def _contains(span: types.Range, position: types.Position) -> bool:
    start, end = span.start, span.end
    after_start = (position.line, position.character) >= (start.line, start.character)
    return after_start and (position.line, position.character) <= (end.line, end.character)


# What the server asks a client to watch on disk (the files a session reads).
WATCHED = ("**/*.py", *(f"**/*{suffix}" for suffix in sorted(TEMPLATE_SUFFIXES)))


def build_server(settings: ServerSettings) -> DjreviewServer:
    """A server with every handler registered."""
    server = DjreviewServer(settings)

    @server.feature(types.INITIALIZE)
    def initialize(ls: DjreviewServer, params: types.InitializeParams) -> None:
        ls.settings = ServerSettings.parse(params.initialization_options, ls.settings)
        folders = params.workspace_folders or []
        uri = folders[0].uri if folders else params.root_uri
        root = to_fs_path(uri) if uri else None
        ls.start_session(Path(root) if root else Path.cwd())

    def changed(ls: DjreviewServer, uri: str, run_project: bool) -> None:
        rel = ls.rel_of(uri)
        if ls.session is None or rel is None:
            return
        ls.session.update(rel, ls.workspace.get_text_document(uri).source)
        ls.session.check_file(rel)
        ls.publish({rel})
        if run_project:
            ls.schedule_project_run(ls.settings.debounce)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: DjreviewServer, params: types.InitializedParams) -> None:
        # Watching needs the client's consent (dynamic registration); without it
        # the client may still send didChangeWatchedFiles, which is handled below.
        workspace = ls.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace is not None else None
        if watched is None or not watched.dynamic_registration:
            return
        options = types.DidChangeWatchedFilesRegistrationOptions(
            [types.FileSystemWatcher(glob_pattern=pattern) for pattern in WATCHED]
        )
        await ls.client_register_capability_async(
            types.RegistrationParams(
                [
                    types.Registration(
                        "djreview-watched-files", types.WORKSPACE_DID_CHANGE_WATCHED_FILES, options
                    )
                ]
            )
        )

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(
        ls: DjreviewServer, params: types.DidChangeWatchedFilesParams
    ) -> None:
        if ls.session is not None:
            ls.files_changed(params.changes)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: DjreviewServer, params: types.HoverParams) -> types.Hover | None:
        rel = ls.rel_of(params.text_document.uri)
        if ls.session is None or rel is None:
            return None
        return ls.hover(rel, params.position)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: DjreviewServer, params: types.DidOpenTextDocumentParams) -> None:
        # The first open runs the project checks whatever the mode: there are none yet.
        first = ls.session is not None and not ls.session.project_findings
        first = first and ls.pending is None and ls.running is None
        changed(ls, params.text_document.uri, first or not ls.settings.on_save_only)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: DjreviewServer, params: types.DidChangeTextDocumentParams) -> None:
        changed(ls, params.text_document.uri, not ls.settings.on_save_only)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: DjreviewServer, params: types.DidCloseTextDocumentParams) -> None:
        # A buffer closed without saving: the file on disk is the project's text again.
        rel = ls.rel_of(params.text_document.uri)
        if ls.session is not None and rel is not None and ls.session.reload(rel):
            ls.session.check_file(rel)
            ls.publish({rel})
            ls.schedule_project_run(ls.settings.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: DjreviewServer, params: types.DidSaveTextDocumentParams) -> None:
        if ls.session is not None:
            ls.schedule_project_run(0.0 if ls.settings.on_save_only else ls.settings.debounce)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL]),
    )
    def code_action(ls: DjreviewServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        rel = ls.rel_of(params.text_document.uri)
        return ls.code_actions(rel, params) if rel is not None else []

    return server


def serve(settings: ServerSettings) -> None:
    """Serve one client over stdin/stdout until it exits."""
    build_server(settings).start_io()
