"""``ocm describe``: describe OCM entities or metadata (``describe types``).

>>> from pyocm.cli.commands.describe import describe
>>> sorted(describe.commands)
['types']
"""

from __future__ import annotations

from pyocm.cli.aliases import OcmGroup
from pyocm.cli.commands.types import types_command

describe = OcmGroup(
    "describe",
    [types_command()],
    short_help="Describe OCM entities or metadata",
    help="Describe OCM entities or metadata",
)
