"""``cuecards serve``: the app in a browser. The server is started as a real
process on a free localhost port; the test then does what the page's script
does: opens the websocket, reads the screen, types keys, and the rating is in
the database."""

from __future__ import annotations

import asyncio
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
    with Service.open(Paths.resolve(home=home, decks=[decks])) as svc:
        svc.sync()  # the database exists before the app and the test both open it
    port = free_port()
    cmd = [sys.executable, "-m", "cuecards", "--home", str(home), "--decks", str(decks)]
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(
        [*cmd, "serve", "--port", str(port), "--host", "127.0.0.1", "--deck", "web"],
        stdout=log,
        stderr=subprocess.STDOUT,
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
        log.close()


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


BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")


class DevTools:
    """Just enough of the DevTools protocol: call a method, await its answer."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.n = 0

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.n += 1
        await self.ws.send_json({"id": self.n, "method": method, "params": params})
        while True:
            msg = await self.ws.receive_json(timeout=30)
            if msg.get("id") == self.n:
                return dict(msg.get("result", {}))

    async def value(self, expression: str) -> Any:
        r = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return r.get("result", {}).get("value")

    async def key(self, text: str, code: str, vk: int) -> None:
        for kind in ("keyDown", "keyUp"):
            await self.call(
                "Input.dispatchKeyEvent",
                type=kind,
                key=text,
                code=code,
                text=text if kind == "keyDown" else "",
                windowsVirtualKeyCode=vk,
            )


@pytest.fixture
def chromium(tmp_path: Path) -> Iterator[str]:
    """A headless Chromium; yields its DevTools HTTP address."""
    if BROWSER is None:
        pytest.skip("no chromium on PATH")
    log_path = tmp_path / "chromium.log"
    log = log_path.open("wb")  # a file, not a pipe: a full pipe would stall the browser
    proc = subprocess.Popen(
        [
            BROWSER,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--remote-debugging-port=0",
            "--window-size=1000,700",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        address = None
        for _ in range(150):
            found = re.search(
                r"DevTools listening on ws://([^/]+)/", log_path.read_text("utf-8", "replace")
            )
            if found:
                address = found.group(1)
                break
            time.sleep(0.1)
        assert address, "chromium did not start"
        yield address
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


async def test_in_chromium_reveal_and_rate_reach_the_database(
    served: tuple[int, Path, Path], chromium: str
) -> None:
    """The page in a real browser: the terminal starts, space reveals, 3 rates Good,
    and the rating is in the database."""
    port, home, decks = served
    get_page(port)
    async with aiohttp.ClientSession() as http:
        async with http.get(f"http://{chromium}/json/list") as r:
            page = next(t for t in await r.json() if t["type"] == "page")
        async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            dt = DevTools(ws)
            await dt.call("Page.navigate", url=f"http://127.0.0.1:{port}/")
            for _ in range(150):  # the terminal has its first bytes from the app
                drawn = await dt.value("document.body.className")
                if "-first-byte" in str(drawn):
                    break
                await asyncio.sleep(0.2)
            else:
                raise AssertionError("the app never drew in the page")
            focus = (
                "document.querySelector('.xterm-helper-textarea')?.focus(); "
                "document.activeElement.className"
            )
            with Service.open(Paths.resolve(home=home, decks=[decks])) as svc:
                for _ in range(5):  # keys sent before the app listens are lost: try again
                    await asyncio.sleep(1.0)
                    assert await dt.value(focus) == "xterm-helper-textarea"
                    await dt.key(" ", "Space", 32)
                    await asyncio.sleep(0.5)
                    await dt.key("3", "Digit3", 51)
                    for _ in range(25):
                        if svc.home().reviews_today:
                            break
                        await asyncio.sleep(0.2)
                    if svc.home().reviews_today:
                        break
                ratings = svc.store._q("SELECT rating FROM reviews")
                assert [r[0] for r in ratings] == [3]
