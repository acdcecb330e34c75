"""Fixtures of the AI tests; the shared helpers live in ai_support.

Test modules import helpers from `ai_support`, never from `conftest`: with
several test folders each holding a conftest.py, `import conftest` finds
whichever was imported first.
"""

from ai_support import endpoint, settings, shop

__all__ = ["endpoint", "settings", "shop"]
