"""The base layer: project files, read once and parsed once, and the run's Project."""
