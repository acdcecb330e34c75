"""DJR324: MD5 or SHA-1 used where the code says the hash protects something."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from djreview.checks.security._resolved import (
    ModuleCheck,
    ResolvedCall,
    argument,
    is_false,
    keyword,
    resolved_calls,
)
from djreview.model import Finding, Severity
from djreview.source.file import SourceFile
from djreview.source.project import Project
from djreview.taint.names import imported_names, qualified_callee
from djreview.taint.sources import call_name

_WEAK = frozenset({"md4", "md5", "sha1", "sha"})
_CONSTRUCTORS = {
    "hashlib.md5": "md5",
    "hashlib.sha1": "sha1",
    # PyCryptodome (and the old PyCrypto package name).
    **{f"{package}.Hash.MD5.new": "md5" for package in ("Crypto", "Cryptodome")},
    **{f"{package}.Hash.SHA1.new": "sha1" for package in ("Crypto", "Cryptodome")},
    **{f"{package}.Hash.SHA.new": "sha1" for package in ("Crypto", "Cryptodome")},
}
# Identifier words saying the digest guards something (split on `_` and case).
# Not "signature": a "performance signature" or "test signature" is an id.
_SECURITY_WORDS = frozenset(
    {
        "password",
        "passwd",
        "pwd",
        "secret",
        "token",
        "otp",
        "nonce",
        "credential",
        "credentials",
        "apikey",
        "salt",
    }
)
# Words saying it does not: cache keys, ETags, Gravatar (whatever is hashed).
_BENIGN_WORDS = frozenset({"cache", "etag", "gravatar", "avatar"})
# Words saying so unless the hashed value itself is a secret (a password's checksum is not).
_ID_WORDS = frozenset({"checksum", "fingerprint", "filename", "dedup"})
# Calls whose value is fresh on every run: a digest over one is a new id, not a MAC of data
# that a client could send back (resolved through the imports).
_FRESH = frozenset(
    {
        "os.urandom",
        "uuid.uuid1",
        "uuid.uuid4",
        "time.time",
        "time.time_ns",
        "time.monotonic",
        "time.perf_counter",
        "datetime.datetime.now",
        "datetime.datetime.utcnow",
        "django.utils.timezone.now",
    }
)
_FRESH_MODULES = ("random.", "secrets.")
_WORD_RE = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


class WeakHashForSecurity(ModuleCheck):
    """MD5 or SHA-1 hashes a password, token or secret.

    ## What it does
    Flags `hashlib.md5()`, `hashlib.sha1()`, `hashlib.new("md5" | "sha1")`
    and PyCryptodome's `MD5.new()` / `SHA1.new()` (resolved through the
    imports) when the code around them says the digest protects something:
    the hashed value (also fed through `.update()`), the variable the digest
    is stored in, or the function that computes it is named for a password,
    secret (`SECRET_KEY` too), token, API key, salt, nonce or OTP.

    It deliberately does not report `usedforsecurity=False` (the caller says
    it is not a security use), nor hashes whose variable or function names a
    cache key, ETag or Gravatar/avatar URL, nor a checksum or fingerprint
    of a value that is not itself named a secret, nor any
    other MD5/SHA-1 use (most are cache keys and file checksums, where a
    collision costs nothing; a "signature" without a secret is usually an
    id, as treeherder's performance signatures), nor `hmac` with SHA-1
    (HMAC does not rely on collision resistance), nor tests and migrations.

    Nor does it report a hash over a fresh random or time value
    (`random.*`, `secrets.*`, `os.urandom()`, `uuid4()`, `time.time()`...)
    in a function that compares nothing: the digest is a new identifier
    (Django's old session-key recipe), not a MAC a client could forge, and
    MD5's collisions give nothing there. `md5(data + SECRET_KEY)` with no
    fresh input, or a digest the function compares, stays reported.

    ## Why is this bad?
    Collisions for MD5 and SHA-1 are cheap to compute, and both are fast to
    brute-force: a token or signature built on them can be forged, a
    password hashed with them is cracked in seconds.

    ## Example
    ```python
    def reset_token(user):
        return hashlib.md5(f"{user.pk}{user.password}".encode()).hexdigest()
    ```

    ## Use instead
    ```python
    def reset_token(user):
        return default_token_generator.make_token(user)
    ```

    ## References
    - https://docs.python.org/3/library/hashlib.html#hashlib.new
    - https://cwe.mitre.org/data/definitions/328.html
    """

    id = "DJR324"
    name = "weak-hash-for-security"
    message = (
        "{algorithm} of {what}: MD5 and SHA-1 are broken for security uses; use SHA-256, "
        "hmac or a password hasher (or usedforsecurity=False if it guards nothing)"
    )
    severity = Severity.NOTE
    cwe = (328,)
    security_severity = 5.3
    precision = "medium"
    tags = ("crypto",)
    hints = ("md5", "sha1", "hashlib", "MD5", "SHA")

    def module_findings(
        self, file: SourceFile, project: Project, tree: ast.Module
    ) -> Iterator[Finding]:
        """Findings in one module."""
        targets = _assignment_targets(tree)
        names = imported_names(tree)
        for resolved in resolved_calls(tree, names):
            algorithm = _algorithm(resolved.call, resolved.name)
            if not algorithm or is_false(keyword(resolved.call, "usedforsecurity")):
                continue
            stored = targets.get(id(resolved.call), [])
            what = _security_use(resolved, stored)
            if what and not _fresh_id(resolved, stored, names):
                yield self.finding((file, resolved.call), algorithm=algorithm.upper(), what=what)


def _algorithm(call: ast.Call, name: str) -> str:
    if name in _CONSTRUCTORS:
        return _CONSTRUCTORS[name]
    if name == "hashlib.new":
        first = argument(call, 0, "name")
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            algorithm = first.value.lower().replace("-", "")
            return algorithm if algorithm in _WEAK else ""
    return ""


def _assignment_targets(tree: ast.AST) -> dict[int, list[str]]:
    """For each call inside an assignment's value, the names it is assigned to."""
    found: dict[int, list[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [_name_of(t) for t in targets]
            for inner in ast.walk(node.value):
                if isinstance(inner, ast.Call):
                    found.setdefault(id(inner), []).extend(n for n in names if n)
    return found


def _name_of(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        return str(node.slice.value)
    return ""


def _words(identifier: str) -> set[str]:
    """`api_key` -> {api, key, apikey}: its words, and the name without separators."""
    return {word.lower() for word in _WORD_RE.findall(identifier)} | {
        identifier.replace("_", "").lower()
    }


def _security_use(resolved: ResolvedCall, targets: list[str]) -> str:
    """What names the security use ("`password`"), or '' if none or a benign name."""
    function = getattr(resolved.scope, "name", "")
    labels = [*targets, function] if function else list(targets)
    if any(_words(label) & _BENIGN_WORDS for label in labels):
        return ""
    for value in _hashed(resolved, targets):
        for node in ast.walk(value):
            identifier = node.id if isinstance(node, ast.Name) else getattr(node, "attr", "")
            if isinstance(identifier, str) and _words(identifier) & _SECURITY_WORDS:
                return f"`{identifier}`"
    if any(_words(label) & _ID_WORDS for label in labels):
        return ""
    for label in labels:
        if _words(label) & _SECURITY_WORDS:
            return f"a value stored as `{label}`" if label != function else f"`{label}()`'s value"
    return ""


def _hashed(resolved: ResolvedCall, targets: list[str]) -> list[ast.expr]:
    """The values fed to the hash: its data argument and `h.update(...)` calls."""
    data = argument(resolved.call, 1 if resolved.name == "hashlib.new" else 0, "data")
    return ([data] if data is not None else []) + _updates(resolved.scope, targets)


def _fresh_id(resolved: ResolvedCall, targets: list[str], names: dict[str, str]) -> bool:
    """The hash takes a fresh random or time value and its digest is compared with nothing.

    Such a digest is a new identifier (Django's old session-key recipe), not a
    MAC a client could present: MD5's collisions give an attacker nothing.
    """
    fresh = any(
        isinstance(node, ast.Call)
        and (
            (full := qualified_callee(node.func, names)) in _FRESH
            or full.startswith(_FRESH_MODULES)
        )
        for value in _hashed(resolved, targets)
        for node in ast.walk(value)
    )
    return fresh and not any(
        isinstance(node, ast.Compare)
        or (isinstance(node, ast.Call) and call_name(node.func) == "compare_digest")
        for node in ast.walk(resolved.scope)
    )


def _updates(scope: ast.AST, targets: list[str]) -> list[ast.expr]:
    """The arguments of `h.update(...)` for a hash object stored as `h`."""
    return [
        node.args[0]
        for node in ast.walk(scope)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "update"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id in targets
        and node.args
    ]
