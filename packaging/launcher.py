"""Entry point that PyInstaller freezes (netapp.spec): the ``netapp`` command line and app."""

import sys

from ui.launcher import main

if __name__ == "__main__":
    sys.exit(main())
