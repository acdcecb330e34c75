"""N+1 query rules (DJR1xx): per-row queries in loops, templates, DRF serializers and the admin."""
