"""Model and schema rules: missing indexes (DJR201-DJR299)."""
