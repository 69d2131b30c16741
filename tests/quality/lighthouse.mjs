// Runs Lighthouse on one URL in Debian's Chromium and prints the four
// category scores (0 to 100) and the failing audits as JSON.
// Usage: node lighthouse.mjs URL [desktop|mobile]
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const [url, formFactor = 'mobile'] = process.argv.slice(2);
if (!url) {
  console.error('usage: node lighthouse.mjs URL [desktop|mobile]');
  process.exit(2);
}
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM || '/usr/bin/chromium',
  chromeFlags: [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
  ],
});
try {
  const settings = {
    port: chrome.port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
  };
  const config = formFactor === 'desktop'
    ? (await import('lighthouse/core/config/desktop-config.js')).default
    : undefined;
  const result = await lighthouse(url, settings, config);
  const lhr = result.lhr;
  const scores = Object.fromEntries(
    Object.entries(lhr.categories).map(([id, c]) => [id, Math.round((c.score ?? 0) * 100)]),
  );
  const failing = Object.values(lhr.audits)
    .filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== 'informative'
      && a.scoreDisplayMode !== 'notApplicable' && a.scoreDisplayMode !== 'manual')
    .map((a) => ({ id: a.id, score: a.score, value: a.displayValue ?? '' }));
  const metrics = Object.fromEntries(
    ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index']
      .map((id) => [id, lhr.audits[id]?.displayValue ?? null]),
  );
  const consoleErrors = (lhr.audits['errors-in-console']?.details?.items ?? [])
    .map((item) => `${item.sourceLocation?.url ?? item.source ?? ''}: ${item.description ?? ''}`);
  console.log(JSON.stringify({
    url, formFactor, lighthouse: lhr.lighthouseVersion, scores, metrics, failing, consoleErrors,
  }));
} finally {
  await chrome.kill();
}
