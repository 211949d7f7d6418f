/**
 * Headless Chromium for the browser tests: Debian's /usr/bin/chromium through playwright-core, with
 * the flags every browser test uses (playwright-core makes a fresh temporary --user-data-dir per
 * launch). Tests skip themselves when CHROMIUM is absent.
 */
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Flags of every launch; a test adds its own after these (chromiumLaunch's `extraArgs`). */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--autoplay-policy=no-user-gesture-required',
];

/** Launches headless Chromium with CHROMIUM_FLAGS followed by `extraArgs`. */
export function chromiumLaunch(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_FLAGS, ...extraArgs] });
}
