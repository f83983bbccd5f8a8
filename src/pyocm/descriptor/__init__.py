"""The component descriptor: model, YAML/JSON codecs, validation and identities.

>>> from pyocm.descriptor import load, validate
>>> cd = load("examples/component-descriptor.yaml")      # doctest: +SKIP
>>> validate(cd)                                            # doctest: +SKIP
>>> [r.name for r in cd.component.resources]                # doctest: +SKIP
"""

from pyocm.descriptor.codec import dump, dumps, load, loads, parse_document
from pyocm.descriptor.model import (
    AccessSpec,
    Component,
    Descriptor,
    Digest,
    Label,
    Provider,
    Reference,
    Resource,
    Signature,
    SignatureSpec,
    Source,
    SourceRef,
)
from pyocm.descriptor.validate import validate, validate_document

__all__ = [
    "AccessSpec",
    "Component",
    "Descriptor",
    "Digest",
    "Label",
    "Provider",
    "Reference",
    "Resource",
    "Signature",
    "SignatureSpec",
    "Source",
    "SourceRef",
    "dump",
    "dumps",
    "load",
    "loads",
    "parse_document",
    "validate",
    "validate_document",
]
