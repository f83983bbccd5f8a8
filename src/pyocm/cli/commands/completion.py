"""``ocm completion bash|zsh|fish|powershell``: shell completion scripts.

    >>> from click.testing import CliRunner
    >>> from pyocm.cli.app import cli
    >>> "_OCM_COMPLETE=bash_complete" in CliRunner().invoke(cli, ["completion", "bash"]).output
    True

The scripts call ``ocm`` back with ``_OCM_COMPLETE`` set, and click answers with the commands,
aliases and flags that fit.  ``--no-descriptions`` makes the script also set
``OCM_COMPLETION_NO_DESCRIPTIONS``, so only names are offered.  PowerShell scripts come from
click itself, which writes them from click 8.5 on; with an older click that command fails and
says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from pyocm.cli.aliases import NO_COMPLETION_DESCRIPTIONS, OcmCommand, OcmGroup
from pyocm.cli.flags import bool_flag

if TYPE_CHECKING:
    from click.shell_completion import ShellComplete

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
To load completions in your current shell session:

    ocm completion powershell | Out-String | Invoke-Expression

To load completions for every new session, add the output of the above command
to your PowerShell profile.  With --no-descriptions the script sets
OCM_COMPLETION_NO_DESCRIPTIONS in the session.""",
}

_POWERSHELL_NEEDS = "click 8.5 or later"


def _completion_class(shell: str) -> type[ShellComplete] | None:
    """click's script writer for ``shell``, or None where the installed click has none."""
    from click.shell_completion import get_completion_class

    return get_completion_class(shell)


def _setup(shell: str) -> str:
    if _completion_class(shell) is None:
        return (
            f"Completion scripts for {shell} need {_POWERSHELL_NEEDS}; "
            "with the installed click this command fails."
        )
    return _SETUP[shell]


def _click_version() -> str:
    from importlib.metadata import version

    return version("click")


def _source(comp_cls: type[ShellComplete], root: click.Context, no_descriptions: bool) -> str:
    if comp_cls.name == "powershell":
        # PowerShell has no ``VAR=value command`` form: the variable is set for the session.
        source = comp_cls(root.command, {}, str(root.info_name), COMPLETE_VAR).source()
        if no_descriptions:
            source = f"$env:{NO_COMPLETION_DESCRIPTIONS} = '1'\n{source}"
        return source
    var = f"{NO_COMPLETION_DESCRIPTIONS}=1 {COMPLETE_VAR}" if no_descriptions else COMPLETE_VAR
    return comp_cls(root.command, {}, str(root.info_name), var).source()


def _shell_command(shell: str) -> OcmCommand:
    @click.command(
        shell,
        cls=OcmCommand,
        short_help=f"Generate the autocompletion script for {shell}",
        help=f"Generate the autocompletion script for {shell}.\n\n{_setup(shell)}",
    )
    @bool_flag("no-descriptions", "disable completion descriptions")
    @click.pass_context
    def script(ctx: click.Context, /, no_descriptions: bool, **_: Any) -> None:
        from pyocm.errors import OCMError

        comp_cls = _completion_class(shell)
        if comp_cls is None:
            raise OCMError(
                f"completion scripts for {shell} need {_POWERSHELL_NEEDS} "
                f"(click {_click_version()} is installed)"
            )
        click.echo(_source(comp_cls, ctx.find_root(), no_descriptions))

    return script


completion = OcmGroup(
    "completion",
    [_shell_command(shell) for shell in _SETUP],
    short_help="Generate the autocompletion script for the specified shell",
    help="Generate the autocompletion script for ocm for the specified shell.\n"
    "See each sub-command's help for details on how to use the generated script.",
)
