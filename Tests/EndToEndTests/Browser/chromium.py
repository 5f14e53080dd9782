"""Debian's Chromium, headless, driven through Debian's chromedriver with selenium: what the browser scripts share.

Neither is ever downloaded: both are the system's (/usr/bin), as `.ci/run` installs them.
"""

import shutil

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def browser(*flags):
    """A headless Chromium with `flags` (a window size, a language) added to the ones every script needs."""
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", *flags):
        options.add_argument(flag)
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(options=options, service=service)
