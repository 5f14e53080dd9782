"""Opens the runbook's HTML page in headless Chromium driven by selenium and says what a person sees.

    python check_runbook.py FILE [--screenshot FILE]

Prints one `step: ADDRESS STATUS HEADLINE` line per step as the page shows it, in order, then `summary: TEXT`,
`resources: N` (what the page loaded besides itself), `scripts: N` and `links: N`. Exits 0 when the page showed at
least one step; 1 otherwise. Chromium and chromedriver are Debian's (/usr/bin), never downloaded.
"""

import argparse
import pathlib
import sys

from selenium.webdriver.common.by import By

from chromium import browser


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("page")
    parser.add_argument("--screenshot")
    arguments = parser.parse_args()
    driver = browser("--window-size=1200,900")
    try:
        driver.get(pathlib.Path(arguments.page).resolve().as_uri())
        steps = driver.find_elements(By.CSS_SELECTOR, "li.step")
        for step in steps:
            headline = step.find_element(By.CSS_SELECTOR, "h2 .status").text
            print("step:", step.get_attribute("data-address"), step.get_attribute("data-status"), headline)
        print("summary:", driver.find_element(By.CSS_SELECTOR, ".summary").text)
        loaded = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        print("resources:", len(loaded), *loaded)
        print("scripts:", len(driver.find_elements(By.TAG_NAME, "script")))
        print("links:", len(driver.find_elements(By.CSS_SELECTOR, "link, a[href], img, iframe")))
        if arguments.screenshot:
            driver.save_screenshot(arguments.screenshot)
            print("screenshot:", arguments.screenshot)
        return 0 if steps else 1
    finally:
        driver.quit()


if __name__ == "__main__":
    sys.exit(main())
