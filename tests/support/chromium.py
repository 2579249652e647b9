"""Headless Chromium (Debian package `chromium`) for the tests that check pages in a real browser:
no driver package, no browser download."""

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import lxml.html
import pytest

CHROMIUM = shutil.which("chromium")
NOT_INSTALLED = "needs headless Chromium: apt-get install chromium (`make test` installs it when run as root)"
# Skips before the test's fixtures build anything for the browser.
requires_chromium = pytest.mark.skipif(CHROMIUM is None, reason=NOT_INSTALLED)
# No sandbox: it cannot start inside a container; no GPU, first-run or background traffic to wait for.
HEADLESS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run")


def _binary() -> str:
    if CHROMIUM is None:
        pytest.skip(NOT_INSTALLED)
    return CHROMIUM


def rendered_dom(page: Path) -> lxml.html.HtmlElement:
    """The DOM of the page at `page` after its scripts ran (up to 10 s of the page's time)."""
    with tempfile.TemporaryDirectory() as profile:
        command = [
            _binary(),
            *HEADLESS,
            f"--user-data-dir={profile}",
            "--virtual-time-budget=10000",
            "--dump-dom",
            page.as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    return lxml.html.fromstring(done.stdout)


class Chromium:
    """Headless Chromium driven over the DevTools protocol on a pipe (fds 3 and 4), for what a dump of
    the DOM cannot show: console errors, requests, sizes of drawn elements, screenshots."""

    FLAGS = (
        *HEADLESS,
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--window-size=1280,900",
        "--remote-debugging-pipe",
    )

    def __init__(self, timeout: float = 60.0):
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="chromium-profile-")
        commands_in, self._commands = os.pipe()
        self._replies, replies_out = os.pipe()
        # The child's ends go above 10 first, so placing them on 3 and 4 cannot overwrite one with the other.
        child_ends = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (commands_in, replies_out)]
        os.close(commands_in)
        os.close(replies_out)

        def place_pipes() -> None:
            os.dup2(child_ends[0], 3)
            os.dup2(child_ends[1], 4)

        self.process = subprocess.Popen(
            [_binary(), *self.FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            preexec_fn=place_pipes,
            close_fds=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for fd in child_ends:
            os.close(fd)
        self._buffer, self._last_id, self._session = b"", 0, None
        self.events: list[dict[str, Any]] = []

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self._last_id += 1
        message: dict[str, Any] = {"id": self._last_id, "method": method, "params": params}
        if self._session and not method.startswith(("Target.", "Browser.")):
            message["sessionId"] = self._session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while (reply := self._read()).get("id") != self._last_id:
            self.events.append(reply)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    def _read(self) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        while b"\0" not in self._buffer:
            if not select.select([self._replies], [], [], max(0.0, deadline - time.monotonic()))[0]:
                raise TimeoutError("chromium did not answer")
            chunk = os.read(self._replies, 1 << 20)
            if not chunk:
                raise EOFError("chromium closed the pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def open(self, url: str) -> None:
        """Load `url` in a new tab, recording from scratch what the page logs and requests."""
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self._session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")
        self.events.clear()
        self.call("Page.navigate", url=url)
        while not any(event.get("method") == "Page.loadEventFired" for event in self.events):
            self.events.append(self._read())

    def problems(self, url: str) -> list[str]:
        """Errors, warnings, exceptions and any request but the page itself, since the last open()."""
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown" or (
                method == "Runtime.consoleAPICalled" and params["type"] in ("error", "warning", "assert")
            ):
                found.append(f"{method}: {json.dumps(params)[:300]}")
            elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
                found.append(f"log: {params['entry']['text']}")
            elif method == "Network.requestWillBeSent" and params["request"]["url"] != url:
                found.append(f"request: {params['request']['url']}")
        return found

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def screenshot(self) -> bytes:
        """The whole page, not only the window, as PNG."""
        size = self.call("Page.getLayoutMetrics")["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        return base64.b64decode(
            self.call("Page.captureScreenshot", format="png", clip=clip, captureBeyondViewport=True)["data"]
        )

    def close(self) -> None:
        try:
            self.call("Browser.close")
            self.process.wait(timeout=10)
        except (OSError, EOFError, TimeoutError, RuntimeError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        finally:
            os.close(self._commands)
            os.close(self._replies)
            shutil.rmtree(self.profile, ignore_errors=True)
