"""The user's own files: text out of Markdown, HTML and PDF, one passage per sentence, a leading
pronoun resolved for the models while the cited text stays the user's."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import KnowledgeError
from bot.knowledge.load import load_knowledge, load_plain
from bot.text.passages import clauses, resolve, split_sentences, subject


def _pdf(pages: list[list[str]]) -> bytes:
    """A minimal PDF with one text line per string (Helvetica), built by hand."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{' '.join(f'{3 + 2 * i} 0 R' for i in range(len(pages)))}] "
               f"/Count {len(pages)} >>"]
    font = 3 + 2 * len(pages)
    for i, lines in enumerate(pages):
        content = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R "
                       f"/Resources << /Font << /F1 {font} 0 R >> >> >>")
        objects.append(f"<< /Length {len(content)} >>\nstream\n{content}\nendstream")
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out, offsets = "%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n" + "".join(f"{o:010d} 00000 n \n" for o in offsets)
    return (out + f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").encode()


def _write(folder: Path, name: str, data: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def test_the_example_note_becomes_two_sentences_the_second_resolved(tmp_path):
    path = _write(tmp_path, "notes.md", "# Regularisation\n## Dropout\nDropout randomly sets a fraction of "
                  "activations to zero during training. It reduces overfitting in large networks.\n")
    first, second = load_plain(path)
    assert (first.section, first.source.title) == ("Regularisation > Dropout", "Regularisation")
    assert second.text == "It reduces overfitting in large networks."  # the cited text: the user's own
    assert second.reading == "Dropout reduces overfitting in large networks."
    assert second.model_text == second.reading and first.model_text == first.text
    assert second.context == first.text and first.context is None
    assert [first.id, second.id] == ["user-notes-1", "user-notes-2"]


def test_sentences_split_at_full_stops_but_not_abbreviations_or_decimals():
    text = "Typical rates are 0.1 to 0.5, e.g. in PyTorch. Adam (Kingma et al. 2015) is common! Is it? Yes."
    assert split_sentences(text) == ["Typical rates are 0.1 to 0.5, e.g. in PyTorch.",
                                     "Adam (Kingma et al. 2015) is common!", "Is it?", "Yes."]
    assert all(len(piece.split()) <= 90 for piece in split_sentences("word " * 500))


@pytest.mark.parametrize(("previous", "sentence", "reading"), [
    ("Residual connections let gradients flow through deep networks.", "They made very deep networks trainable.",
     "Residual connections made very deep networks trainable."),
    ("Adam combines momentum with per-parameter step sizes.", "Its default learning rate is 0.001.",
     "Adam's default learning rate is 0.001."),
    ("Batch normalisation normalises each layer's inputs.", "It allows higher learning rates.",
     "Batch normalisation allows higher learning rates."),
    ("The learning rate controls the step size.", "It is the most important hyperparameter.",
     "The learning rate is the most important hyperparameter."),
    ("Convolutional layers slide small filters over the input.", "They share their weights.",
     "Convolutional layers share their weights."),
    ("Long short-term memory networks (LSTMs) add gates.", "They keep information longer.",
     "Long short-term memory networks keep information longer."),
    ("Gradient clipping rescales gradients whose norm exceeds a threshold.", "It prevents exploding gradients.",
     "Gradient clipping prevents exploding gradients."),
    # Left alone: no clear subject, the wrong number, an "it" that stands for nothing, no pronoun.
    ("The loss landscape of deep networks is non-convex.", "It has many saddle points.", None),
    ("Dropout zeroes activations.", "They reduce overfitting.", None),
    ("Transformers rely on attention.", "It scales quadratically.", None),
    ("Weight decay shrinks weights.", "It is important to tune it.", None),
    ("This makes training stable.", "It helps a lot.", None),
    ("Dropout zeroes activations.", "Dropout reduces overfitting.", None),
])
def test_a_leading_pronoun_is_resolved_only_when_the_subject_is_clear(previous, sentence, reading):
    assert resolve(sentence, previous) == reading


def test_subject_reads_the_opening_noun_phrase_and_its_number():
    assert subject("Convolutional layers share weights across positions.") == ("Convolutional layers", "plural")
    assert subject("Early stopping halts training when the loss stops improving.") == ("Early stopping", "singular")
    assert subject("If the loss rises, stop.") is None


def test_markdown_lists_links_and_code_are_read_as_prose(tmp_path):
    path = _write(tmp_path, "m.md", "# Tips\n- **Weight decay** adds a [penalty](http://x) on large weights\n"
                  "- `Adam` is a good default\n\n```python\nx = 1  # not prose\n```\n| a | b |\n")
    assert [r.text for r in load_plain(path)] == ["Weight decay adds a penalty on large weights",
                                                  "Adam is a good default"]


def test_html_headings_paragraphs_and_items_without_scripts(tmp_path):
    page = ("<html><head><meta charset='latin-1'><title>My notes</title><script>var x = 'No.';</script></head>"
            "<body><nav><a href='/'>Home</a></nav><h1>Optimisers</h1><h2>Adam</h2><p>Adam keeps running "
            "averages of the gradients. It adapts each step size.</p><ul><li>SGD is simple.</li></ul>"
            "<h2>Caf\xe9</h2><p>Momentum damps oscillations.</p></body></html>").encode("latin-1")
    records = load_plain(_write(tmp_path, "notes.html", page))
    assert records[0].source.title == "My notes"
    assert [(r.section, r.text) for r in records] == [
        ("Optimisers > Adam", "Adam keeps running averages of the gradients."),
        ("Optimisers > Adam", "It adapts each step size."),
        ("Optimisers > Adam", "SGD is simple."),
        ("Optimisers > Café", "Momentum damps oscillations."),
    ]
    assert records[1].reading == "Adam adapts each step size."


def test_pdf_pages_become_passages_with_words_mended_across_lines(tmp_path):
    path = _write(tmp_path, "notes.pdf", _pdf([["Adam keeps running averages of the gra-", "dients. It adapts each "
                                                 "step size."], ["SGD with momentum is simple."]]))
    records = load_plain(path)
    assert [(r.section, r.text) for r in records] == [
        ("page 1", "Adam keeps running averages of the gradients."), ("page 1", "It adapts each step size."),
        ("page 2", "SGD with momentum is simple.")]
    assert records[1].reading == "Adam adapts each step size."


@pytest.mark.parametrize(("name", "data", "message"), [
    ("broken.pdf", b"%PDF-1.4 this is not really a PDF", "broken.pdf: not a readable PDF"),
    ("empty.pdf", _pdf([[]]), "empty.pdf: no text in this PDF"),
    ("latin.txt", "caf\xe9".encode("latin-1"), "latin.txt: not UTF-8"),
])
def test_a_file_that_cannot_be_read_is_named(tmp_path, name, data, message):
    _write(tmp_path, name, data)
    with pytest.raises(KnowledgeError, match=message):
        load_knowledge([tmp_path])


def test_a_sentence_that_says_two_things_keeps_each_as_a_clause():
    assert clauses("Because attention ignores order, transformers add positional encodings.") == (
        "Transformers add positional encodings.",)
    assert clauses("Batch normalisation allows higher learning rates and makes training less sensitive.") == (
        "Batch normalisation allows higher learning rates.", "Batch normalisation makes training less sensitive.")
    assert clauses("Convolutional layers share their weights, so they need far fewer parameters.") == (
        "Convolutional layers share their weights.", "Convolutional layers need far fewer parameters.")


def test_a_sentence_that_says_one_thing_has_no_clauses():
    assert clauses("Dropout reduces overfitting, mostly in large fully connected layers.") == ()
    assert clauses("The ReLU activation outputs zero for negative inputs and the input itself otherwise.") == ()
