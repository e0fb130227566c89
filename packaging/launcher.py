"""Entry point that PyInstaller freezes (netapp.spec): the ``netapp`` command line and app."""

import sys

from netapp.cli import main

if __name__ == "__main__":
    sys.exit(main())
