"""Text out of the files people keep notes in: Markdown, plain text, HTML and PDF.

Each file becomes a title and a list of `Block`s: a paragraph, list item or table cell of
running text, with the path of headings above it. Markup is dropped; code is skipped.
A file that cannot be read raises `KnowledgeError` naming it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.errors import KnowledgeError

MARKDOWN = (".md", ".markdown", ".txt")
HTML = (".html", ".htm")
PDF = (".pdf",)
FORMATS = MARKDOWN + HTML + PDF

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1")
_HTML_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "dt", "dd", "blockquote", "figcaption", "td", "th")


@dataclass(frozen=True)
class Block:
    """A run of text under a heading path (outermost first)."""

    headings: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class Document:
    """A file's title (its first top-level heading, HTML title or PDF title, else its name) and blocks."""

    title: str
    blocks: list[Block]


def extract(path: Path) -> Document:
    """The title and text blocks of one file, by its extension."""
    suffix = path.suffix.lower()
    if suffix in HTML:
        return _html(path)
    if suffix in PDF:
        return _pdf(path)
    return _markdown(path, _read_text(path))


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise KnowledgeError(f"{path}: not UTF-8 text; save it as UTF-8") from None
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot read it: {exc.strerror}") from None


def _clean(text: str) -> str:
    """Inline Markdown (links, emphasis, code spans) reduced to its words, spaces collapsed."""
    text = _LINK.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\2", text)
    return " ".join(text.split())


def _markdown(path: Path, text: str) -> Document:
    title, headings, blocks, lines = None, [], [], []

    def flush() -> None:
        if lines:
            blocks.append(Block(tuple(headings), _clean(" ".join(lines))))
            lines.clear()

    in_code = False
    for line in text.splitlines():
        if _FENCE.match(line):
            flush()
            in_code = not in_code
            continue
        heading, item = _HEADING.match(line), _ITEM.match(line)
        if in_code:
            continue
        if line.lstrip().startswith("|") or line.startswith(("    ", "\t")) and not item and not lines:
            flush()  # tables and indented code are not prose
        elif heading:
            flush()
            level = len(heading.group(1))
            headings[level - 1:] = [_clean(heading.group(2))]
            del headings[level:]
            title = title or (headings[0] if level == 1 else None)
        elif item:
            flush()  # each list item is its own block: bullets often end without a full stop
            lines.append(item.group(1))
        elif line.strip():
            lines.append(line.strip().lstrip("> "))
        else:
            flush()
    flush()
    return Document(title or path.stem, [b for b in blocks if b.text])


def _html(path: Path) -> Document:
    from bs4 import BeautifulSoup

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot read it: {exc.strerror}") from None
    soup = BeautifulSoup(data, "html.parser")  # bytes: the page's own <meta charset> decides the encoding
    for hidden in soup(["script", "style", "noscript", "template", "nav", "pre", "code"]):
        hidden.decompose()
    headings: list[str] = []
    blocks: list[Block] = []
    for element in soup.find_all(_HTML_BLOCKS):
        if element.find(_HTML_BLOCKS):
            continue  # a container: its inner blocks are visited on their own
        words = " ".join(element.get_text(" ", strip=True).split())
        if not words:
            continue
        if element.name[0] == "h" and element.name[1:].isdigit():
            level = int(element.name[1:])
            headings[level - 1:] = [words]
            del headings[level:]
        else:
            blocks.append(Block(tuple(h for h in headings if h), words))
    title = soup.title.get_text(strip=True) if soup.title else ""
    first = soup.find("h1")
    return Document(title or (first.get_text(" ", strip=True) if first else "") or path.stem, blocks)


def _pdf(path: Path) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            raise KnowledgeError(f"{path}: the PDF is encrypted; save an unprotected copy")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata.title if reader.metadata else None) or path.stem
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot read it: {exc.strerror}") from None
    except (PyPdfError, ValueError, KeyError) as exc:
        raise KnowledgeError(f"{path}: not a readable PDF ({type(exc).__name__})") from None
    blocks = []
    for number, page in enumerate(pages, start=1):
        # Lines of a PDF page break mid-sentence: join them, mending words hyphenated at a line end.
        words = " ".join(re.sub(r"(\w)-\n(\w)", r"\1\2", page).split())
        if words:
            blocks.append(Block((f"page {number}",), words))
    if not blocks:
        raise KnowledgeError(f"{path}: no text in this PDF (a scanned image?); save it as text")
    return Document(str(title), blocks)
