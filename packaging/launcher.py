"""Entry point that PyInstaller freezes (netapp.spec): the ``netapp`` command line and app.

``netapp --version`` is answered here, before the command line (every sub-command's module,
argparse) is loaded: the frozen bundle's start to ``--version`` is then Python's own start
(issue 20). Its words are the command line's own (``netapp.cli``: ``netapp <version>``).
"""

import sys


def main() -> int:
    if sys.argv[1:] == ["--version"]:
        from netapp import __version__

        print(f"netapp {__version__}")
        return 0
    from ui.launcher import main as launch

    return launch()


if __name__ == "__main__":
    sys.exit(main())
