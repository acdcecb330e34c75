"""Request-data tracking: where HTTP input flows, within and across modules.

`sources` says which expressions hold request data, `sinks` which calls are
dangerous with it, `function` follows values through one function body, and
`index` ties functions together across the project (helpers, imports, class
attributes) and caches the result once per run.
"""
