"""Helpers shared by several pyocm packages; private, and free to change.

    >>> from pyocm._internal.gojson import marshal
    >>> marshal({"a": 1.0})
    b'{"a":1}'

Nothing here imports the rest of pyocm (but :mod:`pyocm.errors`), so every package may use it.
"""
