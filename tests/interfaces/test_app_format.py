"""The HTML of chat replies, the help message and the knowledge browser (no models needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import DEFAULT_KNOWLEDGE
from bot.conversation.dialogue import Conversation
from bot.interfaces.app import format
from bot.knowledge.load import load_plain
from bot.knowledge.records import Record, Source
from bot.verdict.report import Evidence, QuizOption, QuizResult, Report, Verdict

SCRIPT = "<script>alert('x')</script>"
SOURCE = Source(title="Deep learning myths", author="Holbox", date="2025-05-10")


def record(text="Deep learning learns from data.", *, id="intro-1", heading="Intro", kind="passage", rating="true",
           source=SOURCE, note=None, path=str(DEFAULT_KNOWLEDGE / "kb.yaml")) -> Record:
    return Record(id=id, section=id.split("-")[0], heading=heading, kind=kind, text=text, rating=rating,
                  source=source, note=note, path=path)


def verdict(claim="Deep learning learns from data", label="true", *, citation=None, confidence=0.87,
            explanation="The article supports this.") -> Verdict:
    return Verdict(statement=claim, claim=claim, verdict=label, confidence=confidence, explanation=explanation,
                   citation=citation if citation is not None else record())


@pytest.mark.parametrize("label, shown", [("true", "✔ TRUE"), ("false", "✘ FALSE"), ("nuanced", "≈ NUANCED"),
                                          ("unverifiable", "? UNVERIFIABLE")])
def test_badge_has_symbol_word_and_colour_class(label, shown):
    html = format.badge(label)
    assert shown in html and f'class="cc-badge cc-{label}"' in html


def test_verdict_shows_badge_confidence_explanation_and_folded_citation():
    html = format.report(Report("Deep learning learns from data.", claims=(verdict(),)))
    assert "✔ TRUE" in html and "87% confident" in html
    assert "The article supports this." in html
    details = html[html.index("<details"):html.index("</details>")]
    assert "<summary>" in details and "Intro" in details and "Deep learning myths (Holbox, 2025-05-10)" in details
    assert "<blockquote>Deep learning learns from data.</blockquote>" in details
    assert html.index("✔ TRUE") < html.index("The article supports this.") < html.index("<details")


def test_reply_is_one_html_block_so_markdown_cannot_reinterpret_it():
    html = format.report(Report("x", claims=(verdict("a\n\n**b**\n\n# c"), verdict("d"))))
    assert "\n" not in html
    assert "**b** # c" in html


def test_statement_with_html_or_script_is_escaped():
    claim = f'Deep <b onmouseover="x()">learning</b> {SCRIPT}'
    html = format.report(Report(claim, claims=(verdict(claim, "false"),), notes=(SCRIPT,)))
    assert "<script" not in html and "<b " not in html and "</b>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;b onmouseover=&quot;x()&quot;&gt;" in html


def test_citation_from_a_hostile_knowledge_record_is_escaped():
    bad = record(f"Passage {SCRIPT}", heading="<img src=x onerror=alert(1)>",
                 source=Source(title=f"My {SCRIPT} notes", url="javascript:alert(1)"))
    html = format.report(Report("x", claims=(verdict(citation=bad),)))
    assert "<script" not in html and "<img" not in html and "javascript:" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_citation_links_only_to_web_urls():
    linked = record(source=Source(title="Blog", url="https://example.org/post?a=1&b=2"))
    html = format.citation(linked)
    assert 'href="https://example.org/post?a=1&amp;b=2"' in html and 'rel="noopener noreferrer"' in html


def test_user_message_keeps_line_breaks_and_escapes():
    html = format.user_message(f"Which is true?\nA) {SCRIPT}\n\nB) *b*")
    assert html == ('<div class="cc-user">Which is true?<br>A) &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;'
                    "<br>B) *b*</div>")


def test_several_claims_are_counted_and_each_shown():
    html = format.report(Report("a. b.", claims=(verdict("a"), verdict("b", "false"))))
    assert "I found 2 claims" in html
    assert html.count('class="cc-verdict"') == 2


def test_outside_knowledge_is_said_plainly():
    unknown = Verdict(statement="Cats purr.", claim="Cats purr", verdict="unverifiable", confidence=0.5,
                      explanation="The knowledge base does not cover this.", citation=None)
    html = format.report(Report("Cats purr.", claims=(unknown,)))
    assert "outside what I know" in html and "<details" not in html
    assert "outside what I know" not in format.report(Report("x", claims=(verdict(), unknown)))


def test_quiz_gives_the_answer_first_then_one_line_per_option():
    options = (QuizOption("A", "It learns from data.", verdict("It learns from data")),
               QuizOption("B", f"It needs {SCRIPT} data.", verdict("It needs data", "false",
                                                                   citation=record(id="myth-1", heading="Myth 1"))),
               QuizOption("C", "It is used in medicine.", verdict("It is used in medicine")))
    quiz = QuizResult(question="Which is NOT true?", asks_for="false", options=options, answer=("B",),
                      explanation="Option B is not true.")
    html = format.report(Report("Which is NOT true? A) ... B) ... C) ...", quiz=quiz))
    assert html.index("Answer: <strong>B</strong>") < html.index("<li><strong>A)</strong>")
    assert "NOT true" in html
    rows = html[html.index('<ul class="cc-options">'):].split("</ul>")[0]
    assert rows.count("<li>") == 3
    assert rows.index("A)") < rows.index("B)") < rows.index("C)")
    assert "✘ FALSE" in rows and "<script" not in html
    assert "<details" in html and "Myth 1" in html


def test_a_best_guess_is_marked_as_one():
    quiz = QuizResult(question="Which is true?", asks_for="true", answer=("B",), explanation="Best guess: B.",
                      options=(QuizOption("A", "x", verdict("x", "false")), QuizOption("B", "y", verdict("y", "false"))),
                      certain=False)
    assert "Answer: <strong>B (best guess)</strong>" in format.report(Report("q", quiz=quiz))


def test_a_composed_option_shows_the_statement_it_was_judged_as():
    quiz = QuizResult(question="Which method reuses a trained model?", asks_for="true", answer=("A",), explanation="",
                      options=(QuizOption("A", "Transfer learning", verdict("Transfer learning reuses a trained model.")),
                               QuizOption("B", "It learns from data", verdict("It learns from data"))))
    rows = format.report(Report("q", quiz=quiz)).split('<ul class="cc-options">')[1].split("</ul>")[0]
    first, second = rows.split("</li>")[:2]
    assert "read as: Transfer learning reuses a trained model." in first and "read as" not in second


def test_unverifiable_shows_its_confidence_like_every_verdict():
    unknown = Verdict(statement="Cats purr.", claim="Cats purr", verdict="unverifiable", confidence=0.97,
                      explanation="Not covered.", citation=None)
    html = format.report(Report("Cats purr.", claims=(unknown,)))
    assert '? UNVERIFIABLE</span> <span class="cc-confidence">97% confident</span>' in html


def test_a_myth_is_labelled_apart_from_the_passage_cited():
    myth = record("You cannot train a model without a GPU.", id="myth-4-gpu", kind="claim", rating="false")
    truth = record("Models can be trained on ordinary CPUs.", id="myth-4-truth", heading="Myth 4")
    html = format.report(Report("Do I need a GPU?", claims=(Verdict(
        statement="Do I need a GPU?", claim="I need a GPU", verdict="false", confidence=0.9, explanation="A myth.",
        citation=truth, myth=myth),)))
    cited = html[html.index("<details"):]
    assert "The myth: <q>You cannot train a model without a GPU.</q>" in html
    assert "ordinary CPUs" in cited and "without a GPU" not in cited


def test_several_claims_get_an_overall_verdict_first():
    html = format.report(Report("a. b.", claims=(verdict("a"), verdict("b", "false"))))
    assert html.index("Overall:") < html.index('class="cc-verdict"')
    assert "≈ NUANCED" in html.split('class="cc-verdict"')[0]


def test_help_lists_topics_and_the_verdicts():
    builtin = [record(heading=f"Myth {n}", id=f"myth-{n}") for n in range(1, 15)]
    html = format.help_message(builtin, [])
    assert "Myth 1" in html and "Myth 12" in html and "Myth 13" not in html and "2 more" in html
    assert all(word in html for word in ("TRUE", "FALSE", "NUANCED", "UNVERIFIABLE"))


def test_knowledge_browser_shows_sections_rated_claims_passages_and_added_sources(tmp_path: Path):
    notes = tmp_path / "notes.md"
    notes.write_text(f"# My <b>notes</b>\n\nAttention is all you need {SCRIPT}.\n", encoding="utf-8")
    added = load_plain(notes)
    builtin = [record(), record("Deep learning needs massive data.", id="myth-1-claim", heading="Myth 1",
                                kind="claim", rating="false", note="Not <i>really</i>.")]
    html = format.knowledge(builtin, added)
    assert "2 sections, 1 rated claim, 1 passage built in; 1 passage from your own sources" in html
    assert "✘ FALSE" in html and "Not &lt;i&gt;really&lt;/i&gt;." in html
    yours = html[html.index("Your sources"):]
    assert "My &lt;b&gt;notes&lt;/b&gt;" in yours and "&lt;script&gt;" in yours
    assert "<script" not in html and "<b>" not in html and "<i>" not in html


def test_knowledge_browser_without_added_sources_says_how_to_add_them():
    assert "--knowledge DIR" in format.knowledge([record()], [])


def test_section_chart_has_one_bar_a_section_with_its_counts():
    chart = format.section_chart({("myth-1", "false"): 2, ("myth-1", "true"): 1, ("none", "unverifiable"): 3,
                                  ("<b>x</b>", "true"): 1})
    rows = chart.split("<li>")[1:]
    assert [row.split("</span>")[0].split(">")[-1] for row in rows] == ["&lt;b&gt;x&lt;/b&gt;", "myth-1", "none"]
    assert "1 true, 2 false" in rows[1] and 'class="cc-false" style="width:66.7%"' in rows[1]
    assert format.section_chart({}) == ""


MYTH = record("You need a GPU.", id="myth-4-claim", heading="Myth 4: hardware", kind="claim", rating="false")
TRUTH = record("Models train on CPUs.", id="myth-4-truth", heading="Myth 4: hardware")


def test_the_evidence_shows_as_bars_named_by_section_in_the_citation():
    evidence = (Evidence(record(), 0.8, 0.7, 0.2, 0.1), Evidence(MYTH, 0.6, 0.1, 0.1, 0.8))
    html = format.report(Report("x", claims=(Verdict("x", "x", "true", 0.7, "ok", record(), evidence),)))
    bars = html[html.index('<ul class="cc-bars">'):]
    assert 'aria-label="entailment 70%, neutral 20%, contradiction 10%"' in bars
    assert 'class="cc-e" style="width:70.0%"' in bars
    assert "“Intro”: entailment 70%" in bars and "the myth</span>, “Myth 4: hardware”" in bars
    assert "myth-4-claim" not in bars and "intro-1" not in bars  # a reader wants the section's name, not an id


def test_why_lists_what_was_weighed_once_as_a_list_with_the_myth_named():
    evidence = (Evidence(MYTH, 0.9, 0.94, 0.05, 0.01), Evidence(TRUTH, 0.8, 0.06, 0.19, 0.75))
    claim = Verdict("I need a GPU", "I need a GPU", "false", 0.98, "A myth.", TRUTH, evidence, myth=MYTH)
    talk = Conversation(lambda message: Report(message, claims=(claim,)))
    talk.say("I need a GPU")
    html = format.turn(talk.say("why?"))
    items = html[html.index('<ul class="cc-bars cc-weighed">'):].split("</ul>")[0].split("<li>")[1:]
    assert len(items) == 2 and "- " not in html
    assert '<span class="cc-rated">The myth:</span> <q>You need a GPU.</q>' in items[0]
    assert "cc-rated" not in items[1] and items[1].startswith("<q>Models train on CPUs.</q>")
    assert html.count("entailment 94%") == 1 + html.count('aria-label="entailment 94%')  # shown once, and its bar
    assert html.count("You need a GPU.") == 1  # the myth is in the list, so not repeated above it


def test_a_low_confidence_is_marked_as_tentative():
    unsure, sure = verdict(confidence=0.55), verdict(confidence=0.87)
    assert "cc-low" in format.confidence(unsure) and "tentative" in format.confidence(unsure)
    assert "cc-low" not in format.confidence(sure)
