"""Names and aliases shared by several commands, as the Go CLI spells them.

>>> from pyocm.cli.commands.names import COMPONENT_VERSION, COMPONENT_VERSION_ALIASES
>>> COMPONENT_VERSION, COMPONENT_VERSION_ALIASES[:3]
('component-version', ('cv', 'component-versions', 'cvs'))
"""

COMPONENT_VERSION = "component-version"

COMPONENT_VERSION_ALIASES = (
    "cv",
    "component-versions",
    "cvs",
    "componentversion",
    "componentversions",
    "component",
    "components",
    "comp",
    "comps",
    "c",
)
"""Aliases of ``component-version`` under get, sign, verify, transfer (and pyocm's hash)."""

ADD_COMPONENT_VERSION_ALIASES = (
    "cv",
    "componentversion",
    "component-versions",
    "cvs",
    "componentversions",
)
"""Aliases of ``add component-version`` (``component``/``comp``/``c`` are not among them)."""

SUGGEST_COMPONENT_VERSION = ("version", "versions")
"""Mistyped names for which the parent suggests ``component-version``."""

REFERENCE_FORMAT = """\
A component reference has the form
    [type::]{repository}/[valid-prefix]/{component}[:version]
where the prefix is "component-descriptors" or empty (giving "//"). Repository types are
OCIRepository and CommonTransportFormat, short OCI|oci and CTF|ctf; without a type, URLs and
host names mean an OCI registry and local paths a CTF archive."""
