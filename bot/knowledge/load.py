"""Load the knowledge base: the project's YAML records and the user's own text sources.

A knowledge folder may hold:

* `*.yaml` / `*.yml` files in the project's format (see the README): a `source` block and
  `sections`, each with a `heading` and `records`;
* Markdown, text, HTML and PDF files (`bot/text/extract.py`), one passage per sentence
  (`bot/text/passages.py`), whose section is their heading path.

Anything malformed raises `KnowledgeError` naming the file, the record and the problem.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from pathlib import Path
from typing import Iterable

import yaml

from bot.errors import KnowledgeError
from bot.knowledge.records import KINDS, NOT_COVERED, RATINGS, Record, Source
from bot.text.extract import FORMATS as PLAIN
from bot.text.extract import extract
from bot.text.passages import sentences

STRUCTURED = (".yaml", ".yml")
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def knowledge_files(folders: Iterable[Path]) -> list[Path]:
    """Every knowledge file under the folders, in a stable order."""
    files = []
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            raise KnowledgeError(f"{folder}: knowledge folder does not exist")
        files.extend(sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in STRUCTURED + PLAIN))
    return files


def source_folder(path: str | Path, folders: Iterable[Path]) -> Path | None:
    """The knowledge folder a file was found under (the innermost, when folders nest)."""
    path = Path(path).resolve()
    holding = [Path(folder) for folder in folders if path.is_relative_to(Path(folder).resolve())]
    return max(holding, key=lambda folder: len(folder.resolve().parts), default=None)


def fingerprint(files: Iterable[Path]) -> str:
    """SHA-256 over file names and contents: changes whenever the knowledge does."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_knowledge(folders: Iterable[Path]) -> list[Record]:
    """All records from the folders; ids must be unique across them."""
    records: list[Record] = []
    seen: dict[str, Path] = {}
    for path in knowledge_files(folders):
        loaded = load_structured(path) if path.suffix.lower() in STRUCTURED else load_plain(path)
        for record in loaded:
            if record.id in seen:
                raise KnowledgeError(f"{path}: record {record.id}: id already used in {seen[record.id]}")
            seen[record.id] = path
            records.append(record)
    if not records:
        raise KnowledgeError("the knowledge folders hold no records")
    return records


def _text(value, path: Path, where: str, field: str, required: bool = True) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, (str, int, float, datetime.date)) or not str(value).strip():
        raise KnowledgeError(f"{path}: {where}: `{field}` must be non-empty text")
    return " ".join(str(value).split())


