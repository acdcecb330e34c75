"""Static analyses shared by rules: queryset state, loops and per-row queries."""
