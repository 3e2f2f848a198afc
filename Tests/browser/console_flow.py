#!/usr/bin/env python3
"""Drive the workshop console (/console) in headless Chromium like a service desk on a desktop and a tablet.

    console_flow.py --base URL --token TOKEN --month YYYY-MM --followup ID --mileage KM --out DIR

Signs in with the admin token, opens the month's call list, checks it (every control labelled, no CSP
violation, no sideways scroll on a tablet), records a call on the row of follow-up ID (contacted, with the
mileage), waits for the list to say it was saved, and saves desktop-call-list.png, tablet-call-list.png,
desktop-recording.png, desktop-saved.png, desktop-reports.png (its charts) and desktop-webhooks.png (after
replaying the endpoint's events) in DIR. Prints one JSON object on stdout and exits 1 if any check failed.
Uses the review page driver's browser set-up (Debian's chromium and chromedriver) and opens loopback URLs only.
"""

import argparse
import json
import os
import sys
from urllib.parse import urlparse

from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from review_flow import DESKTOP, LOOPBACK, check_no_sideways, csp_violations, emulate, make_driver, screenshot, wait_for

TABLET = {"width": 1024, "height": 768, "deviceScaleFactor": 1, "mobile": False}

UNLABELLED_JS = r"""
const out = [];
for (const el of document.querySelectorAll('input, select, textarea')) {
  if (el.type === 'hidden') continue;
  const labelled = (el.labels && el.labels.length > 0) || el.getAttribute('aria-label');
  if (!labelled) out.push(el.name || el.id || el.outerHTML.slice(0, 80));
}
return out;
"""


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("--base", "--token", "--month", "--followup", "--mileage", "--out"):
        p.add_argument(name, required=True)
    args = p.parse_args(argv)
    if urlparse(args.base).hostname not in LOOPBACK:
        p.error("only loopback URLs")
    return args


def run(args):
    failures, shots = [], []
    result = {"ok": False, "failures": failures, "screenshots": shots}
    driver = make_driver(no_js=False)
    try:
        emulate(driver, DESKTOP)
        driver.get(args.base + "/console/login")
        driver.find_element(By.ID, "token").send_keys(args.token)
        driver.find_element(By.CSS_SELECTOR, "form.card button[type=submit]").click()
        if not wait_for(driver, lambda d: "/console/followups" in d.current_url, 30):
            failures.append(f"signing in did not open the call list (at {driver.current_url})")
            return result

        driver.get(f"{args.base}/console/followups?month={args.month}")
        rows = driver.find_elements(By.CSS_SELECTOR, "[data-test=call-row]")
        if not rows:
            failures.append("the call list shows no rows")
        unlabelled = driver.execute_script(UNLABELLED_JS)
        if unlabelled:
            failures.append(f"controls without a label: {unlabelled}")
        shots.append(screenshot(driver, os.path.join(args.out, "desktop-call-list.png"), DESKTOP))
        emulate(driver, TABLET)
        check_no_sideways(driver, "tablet call list", failures)
        shots.append(screenshot(driver, os.path.join(args.out, "tablet-call-list.png"), TABLET))
        emulate(driver, DESKTOP)

        driver.find_element(By.CSS_SELECTOR, f"#f-{args.followup} [data-test=record-call]").click()
        if not wait_for(driver, lambda d: d.find_elements(By.NAME, "outcome"), 30):
            failures.append("the follow-up's page with its form did not open")
            return result
        row = driver.find_element(By.ID, "f-" + args.followup)
        Select(row.find_element(By.NAME, "outcome")).select_by_value("contacted")
        row.find_element(By.NAME, "odometer").send_keys(args.mileage)
        shots.append(screenshot(driver, os.path.join(args.out, "desktop-recording.png"), DESKTOP))
        row.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        if not wait_for(driver, lambda d: "saved=" in d.current_url, 30):
            failures.append(f"saving the call did not come back to the list (at {driver.current_url})")
        flash = driver.find_elements(By.CSS_SELECTOR, "[data-test=console-flash]")
        if not flash or "error" in (flash[0].get_attribute("class") or ""):
            failures.append("the list does not say the call was saved")
        shots.append(screenshot(driver, os.path.join(args.out, "desktop-saved.png"), DESKTOP))
        driver.get(f"{args.base}/console/reports?from={args.month[:4]}-01&to={args.month[:4]}-12")
        charts = driver.find_elements(By.CSS_SELECTOR, "svg.chart")
        if len(charts) != 3:
            failures.append(f"the reports page shows {len(charts)} charts, not 3")
        shots.append(screenshot(driver, os.path.join(args.out, "desktop-reports.png"), DESKTOP))

        driver.get(f"{args.base}/console/webhooks")
        replay = driver.find_elements(By.CSS_SELECTOR, "[data-test=endpoint] form[action$='/replay'] button")
        if not replay:
            failures.append("the webhooks page shows no endpoint to replay")
        else:
            replay[0].click()
            if not wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "[data-test=console-flash]"), 30):
                failures.append("replaying said nothing")
            shots.append(screenshot(driver, os.path.join(args.out, "desktop-webhooks.png"), DESKTOP))
        violations = csp_violations(driver)
        if violations:
            failures.append(f"CSP violations: {violations}")
    except TimeoutException as e:
        failures.append(f"timed out: {e.msg}")
    finally:
        driver.quit()
    return result


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        result = run(args)
    except WebDriverException as e:
        result = {"ok": False, "failures": [f"browser error: {getattr(e, 'msg', None) or e}"], "screenshots": []}
    result["ok"] = not result["failures"]
    print(json.dumps(result))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
