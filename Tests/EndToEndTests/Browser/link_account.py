"""A person links a bank account on SePay Bank Hub's hosted page, in headless Chromium driven by selenium.

    python link_account.py URL [--screenshot FILE]

Opens URL (the hosted-link URL `provision apply` printed), checks the page says it is a simulator, picks a bank,
types an account number, the holder's name and the sandbox OTP, and double-clicks "Liên kết" as a hurried person
would. Prints what the person saw, one `name: value` line each, and exits 0 when the page ends on its success
page; 1 with the reason otherwise. Chromium and chromedriver are Debian's (/usr/bin), never downloaded.
"""

import argparse
import sys

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from chromium import browser


def link(driver, url, screenshot):
    driver.get(url)
    wait = WebDriverWait(driver, 20)
    banner = wait.until(expected_conditions.visibility_of_element_located((By.CSS_SELECTOR, ".sandbox-banner")))
    print("banner:", banner.text)
    print("title:", driver.find_element(By.TAG_NAME, "h1").text)
    Select(driver.find_element(By.ID, "field-bank")).select_by_value("ACB")
    driver.find_element(By.ID, "field-account_number").send_keys("0011223344")
    driver.find_element(By.ID, "field-account_holder_name").send_keys("NGUYEN VAN A")
    driver.find_element(By.ID, "field-otp").send_keys("12345678")
    for name in ("bank", "account_number", "account_holder_name", "otp"):
        label = driver.find_element(By.CSS_SELECTOR, f"label[for=field-{name}]")
        print(f"label {name}:", label.text)
    if screenshot:
        driver.save_screenshot(screenshot)
        print("screenshot:", screenshot)
    button = driver.find_element(By.CSS_SELECTOR, "button[type=submit]")
    print("button:", button.text)
    ActionChains(driver).double_click(button).perform()
    done = wait.until(expected_conditions.visibility_of_element_located((By.CSS_SELECTOR, "h1.done")))
    print("result:", done.text)
    status = driver.find_element(By.CSS_SELECTOR, "[role=status]").text
    print("status:", status)
    return "Đã liên kết tài khoản" in done.text


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--screenshot")
    arguments = parser.parse_args()
    driver = browser("--window-size=760,980", "--lang=vi")
    try:
        linked = link(driver, arguments.url, arguments.screenshot)
    except Exception as error:  # the page did not behave as a person expects: say where it stopped
        print(f"failed on {driver.current_url}: {type(error).__name__}: {error}".splitlines()[0], file=sys.stderr)
        print(driver.page_source[:2000], file=sys.stderr)
        return 1
    finally:
        driver.quit()
    if not linked:
        print("the page did not say the account was linked", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
