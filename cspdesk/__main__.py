"""`python -m cspdesk`."""

from cspdesk.cli import main

raise SystemExit(main())
