"""Serve the chat app: load the knowledge and models once, build the page, listen.

The one start-up path of `python app.py` and `claimcheck app` (which a plain `pip install .`
provides, without the checkout's app.py).
"""

from __future__ import annotations

import os

from bot.interfaces.app.options import Options


def serve(options: Options) -> None:
    """Serve until interrupted. Raises ClaimCheckError (a bad knowledge file, model or option)."""
    # No usage analytics and no update check: the app must work, and stay quiet, offline.
    # Set before Gradio is imported, which reads them.
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    from bot.config import load_settings
    from bot.interfaces.app.engine import SharedChecker
    from bot.interfaces.app.layout import build, launch
    from bot.verdict.checker import Checker

    settings = load_settings(nli_model=options.nli_model, extra_knowledge=list(options.knowledge))
    engine = SharedChecker(Checker(settings))
    engine.warm_up()  # models load now, so the first answer is as fast as the rest
    launch(build(engine), host=options.host, port=options.port)
