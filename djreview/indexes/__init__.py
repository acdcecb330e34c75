"""Missing-index analysis: the schema, lookup sites, coverage, ranking and migrations."""
