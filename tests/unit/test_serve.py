"""``cuecards serve``: the app in a browser. The server is started as a real
process on a free localhost port; the test then does what the page's script
does: opens the websocket, reads the screen, types keys, and the rating is in
the database."""

from __future__ import annotations

import asyncio
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from cuecards.paths import Paths
from cuecards.session import Service

pytest.importorskip("textual_serve")
aiohttp = pytest.importorskip("aiohttp")

ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[A-Za-z~]|\x1b[()][A-Z0-9]|\x1b[=>]")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[int, Path, Path]]:
    home, decks = tmp_path / "home", tmp_path / "decks"
    (decks / "web").mkdir(parents=True)
    (decks / "web" / "one.yaml").write_text(
        "title: Web\ncards:\n  - id: z1\n    front: zebrafront\n    back: quokkaback\n", "utf-8"
    )
    port = free_port()
    cmd = [sys.executable, "-m", "cuecards", "--home", str(home), "--decks", str(decks)]
    proc = subprocess.Popen(
        [*cmd, "serve", "--port", str(port), "--host", "127.0.0.1", "--deck", "web"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        yield port, home, decks
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()


def get_page(port: int) -> str:
    for _ in range(100):  # up to about 20 s for the server to start
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                return str(r.read().decode("utf-8"))
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not answer")


async def read_until(ws: object, word: bytes, seen: bytearray, limit_s: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + limit_s
    while word not in ANSI.sub(b"", bytes(seen)):
        left = end - loop.time()
        assert left > 0, f"{word!r} never appeared on the screen"
        msg = await ws.receive(timeout=left)  # type: ignore[attr-defined]
        if msg.type == aiohttp.WSMsgType.BINARY:
            seen += msg.data
        elif msg.type == aiohttp.WSMsgType.TEXT:
            seen += msg.data.encode("utf-8")
        elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
            raise AssertionError("the app closed")


async def test_serve_shows_the_app_and_a_rating_is_stored(
    served: tuple[int, Path, Path],
) -> None:
    port, home, decks = served
    page = get_page(port)
    assert "<title>cuecards</title>" in page or "cuecards" in page
    assert f"ws://127.0.0.1:{port}/ws" in page or "/ws" in page
    async with (
        aiohttp.ClientSession() as http,
        http.ws_connect(f"ws://127.0.0.1:{port}/ws?width=100&height=30") as ws,
    ):
        seen = bytearray()
        await read_until(ws, b"zebrafront", seen)
        seen.clear()
        await ws.send_json(["stdin", " "])
        await read_until(ws, b"quokkaback", seen)
        await ws.send_json(["stdin", "3"])
        with Service.open(Paths.resolve(home=home, decks=[decks])) as svc:
            for _ in range(100):
                if svc.home().reviews_today == 1:
                    break
                await asyncio.sleep(0.2)
            assert svc.home().reviews_today == 1
        await ws.send_json(["stdin", "q"])
