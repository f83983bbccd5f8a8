"""How long validation takes for a large descriptor.

    $ python bench/descriptor_validate.py            # 100,000 resources
    $ python bench/descriptor_validate.py 10000

Builds a descriptor with N resources (half of them sharing a name and differing by version,
each with labels and an extra identity), then times the schema check of the parsed document
(``validate_document``), the rules beyond the schema, and the full model check (``validate``)
and prints the figures.
"""

from __future__ import annotations

import sys
import time

from pyocm.descriptor import (
    AccessSpec,
    Component,
    Descriptor,
    Label,
    Provider,
    Resource,
    validate,
    validate_document,
)
from pyocm.descriptor.validate import _rule_violations


def build(n: int) -> Descriptor:
    """A valid descriptor with ``n`` resources."""
    resources = [
        Resource(
            name=f"res-{i // 2}",
            version=f"1.0.{i % 2}",
            type="ociImage",
            relation="external",
            access=AccessSpec("ociArtifact", {"imageReference": f"ghcr.io/acme/img:{i}"}),
            extra_identity={"arch": "amd64"},
            labels=[Label("team", "platform"), Label("index", i, signing=True)],
        )
        for i in range(n)
    ]
    return Descriptor(Component("acme.org/big", "1.0.0", Provider("acme"), resources=resources))


def timed(label: str, action: object) -> None:
    start = time.perf_counter()
    assert callable(action)
    action()
    print(f"{label:<28} {time.perf_counter() - start:8.2f} s")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    cd = build(n)
    data = cd.to_dict()
    print(f"descriptor with {n:,} resources")
    timed("to_dict", cd.to_dict)
    timed("validate_document (schema)", lambda: validate_document(data))
    timed("identity/label rules only", lambda: list(_rule_violations(cd)))
    timed("validate (schema + rules)", lambda: validate(cd))


if __name__ == "__main__":
    main()
