"""Answer a quiz from its options' verdicts: always an answer, and honest about how sure it is.

Each option gets a truth score on one scale from its verdict, confidence and evidence:

    false -1 .. -2 (by confidence) < nuanced -0.25 .. -0.75 < unverifiable -0.2 .. 0.2 < true 1 .. 2

An unverifiable option leans by its evidence (support minus refutation below the verdict
thresholds, `decide.signals`), so even a quiz no option fits cleanly gets the option the
evidence favours most, marked `certain: false`.
"""

from __future__ import annotations

from bot.knowledge.records import KINDS
from bot.text.quiz import ParsedQuiz
from bot.verdict import explain
from bot.verdict.decide import signals
from bot.verdict.report import QuizOption, QuizResult, Verdict


def lean(verdict: Verdict) -> float:
    """How far the evidence leans towards the claim holding (+1) or not (-1), whatever the verdict."""
    # The article's own records; restatements of them are asked the other way round.
    records = [item for item in verdict.evidence if item.record.kind in KINDS]
    best = max((item.retrieval_score for item in records), default=0.0)
    if best <= 0:
        return 0.0
    scored = [signals(item, item.retrieval_score / best) for item in records]
    holds = max(max(support, deny) for support, _, _, _, deny in scored)
    against = max(max(refute, myth, nuance) for _, refute, myth, nuance, _ in scored)
    return max(-1.0, min(1.0, holds - against))


def truth_score(verdict: Verdict) -> float:
    """The option's place on the scale from surely false (-2) to surely true (2)."""
    confidence = max(0.0, min(1.0, verdict.confidence))
    if verdict.verdict == "true":
        return 1.0 + confidence
    if verdict.verdict == "false":
        return -1.0 - confidence
    if verdict.verdict == "nuanced":
        return -0.25 - 0.5 * confidence
    return 0.2 * lean(verdict)


def _fits(options: tuple[QuizOption, ...], asks_for: str) -> list[QuizOption]:
    """The options of the kind asked for; for "not true", nuanced ones when none is false."""
    fitting = [option for option in options if option.verdict.verdict == asks_for]
    if not fitting and asks_for == "false":
        fitting = [option for option in options if option.verdict.verdict == "nuanced"]
    return fitting


def _clean(options: tuple[QuizOption, ...], fitting: list[QuizOption], asks_for: str) -> bool:
    """Whether the fitting options are of the verdict asked for, or (nuanced, for "not true") the
    only options that are not true."""
    if any(option.verdict.verdict == asks_for for option in fitting):
        return True
    return all(option in fitting or option.verdict.verdict == "true" for option in options)


def _favoured(options: list[QuizOption] | tuple[QuizOption, ...], asks_for: str) -> QuizOption:
    """The option the evidence favours most for what is asked (the first of equals)."""
    sign = 1.0 if asks_for == "true" else -1.0
    return max(options, key=lambda option: sign * truth_score(option.verdict))


def _result(parsed: ParsedQuiz, options: tuple[QuizOption, ...], answer: tuple[str, ...], certain: bool,
            explanation: str) -> QuizResult:
    return QuizResult(question=parsed.question, asks_for=parsed.asks_for, options=options, answer=answer,
                      explanation=explanation, kind=parsed.kind, certain=certain)


def answer_quiz(parsed: ParsedQuiz, options: tuple[QuizOption, ...]) -> QuizResult:
    """The option(s) the evidence favours most for what the question asks; `certain` when one fits cleanly."""
    if parsed.kind == "true_or_false":
        verdict = options[0].verdict
        says_true = verdict.verdict == "true" or (verdict.verdict == "unverifiable" and truth_score(verdict) > 0)
        certain = verdict.verdict in ("true", "false")
        return _result(parsed, options, ("True" if says_true else "False",), certain,
                       explain.true_or_false(says_true, certain, verdict))
    fitting = _fits(options, parsed.asks_for)
    clean = _clean(options, fitting, parsed.asks_for)
    if parsed.kind == "all" and fitting:
        certain = all(option.verdict.verdict != "unverifiable" for option in options)
        return _result(parsed, options, tuple(option.label for option in fitting), certain,
                       explain.quiz(parsed.asks_for, fitting, certain=certain))
    if len(fitting) == 1 and clean:
        return _result(parsed, options, (fitting[0].label,), True, explain.quiz(parsed.asks_for, fitting))
    best = _favoured(fitting or options, parsed.asks_for)
    return _result(parsed, options, (best.label,), False,
                   explain.best_guess(parsed.asks_for, best, [option.label for option in fitting]))
