"""netapp: the core of an offline tool for in-person networking built on Return on Trust.

This package never imports Qt; the desktop app lives in ``ui``.
"""

__version__ = "0.1.0"
