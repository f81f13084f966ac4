"""`python -m bot` runs the `claimcheck` command line."""

from bot.interfaces.cli import main

raise SystemExit(main())
