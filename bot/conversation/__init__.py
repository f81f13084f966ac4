"""The conversation: follow-ups on the last answer ("why?", "source?", "what about TPUs?").

Owns the state of one conversation and its turns (`dialogue`) and reading a follow-up
against the previous claim (`follow_ups`). It is handed a check function, so it runs with
any checker.

May import: `bot.verdict`, `bot.knowledge`, `bot.text`, and the modules at the top of `bot`.
"""
