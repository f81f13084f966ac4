"""Training: the data and the loops that make the shipped models. Never on the check path.

Owns the domain and claim-bank NLI pairs (`domain`, `bank`, `antonyms`), negation
augmentation (`augment`) and fine-tuning the NLI cross-encoder (`train_nli`). The scripts in
`scripts/` and `bench/` drive them.

May import: `bot.evaluation` and every stage below it.
"""
