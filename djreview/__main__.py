"""`python -m djreview` runs the command line."""

from djreview.cli import entry_point

entry_point()
