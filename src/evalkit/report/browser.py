"""Open a published report in headless Chromium, as a reader would.

Checks every page of a report folder: it loads with no console error, no
request leaves the machine (no ``http(s):``, ``ws(s):`` or ``ftp:`` URL),
and the executed notebooks carry no missing-glyph warning.
A screenshot of the index is saved under ``screenshots/`` for review (that
folder is a review artefact, not part of the manifest).

Needs Debian's ``chromium`` and ``chromium-driver`` (the Makefile installs them)
and the ``selenium`` package.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

#: Schemes of requests that would leave the machine (browser-internal chrome:// pages do not).
NETWORK_SCHEMES = ("http:", "https:", "ws:", "wss:", "ftp:")
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1600",
    "--lang=ja",
)


@dataclass
class PageCheck:
    """What the browser saw on one page."""

    page: str
    console_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No console error and no request that would leave the machine."""
        return not self.console_errors and not self.external_requests


def _driver(user_dir: str):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={user_dir}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(service=service, options=options)


def glyph_warnings(report: Path) -> list[str]:
    """Missing-glyph warnings written by any executed notebook of the report."""
    found = []
    for path in sorted(report.glob("*.ipynb")):
        nb = nbformat.read(str(path), as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                text = out.get("text", "") if out.get("output_type") == "stream" else ""
                if "missing from font" in text or "Glyph" in text:
                    found.append(f"{path.name}: {text.strip().splitlines()[0]}")
    return found


def check_report(report: Path, screenshot: Path | None = None) -> list[PageCheck]:
    """Open ``report/index.html`` and every other page; optionally screenshot the index.

    Parameters
    ----------
    report : pathlib.Path
        A published report folder.
    screenshot : pathlib.Path, optional
        Where to save a PNG of the index page.

    Returns
    -------
    list of PageCheck
    """
    report = report.resolve()
    pages = ["index.html"] + sorted(p.name for p in report.glob("*.html") if p.name != "index.html")
    results = []
    user_dir = tempfile.mkdtemp(prefix="evalkit-chromium-")
    driver = _driver(user_dir)
    # Block network schemes outright: a page that tries to call out is detected, but nothing is sent.
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": [f"{s}//*" for s in NETWORK_SCHEMES]})
    try:
        for name in pages:
            driver.get_log("performance")  # drop entries of the previous page
            driver.get((report / name).as_uri())
            driver.execute_script("return document.readyState")
            check = PageCheck(name)
            for entry in driver.get_log("browser"):
                if entry.get("level") == "SEVERE":
                    check.console_errors.append(entry.get("message", ""))
            for entry in driver.get_log("performance"):
                message = json.loads(entry["message"])["message"]
                if message.get("method") == "Network.requestWillBeSent":
                    url = message["params"]["request"]["url"]
                    if url.lower().startswith(NETWORK_SCHEMES):
                        check.external_requests.append(url)
            if name == "index.html" and screenshot is not None:
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                height = driver.execute_script("return document.body.scrollHeight")
                driver.set_window_size(1280, max(800, min(int(height) + 40, 4000)))
                driver.save_screenshot(str(screenshot))
                driver.set_window_size(1280, 1600)
            results.append(check)
    finally:
        driver.quit()
        shutil.rmtree(user_dir, ignore_errors=True)
    return results
