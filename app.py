"""`python app.py`: the claimcheck chat app in your browser (see `python app.py --help`).

Parses the options and serves the app (`bot.interfaces.app.serve`; `claimcheck app` is the same).
A knowledge file with an error stops it with one line and exit code 2, never a traceback.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    from bot.config import quiet_libraries
    from bot.errors import ClaimCheckError
    from bot.interfaces.app.options import parse
    from bot.interfaces.app.serve import serve

    quiet_libraries()
    try:
        serve(parse(argv))
    except ClaimCheckError as exc:
        print(f"claimcheck: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # one line, never a traceback
        if os.environ.get("CLAIMCHECK_DEBUG"):
            raise
        print(f"claimcheck: internal error: {type(exc).__name__}: {exc} (set CLAIMCHECK_DEBUG=1 for details)",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
