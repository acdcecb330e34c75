"""DJR309: request data deserialised by pickle, marshal, shelve, dill or jsonpickle."""

from __future__ import annotations

from djreview.checks.security._taint import TaintCheck


class UnsafeDeserialization(TaintCheck):
    """Request data is deserialised with a format that can run code (pickle and friends).

    ## What it does
    Follows request data (body, cookies, fields, uploaded files) and flags it
    where it reaches `pickle.loads/load`, `marshal.loads`, `shelve.open`,
    `dill.loads`, `jsonpickle.decode`, `yaml.unsafe_load` or
    `yaml.full_load`, also through `base64` decoding. `yaml.load` without a
    safe loader is DJR304 (yaml-load-unsafe), whatever the data.

    ## Why is this bad?
    Unpickling runs constructors the data names: a crafted payload executes
    commands on the server.

    ## Example
    ```python
    def restore(request):
        cart = pickle.loads(base64.b64decode(request.COOKIES["cart"]))
    ```

    ## Use instead
    ```python
    def restore(request):
        cart = json.loads(signing.loads(request.COOKIES["cart"]))
    ```

    ## References
    - https://docs.python.org/3/library/pickle.html
    - https://cwe.mitre.org/data/definitions/502.html
    """

    id = "DJR309"
    name = "unsafe-deserialization"
    message = "Request data from {source} is deserialised by {sink}, which can run code; use JSON"
    cwe = (502,)
    security_severity = 9.8
    tags = ("injection",)
    kinds = frozenset({"deserialize"})
