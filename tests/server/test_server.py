"""`djreview server` over stdio, driven by a real LSP client (pytest-lsp)."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

FIXTURE = Path(__file__).parents[2] / "fixtures" / "blog"
FEED = "blog/templates/blog/post_feed.html"
VIEWS = "blog/views.py"


@pytest.fixture(scope="module")
def blog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("lsp") / "blog"
    shutil.copytree(FIXTURE, root)
    # The default rules, and DJR502 (audit-level) for the template quick actions below:
    # the session reads the project's own [tool.djreview] selection.
    (root / "pyproject.toml").write_text(
        '[tool.djreview]\nselect = ["performance", "models", "security", "DJR502"]\n',
        encoding="utf-8",
    )
    return root


SERVER = ClientServerConfig(
    server_command=[sys.executable, "-m", "djreview", "server", "--debounce", "0.05"]
)


async def initialize(client: LanguageClient, root: Path) -> None:
    """Start the session on `root` as an editor opening that folder would."""
    await client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(root.as_uri(), root.name)],
        )
    )


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, blog: Path):
    await initialize(lsp_client, blog)
    yield
    await lsp_client.shutdown_session()


def open_file(client: LanguageClient, root: Path, rel: str) -> str:
    path = root / rel
    uri = path.as_uri()
    language = "python" if rel.endswith(".py") else "django-html"
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri, language, 1, path.read_text(encoding="utf-8"))
        )
    )
    return uri


def change(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def diagnostics_until(client: LanguageClient, uri: str, done, timeout: float = 60.0):
    """The document's diagnostics once `done(diagnostics)` holds (or fail after `timeout`)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        found = client.diagnostics.get(uri, [])
        if done(found):
            return found
        await asyncio.sleep(0.05)
    pytest.fail(f"no matching diagnostics for {uri}: {client.diagnostics.get(uri)}")


def at(diagnostics, code: str, line: int):
    return [d for d in diagnostics if d.code == code and d.range.start.line == line]


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP text edits (ASCII text: UTF-16 columns are code points) bottom up."""
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character))[::-1]:
        start = offsets[edit.range.start.line] + edit.range.start.character
        end = offsets[edit.range.end.line] + edit.range.end.character
        text = text[:start] + edit.new_text + text[end:]
    return text


@pytest.mark.asyncio
async def test_open_publishes_file_and_project_diagnostics(client: LanguageClient, blog: Path):
    uri = open_file(client, blog, "blog/templates/blog/post_list.html")
    # Line 9 (0-based 8): the planted post.author read, a whole-project (N+1) finding.
    found = await diagnostics_until(client, uri, lambda d: at(d, "DJR110", 8))
    diagnostic = at(found, "DJR110", 8)[0]
    assert diagnostic.code_description.href.endswith("/docs/rules/DJR110.md")
    assert diagnostic.severity == types.DiagnosticSeverity.Warning
    assert any(r.location.uri.endswith(VIEWS) for r in diagnostic.related_information or [])
    # The twin page selects the author: nothing at its line 9.
    feed = open_file(client, blog, FEED)
    await diagnostics_until(client, feed, lambda d: uri in client.diagnostics)
    await asyncio.sleep(0.5)
    assert not at(client.diagnostics.get(feed, []), "DJR110", 8)


@pytest.mark.asyncio
async def test_template_edit_creates_n_plus_one_and_fix_removes_it(
    client: LanguageClient, blog: Path
):
    feed = open_file(client, blog, FEED)
    views = open_file(client, blog, VIEWS)
    text = (blog / FEED).read_text(encoding="utf-8")
    edited = text.replace("{{ post.num_comments }}", "{{ post.comments.count }}")
    assert edited != text
    change(client, feed, 2, edited)
    found = await diagnostics_until(client, feed, lambda d: at(d, "DJR110", 12))
    diagnostic = at(found, "DJR110", 12)[0]
    related = diagnostic.related_information or []
    assert any(r.location.uri == views for r in related), related

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            types.TextDocumentIdentifier(feed),
            diagnostic.range,
            types.CodeActionContext(diagnostics=[diagnostic], only=[types.CodeActionKind.QuickFix]),
        )
    )
    fix = next(a for a in actions or [] if "prefetch_related" in a.title)
    view_edits = fix.edit.changes[views]
    view_text = apply((blog / VIEWS).read_text(encoding="utf-8"), view_edits)
    assert any('"comments"' in edit.new_text for edit in view_edits), view_edits
    change(client, views, 2, view_text)
    await diagnostics_until(client, feed, lambda d: not at(d, "DJR110", 12))


@pytest.mark.asyncio
async def test_ignore_quick_action_silences_a_finding(client: LanguageClient, blog: Path):
    rel = "blog/templates/blog/post_detail.html"
    uri = open_file(client, blog, rel)
    found = await diagnostics_until(client, uri, lambda d: any(x.code == "DJR502" for x in d))
    diagnostic = next(d for d in found if d.code == "DJR502")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            types.TextDocumentIdentifier(uri),
            diagnostic.range,
            types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    ignore = next(a for a in actions or [] if a.title.startswith("Ignore DJR502"))
    text = apply((blog / rel).read_text(encoding="utf-8"), ignore.edit.changes[uri])
    assert "{# djreview: ignore[DJR502] #}" in text
    change(client, uri, 2, text)
    await diagnostics_until(client, uri, lambda d: not any(x.code == "DJR502" for x in d))


@pytest.mark.asyncio
async def test_fix_all_offers_only_safe_fixes(client: LanguageClient, blog: Path):
    uri = open_file(client, blog, "blog/templates/blog/post_list.html")
    found = await diagnostics_until(client, uri, lambda d: at(d, "DJR110", 8))
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            types.TextDocumentIdentifier(uri),
            found[0].range,
            types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]),
        )
    )
    assert actions, "fix all offered no action for the planted, safely fixable N+1s"
    assert all(a.kind.startswith("source.fixAll") for a in actions)


@pytest.mark.asyncio
async def test_closing_an_unsaved_buffer_restores_the_file_on_disk(
    client: LanguageClient, blog: Path
):
    rel = "blog/templates/blog/post_detail.html"
    uri = open_file(client, blog, rel)
    text = (blog / rel).read_text(encoding="utf-8")
    await diagnostics_until(client, uri, lambda d: any(x.code == "DJR502" for x in d))
    change(client, uri, 2, text.replace("{% autoescape off %}", "{% autoescape on %}"))
    await diagnostics_until(client, uri, lambda d: not any(x.code == "DJR502" for x in d))
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri))
    )
    await diagnostics_until(client, uri, lambda d: any(x.code == "DJR502" for x in d))
