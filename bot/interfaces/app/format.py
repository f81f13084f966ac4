"""HTML for the chat app: replies, the help message and the knowledge browser.

Every piece of text that comes from a user, a statement or a knowledge file goes through
`text()` (html.escape), so markup in it is shown as text and never runs. The chat renders
Markdown around HTML blocks, so each fragment is one HTML block with no blank line inside:
Markdown syntax in the text stays literal too.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from bot.conversation.dialogue import Context, Turn
from bot.conversation.follow_ups import WEIGHED, figures, weighed
from bot.interfaces.present import BADGES, option_text, plural, quiz_answer, quiz_heading, read_as
from bot.knowledge.load import source_folder
from bot.knowledge.records import Record
from bot.verdict.citations import rated_as
from bot.verdict.report import Evidence, QuizResult, Report, Verdict

OUTSIDE_KNOWLEDGE = ("That is outside what I know: my knowledge is a set of deep-learning myths and facts. "
                     "Type “help” to see the topics I cover.")


def text(value: str) -> str:
    """Escaped text on one line (whitespace, newlines included, collapsed to single spaces)."""
    return html.escape(" ".join(value.split()), quote=True)


def markdown_text(value: str) -> str:
    """Text for a Markdown component, shown as written: Markdown's punctuation backslashed, markup escaped."""
    punctuation_escaped = re.sub(r"([\\`*_{}\[\]()#+\-.!|~])", r"\\\1", " ".join(value.split()))
    return html.escape(punctuation_escaped, quote=False)


def lines(value: str) -> str:
    """Escaped text that keeps the user's line breaks as <br>."""
    return "<br>".join(text(line) for line in value.strip().splitlines() if line.strip())


def badge(verdict: str) -> str:
    """The verdict as a symbol and a word, coloured by its class (never colour alone)."""
    return f'<span class="cc-badge cc-{html.escape(verdict)}">{html.escape(BADGES[verdict])}</span>'


def confidence(verdict: Verdict) -> str:
    """The verdict's confidence, and a mark when it is too low for a firm answer (`Verdict.low_confidence`)."""
    low = ' <span class="cc-low">low: a tentative reading</span>' if verdict.low_confidence else ""
    return f'<span class="cc-confidence">{verdict.confidence:.0%} confident</span>{low}'


def myth(record: Record) -> str:
    """The rated claim that decided a verdict, labelled so that no one reads it as the article's view."""
    return (f'<p class="cc-myth">{text((rated_as(record) or "the rated claim").capitalize())}: '
            f'<q>{text(record.text)}</q> <span class="cc-meta">({text(record.id)})</span></p>')


def source_line(record: Record) -> str:
    """Section and source of a record, e.g. “Myth 1: …” — Title (Author, date)."""
    return f"section “{text(record.heading)}” — {text(record.source.describe())}"


def _bar(item: Evidence) -> str:
    """Entailment / neutral / contradiction as one bar; the figures are its accessible name."""
    shares = (("cc-e", item.entailment), ("cc-n", item.neutral), ("cc-c", item.contradiction))
    spans = "".join(f'<span class="{css}" style="width:{value * 100:.1f}%"></span>' for css, value in shares)
    return f'<span class="cc-bar" role="img" aria-label="{figures(item)}">{spans}</span>'


def _weighed_item(item: Evidence, *, quote: bool) -> str:
    """One record weighed: its bar under its section's name, and with `quote` its words first.

    A rated claim is named as what it is ("the myth"), in the words or before the section.
    """
    named = rated_as(item.record)
    heading = f"“{text(item.record.heading)}”: {figures(item)}"
    if not quote:
        where = f'<span class="cc-rated">{text(named)}</span>, ' if named else ""
        return f'<li>{_bar(item)} <span class="cc-meta">{where}{heading}</span></li>'
    label = f'<span class="cc-rated">{text(named.capitalize())}:</span> ' if named else ""
    return f'<li>{label}<q>{text(item.record.text)}</q><br>{_bar(item)} <span class="cc-meta">{heading}</span></li>'


def evidence_bars(evidence: Iterable[Evidence]) -> str:
    """The records weighed, closest first, each a bar under its section's name (the quote is the citation's)."""
    rows = "".join(_weighed_item(item, quote=False) for item in weighed(evidence))
    return f'<ul class="cc-bars">{rows}</ul>' if rows else ""


def citation(record: Record, evidence: Iterable[Evidence] = ()) -> str:
    """The cited passage in a collapsible block: section and source, the passage, the evidence as bars."""
    url = record.source.url or ""
    link = (f' · <a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener noreferrer">source</a>'
            if url.startswith(("https://", "http://")) else "")
    return (f'<details class="cc-citation"><summary>Cited: {source_line(record)}</summary>'
            f'<blockquote>{text(record.text)}</blockquote>'
            f'<p class="cc-meta">record {text(record.id)}{link}</p>{evidence_bars(evidence)}</details>')


