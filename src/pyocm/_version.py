"""pyocm's version, the one place it is written (pyproject.toml reads it from here).

    >>> from pyocm._version import __version__
    >>> __version__.count(".") >= 2
    True

A static string, so that ``ocm version`` does not import ``importlib.metadata`` (~20 ms).
"""

__version__ = "0.1.0"
