"""The front doors: the `claimcheck` command, the terminal chat, batch files and the web app.

Owns argument parsing (`arguments`, `cli`), plain-text rendering of reports (`present`), the
terminal conversation (`terminal`), batch checking from files (`batch`) and the Gradio app
(`app`). They only present: every verdict comes from `bot.verdict.checker.Checker`.

May import: every other stage.
"""
