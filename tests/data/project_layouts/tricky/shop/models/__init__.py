from .catalog import *  # noqa: F403
from .orders import Order

__all__ = ["Item", "Order"]
