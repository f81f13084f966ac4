"""Evaluation: scoring the checker and its NLI models on labelled data. Never on the check path.

Owns the labelled statement format and its metrics (`statements`, `metrics`), the
real-world sets' host split (`realworld`), conversations (`dialogue`), the behavioural
suite (`behaviour`) and NLI pair files and their scoring (`nli_pairs`, `nli`).

May import: every stage below the interfaces (`bot.conversation`, `bot.verdict`,
`bot.knowledge`, `bot.models`, `bot.text`).
"""
