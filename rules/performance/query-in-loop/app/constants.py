CORE_SLUGS = ["welcome", "about"]
# Editions add their own; this one adds none.
EXTRA_SLUGS = []
ALL_SLUGS = [*CORE_SLUGS, *EXTRA_SLUGS]
