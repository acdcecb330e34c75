"""Hover and files changed on disk, over stdio with a real LSP client (pytest-lsp).

Its own copy of the fixture: these tests write to disk, as a `git checkout`
or a formatter run outside the editor would.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient

from djreview.engine.registry import load_registry
from tests.server.test_server import (
    FEED,
    FIXTURE,
    SERVER,
    at,
    diagnostics_until,
    initialize,
    open_file,
)

LISTING = "blog/templates/blog/post_list.html"


@pytest.fixture
def disk(tmp_path: Path) -> Path:
    root = tmp_path / "blog"
    shutil.copytree(FIXTURE, root)
    return root


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient, disk: Path):
    await initialize(lsp_client, disk)
    yield
    await lsp_client.shutdown_session()


def changed_on_disk(client: LanguageClient, path: Path, kind: types.FileChangeType) -> None:
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams([types.FileEvent(path.as_uri(), kind)])
    )


@pytest.mark.asyncio
async def test_hover_shows_the_docs_of_the_rule_under_the_cursor(
    client: LanguageClient, disk: Path
):
    uri = open_file(client, disk, LISTING)
    found = await diagnostics_until(client, uri, lambda d: at(d, "DJR110", 8))
    diagnostic = at(found, "DJR110", 8)[0]
    inside = types.Position(diagnostic.range.start.line, diagnostic.range.start.character + 1)
    hover = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), inside)
    )
    assert hover is not None
    assert hover.range == diagnostic.range
    meta = load_registry().metas["DJR110"]
    assert f"**DJR110** `{meta.name}`" in hover.contents.value
    assert meta.summary in hover.contents.value
    assert hover.contents.value.rstrip().endswith("/docs/rules/DJR110.md)")
    # Line 1 (the extends tag) has no finding: no hover.
    nothing = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(0, 1))
    )
    assert nothing is None


@pytest.mark.asyncio
async def test_a_file_changed_on_disk_is_read_again(client: LanguageClient, disk: Path):
    # Neither template is open in the editor: what counts is the disk.
    open_file(client, disk, "blog/views.py")  # starts the first whole-project run
    feed = disk / FEED
    listing = disk / LISTING
    await diagnostics_until(client, listing.as_uri(), lambda d: at(d, "DJR110", 8))
    assert not at(client.diagnostics.get(feed.as_uri(), []), "DJR110", 12)

    # A template edited outside the editor: the N+1 it makes comes from the whole project.
    text = feed.read_text(encoding="utf-8")
    feed.write_text(text.replace("{{ post.num_comments }}", "{{ post.comments.count }}"))
    changed_on_disk(client, feed, types.FileChangeType.Changed)
    await diagnostics_until(client, feed.as_uri(), lambda d: at(d, "DJR110", 12))

    # A file deleted on disk: its diagnostics go.
    listing.unlink()
    changed_on_disk(client, listing, types.FileChangeType.Deleted)
    await diagnostics_until(client, listing.as_uri(), lambda d: not d)
