"""Download transformers: content turned into another form before it is written, by name.

    >>> from pyocm.transformers import TRANSFORMERS
    >>> sorted(TRANSFORMERS)
    ['helm']

``ocm download resource --transformer NAME`` applies one (:func:`pyocm.download.
download_resource`).  Each transformer is one module registered here: ``helm``
(:mod:`pyocm.transformers.helm`) gives a chart resource as its chart archive and provenance.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pyocm.blob import Blob
from pyocm.transformers import helm

Transformer = Callable[[Blob, Path, str], Blob]
"""``(content, scratch directory, what the resource is called) -> transformed content``; the
result may live in the scratch directory, which is removed after it was written."""

TRANSFORMERS: dict[str, Transformer] = {helm.NAME: helm.chart_files}
"""The transformers by name."""

__all__ = ["TRANSFORMERS", "Transformer"]
