"""`mlview completion bash|zsh|fish`: shell completion through argcomplete.

The shell asks the program itself (argcomplete's protocol: the `_ARGCOMPLETE` environment
variable), so completions follow the code: subcommands and options from the parser, demo
names from the bundled scenarios, contexts from the kubeconfig, finding codes from the
analyzers' catalogue when it exists. Install with, for example:

    eval "$(mlview completion bash)"            # ~/.bashrc
    mlview completion zsh > ~/.zfunc/_mlview     # or eval in ~/.zshrc
    mlview completion fish > ~/.config/fish/completions/mlview.fish
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from mlview.commands.common import EXIT_OK

SHELLS = ("bash", "zsh", "fish")
PROGRAMS = ("mlview", "kubectl-mlview")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("completion", help="print shell completion code (bash, zsh, fish)")
    p.add_argument("shell", choices=SHELLS, help="the shell to complete for")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import argcomplete

    print(argcomplete.shellcode(list(PROGRAMS), shell=args.shell), end="")
    return EXIT_OK


def autocomplete_if_asked(parser: argparse.ArgumentParser) -> None:
    """Answer the shell and exit when it asks for completions; otherwise cost nothing."""
    if "_ARGCOMPLETE" not in os.environ:
        return
    import argcomplete

    argcomplete.autocomplete(parser)


# ---- completers (argcomplete calls them with the prefix typed so far) ----------------------


def demo_names(prefix: str = "", **_: Any) -> list[str]:
    from mlview.sources import demo

    return [s.name for s in demo.scenarios() if s.name.startswith(prefix)]


def kube_contexts(prefix: str = "", parsed_args: Any = None, **_: Any) -> list[str]:
    """Context names of the kubeconfig files kubectl would read (no client, no network)."""
    import yaml

    explicit = getattr(parsed_args, "kubeconfig", None)
    if explicit:
        files = [explicit]
    else:
        env = os.environ.get("KUBECONFIG", "")
        files = [f for f in env.split(os.pathsep) if f] or [str(Path.home() / ".kube/config")]
    names: list[str] = []
    for file in files:
        try:
            doc = yaml.safe_load(Path(file).expanduser().read_text(encoding="utf-8")) or {}
        except (OSError, ValueError, yaml.YAMLError):
            continue
        contexts = doc.get("contexts") if isinstance(doc, dict) else None
        for ctx in contexts if isinstance(contexts, list) else []:
            name = ctx.get("name") if isinstance(ctx, dict) else None
            if isinstance(name, str) and name.startswith(prefix) and name not in names:
                names.append(name)
    return names
