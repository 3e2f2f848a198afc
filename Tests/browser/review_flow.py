#!/usr/bin/env python3
"""Drive the customer review page (/r/TOKEN) in headless Chromium like a customer on a phone.

    review_flow.py --url URL --out DIR --signature NAME --decisions JSON [--consent] [--no-js]

JSON maps item CODE -> "approved" | "deferred" | "declined:REASON" ("declined" alone leaves the reason empty).
Checks the page at 360x780 (no sideways scroll, labels, 44 px touch targets, one element per item code),
chooses by tapping the labels, checks the live approved total (unless --no-js), signs, submits, waits for
#review-done and saves phone-review.png, phone-done.png and desktop-done.png in DIR.
Prints one JSON object on stdout and exits 1 if any check failed (2 for bad arguments).
Uses Debian's /usr/bin/chromium and /usr/bin/chromedriver only, and only opens loopback URLs.
"""

import argparse
import base64
import json
import os
import sys
import time
from urllib.parse import urlparse

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
PHONE = {"width": 360, "height": 780, "deviceScaleFactor": 2, "mobile": True}
DESKTOP = {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}
MIN_TARGET = 44
DONE_TIMEOUT = 45

PAGE_CHECKS_JS = r"""
const out = {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
             hasForm: !!document.getElementById('review'), unlabelled: [], small: [], codes: {}};
for (const el of document.querySelectorAll('input, select, textarea')) {
  if (el.type === 'hidden') continue;
  const labelled = (el.labels && el.labels.length > 0) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
  if (!labelled) out.unlabelled.push(el.name || el.id || el.outerHTML.slice(0, 80));
}
const tall = (el, what) => {
  const h = el.getBoundingClientRect().height;
  if (h < arguments[1]) out.small.push(what + ' ' + Math.round(h * 10) / 10 + 'px');
};
for (const r of document.querySelectorAll('#review input[type=radio], #review input[type=checkbox]')) {
  if (!r.labels || r.labels.length === 0) continue;
  tall(r.labels[0], 'label of ' + r.type + ' ' + r.name + '=' + r.value);
}
const submits = document.querySelectorAll('#review button, #review input[type=submit]');
out.submitCount = submits.length;
for (const b of submits) tall(b, 'button "' + (b.textContent || b.value).trim() + '"');
for (const code of arguments[0]) out.codes[code] = document.querySelectorAll('[data-item-code="' + CSS.escape(code) + '"]').length;
return out;
"""

STATE_JS = r"""
const form = document.getElementById('review');
const total = document.getElementById('approved-total');
const items = {};
for (const el of document.querySelectorAll('[data-item-code]')) {
  const picked = el.querySelector('input[type=radio]:checked');
  items[el.dataset.itemCode] = {decision: picked ? picked.value : '', costMinor: Number(el.dataset.costMinor) || 0};
}
let expected = null;
if (form && window.Intl) {
  try {
    const fmt = new Intl.NumberFormat(form.dataset.locale, {style: 'currency', currency: form.dataset.currency});
    const scale = Math.pow(10, fmt.resolvedOptions().maximumFractionDigits);
    let sum = 0;
    for (const k in items) if (items[k].decision === 'approved') sum += items[k].costMinor;
    expected = fmt.format(sum / scale);
  } catch (e) { expected = null; }
}
return {total: total ? total.textContent.trim() : null, expected: expected, items: items};
"""


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--signature", required=True)
    p.add_argument("--decisions", required=True, help='JSON: {"CODE": "approved"|"deferred"|"declined:REASON"}')
    p.add_argument("--consent", action="store_true")
    p.add_argument("--no-js", action="store_true")
    args = p.parse_args(argv)
    host = urlparse(args.url).hostname
    if urlparse(args.url).scheme not in ("http", "https") or host not in LOOPBACK:
        p.error("--url must be an http(s) URL on 127.0.0.1 or localhost")
    try:
        raw = json.loads(args.decisions)
    except json.JSONDecodeError as e:
        p.error(f"--decisions is not JSON: {e}")
    if not isinstance(raw, dict) or not raw:
        p.error("--decisions must be a non-empty JSON object")
    decisions = {}
    for code, spec in raw.items():
        if not isinstance(spec, str):
            p.error(f"decision for {code} must be a string")
        value, _, reason = spec.partition(":")
        if value not in ("approved", "deferred", "declined") or (reason and value != "declined"):
            p.error(f"bad decision for {code}: {spec!r}")
        decisions[code] = (value, reason)
    args.decisions = decisions
    return args


