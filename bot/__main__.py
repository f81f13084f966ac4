"""`python -m bot` runs the `claimcheck` command line."""

from bot.cli import main

raise SystemExit(main())
