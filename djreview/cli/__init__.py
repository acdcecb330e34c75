"""The `djreview` command line: click commands over one options object."""