def make_driver(no_js):
    opts = Options()
    opts.binary_location = CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
              "--no-first-run", "--no-default-browser-check", "--disable-extensions",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--hide-scrollbars", "--window-size=360,780"):
        opts.add_argument(a)
    prefs = {"credentials_enable_service": False}
    if no_js:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    opts.add_experimental_option("prefs", prefs)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=opts, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(90)
    return driver


def emulate(driver, metrics):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", dict(metrics))
    driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": metrics["mobile"], "maxTouchPoints": 5})


def wait_for(driver, predicate, timeout):
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.2).until(lambda d: predicate(d))
    except TimeoutException:
        return None


def load_lazy_media(driver):
    """Scroll through the page so lazy images load, then wait (bounded) until they have."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    step = driver.execute_script("return window.innerHeight") or 600
    for y in range(0, int(height) + step, step):
        driver.execute_script("window.scrollTo(0, arguments[0])", y)
    wait_for(driver, lambda d: d.execute_script(
        "return Array.from(document.images).every(i => i.complete)"), 5)
    driver.execute_script("window.scrollTo(0, 0)")


def screenshot(driver, path, metrics):
    """Full-page PNG: the viewport is made as tall as the document for the capture (so sticky parts sit
    where they belong), then set back."""
    load_lazy_media(driver)
    height = int(driver.execute_script("return Math.ceil(document.documentElement.scrollHeight)"))
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", dict(metrics, height=max(height, metrics["height"])))
    try:
        wait_for(driver, lambda d: d.execute_script("return window.innerHeight") >= height, 3)
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    finally:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", dict(metrics))
    with open(path, "wb") as fh:
        fh.write(base64.b64decode(shot["data"]))
    return path


def csp_violations(driver):
    try:
        logs = driver.get_log("browser")
    except WebDriverException:
        return []
    return [e.get("message", "") for e in logs
            if "Content Security Policy" in e.get("message", "") or "Refused to" in e.get("message", "")]


def check_no_sideways(driver, where, failures):
    sw, iw = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    if sw > iw:
        failures.append(f"{where}: page scrolls sideways (scrollWidth {sw} > innerWidth {iw})")


def run(args):
    failures, shots = [], []
    result = {"ok": False, "failures": failures, "totalBefore": None, "totalAfter": None, "screenshots": shots}
    os.makedirs(args.out, exist_ok=True)
    codes = list(args.decisions)
    driver = make_driver(args.no_js)
    try:
        # 1. The page at phone size.
        emulate(driver, PHONE)
        driver.get(args.url)
        page = driver.execute_script(PAGE_CHECKS_JS, codes, MIN_TARGET)
        if page["scrollWidth"] > page["innerWidth"]:
            failures.append(f"phone: page scrolls sideways (scrollWidth {page['scrollWidth']} > innerWidth {page['innerWidth']})")
        if not page["hasForm"]:
            failures.append("form #review not found")
        for name in page["unlabelled"]:
            failures.append(f"control without a label: {name}")
        for what in page["small"]:
            failures.append(f"touch target under {MIN_TARGET}px: {what}")
        if page["hasForm"] and page["submitCount"] == 0:
            failures.append("no submit button in #review")
        for code, n in page["codes"].items():
            if n != 1:
                failures.append(f"expected one element with data-item-code={code}, found {n}")

        # 2. Full-page screenshot of the form.
        shots.append(screenshot(driver, os.path.join(args.out, "phone-review.png"), PHONE))
        if not page["hasForm"]:
            return result

        # 3. Choose by tapping the labels.
        before = driver.execute_script(STATE_JS)
        result["totalBefore"] = before["total"]
        if before["total"] is None:
            failures.append("#approved-total not found")
        expect_change = False
        for code, (value, reason) in args.decisions.items():
            radios = driver.find_elements(By.CSS_SELECTOR, f'#review input[type="radio"][name="decision.{code}"][value="{value}"]')
            if len(radios) != 1:
                failures.append(f"{code}: expected one radio decision.{code}={value}, found {len(radios)}")
                continue
            radio = radios[0]
            label = driver.execute_script("return arguments[0].labels && arguments[0].labels[0]", radio)
            if label is None:
                failures.append(f"{code}: radio {value} has no label to tap")
                continue
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", label)
            label.click()
            if not radio.is_selected():
                failures.append(f"{code}: tapping the label did not choose {value}")
            info = before["items"].get(code, {})
            if value == "approved" and info.get("costMinor", 0) > 0 and info.get("decision") != "approved":
                expect_change = True
            selects = driver.find_elements(By.CSS_SELECTOR, f'#review select[name="reason.{code}"]')
            if value == "declined":
                if len(selects) != 1:
                    failures.append(f"{code}: expected one select reason.{code}, found {len(selects)}")
                    continue
                if not wait_for(driver, lambda d: selects[0].is_displayed(), 3):
                    failures.append(f"{code}: reason select not shown after choosing declined")
                    continue
                if reason:
                    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", selects[0])
                    try:
                        Select(selects[0]).select_by_value(reason)
                    except WebDriverException as e:
                        failures.append(f"{code}: cannot choose reason {reason}: {e.msg if hasattr(e, 'msg') else e}")
            elif len(selects) == 1:
                shown = selects[0].is_displayed()
                if args.no_js and not shown:
                    failures.append(f"{code}: reason select hidden without JavaScript")
                if not args.no_js and shown:
                    failures.append(f"{code}: reason select still shown although {value} was chosen")
        after = driver.execute_script(STATE_JS)
        result["totalAfter"] = after["total"]
        if not args.no_js:
            if expect_change and after["total"] == before["total"]:
                failures.append(f"#approved-total did not change ({before['total']!r}) after approving priced items")
            if after["expected"] is not None and after["total"] != after["expected"]:
                failures.append(f"#approved-total shows {after['total']!r}, expected {after['expected']!r}")
        check_no_sideways(driver, "phone after choosing", failures)

        # 4. Sign, consent, submit, wait for the thank-you.
        sig = driver.find_elements(By.CSS_SELECTOR, '#review input[name="signature"]')
        if len(sig) != 1:
            failures.append(f"expected one signature input, found {len(sig)}")
            return result
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", sig[0])
        sig[0].clear()
        sig[0].send_keys(args.signature)
        consent = driver.find_elements(By.CSS_SELECTOR, '#review input[type="checkbox"][name="consent"]')
        if len(consent) != 1:
            failures.append(f"expected one consent checkbox, found {len(consent)}")
        elif consent[0].is_selected() != args.consent:
            label = driver.execute_script("return arguments[0].labels && arguments[0].labels[0]", consent[0])
            (label or consent[0]).click()
            if consent[0].is_selected() != args.consent:
                failures.append("tapping the consent label did not change the checkbox")
        buttons = driver.find_elements(By.CSS_SELECTOR, '#review button[type="submit"], #review input[type="submit"], #review button:not([type])')
        if not buttons:
            failures.append("no submit button")
            return result
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", buttons[0])
        buttons[0].click()
        if not wait_for(driver, lambda d: d.find_elements(By.ID, "review-done"), DONE_TIMEOUT):
            failures.append(f"#review-done did not appear within {DONE_TIMEOUT}s after submitting")
            shots.append(screenshot(driver, os.path.join(args.out, "phone-after-submit.png"), PHONE))
            return result
        check_no_sideways(driver, "phone done", failures)
        shots.append(screenshot(driver, os.path.join(args.out, "phone-done.png"), PHONE))

        # Desktop: load the same address again (a GET, never a re-POST).
        emulate(driver, DESKTOP)
        driver.set_window_size(DESKTOP["width"], DESKTOP["height"])
        driver.get(driver.current_url)
        if not wait_for(driver, lambda d: d.find_elements(By.ID, "review-done"), DONE_TIMEOUT):
            failures.append("#review-done missing when the page is loaded again at desktop size")
        check_no_sideways(driver, "desktop done", failures)
        shots.append(screenshot(driver, os.path.join(args.out, "desktop-done.png"), DESKTOP))
        return result
    except Exception as e:  # a browser or page error is a failed check, reported with what was found so far
        failures.append(f"error: {type(e).__name__}: {getattr(e, 'msg', None) or e}")
        return result
    finally:
        for message in csp_violations(driver):
            failures.append(f"CSP violation: {message}")
        driver.quit()


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        result = run(args)
    except WebDriverException as e:
        result = {"ok": False, "failures": [f"browser error: {getattr(e, 'msg', None) or e}"],
                  "totalBefore": None, "totalAfter": None, "screenshots": []}
    result["ok"] = not result["failures"]
    print(json.dumps(result))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
