"""`python -m djreview` runs the command line."""

from djreview.cli.main import entry_point

entry_point()
