"""The legacy extra-identity defaulting of ``jsonNormalisation/v1`` and ``v2``, in linear time.

    >>> from pyocm.descriptor import Resource
    >>> from pyocm.normalise.legacy_identity import defaulted_extra_identities
    >>> resources = [Resource("image", "1.0.0", type="ociImage"),
    ...              Resource("image", "2.0.0", type="ociImage")]
    >>> defaulted_extra_identities(resources)
    [{'version': '1.0.0'}, {}]

The legacy Go library visits the resources in order and, for each one, looks for *another*
resource with the same name and an equal extra identity (absent and empty are equal), comparing
the current values, i.e. including the versions already added to earlier resources.  If it
finds one, it adds ``version: <the resource's version>`` to that resource's extra identity.
Among clashing resources all but the last thus get a ``version``.  Sources and references are
not touched.

The reference compares every pair of resources.  Here a counter of the current identities
answers "is there another resource with my identity?" in constant time: my identity occurs at
least twice.  When a resource's identity changes, the counter is updated, which keeps it equal
to the identities the pairwise search would see.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from pyocm.descriptor import Resource

_Key = tuple[str, frozenset[tuple[str, str]]]


def defaulted_extra_identities(resources: Sequence[Resource]) -> list[dict[str, str]]:
    """The extra identity of each resource after the legacy defaulting pass.

    The resources are not modified; an unchanged identity is returned as the resource's own
    dict, a changed one as a new dict.
    """
    keys: list[_Key] = [(r.name, frozenset(r.extra_identity.items())) for r in resources]
    current = Counter(keys)
    result = [r.extra_identity for r in resources]
    for index, resource in enumerate(resources):
        key = keys[index]
        if current[key] < 2:
            continue
        identity = {**resource.extra_identity, "version": resource.version}
        current[key] -= 1
        current[(resource.name, frozenset(identity.items()))] += 1
        result[index] = identity
    return result
