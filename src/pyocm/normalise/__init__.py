"""Component-descriptor normalisation: the bytes that digests and signatures cover.

    >>> import hashlib
    >>> from pyocm.descriptor import Component, Descriptor, Provider
    >>> from pyocm.normalise import DEFAULT, JSON_V3, normalise
    >>> cd = Descriptor(Component("acme.org/app", "1.0.0", Provider("acme")))
    >>> normalise(cd, DEFAULT)
    b'{"component":{"componentReferences":[],"name":"acme.org/app","provider":{"name":"acme"},"resources":[],"sources":[],"version":"1.0.0"}}'
    >>> normalise(cd, JSON_V3) == normalise(cd, DEFAULT)      # they differ only on rare inputs
    True
    >>> len(hashlib.sha256(normalise(cd, DEFAULT)).hexdigest())
    64

Each algorithm is reproduced exactly as the implementation that defines it:

* ``jsonNormalisation/v1``, ``v2`` and ``v3`` as the legacy Go library (open-component-model/ocm);
  v1 depends on the schema version the descriptor was read from
  (:mod:`~pyocm.normalise.json_v1`, :mod:`~pyocm.normalise.json_v3`);
* ``jsonNormalisation/v4alpha1``, the default, as the Go v2 monorepo
  (:mod:`~pyocm.normalise.json_v4alpha1`).

Verify a ``jsonNormalisation/v3`` digest with :data:`JSON_V3`: only the legacy tools write
that name.  The descriptor passed in is never modified.  All algorithms run in time linear in
the size of the descriptor.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

from pyocm.descriptor import Descriptor
from pyocm.errors import UnsupportedAlgorithm
from pyocm.normalise.jcs import canonical_json
from pyocm.normalise.json_v1 import normalise_v1
from pyocm.normalise.json_v3 import normalise_v2, normalise_v3
from pyocm.normalise.json_v4alpha1 import normalise_v4alpha1

JSON_V1 = "jsonNormalisation/v1"
"""Legacy entry-list normalisation (deprecated; legacy Go library only)."""
JSON_V2 = "jsonNormalisation/v2"
"""Legacy JCS normalisation with extra-identity defaulting (deprecated; legacy Go library only)."""
JSON_V3 = "jsonNormalisation/v3"
"""The legacy Go CLI's default; the v2 Go tools read this name as v4alpha1."""
JSON_V4ALPHA1 = "jsonNormalisation/v4alpha1"
"""The Go v2 tools' normalisation and pyocm's default."""
DEFAULT = JSON_V4ALPHA1
"""The algorithm pyocm signs with."""

_ALGORITHMS: dict[str, Callable[[Descriptor], bytes]] = {
    JSON_V1: normalise_v1,
    JSON_V2: normalise_v2,
    JSON_V3: normalise_v3,
    JSON_V4ALPHA1: normalise_v4alpha1,
}
ALGORITHMS = tuple(_ALGORITHMS)
"""The names :func:`normalise` accepts."""


def normalise(descriptor: Descriptor, algorithm: str) -> bytes:
    """The normalised form of ``descriptor`` under ``algorithm`` (one of :data:`ALGORITHMS`).

    Raises :class:`pyocm.errors.UnsupportedAlgorithm` for an unknown algorithm name and
    :class:`pyocm.errors.ValidationError` for a descriptor the algorithm cannot normalise
    (e.g. an unparsable ``creationTime`` for v1–v3, an empty provider name for v4alpha1).
    """
    try:
        normalisation = _ALGORITHMS[algorithm]
    except KeyError:
        known = ", ".join(ALGORITHMS)
        raise UnsupportedAlgorithm(
            f"unsupported normalisation algorithm {algorithm!r} (supported: {known})"
        ) from None
    # Normalising builds many short-lived dicts and lists but no reference cycles; the cyclic
    # collector would rescan the growing heap again and again (about +50% time at 100,000
    # resources), so it pauses while refcounting frees everything as usual.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return normalisation(descriptor)
    finally:
        if was_enabled:
            gc.enable()


__all__ = [
    "ALGORITHMS",
    "DEFAULT",
    "JSON_V1",
    "JSON_V2",
    "JSON_V3",
    "JSON_V4ALPHA1",
    "canonical_json",
    "normalise",
]