def notes(items: Iterable[str]) -> str:
    return "".join(f'<p class="cc-note">Note: {text(item)}</p>' for item in items)


def verdict(item: Verdict) -> str:
    """One claim: badge, confidence and claim on one line; the explanation; the citation."""
    parts = [(f'<div class="cc-verdict"><p class="cc-head">{badge(item.verdict)} {confidence(item)} '
              f'<span class="cc-claim">{text(item.claim)}</span></p>'),
             f'<p class="cc-explanation">{text(item.explanation)}</p>']
    if item.myth is not None:
        parts.append(myth(item.myth))
    if item.citation is not None:
        parts.append(citation(item.citation, item.evidence))
    parts.append(notes(item.notes))
    parts.append("</div>")
    return "".join(parts)


def quiz(result: QuizResult) -> str:
    """The answer first, then one line per option; the options' sources fold away below."""
    rows = "".join(
        f'<li><strong>{text(option.label)})</strong> {badge(option.verdict.verdict)} '
        f'{confidence(option.verdict)} {text(option_text(option.text))}'
        f'{_read_as(option.text, option.verdict.claim)}</li>'
        for option in result.options)
    cited = {option.verdict.citation.id: (option.label, option.verdict.citation)
             for option in result.options if option.verdict.citation is not None}
    sources = "".join(f'<li><strong>{text(label)})</strong> {source_line(record)}: '
                      f'<q>{text(record.text)}</q></li>' for label, record in cited.values())
    folded = (f'<details class="cc-citation"><summary>Sources for the options</summary><ul>{sources}</ul></details>'
              if sources else "")
    return (f'<div class="cc-quiz"><p class="cc-answer">Answer: <strong>{text(quiz_answer(result))}</strong> '
            f'({text(quiz_heading(result))})</p><p class="cc-explanation">{text(result.explanation)}</p>'
            f'<ul class="cc-options">{rows}</ul>{folded}</div>')


def _read_as(option: str, claim: str) -> str:
    """The statement an option was judged as, when it is not the option's own words."""
    judged = read_as(option, claim)
    return f' <span class="cc-meta">(read as: {text(judged)})</span>' if judged else ""


def report(item: Report) -> str:
    """The whole reply to one message."""
    if item.quiz is not None:
        body = quiz(item.quiz)
    else:
        count = len(item.claims)
        heading = ""
        if count > 1:
            whole = item.headline
            heading = (f'<p class="cc-count">I found {count} claims in your message.</p>'
                       f'<div class="cc-overall"><p class="cc-head">Overall: {badge(whole.verdict)} '
                       f'{confidence(whole)}</p>'
                       f'<p class="cc-explanation">{text(whole.explanation)}</p></div>')
        body = heading + "".join(verdict(claim) for claim in item.claims)
        if item.claims and all(claim.verdict == "unverifiable" for claim in item.claims):
            body += f'<p class="cc-outside">{text(OUTSIDE_KNOWLEDGE)}</p>'
    return f'<div class="cc-reply">{body}{notes(item.notes)}</div>'


def why(verdicts: Sequence[Verdict]) -> str:
    """ "why?": each claim's explanation, then what was weighed, closest first, quoted once with its bar."""
    blocks = []
    for item in verdicts:
        claim = f'<p class="cc-claim">“{text(item.claim)}”</p>' if len(verdicts) > 1 else ""
        records = weighed(item.evidence)
        named = myth(item.myth) if item.myth is not None and item.myth not in [e.record for e in records] else ""
        rows = "".join(_weighed_item(evidence, quote=True) for evidence in records)
        listed = f'<p>{text(WEIGHED)}</p><ul class="cc-bars cc-weighed">{rows}</ul>' if rows else ""
        blocks.append(f'<div class="cc-why">{claim}<p class="cc-explanation">{text(item.explanation)}</p>'
                      f"{named}{listed}</div>")
    return "".join(blocks)


def turn(item: Turn) -> str:
    """A conversation turn: the claim as it was read (when rewritten) and its verdicts, or a follow-up's reply."""
    if item.kind == "check":
        checking = f'<p class="cc-rewritten">Checking: {text(item.rewritten)}</p>' if item.rewritten else ""
        return checking + report(item.report)
    body = why(Context(item.report).about) if item.kind == "why" else f"<p>{lines(item.reply)}</p>"
    return f'<div class="cc-reply cc-followup">{body}</div>'


_CHART_ORDER = ("true", "false", "nuanced", "unverifiable", "quiz", "error")


