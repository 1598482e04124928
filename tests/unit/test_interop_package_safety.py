"""Anki packages are read without trusting them: hand-made packages (no Anki
needed) that try to escape, to be huge, or to hide a view behind a table name."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
import zstandard

from cuecards.interop import anki_package
from cuecards.interop.anki_convert import convert
from cuecards.interop.anki_package import PackageError, read_package
from cuecards.interop.anki_sqlite import CollectionError

MODELS = {
    "1": {
        "id": 1,
        "name": "Basic",
        "type": 0,
        "flds": [{"name": "Front", "ord": 0}, {"name": "Back", "ord": 1}],
    }
}


def legacy_collection(path: Path, notes_as_view: bool = False) -> Path:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "CREATE TABLE col (id, crt, mod, scm, ver, dty, usn, ls, conf, models, decks, "
            "dconf, tags)"
        )
        conn.execute(
            "INSERT INTO col VALUES (1, 0, 0, 0, 11, 0, 0, 0, '{}', ?, ?, '{}', '{}')",
            (json.dumps(MODELS), json.dumps({"1": {"id": 1, "name": "Default"}})),
        )
        conn.execute(
            "CREATE TABLE cards (id, nid, did, ord, mod, usn, type, queue, due, ivl, "
            "factor, reps, lapses, left, odue, odid, flags, data)"
        )
        conn.execute("CREATE TABLE revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)")
        conn.execute(
            "INSERT INTO cards VALUES (10, 5, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, '')"
        )
        if notes_as_view:
            conn.execute(
                "CREATE VIEW notes AS SELECT 5 AS id, 'g' AS guid, 1 AS mid, '' AS tags, "
                "'a' || char(31) || 'b' AS flds"
            )
        else:
            conn.execute(
                "CREATE TABLE notes (id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data)"
            )
            conn.execute(
                "INSERT INTO notes VALUES (5, 'g', 1, 0, 0, ' t::u ', ?, '', 0, 0, '')",
                ("front<br>x\x1fback",),
            )
    conn.close()
    return path


def package(tmp_path: Path, members: dict[str, bytes]) -> Path:
    pkg = tmp_path / "p.apkg"
    with zipfile.ZipFile(pkg, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return pkg


def test_a_hand_made_legacy_package_reads(tmp_path: Path) -> None:
    db = legacy_collection(tmp_path / "c.anki2").read_bytes()
    pkg = package(tmp_path, {"collection.anki2": db, "media": b'{"0": "a.png"}'})
    col = read_package(pkg)
    conv = convert(col)
    assert col.media_files == 1 and conv.media_files == 1
    assert conv.decks[0].cards == [
        {"id": conv.decks[0].cards[0]["id"], "front": "front\nx", "back": "back", "tags": ["t/u"]}
    ]


def test_member_names_that_escape_are_never_used(tmp_path: Path) -> None:
    db = legacy_collection(tmp_path / "c.anki2").read_bytes()
    pkg = package(tmp_path, {"../../escaped": b"x", "/abs": b"y", "collection.anki2": db})
    read_package(pkg)
    assert not (tmp_path.parent / "escaped").exists() and not Path("/abs").exists()


def test_the_newer_layout_is_decompressed_with_a_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = legacy_collection(tmp_path / "c.anki2").read_bytes()
    packed = zstandard.ZstdCompressor().compress(db + b"\0" * 5_000_000)
    pkg = package(tmp_path, {"collection.anki21b": packed, "meta": b"\x08\x03"})
    assert len(read_package(pkg).notes) == 1  # trailing zeros are free space to SQLite
    monkeypatch.setattr(anki_package, "MAX_COLLECTION_BYTES", 1_000_000)
    with pytest.raises(PackageError, match="larger than"):
        read_package(pkg)


def test_damaged_compressed_collection_is_one_message(tmp_path: Path) -> None:
    pkg = package(tmp_path, {"collection.anki21b": b"\x28\xb5\x2f\xfd garbage"})
    with pytest.raises(PackageError, match="damaged"):
        read_package(pkg)


def test_a_view_posing_as_a_table_is_refused(tmp_path: Path) -> None:
    db = legacy_collection(tmp_path / "c.anki2", notes_as_view=True).read_bytes()
    pkg = package(tmp_path, {"collection.anki2": db})
    with pytest.raises(CollectionError, match="does not hold an Anki collection"):
        read_package(pkg)


def test_a_zip_without_a_collection(tmp_path: Path) -> None:
    with pytest.raises(PackageError, match="no Anki collection inside"):
        read_package(package(tmp_path, {"readme.txt": b"hi"}))
