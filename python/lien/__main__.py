"""`python -m lien` runs the command line (see `lien --help`)."""

from lien.cli import main

raise SystemExit(main())
