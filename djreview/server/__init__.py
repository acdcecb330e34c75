"""`djreview server`: a language server over the same analysis as `djreview check`."""
