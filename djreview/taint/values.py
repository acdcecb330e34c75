"""The value the analysis tracks: where request data came from and how it got here."""

from __future__ import annotations

from dataclasses import dataclass

from djreview.model import FlowStep

# Sink kinds a sanitiser can make a value safe for.
ALL_KINDS = frozenset(
    {
        "sql",
        "shell",
        "code",
        "dispatch",
        "template",
        "deserialize",
        "html",
        "redirect",
        "ssrf",
        "path",
        "email_html",
        "csv",
        "markup",
        "mass",
        "password",
    }
)


# Not a sink kind: a mark in `safe_for` that the value is (a container of) uploaded files
# (`request.FILES`), kept by `combine` only when every part carries it. Django reduces an
# UploadedFile's `name` to a base name, so `.name` of such a value is safe for paths.
UPLOADED = "uploaded-file"
# Not a sink kind either: a mark that the request data in the value comes from one read of
# the request, the source its flow starts at. Request parts with different first steps,
# merged by `combine` (or by a call's summary, or by two flows into one sink), lose it: a
# rule that exempts a source (the Referer, a POST field the site fills) trusts the first
# step only with it. A helper's parameters carry it too, so a summary passes it on.
ONE_SOURCE = "one-source"
# The same for the parts of a value that can choose where a URL goes: a query string
# after a literal `?` cannot, so `"%s?lang=%s" % (next, lang)` keeps it for `next` alone.
# Kept only when the first part (whose steps the value shows) is one of those parts.
ONE_URL_SOURCE = "one-url-source"
ONE_MARKS = frozenset({ONE_SOURCE, ONE_URL_SOURCE})
# Not a sink kind: a mark that the value's text starts with a constant character that may
# follow a `/` in a same-site path (`?`, `#`, a letter; not `/`, `\`, a space): set by the
# string building that writes that constant first, dropped by any other assignment source,
# kept through branch merges only when every tainted arm has it (a falsy arm holds none).
# `f"/{v}"` of such a name stays on the site.
LEADS_ON_SITE = "leads-on-site"


@dataclass(frozen=True, slots=True)
class Taint:
    """Request data (or, in a helper's summary, a parameter) inside a value.

    `steps` is the path so far, source first. `params` names the parameters of
    the function being summarised that flow into the value (empty for data read
    from the request). `safe_for` lists the sink kinds a sanitiser has
    neutralised it for (escape() makes it safe for HTML, not for SQL).
    """

    steps: tuple[FlowStep, ...]
    params: frozenset[int] = frozenset()
    from_request: bool = True
    safe_for: frozenset[str] = frozenset()

    def reaches(self, kind: str) -> bool:
        """Whether the value is still dangerous for a sink of this kind."""
        return kind not in self.safe_for

    def step(self, step: FlowStep) -> Taint:
        """The same taint with one more step on its path (bounded, so loops stay cheap)."""
        if len(self.steps) >= 12 or (self.steps and self.steps[-1] == step):
            return self
        return Taint(self.steps + (step,), self.params, self.from_request, self.safe_for)

    def without(self, mark: str) -> Taint:
        """The same taint without one mark of `safe_for`."""
        if mark not in self.safe_for:
            return self
        return Taint(self.steps, self.params, self.from_request, self.safe_for - {mark})

    def sanitised(self, kinds: frozenset[str]) -> Taint | None:
        """The taint made safe for `kinds`; None when nothing dangerous is left."""
        safe = self.safe_for | kinds
        if safe >= ALL_KINDS:
            return None
        return Taint(self.steps, self.params, self.from_request, safe)


def combine(*values: Taint | None) -> Taint | None:
    """The taint of a value built from several parts (a string, a container).

    The first tainted part's path is kept; the result is safe only for the
    kinds every tainted part is safe for.
    """
    tainted = [value for value in values if value is not None]
    if not tainted:
        return None
    if len(tainted) == 1:
        return tainted[0]
    first = next((value for value in tainted if value.from_request), tainted[0])
    params = frozenset().union(*(value.params for value in tainted))
    safe = frozenset.intersection(*(value.safe_for for value in tainted))
    if len({value.steps[:1] for value in tainted if value.from_request}) > 1:
        safe -= {ONE_SOURCE}
    aiming = [value for value in tainted if value.from_request and value.reaches("redirect")]
    if len({value.steps[:1] for value in aiming}) > 1 or (aiming and aiming[0] is not first):
        safe -= {ONE_URL_SOURCE}
    return Taint(first.steps, params, any(v.from_request for v in tainted), safe)
