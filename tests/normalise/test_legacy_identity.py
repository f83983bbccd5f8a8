"""The linear extra-identity defaulting equals the legacy library's pairwise search."""

from __future__ import annotations

import copy

from hypothesis import given
from hypothesis import strategies as st

from pyocm.descriptor import Resource
from pyocm.normalise.legacy_identity import defaulted_extra_identities


def pairwise_defaulting(resources: list[Resource]) -> list[dict[str, str]]:
    """A direct transcription of DefaultingOfVersionIntoExtraIdentity (open-component-model/ocm
    api/ocm/compdesc/normalizations/legacy/legacy.go): quadratic, on copies."""
    identities = [dict(r.extra_identity) for r in resources]
    for i, resource in enumerate(resources):
        for j, other in enumerate(resources):
            if other.name != resource.name or i == j:
                continue
            if identities[j] != identities[i]:
                continue
            identities[i] = {**identities[i], "version": resource.version}
            break
    return identities


def test_all_but_the_last_of_three_clashing_resources_get_their_version() -> None:
    resources = [Resource("image", v, type="ociImage") for v in ("1.0.0", "2.0.0", "3.0.0")]
    assert defaulted_extra_identities(resources) == [
        {"version": "1.0.0"},
        {"version": "2.0.0"},
        {},
    ]


def test_a_defaulted_identity_can_clash_again() -> None:
    # The second resource already carries version 1.0.0 explicitly; once the first one is
    # defaulted to the same identity, the second finds it and is rewritten (to the same value).
    resources = [
        Resource("image", "1.0.0", type="t"),
        Resource("image", "1.0.0", type="t", extra_identity={"version": "1.0.0"}),
        Resource("image", "2.0.0", type="t"),
    ]
    assert defaulted_extra_identities(resources) == [
        {"version": "1.0.0"},
        {"version": "1.0.0"},
        {},
    ]


def test_different_names_or_identities_do_not_clash() -> None:
    resources = [
        Resource("a", "1", type="t"),
        Resource("b", "1", type="t"),
        Resource("a", "2", type="t", extra_identity={"os": "linux"}),
    ]
    assert defaulted_extra_identities(resources) == [{}, {}, {"os": "linux"}]


identity_maps = st.dictionaries(
    st.sampled_from(["os", "arch", "version"]), st.sampled_from(["1", "2", "x"]), max_size=2
)
resource_lists = st.lists(
    st.builds(
        lambda name, version, identity: Resource(name, version, type="t", extra_identity=identity),
        st.sampled_from(["a", "b"]),
        st.sampled_from(["1", "2", "x"]),
        identity_maps,
    ),
    max_size=12,
)


@given(resource_lists)
def test_equals_the_pairwise_search_and_leaves_resources_untouched(
    resources: list[Resource],
) -> None:
    before = copy.deepcopy(resources)
    assert defaulted_extra_identities(resources) == pairwise_defaulting(resources)
    assert resources == before
