import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentileGrid } from '../../src/report/distribution.js';
import { renderHtml } from '../../src/report/html.js';
import type { ResultJson } from '../../src/run/result.js';
import { HOSTILE, hostileChecks, makeResult } from './fixtures.js';

/**
 * report.html as a browser sees it, opened from disk (file://) in headless Chromium: the page script
 * runs under its CSP, charts draw every point, evidence expands, and hostile target content stays text.
 */

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const haveBrowser = existsSync(CHROMIUM);
// In CI a missing browser is a failure, not a skip: the report tests must run somewhere.
const inCi = process.env['CI'] === 'true';
// Page-side code is written as strings: it runs in the browser, and the project's types are Node's.
const READY = "document.documentElement.dataset.ready === '1'";
const isOpen = async (l: Locator) => (await l.getAttribute('open')) !== null;
const SCREENSHOT = join(dirname(fileURLToPath(import.meta.url)), '../../docs/report-screenshot.png');

interface Opened {
  page: Page;
  context: BrowserContext;
  problems: string[];
  requests: string[];
  url: string;
}

describe.skipIf(!haveBrowser && !inCi)('report.html in Chromium', () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    if (!haveBrowser) throw new Error(`CI=true but there is no browser at ${CHROMIUM}`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    dir = await mkdtemp(join(tmpdir(), 'wh-bench-html-'));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function open(result: ResultJson, name: string, hash = ''): Promise<Opened> {
    const file = join(dir, `${name}.html`);
    await writeFile(file, renderHtml(result));
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    const url = pathToFileURL(file).href;
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('request', (r) => {
      if (r.url() !== url && r.url() !== url + hash) requests.push(r.url());
    });
    await page.goto(url + hash);
    await page.waitForFunction(READY, undefined, { timeout: 5000 });
    return { page, context, problems, requests, url };
  }

  it('renders a realistic report: charts complete, evidence expands, copy works, no errors', async () => {
    const result = makeResult();
    const { page, context, problems, requests } = await open(result, 'realistic');
    try {
      // Each chart drew exactly as many points as its data has, and the lines have length.
      const drawn = await page.$$eval('svg.chart path.line', (paths) =>
        paths.map((p) => ({
          chart: p.closest('svg')!.id,
          series: p.getAttribute('data-series'),
          declared: Number(p.getAttribute('data-points')),
          commands: (p.getAttribute('d')?.match(/[ML]/g) ?? []).length,
          length: (p as unknown as { getTotalLength(): number }).getTotalLength(),
        })),
      );
      const grid = percentileGrid().length;
      const expected: Record<string, number> = {
        'latency-over-time': result.timeseries.filter((p) => p.completed > 0).length,
        'throughput-over-time': result.timeseries.length,
      };
      result.phases.forEach((_, i) => {
        expected[`dist-${i}`] = grid;
      });
      expect(new Set(drawn.map((d) => d.chart))).toEqual(new Set(Object.keys(expected)));
      expect(drawn).toHaveLength(result.phases.length * 2 + 5);
      for (const d of drawn) {
        expect(d.commands, `${d.chart}/${d.series}`).toBe(expected[d.chart]);
        expect(d.declared).toBe(d.commands);
        expect(d.length).toBeGreaterThan(0);
      }

      // Evidence is folded until its check is clicked.
      const malformed = page.locator('details.check[id="check-signature.malformed"]');
      const body = malformed.locator('.evidence pre').first();
      expect(await isOpen(malformed)).toBe(false);
      expect(await body.isVisible()).toBe(false);
      await malformed.locator('summary').click();
      expect(await isOpen(malformed)).toBe(true);
      expect(await malformed.locator('.res pre').first().isVisible()).toBe(true);
      expect(await malformed.locator('.res pre').first().textContent()).toContain(
        'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH',
      );

      // Copy puts the exact reproducer on the clipboard (or selects it when the clipboard is refused).
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      const curl = malformed.locator('code[data-kind="curl"]').first();
      const button = malformed.locator('button.copy').nth(1);
      await button.click();
      await expect.poll(() => button.textContent()).toMatch(/copied|selected/);
      if ((await button.textContent()) === 'copied') {
        expect(await page.evaluate('navigator.clipboard.readText()')).toBe(await curl.textContent());
      } else {
        expect(await page.evaluate('String(window.getSelection())')).toBe(await curl.textContent());
      }

      // The hover readout follows the mouse over a chart.
      const chart = page.locator('svg#latency-over-time');
      await chart.scrollIntoViewIfNeeded();
      const box = (await chart.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
      expect(await chart.locator('text.readout').textContent()).toMatch(/p50 .*ms.*p99 .*ms/);

      // "Expand failures" opens every failing and warning check and nothing else.
      await page.click('#expand-failed');
      const open = await page.$$eval('details.check', (ds) =>
        ds.map((d) => ({ status: d.getAttribute('data-status'), open: d.hasAttribute('open') })),
      );
      for (const d of open)
        expect(d.open).toBe(d.status === 'fail' || d.status === 'warn' || d.status === 'error');

      expect(problems).toEqual([]);
      expect(requests).toEqual([]);

      // The documentation screenshot: one failure open, the rest as a reader first sees them.
      await page.reload();
      await page.waitForFunction(READY);
      await page.locator('details.check[id="check-signature.tampered-body"] summary').click();
      await page.mouse.move(0, 0);
      await mkdir(dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('opens the check named in the URL fragment, even inside the passed group', async () => {
    const { page, context, problems } = await open(makeResult(), 'fragment', '#check-delivery.no-redirect');
    try {
      const d = page.locator('details.check[id="check-delivery.no-redirect"]');
      expect(await isOpen(d)).toBe(true);
      expect(await isOpen(page.locator('#passed-checks'))).toBe(true);
      expect(await d.locator('.sum').isVisible()).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows hostile target content as text and runs none of it', async () => {
    const result = makeResult({
      checks: hostileChecks(),
      scenarioName: 'evil </script><script>window.__pwned = 20</script>',
    });
    result.phases[0]!.name = '</script><script>window.__pwned = 21</script><!--';
    for (const p of result.timeseries) if (p.phase === 'warmup') p.phase = result.phases[0]!.name;
    const { page, context, problems, requests } = await open(result, 'hostile');
    try {
      const check = page.locator('details.check[id="check-signature.tampered-body"]');
      await check.locator('summary').click();
      // Hover a chart whose labels carry a payload: the readout sets text, never markup.
      const chart = page.locator('svg#latency-over-time');
      await chart.scrollIntoViewIfNeeded();
      const box = (await chart.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.1, box.y + box.height / 2);
      expect(await chart.locator('text.readout').textContent()).toContain('window.__pwned = 21');
      await page.waitForTimeout(200);

      const state = await page.evaluate(`({
        pwned: window.__pwned,
        parentPwned: window.parent.__pwned,
        scripts: document.scripts.length,
        iframes: document.querySelectorAll('iframe').length,
        imgs: document.querySelectorAll('img').length,
        jsLinks: document.querySelectorAll('a[href^="javascript:" i]').length,
        handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).length,
        textareas: document.querySelectorAll('textarea').length,
        comments: (() => {
          const w = document.createTreeWalker(document.body, NodeFilter.SHOW_COMMENT);
          let n = 0;
          while (w.nextNode()) n += 1;
          return n;
        })(),
      })`);
      expect(state).toEqual({
        pwned: undefined,
        parentPwned: undefined,
        scripts: 2,
        iframes: 0,
        imgs: 0,
        jsLinks: 0,
        handlers: 0,
        textareas: 0,
        comments: 0,
      });

      // The payload is visible as text: the response body, headers, summary and reproducers.
      const response = await check.locator('.res pre').first().textContent();
      for (const s of [
        '<script>window.__pwned = 1</script>',
        '</textarea>',
        '</script>',
        'javascript:window.__pwned = 4',
        '<!--',
      ]) {
        expect(response).toContain(s);
      }
      // Invisible and reordering characters are shown as their code, not applied.
      expect(response).toContain('\\u202e');
      expect(response).toContain('\\u2028');
      const bodyText = await page.evaluate('document.body.innerText');
      expect(bodyText).not.toMatch(/[\u202e\u2028\u2029]/);
      expect(await check.locator('.sum').textContent()).toContain(
        'summary <script>window.__pwned = 1</script>',
      );
      expect(await check.locator('code[data-kind="curl"]').textContent()).toContain("curl '<script>");
      expect(await page.title()).toContain('evil </script><script>window.__pwned = 20</script>');
      expect(HOSTILE).toContain('</textarea>');

      expect(problems).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
