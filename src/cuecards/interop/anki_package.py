"""Open an Anki package (``.apkg`` or ``.colpkg``) without trusting it.

A package is a zip archive holding the collection (SQLite) and a media
manifest. Three layouts exist: ``collection.anki2`` (the oldest),
``collection.anki21`` (Anki 2.1's legacy export) and ``collection.anki21b``
(newer Anki: the SQLite file compressed with zstd, next to a ``meta`` file that
names the layout; such packages also carry a stub ``collection.anki2`` that
tells old versions to upgrade, so the newest layout present wins).

Safety: only those fixed member names are read, and nothing is extracted by a
name taken from the archive, so no path can escape; every read is bounded
(the archive's declared sizes are not trusted: bytes are counted as they are
decompressed); the collection is copied to a private temporary file and
opened read-only with SQLite's untrusted-schema protections on. No code from
the package runs.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import Path
from typing import IO

from cuecards.errors import CuecardsError
from cuecards.interop.anki_sqlite import AnkiCollection, read_collection

#: the largest collection read (decompressed); a bigger file is refused
MAX_COLLECTION_BYTES = 4 * 1024**3
#: the largest media manifest read
MAX_MANIFEST_BYTES = 64 * 1024**2
_LAYOUTS = ("collection.anki21b", "collection.anki21", "collection.anki2")
_CHUNK = 1024 * 1024


class PackageError(CuecardsError):
    """The file is not an Anki package cuecards can read."""

    title = "import"


def _copy_bounded(src: IO[bytes], dst: IO[bytes], limit: int, what: str) -> None:
    total = 0
    while chunk := src.read(_CHUNK):
        total += len(chunk)
        if total > limit:
            raise PackageError(f"the {what} is larger than {limit // 1024**2} MB; not imported")
        dst.write(chunk)


def _read_bounded(src: IO[bytes], limit: int, what: str) -> bytes:
    parts: list[bytes] = []
    total = 0
    while chunk := src.read(_CHUNK):
        total += len(chunk)
        if total > limit:
            raise PackageError(f"the {what} is larger than {limit // 1024**2} MB; not imported")
        parts.append(chunk)
    return b"".join(parts)


def _zstd_reader(src: IO[bytes]) -> IO[bytes]:
    try:
        import zstandard
    except ImportError:  # pragma: no cover - a dependency of cuecards
        raise PackageError("reading this package needs the zstandard package") from None
    reader: IO[bytes] = zstandard.ZstdDecompressor().stream_reader(src)
    return reader


def _media_count(z: zipfile.ZipFile, names: set[str], compressed: bool) -> int:
    if "media" not in names:
        return 0
    with z.open("media") as raw:
        if compressed:
            with _zstd_reader(raw) as src:
                data = _read_bounded(src, MAX_MANIFEST_BYTES, "media list")
            # MediaEntries: one length-delimited field 1 per file.
            from cuecards.interop.anki_sqlite import proto_fields

            return sum(1 for num, _v in proto_fields(data) if num == 1)
        data = _read_bounded(raw, MAX_MANIFEST_BYTES, "media list")
    try:
        manifest = json.loads(data.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        return 0
    return len(manifest) if isinstance(manifest, dict) else 0


def read_package(path: Path) -> AnkiCollection:
    """Read the Anki package at ``path``; raises :class:`PackageError` for a
    file that is not one (or is too large, damaged or from an unknown layout)."""
    path = Path(path)
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        reason = getattr(e, "strerror", None) or "not a zip archive"
        raise PackageError(f"{path}: cannot read it as an Anki package ({reason})") from None
    with z, tempfile.TemporaryDirectory(prefix="cuecards-import-") as tmp:
        names = {info.filename for info in z.infolist()}
        layout = next((n for n in _LAYOUTS if n in names), None)
        if layout is None:
            raise PackageError(f"{path}: no Anki collection inside; is it an .apkg or .colpkg?")
        compressed = layout.endswith("b")
        target = Path(tmp) / "collection.sqlite"
        try:
            with z.open(layout) as raw, target.open("wb") as out:
                if compressed:
                    with _zstd_reader(raw) as src:
                        _copy_bounded(src, out, MAX_COLLECTION_BYTES, "collection")
                else:
                    _copy_bounded(raw, out, MAX_COLLECTION_BYTES, "collection")
            media = _media_count(z, names, compressed)
        except (zipfile.BadZipFile, OSError, EOFError) as e:
            raise PackageError(f"{path}: the package is damaged ({e})") from None
        except Exception as e:
            if type(e).__name__ == "ZstdError":
                raise PackageError(f"{path}: the package is damaged ({e})") from None
            raise
        return read_collection(target, layout=layout, media_files=media)
