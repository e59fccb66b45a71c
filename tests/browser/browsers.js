// The browsers the tests and benches run in: Debian's Chromium and Firefox ESR through
// playwright-core, and WebKitGTK through its WebDriver (webkit.js), which gives the part of
// Playwright's page API the tests use (see ../shared/browsers.md). Never a downloaded browser.
import { existsSync } from 'node:fs';
import { webkit } from './webkit.js';

const CHROMIUM = '/usr/bin/chromium';
const FIREFOX = '/usr/bin/firefox-esr';

export const browsers = [
  {
    name: 'chromium',
    available: () => existsSync(CHROMIUM),
    async launch() {
      const { chromium } = await import('playwright-core');
      return chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
    },
  },
  {
    name: 'firefox',
    available: () => existsSync(FIREFOX),
    async launch() {
      const { firefox } = await import('playwright-core');
      return firefox.launch({ channel: 'moz-firefox', executablePath: FIREFOX, headless: true });
    },
  },
  webkit,
];
