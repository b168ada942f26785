// Headless Chromium (Debian's package) driven by playwright-core, for tests that render reports.
// Without Chromium (a plain clone) the tests skip and say why on stderr.

import * as fs from "node:fs";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";

/** Chromium binary: $RESIDENCY_GUARD_CHROMIUM, else Debian's /usr/bin/chromium. */
export const CHROMIUM = process.env.RESIDENCY_GUARD_CHROMIUM || "/usr/bin/chromium";

/** Where screenshots go (CI keeps the folder as an artefact). */
export const ARTIFACTS = path.resolve(__dirname, "..", "..", ".tmp", "artifacts");

/** Why the browser tests cannot run here, or null. */
export function chromiumMissing(): string | null {
  if (fs.existsSync(CHROMIUM)) return null;
  return `skipped: Chromium not found at ${CHROMIUM} (apt-get install chromium, or set RESIDENCY_GUARD_CHROMIUM)`;
}

/** `describe` when Chromium is installed; otherwise a skipped block titled with the reason, printed once on stderr. */
export function describeWithChromium(name: string, fn: () => void): void {
  const reason = chromiumMissing();
  if (reason === null) {
    describe(name, fn);
    return;
  }
  process.stderr.write(`${name}: ${reason}\n`);
  describe.skip(`${name} (${reason})`, () => {
    it.skip(reason, () => undefined);
  });
}

/** Launches headless Chromium without network side channels of its own. */
export async function launch(): Promise<Browser> {
  const { chromium } = require("playwright-core") as typeof import("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update"],
  });
}

/** What a page did while it loaded and ran: console errors, page errors, requests, dialogs. */
export interface PageLog {
  errors: string[];
  requests: string[];
  dialogs: string[];
}

/**
 * Opens `file` in a new page that fails every request other than the file itself and records
 * console errors, uncaught errors and dialogs (an `alert` from injected script would show here).
 */
export async function openReport(browser: Browser, file: string): Promise<{ page: Page; log: PageLog }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const log: PageLog = { errors: [], requests: [], dialogs: [] };
  const url = `file://${path.resolve(file)}`;
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") log.errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => log.errors.push(`pageerror: ${e.message}`));
  page.on("dialog", (d) => {
    log.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on("request", (r) => {
    if (r.url() !== url) log.requests.push(r.url());
  });
  await page.route("**/*", (route) => (route.request().url() === url ? route.continue() : route.abort()));
  await page.goto(url, { waitUntil: "load" });
  return { page, log };
}
