"""DJR502: `{% autoescape off %}` in an HTML template."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from djreview.checks.security._template import (
    TemplateCheck,
    Token,
    autoescape_off_blocks,
    flatten,
    in_tag,
    location,
    lone_variable,
    tokenize,
)
from djreview.checks.security._template_use import TemplateUse
from djreview.model import Finding, Severity
from djreview.source.file import SourceFile
from djreview.source.project import Project

# Plain-text templates (e-mails, robots.txt) are not parsed as HTML by anyone.
_PLAIN_TEXT = (".txt", ".eml", ".text")
# An e-mail template named so (`password_reset_email.html`, `*_subject.html`)...
_MAIL_NAME = re.compile(r"e?mail|subject", re.IGNORECASE)
# ...with no HTML tag of its own is a plain-text body, as Django's own reset e-mail.
_TAG = re.compile(r"<[A-Za-z!/]")
# Block tags that write nothing a user supplied: asset and URL paths the template names,
# translations of literal text, control flow whose variables are tested, not written.
# Any other tag (`include`, `block`, a project's own tag) may write data: the block counts.
_WRITES_NO_DATA = frozenset(
    {
        "load",
        "static",
        "get_static_prefix",
        "get_media_prefix",
        "url",
        "csrf_token",
        "now",
        "trans",
        "translate",
        "with",
        "endwith",
        "if",
        "elif",
        "else",
        "endif",
        "spaceless",
        "endspaceless",
        "autoescape",
        "endautoescape",
    }
)


class AutoescapeOffBlock(TemplateCheck):
    """An `{% autoescape off %}` block renders every variable inside it unescaped.

    ## What it does
    Flags `{% autoescape off %}` in HTML templates. Plain-text templates
    (`.txt`, e-mail bodies) are not flagged: nothing renders them as HTML.
    That includes an e-mail template with an `.html` name (its file name
    says `email`, `mail` or `subject`) that holds no HTML tag outside its
    template tags, such as Django's own `registration/password_reset_email.html`:
    it is sent as the text part, where escaping would only garble `&` and
    quotes. An `.html` fragment without tags but not named for e-mail is
    still flagged: it may be included into a page.

    A block around one variable and nothing else
    (`{% autoescape off %}{{ panel.html }}{% endautoescape %}`) is not
    flagged either: it is `{{ panel.html|safe }}` written as a block, one
    value the author chose to trust, with no room for another variable to
    slip in unnoticed. Such blocks are judged with `|safe` by the
    audit-level DJR501 (safe-filter-in-template), which reports them; on
    nautobot all three were HTML the project had rendered from its own
    templates.

    Nor a block that writes no variable at all, only tags that write
    nothing a user supplied (`{% static %}`, `{% url %}`, `{% trans
    "literal" %}`, `{% csrf_token %}`, `{% if %}`): there is nothing left to
    escape, the block only keeps asset paths unescaped inside `<script>` and
    `<link>` (on umap, all six blocks were such asset lists). `{% with %}`
    only names a value (written later as a variable, which counts), and a
    computed `{% static path %}` counts as writing nothing only inside a
    double-quoted attribute: the storage percent-encodes `"`, `<` and `>`
    in the URL, but not `'`. A block with
    any `{% include %}`, `{% block %}` or a project's own tag still counts,
    since the included template renders under the same setting.

    Nor a template that nothing can render (`_template_use`): its name is
    in an own app's folder, is written nowhere in the project's code or
    templates, matches no name the code builds from a literal folder or
    extension (`"emails/" + kind`, `f"{kind}_email.html"`) and none Django
    derives for a model (`<app>/<model>_list.html`), and no model stores
    template names. A dead copy left behind (on experimenter, six legacy
    e-mail templates no code loads any more) is not part of the deployed
    site; in doubt (Django's `registration/` and `admin/`, a name at the top,
    an installed app's folder) the template counts as rendered.

    Nor an `{% autoescape off %}` outside every `{% block %}` of a template
    that `{% extends %}` another: Django renders the parent with the child's
    blocks and never the rest of the child, so the tag does nothing (each
    block takes the setting of the place it fills in the parent, where a
    parent's own `{% autoescape off %}` is reported). The same tag inside a
    block of the child is reported.

    Audit-level (tag `audit`, off by default; `--select audit` or `--select
    DJR502` switches it on): an `{% autoescape off %}` block is
    mostly e-mail text, admin-written markup or a template nothing renders
    any more; on 27 projects judged before any tuning 3 of 18 blocks were a
    defect, and 2 of 9 after every fix so far. A rule stays in the default
    set only if at least one in four of its findings is true, both on
    first contact with unseen projects and after the fixes made since
    (docs/triage/security.md, session 12).

    ## Why is this bad?
    Every variable in the block is trusted as markup, including ones added
    later by someone who does not notice the block: one user-supplied value
    inside it is a cross-site scripting hole.

    ## Example
    ```django
    {% autoescape off %}
      <aside>{{ post.title }} — {{ post.body|truncatewords:20 }}</aside>
    {% endautoescape %}
    ```

    ## Use instead
    Remove the block; mark the one value that really is trusted markup safe in
    Python, where it is built (`format_html`).

    ## References
    - https://docs.djangoproject.com/en/stable/ref/templates/builtins/#autoescape
    """

    id = "DJR502"
    name = "autoescape-off-block"
    message = (
        "{% autoescape off %} renders every variable up to {% endautoescape %} "
        "without HTML escaping"
    )
    severity = Severity.WARNING
    cwe = (79,)
    security_severity = 6.1
    precision = "low"
    tags = ("xss", "templates", "audit")
    enabled_by_default = False
    uses = (TemplateUse,)

    def check_file(self, file: SourceFile, project: Project) -> Iterable[Finding]:
        """One finding per autoescape-off block in an HTML template."""
        if file.rel.endswith(_PLAIN_TEXT) or _plain_mail(file):
            return ()
        findings = list(self._findings(file))
        if findings and project.analysis(TemplateUse).unreferenced(file):
            return ()
        return findings

    def _findings(self, file: SourceFile) -> Iterator[Finding]:
        tokens = tokenize(file.text)
        for token, body in autoescape_off_blocks(tokens):
            if _outside_blocks_of_a_child(tokens, token):
                continue
            # One trusted value is `|safe` by another spelling: DJR501's to judge.
            if lone_variable(body) is None and not _writes_no_data(body, file.text):
                yield self.finding(location(file, token.offset, token.end))


def _outside_blocks_of_a_child(tokens: tuple[Token, ...], tag: Token) -> bool:
    """The tag sits outside every `{% block %}` of a template that `{% extends %}` another.

    Django renders an extending template as its parent, filled with the child's blocks;
    whatever the child has outside its blocks is never rendered, so an autoescape tag
    there changes nothing (the blocks take the parent's setting where they land).
    """
    tags = [token for token in tokens if token.kind == "block" and token.words]
    # `{% extends %}` must be a template's first tag for Django to honour it.
    if not tags or tags[0].words[0] != "extends":
        return False
    depth = 0
    for token in tags:
        if token.offset >= tag.offset:
            break
        depth += token.words[0] == "block"
        depth -= token.words[0] == "endblock"
    return depth == 0


def _writes_no_data(body: tuple[Token, ...], text: str) -> bool:
    """No variable in the block, and only tags that write template-named text."""
    for token in body:
        if token.kind == "var":
            return False
        if token.kind == "block":
            words = token.words
            if not words or words[0] not in _WRITES_NO_DATA:
                return False
            if words[0] in ("trans", "translate") and not _quoted_literal(words):
                return False
            if words[0] == "static" and not _literal_or_quoted_path(words, text, token):
                return False
    return True


def _literal_or_quoted_path(words: list[str], text: str, token: Token) -> bool:
    """`{% static 'x.js' %}`, or a computed path written inside a double-quoted attribute.

    The storage's `url()` passes the path through `filepath_to_uri`, which percent-encodes
    `"`, `<` and `>` (not `'`): inside `src="..."` a computed path cannot end the value.
    """
    if _quoted_literal(words):
        return True
    flat = flatten(text)
    opening = in_tag(flat, token.offset)
    # Inside a tag, an odd number of `"` before the path: within a double-quoted value.
    return opening >= 0 and flat[opening : token.offset].count('"') % 2 == 1


def _quoted_literal(words: list[str]) -> bool:
    """`{% trans "text" %}`, `{% static 'x.js' %}`: a quoted literal, not a variable, and
    not stored `as` one."""
    return len(words) >= 2 and words[1][:1] in "\"'" and "as" not in words[2:]


def _plain_mail(file: SourceFile) -> bool:
    """An e-mail template (by its file name) with no HTML tag outside template syntax."""
    if not _MAIL_NAME.search(file.rel.rsplit("/", 1)[-1]):
        return False
    text = "".join(t.content for t in tokenize(file.text) if t.kind == "text")
    return _TAG.search(text) is None
