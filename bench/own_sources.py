"""The own-sources benchmark: checking statements against a user's notes, and the article's unchanged.

    python bench/own_sources.py [--json] [--record]

`tests/data/own_sources/notes/` holds four note files (Markdown, text and HTML) on topics the
article does not cover: regularisation, optimisers, architectures, initialisation.
`statements.jsonl` holds labelled statements about them (and a few that neither covers);
`article.jsonl` statements about the article, which must keep their verdicts when the notes
are added. `heldout/` holds one more note file and statements about it, checked on their own
and never used to fit anything (`bench/tune_note_thresholds.py` fits on `statements.jsonl`, so
the figures on those are training figures; its out-of-fold figure is the honest one). Prints accuracy, macro-F1, flips and citation sections on the notes' statements
(checked with the notes added), and how many article statements keep their verdict.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.results import measured, record  # noqa: E402
from bot.config import PROJECT_ROOT, load_settings  # noqa: E402
from bot.evaluation.statements import evaluate, read_labelled  # noqa: E402
from bot.verdict.checker import Checker  # noqa: E402

DATA = PROJECT_ROOT / "tests" / "data" / "own_sources"
NOTES = DATA / "notes"
# A note file and statements written after the notes' thresholds and contrast words were first
# fitted to the statements above, and never fitted on since: the notes' held-out figure.
HELDOUT = DATA / "heldout"


def run(builtin: Checker | None = None) -> dict:
    """The benchmark's figures; `builtin` is a checker of the built-in knowledge to reuse."""
    builtin = builtin or Checker(load_settings())
    with_notes = Checker(load_settings(extra_knowledge=[NOTES]), nli=builtin.nli, notes_nli=builtin.notes_nli, thresholds=builtin.thresholds,
                         note_thresholds=builtin.note_thresholds)
    notes = evaluate(with_notes, read_labelled(DATA / "statements.jsonl"))
    unseen = Checker(load_settings(extra_knowledge=[HELDOUT]), nli=builtin.nli, notes_nli=builtin.notes_nli, thresholds=builtin.thresholds,
                     note_thresholds=builtin.note_thresholds)
    heldout = evaluate(unseen, read_labelled(HELDOUT / "statements.jsonl"))
    article = read_labelled(DATA / "article.jsonl")
    statements = [row.statement for row in article]
    before = [report.headline.verdict for report in builtin.check_many(statements)]
    after = [report.headline.verdict for report in with_notes.check_many(statements)]
    return {
        "notes": notes,
        "heldout": heldout,
        "article": {
            "count": len(article),
            "unchanged": sum(b == a for b, a in zip(before, after)),
            "changed": [{"statement": s, "without_notes": b, "with_notes": a}
                        for s, b, a in zip(statements, before, after) if b != a],
            "accuracy_without_notes": round(sum(b == row.verdict for b, row in zip(before, article)) / len(article), 4),
            "accuracy_with_notes": round(sum(a == row.verdict for a, row in zip(after, article)) / len(article), 4),
        },
    }


def _figures(result: dict) -> dict:
    return {"statements": result["count"], "accuracy": result["accuracy"], "flips": len(result["flips"]),
            "macro-F1": result["macro_f1"], "citation section right": result["citation_section_accuracy"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print every figure as JSON")
    parser.add_argument("--record", action="store_true", help="also write the figures to bench/results/own_sources.json")
    args = parser.parse_args()
    result = run()
    if args.record:
        record("own_sources", [
            measured("notes", "Statements about the four note files (the notes' thresholds are fitted on them)",
                     _figures(result["notes"])),
            measured("held-out-note", "Statements about the held-out note", _figures(result["heldout"])),
            measured("article-unchanged", "Statements about the article: verdicts unchanged with the notes added",
                     {"statements": result["article"]["count"], "unchanged": result["article"]["unchanged"]}),
        ])
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    notes, article = result["notes"], result["article"]
    print(f"notes: {notes['count']} statements, accuracy {notes['accuracy']:.3f}, macro-F1 {notes['macro_f1']:.3f}, "
          f"flips {len(notes['flips'])}, citation section {notes['citation_section_accuracy']}")
    for flip in notes["flips"]:
        print(f"  FLIP gold {flip['gold']}, predicted {flip['predicted']}: {flip['statement']}")
    heldout = result["heldout"]
    print(f"held-out note: {heldout['count']} statements, accuracy {heldout['accuracy']:.3f}, "
          f"macro-F1 {heldout['macro_f1']:.3f}, flips {len(heldout['flips'])}, "
          f"citation section {heldout['citation_section_accuracy']}")
    print(f"article: {article['unchanged']} of {article['count']} verdicts unchanged with the notes added; "
          f"accuracy {article['accuracy_without_notes']:.3f} without, {article['accuracy_with_notes']:.3f} with")
    for change in article["changed"]:
        print(f"  CHANGED {change['without_notes']} -> {change['with_notes']}: {change['statement']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
