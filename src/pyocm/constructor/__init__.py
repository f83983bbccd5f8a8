"""Component constructors: ``component-constructor.yaml`` built into component versions.

    >>> from pyocm.constructor import construct, loads_constructor
    >>> spec = loads_constructor('''
    ... name: acme.org/hello
    ... version: 1.0.0
    ... provider: {name: acme.org}
    ... resources:
    ... - {name: greeting, type: plainText, input: {type: utf8, text: hello}}
    ... ''')
    >>> spec.components[0].resources[0].input.type
    'utf8'
    >>> construct(spec, repository)                      # doctest: +SKIP
    [Descriptor(component=Component(name='acme.org/hello', ...))]

:func:`construct` implements ``ocm add component-version`` of the Go v2 CLI (see
:mod:`pyocm.constructor.construct`); :mod:`pyocm.constructor.spec` reads and validates the
file; :mod:`pyocm.constructor.inputs` holds the input types (``file``, ``dir``, ``utf8``,
``helm``, ``binary``).
"""

from pyocm.constructor.construct import ConflictPolicy, construct
from pyocm.constructor.inputs import InputContext, InputSpec, input_type_names
from pyocm.constructor.spec import (
    ComponentSpec,
    ConstructorSpec,
    ReferenceSpec,
    ResourceSpec,
    SourceSpec,
    load_constructor,
    loads_constructor,
    parse_constructor,
)
from pyocm.constructor.substitution import expand

__all__ = [
    "ComponentSpec",
    "ConflictPolicy",
    "ConstructorSpec",
    "InputContext",
    "InputSpec",
    "ReferenceSpec",
    "ResourceSpec",
    "SourceSpec",
    "construct",
    "expand",
    "input_type_names",
    "load_constructor",
    "loads_constructor",
    "parse_constructor",
]