def load_structured(path: Path) -> list[Record]:
    """Records of one YAML file in the project's format."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise KnowledgeError(f"{path}: not valid YAML: {str(exc).splitlines()[0]}") from None
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot read it: {exc.strerror}") from None
    if not isinstance(data, dict) or not isinstance(data.get("sections"), dict):
        raise KnowledgeError(f"{path}: expected a mapping with `source` and `sections`")
    meta = data.get("source") or {}
    if not isinstance(meta, dict):
        raise KnowledgeError(f"{path}: `source` must be a mapping")
    source = Source(
        title=_text(meta.get("title", path.stem), path, "source", "title"),
        author=_text(meta.get("author"), path, "source", "author", required=False),
        date=_text(meta.get("date"), path, "source", "date", required=False),
        url=_text(meta.get("url"), path, "source", "url", required=False),
    )
    records = []
    for section, body in data["sections"].items():
        if not isinstance(body, dict) or not isinstance(body.get("records"), list):
            raise KnowledgeError(f"{path}: section {section}: expected `heading` and a list of `records`")
        heading = _text(body.get("heading", section), path, f"section {section}", "heading")
        for number, raw in enumerate(body["records"], start=1):
            record = _record(raw, path, str(section), heading, source, number)
            records += [record, *_restatements(raw.get("restatements"), record, path)]
    records += _not_covered(data.get("not_covered"), source, path)
    return records


def _restatement(record_id: str, text, rating: str, section: str, heading: str, source: Source, path: Path,
                 about: str | None) -> Record:
    return Record(id=record_id, section=section, heading=heading, kind="restatement",
                  text=_text(text, path, f"restatement {record_id}", "text"), rating=rating, source=source,
                  path=str(path), about=about)


def _restatements(raw, parent: Record, path: Path) -> list[Record]:
    """A record's `restatements`: what people say, by the verdict the record gives it.

    Each becomes a record of kind `restatement` whose `about` is the parent's id, with an
    id made from the parent's, the rating's initial and a number (`myth-4-cpus.t3`).
    """
    if raw is None:
        return []
    where = f"record {parent.id}: `restatements`"
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{path}: {where} must map true / false / nuanced to lists of sentences")
    records = []
    for rating, texts in raw.items():
        rating = str(rating).lower()  # YAML reads an unquoted true/false key as a boolean
        if rating not in RATINGS or not isinstance(texts, list):
            raise KnowledgeError(f"{path}: {where}: expected a list under one of {', '.join(RATINGS)}, "
                                 f"not {rating!r}")
        records += [_restatement(f"{parent.id}.{rating[0]}{number}", text, rating, parent.section, parent.heading,
                                 parent.source, path, parent.id)
                    for number, text in enumerate(texts, start=1)]
    return records


def _not_covered(raw, source: Source, path: Path) -> list[Record]:
    """The file's `not_covered` list: statements its source does not decide either way."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise KnowledgeError(f"{path}: `not_covered` must be a list of sentences")
    return [_restatement(f"not-covered.{number}", text, "unverifiable", NOT_COVERED, "Not covered by the source",
                         source, path, None) for number, text in enumerate(raw, start=1)]


def _record(raw, path: Path, section: str, heading: str, source: Source, number: int) -> Record:
    where = f"section {section}, record #{number}"
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{path}: {where}: expected a mapping with id, kind and text")
    record_id = raw.get("id")
    if not isinstance(record_id, str) or not _ID.match(record_id):
        raise KnowledgeError(f"{path}: {where}: `id` must be lower-case letters, digits, '.', '_' or '-'")
    where = f"record {record_id}"
    kind = raw.get("kind", "passage")
    if kind not in KINDS:
        raise KnowledgeError(f"{path}: {where}: `kind` must be one of {', '.join(KINDS)}, not {kind!r}")
    rating = raw.get("rating", "true" if kind == "passage" else None)
    if isinstance(rating, bool):  # YAML reads an unquoted true/false as a boolean
        rating = str(rating).lower()
    if rating not in RATINGS:
        raise KnowledgeError(f"{path}: {where}: `rating` must be one of {', '.join(RATINGS)}, not {rating!r}")
    if kind == "passage" and rating != "true":
        raise KnowledgeError(f"{path}: {where}: a passage states what its source holds true; use kind: claim")
    unknown = set(raw) - {"id", "kind", "rating", "text", "note", "restatements"}
    if unknown:
        raise KnowledgeError(f"{path}: {where}: unknown field(s) {', '.join(sorted(unknown))}")
    return Record(
        id=record_id,
        section=section,
        heading=heading,
        kind=kind,
        text=_text(raw.get("text"), path, where, "text"),
        rating=rating,
        note=_text(raw.get("note"), path, where, "note", required=False),
        source=source,
        path=str(path),
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "source"


def load_plain(path: Path) -> list[Record]:
    """One passage per sentence of a Markdown, text, HTML or PDF file; its section is its heading path.

    The passage's text is the user's sentence; `reading` has its leading pronoun resolved for the
    models, and `context` is the sentence before it.
    """
    document = extract(path)
    source = Source(title=document.title)
    prefix = f"user-{_slug(path.stem)}"
    records = []
    for block in document.blocks:
        section = " > ".join(block.headings) or document.title
        for sentence in sentences(block.text):
            records.append(Record(id=f"{prefix}-{len(records) + 1}", section=section, heading=section, kind="passage",
                                  text=sentence.text, rating="true", source=source, path=str(path),
                                  reading=sentence.reading, context=sentence.context, plain=True,
                                  clauses=sentence.clauses))
    return records
