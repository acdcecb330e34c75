"""djreview: a Django static-code analyzer and AI reviewer."""

from __future__ import annotations

__version__ = "0.1.0"
