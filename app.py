"""`python app.py`: the claimcheck chat app in your browser (see `python app.py --help`).

Parses the options, loads the knowledge and models once, builds the page and serves it.
A knowledge file with an error stops it with one line and exit code 2, never a traceback.
"""

from __future__ import annotations

import os
import sys

# No usage analytics and no update check: the app must work, and stay quiet, offline.
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


def main(argv: list[str] | None = None) -> int:
    from bot.app.options import parse
    from bot.cli import quiet_libraries
    from bot.errors import ClaimCheckError

    quiet_libraries()
    try:
        options = parse(argv)
        # Imported here, after the environment above is set and only once the options are good.
        from bot.app.engine import SharedChecker
        from bot.app.layout import build, launch
        from bot.checker import Checker
        from bot.config import load_settings

        settings = load_settings(nli_model=options.nli_model, extra_knowledge=list(options.knowledge))
        engine = SharedChecker(Checker(settings))
        engine.warm_up()  # models load now, so the first answer is as fast as the rest
        launch(build(engine), host=options.host, port=options.port)
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
