"""``import pyocm`` exposes the public API lazily, without loading YAML or cryptography."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import import_module, metadata

import pytest

import pyocm

SOURCES = {
    "Context": "pyocm.context",
    "ComponentVersion": "pyocm.component_version",
    "ResourceHandle": "pyocm.component_version",
    "Component": "pyocm.descriptor",
    "Descriptor": "pyocm.descriptor",
    "Digest": "pyocm.descriptor",
    "Label": "pyocm.descriptor",
    "Reference": "pyocm.descriptor",
    "Resource": "pyocm.descriptor",
    "Signature": "pyocm.descriptor",
    "Source": "pyocm.descriptor",
    "dump": "pyocm.descriptor",
    "dumps": "pyocm.descriptor",
    "load": "pyocm.descriptor",
    "loads": "pyocm.descriptor",
    "validate": "pyocm.descriptor",
    "normalise": "pyocm.normalise",
    "component_version_digest": "pyocm.digest",
    "sign_component_version": "pyocm.signing",
    "verify_component_version": "pyocm.signing",
    "OCMError": "pyocm.errors",
}


@pytest.mark.parametrize(("name", "module"), SOURCES.items())
def test_public_name_is_the_object_of_its_module(name: str, module: str) -> None:
    assert getattr(pyocm, name) is getattr(import_module(module), name)


def test_all_lists_exactly_the_public_names() -> None:
    assert sorted(pyocm.__all__) == sorted([*SOURCES, "__version__"])
    assert set(pyocm.__all__) <= set(dir(pyocm))


def test_version_comes_from_the_package_metadata() -> None:
    assert pyocm.__version__ == metadata.version("pyocm")


def test_normalise_stays_the_function_after_importing_the_submodule() -> None:
    import pyocm.normalise  # binds the submodule's name on the package

    assert callable(pyocm.normalise)
    assert pyocm.normalise is import_module("pyocm.normalise").normalise


def test_unknown_attribute_raises_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        pyocm.no_such_name  # noqa: B018


def test_import_loads_neither_yaml_nor_cryptography() -> None:
    script = (
        "import json, sys, pyocm\n"
        "print(json.dumps([m for m in ('yaml', 'cryptography', 'jsonschema', 'pyocm.descriptor')"
        " if m in sys.modules]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == []
