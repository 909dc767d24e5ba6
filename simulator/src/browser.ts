/**
 * Debian's chromium for the project's browser work (the dashboard browser test, the README's
 * pictures): where it is, the one line a test prints when it is absent, and one launch with the
 * flags every caller needs offline (no sandbox in containers, no GPU, no background networking,
 * no first-run or sync), driven by playwright-core.
 */
import { existsSync } from "node:fs";
import { chromium, type BrowserContext } from "playwright-core";

/** Where `apt-get install -y chromium` (as .ci/run does) puts it. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** Null when chromium is installed, else the one line saying what is skipped and how to install it. */
export function chromiumMissing(what: string): string | null {
  return existsSync(CHROMIUM_PATH)
    ? null
    : `${CHROMIUM_PATH} is not installed: skipping ${what} (apt-get install -y chromium, as .ci/run does)`;
}

/** A headless persistent context in `profileDir` with the given viewport (and device scale factor). */
export function launchChromium(
  profileDir: string,
  viewport: { width: number; height: number },
  deviceScaleFactor?: number,
): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
    viewport,
    ...(deviceScaleFactor === undefined ? {} : { deviceScaleFactor }),
  });
}
