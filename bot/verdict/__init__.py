"""The verdict: from a message to cited verdicts.

`checker.Checker` runs the whole path: plan the claims (`bot.text`), retrieve
(`bot.knowledge`), read the pairs with the NLI models (`bot.models`), decide
(`calibration`, else the thresholds of `decide`; `contrast` for the user's notes), combine,
cite (`citations`), explain (`explain`) and answer quizzes (`quiz_answer`). `report` holds
the typed records every interface receives: `Evidence`, `Verdict`, `Report`.

May import: `bot.text`, `bot.models`, `bot.knowledge`, and the modules at the top of `bot`.
"""