def section_chart(sections: Mapping[tuple[str, str], int]) -> str:
    """Verdict counts per article section, one stacked bar a section (the Batch tab's picture)."""
    names = sorted({name for name, _ in sections}, key=lambda name: (name in ("none", "quiz", "error"), name))
    if not names:
        return ""
    widest = max(sum(n for (name, _), n in sections.items() if name == row) for row in names)
    rows = []
    for name in names:
        counts = [(label, sections.get((name, label), 0)) for label in _CHART_ORDER]
        label = ", ".join(f"{n} {verdict}" for verdict, n in counts if n)
        bar = "".join(f'<span class="cc-{verdict}" style="width:{100 * n / widest:.1f}%"></span>'
                      for verdict, n in counts if n)
        rows.append(f'<li><span class="cc-chart-name">{text(name)}</span><span class="cc-chart-bar" role="img" '
                    f'aria-label="{text(label)}">{bar}</span> <span class="cc-meta">{text(label)}</span></li>')
    return f'<div class="cc-chart"><p class="cc-meta">Verdicts by article section</p><ul>{"".join(rows)}</ul></div>'


def user_message(message: str) -> str:
    """The user's own message as shown in the chat: text, line breaks kept, no markup."""
    return f'<div class="cc-user">{lines(message)}</div>'


def _headings(records: Iterable[Record]) -> list[str]:
    return list(dict.fromkeys(record.heading for record in records))


def help_message(builtin: Sequence[Record], added: Sequence[Record], *, topics_shown: int = 12) -> str:
    """What the bot can do and what it knows, from the knowledge base itself."""
    sources = list(dict.fromkeys(record.source.describe() for record in builtin))
    topics = _headings(builtin)
    listed = "".join(f"<li>{text(topic)}</li>" for topic in topics[:topics_shown])
    more = (f"<li>… and {len(topics) - topics_shown} more (see the Knowledge tab)</li>"
            if len(topics) > topics_shown else "")
    yours = (f"<p>I also read {plural(len(added), 'passage')} from your own sources: "
             f"{', '.join(text(title) for title in dict.fromkeys(r.source.title for r in added))}.</p>"
             if added else "")
    return (
        '<div class="cc-help"><p><strong>What I do:</strong> I check statements about deep learning against a '
        f"small, cited knowledge base ({len(builtin)} records from {', '.join(text(s) for s in sources)}). "
        "Type a statement, a question, several sentences, or a whole multiple-choice quiz: a question "
        "followed by options labelled A), B), C)… Then ask “why?”, “source?” or “what about …?”.</p>"
        f"<p>Each claim gets a verdict: {badge('true')} {badge('false')} {badge('nuanced')} "
        f"{badge('unverifiable')} (outside what I know), a confidence, a short reason and the passage I "
        "relied on. I know nothing beyond these topics:</p>"
        f'<ul class="cc-topics">{listed}{more}</ul>{yours}</div>'
    )


def _record_line(record: Record) -> str:
    if record.kind == "claim":
        note = f' <span class="cc-meta">— {text(record.note)}</span>' if record.note else ""
        return f"<li>{badge(record.rating)} {text(record.text)}{note}</li>"
    return f'<li class="cc-passage">{text(record.text)}</li>'


def _sections(records: Sequence[Record]) -> str:
    blocks = []
    for heading in _headings(records):
        inside = [r for r in records if r.heading == heading]
        claims = sum(1 for r in inside if r.kind == "claim")
        counts = f"{plural(claims, 'rated claim')}, {plural(len(inside) - claims, 'passage')}"
        blocks.append(f'<details class="cc-section"><summary>{text(heading)} <span class="cc-meta">({counts})'
                      f'</span></summary><ul>{"".join(_record_line(r) for r in inside)}</ul></details>')
    return "".join(blocks)


def _by_source(records: Sequence[Record], folders: Sequence[Path]) -> str:
    """Records by source, each source headed by its title and the knowledge folder it came from."""
    parts = []
    for described, folder in dict.fromkeys((r.source.describe(), source_folder(r.path, folders)) for r in records):
        inside = [r for r in records if (r.source.describe(), source_folder(r.path, folders)) == (described, folder)]
        origin = f' <span class="cc-meta cc-folder">from {text(str(folder))}</span>' if folder else ""
        parts.append(f"<h3>{text(described)}{origin}</h3>{_sections(inside)}")
    return "".join(parts)


def knowledge(builtin: Sequence[Record], added: Sequence[Record], folders: Sequence[Path] = ()) -> str:
    """The knowledge browser: counts, then the built-in sections, then the user's sources.

    `folders` are the knowledge folders; each source names the one it came from.
    """
    claims = sum(1 for r in builtin if r.kind == "claim")
    summary = (f'<p class="cc-summary">{plural(len(_headings(builtin)), "section")}, {plural(claims, "rated claim")}, '
               f"{plural(len(builtin) - claims, 'passage')} built in; {plural(len(added), 'passage')} from your own "
               "sources.</p>")
    yours = (_by_source(added, folders) if added else
             "<p>No sources of your own yet. Start the app with <code>--knowledge DIR</code> to add a folder "
             "of Markdown, text, HTML, PDF or YAML files.</p>")
    return (f'<div class="cc-knowledge">{summary}<h2>Built-in knowledge</h2>{_by_source(builtin, folders)}'
            f"<h2>Your sources</h2>{yours}</div>")
