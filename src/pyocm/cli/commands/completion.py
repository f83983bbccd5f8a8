"""``ocm completion bash|zsh|fish|powershell``: shell completion scripts.

    >>> from click.testing import CliRunner
    >>> from pyocm.cli.app import cli
    >>> "_OCM_COMPLETE=bash_complete" in CliRunner().invoke(cli, ["completion", "bash"]).output
    True

The scripts call ``ocm`` back with ``_OCM_COMPLETE`` set, and click answers with the commands,
aliases and flags that fit.  ``--no-descriptions`` makes the script also set
``OCM_COMPLETION_NO_DESCRIPTIONS``, so only names are offered.
"""

from __future__ import annotations

from typing import Any

import click

from pyocm.cli.aliases import NO_COMPLETION_DESCRIPTIONS, OcmCommand, OcmGroup
from pyocm.cli.flags import bool_flag

COMPLETE_VAR = "_OCM_COMPLETE"

_SETUP = {
    "bash": """\
To load completions in your current shell session:

    source <(ocm completion bash)

To load completions for every new session, execute once:

    ocm completion bash > /etc/bash_completion.d/ocm          # Linux
    ocm completion bash > $(brew --prefix)/etc/bash_completion.d/ocm   # macOS

This script needs bash 4.4 or later.""",
    "zsh": """\
If shell completion is not already enabled in your environment, enable it once:

    echo "autoload -U compinit; compinit" >> ~/.zshrc

To load completions in your current shell session:

    source <(ocm completion zsh)

To load completions for every new session, execute once:

    ocm completion zsh > "${fpath[1]}/_ocm\"""",
    "fish": """\
To load completions in your current shell session:

    ocm completion fish | source

To load completions for every new session, execute once:

    ocm completion fish > ~/.config/fish/completions/ocm.fish""",
    "powershell": """\
Completion scripts for PowerShell are not available in pyocm; the command fails.""",
}


def _shell_command(shell: str) -> OcmCommand:
    @click.command(
        shell,
        cls=OcmCommand,
        short_help=f"Generate the autocompletion script for {shell}",
        help=f"Generate the autocompletion script for {shell}.\n\n{_SETUP[shell]}",
    )
    @bool_flag("no-descriptions", "disable completion descriptions")
    @click.pass_context
    def script(ctx: click.Context, /, no_descriptions: bool, **_: Any) -> None:
        from click.shell_completion import get_completion_class

        from pyocm.errors import OCMError

        comp_cls = get_completion_class(shell)
        if comp_cls is None:
            raise OCMError(f"completion scripts for {shell} are not supported by pyocm")
        var = f"{NO_COMPLETION_DESCRIPTIONS}=1 {COMPLETE_VAR}" if no_descriptions else COMPLETE_VAR
        root = ctx.find_root()
        click.echo(comp_cls(root.command, {}, str(root.info_name), var).source())

    return script


completion = OcmGroup(
    "completion",
    [_shell_command(shell) for shell in _SETUP],
    short_help="Generate the autocompletion script for the specified shell",
    help="Generate the autocompletion script for ocm for the specified shell.\n"
    "See each sub-command's help for details on how to use the generated script.",
)
