"""`python -m djreview` runs the command line."""

from djreview.cli import main

main()
