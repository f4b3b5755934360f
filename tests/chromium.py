"""A small driver for headless Chromium over the DevTools protocol, for the memo's render tests and screenshots.

One browser per test run (a session fixture starts it); each page is a fresh target with its own listeners:
console messages, JavaScript dialogs (answered at once, so a hostile ``alert`` cannot hang the page), and
every request the page makes. Chromium is started with a fresh profile and the switches that keep it from
calling home (no background networking, component updates or sync), and it listens on 127.0.0.1 only.

The protocol is JSON over one websocket (``websockets``' synchronous client); the commands used are in the
DevTools protocol's Page, Runtime, Network and Emulation domains.
"""
from __future__ import annotations

import base64
import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

from websockets.sync.client import connect

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
         "--hide-scrollbars", "--mute-audio", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0"]
#: Paper sizes in inches, as Page.printToPDF takes them.
PAPER = {"A4": (8.27, 11.69), "Letter": (8.5, 11.0)}
START_TIMEOUT = 60.0  # seconds to wait for the browser to say where it listens (a slow, shared machine)
COMMAND_TIMEOUT = 120.0


class BrowserError(RuntimeError):
    pass


class Chromium:
    """A running headless Chromium, driven over one websocket; ``page()`` opens a fresh tab."""

    def __init__(self, program: str, profile: Path):
        profile.mkdir(parents=True, exist_ok=True)
        self.log = open(profile.parent / "chromium.log", "wb")
        self.process = subprocess.Popen([program, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                        stdout=self.log, stderr=self.log)
        port_file = profile / "DevToolsActivePort"
        waited = time.monotonic() + START_TIMEOUT
        while not (port_file.exists() and len(port_file.read_text().splitlines()) >= 2):
            if self.process.poll() is not None or time.monotonic() > waited:
                self.close()
                raise BrowserError(f"Chromium did not start (see {self.log.name})")
            time.sleep(0.1)
        port, path = port_file.read_text().splitlines()[:2]
        # Straight to the browser on this machine: never through a proxy that the environment names. No keepalive
        # pings: each draws on the random module from websockets' own thread every 20 s, which Hypothesis, drawing
        # examples in a later test of the same process, reported as "the random module inside strategies".
        self.socket = connect(f"ws://127.0.0.1:{port}{path}", max_size=None, open_timeout=START_TIMEOUT,
                              proxy=None, ping_interval=None).__enter__()
        self.next_id = 0
        self.events: dict[str, list[dict[str, Any]]] = {}

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        """Send one command and return its result; events that arrive meanwhile are kept per session."""
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.socket.send(json.dumps(message))
        while True:
            reply = json.loads(self.socket.recv(timeout=COMMAND_TIMEOUT))
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self._event(reply)

    def _event(self, event: dict[str, Any]) -> None:
        session = event.get("sessionId", "")
        self.events.setdefault(session, []).append(event)
        if event["method"] == "Page.javascriptDialogOpening":  # answer it, or the page waits for a person
            self.socket.send(json.dumps({"id": 0, "method": "Page.handleJavaScriptDialog",
                                         "params": {"accept": True}, "sessionId": session}))

    def wait_for(self, session: str, method: str) -> dict[str, Any]:
        """The first event ``method`` of ``session`` not yet waited for."""
        while True:
            for event in self.events.get(session, []):
                if event["method"] == method and not event.get("_seen"):
                    event["_seen"] = True
                    return event
            reply = json.loads(self.socket.recv(timeout=COMMAND_TIMEOUT))
            if "method" in reply:
                self._event(reply)

    def page(self) -> "Page":
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        return Page(self, session, target)

    def close(self) -> None:
        try:
            if getattr(self, "socket", None) is not None:
                self.socket.close()
        finally:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            self.log.close()


class Page:
    """One tab: load a file, read its DOM, print it, take screenshots; with what it asked of the network."""

    def __init__(self, browser: Chromium, session: str, target: str):
        self.browser, self.session, self.target = browser, session, target
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.send(f"{domain}.enable")

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.browser.send(method, params, self.session)

    def events(self, method: str) -> list[dict[str, Any]]:
        return [e for e in self.browser.events.get(self.session, []) if e["method"] == method]

    def offline(self) -> None:
        """No network at all for this tab, as on a laptop on a plane."""
        self.send("Network.emulateNetworkConditions", {"offline": True, "latency": 0, "downloadThroughput": -1,
                                                       "uploadThroughput": -1})

    def scripts(self, enabled: bool) -> None:
        self.send("Emulation.setScriptExecutionDisabled", {"value": not enabled})

    def open(self, path: str | os.PathLike[str], width: int = 1280, height: int = 900) -> None:
        self.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1,
                                                         "mobile": False})
        url = path if str(path).startswith(("http:", "file:", "data:")) else Path(path).resolve().as_uri()
        self.send("Page.navigate", {"url": url})
        self.browser.wait_for(self.session, "Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        reply = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                               "awaitPromise": True})
        if "exceptionDetails" in reply:
            raise BrowserError(f"{expression[:60]}...: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def media(self, media: str) -> None:
        self.send("Emulation.setEmulatedMedia", {"media": media})

    def pdf(self, paper: str = "A4", pages: str = "") -> bytes:
        """The page printed in landscape on ``paper``, as the browser's Save as PDF would (margins from CSS):
        every page, or those of ``pages`` ("1", "2-4"), laid out as in the whole document.

        Without the tagged structure (the tree a screen reader follows), which took a third of the time of each
        print: the pages, their text and its order, as pdftotext reads them, are the same to the byte with it."""
        width, height = PAPER[paper]
        reply = self.send("Page.printToPDF", {"landscape": True, "paperWidth": width, "paperHeight": height,
                                              "printBackground": True, "preferCSSPageSize": False,
                                              "displayHeaderFooter": False, "generateTaggedPDF": False,
                                              "pageRanges": pages})
        return base64.b64decode(reply["data"])

    def screenshot(self, full: bool = True) -> bytes:
        """A PNG of the window, or with ``full`` of the whole page; a whole page (15,000 pixels tall for the sample
        memo) is encoded for speed, not size: the same pixels, in half the time of the smallest file."""
        params: dict[str, Any] = {"format": "png"}
        if full:
            size = self.send("Page.getLayoutMetrics")["cssContentSize"]
            clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
            params.update(captureBeyondViewport=True, clip=clip, optimizeForSpeed=True)
        return base64.b64decode(self.send("Page.captureScreenshot", params)["data"])

    def close(self) -> None:
        self.browser.send("Target.closeTarget", {"targetId": self.target})
