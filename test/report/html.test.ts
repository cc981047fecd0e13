import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { percentileGrid } from '../../src/report/distribution.js';
import { renderHtml } from '../../src/report/html.js';
import { hostileChecks, makeResult } from './fixtures.js';

/** Structure of report.html without a browser; report-browser.test.ts checks what a browser makes of it. */

const scripts = (html: string) => [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];

describe('renderHtml', () => {
  const result = makeResult();
  const html = renderHtml(result);

  it('has a verdict banner, one <details> per check and the failing checks linked', () => {
    expect(html).toMatch(/<header class="banner fail">/);
    expect(html).toContain('verdict: FAIL');
    expect(html.match(/<details class="check /g)).toHaveLength(result.checks.length);
    for (const c of result.checks.filter((x) => x.required && x.status === 'fail')) {
      expect(html).toContain(`href="#check-${c.id}"`);
    }
  });

  it('carries both reproducers of every evidence with a copy button each', () => {
    const evidence = result.checks.flatMap((c) => c.evidence).filter((e) => e.reproducers);
    expect(html.match(/<button type="button" class="copy"/g)).toHaveLength(evidence.length * 2);
    expect(html.match(/data-kind="send"/g)).toHaveLength(evidence.length);
    expect(html.match(/data-kind="curl"/g)).toHaveLength(evidence.length);
  });

  it('allows exactly its own script and style by hash, and nothing from the network', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/
      .exec(html)?.[1]
      ?.replace(/&#39;/g, "'");
    expect(csp).toBeDefined();
    expect(csp).toContain("default-src 'none'");
    const inline = scripts(html).filter(([, attrs]) => !attrs?.includes('application/json'));
    expect(inline).toHaveLength(1);
    const hash = createHash('sha256').update(inline[0]![2]!).digest('base64');
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(csp).toContain(`style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(html).not.toMatch(/\s(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/\sstyle="/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('draws one point per grid step in each distribution and one per second over time', () => {
    const paths = [
      ...html.matchAll(/<path class="line [^"]*" data-series="([^"]*)" data-points="(\d+)" d="([^"]*)"/g),
    ];
    const grid = percentileGrid().length;
    const dist = paths.filter(([, name]) => name === 'corrected' || name === 'uncorrected');
    expect(dist).toHaveLength(result.phases.length * 2);
    for (const [, , points, d] of dist) {
      expect(Number(points)).toBe(grid);
      expect(d!.match(/[ML]/g)).toHaveLength(grid);
    }
    const seconds = result.timeseries.length;
    const byName = (n: string) => paths.find(([, name]) => name === n)!;
    for (const n of ['p50', 'p99', 'sent', 'completed', 'errors']) {
      expect(Number(byName(n)[2])).toBe(seconds);
      expect(byName(n)[3]!.match(/[ML]/g)).toHaveLength(seconds);
    }
  });

  it('embeds the chart data as JSON the page can parse', () => {
    const data = scripts(html).find(([, attrs]) => attrs?.includes('application/json'))!;
    const parsed = JSON.parse(data[2]!) as { charts: Record<string, { xs: number[]; series: unknown[] }> };
    expect(Object.keys(parsed.charts).sort()).toEqual([
      'dist-0',
      'dist-1',
      'dist-2',
      'latency-over-time',
      'throughput-over-time',
    ]);
    expect(parsed.charts['throughput-over-time']!.xs).toHaveLength(result.timeseries.length);
  });

  it('shows the run facts: version, machine, time scale, probe', () => {
    const scaled = renderHtml({ ...result, timeScale: 0.01 });
    expect(scaled).toContain('Time scale 0.01');
    expect(html).toContain('linux x64, 8 CPUs, Node v20.20.2');
    expect(html).toContain('0.1.0');
    expect(html).toContain('http://127.0.0.1:3000/internal/effects/{{event.id}}');
  });

  it('says so when no load phase ran', () => {
    const out = renderHtml({ ...result, phases: [], timeseries: [] });
    expect(out).toContain('No load phase ran');
    expect(out).not.toContain('<svg class="chart"');
  });

  it('leaves a gap in latency over time for seconds in which nothing completed', () => {
    const ts = result.timeseries.map((p, i) => (i === 4 ? { ...p, completed: 0 } : p));
    const out = renderHtml({ ...result, timeseries: ts });
    const p99 = /data-series="p99" data-points="(\d+)" d="([^"]*)"/.exec(out)!;
    expect(Number(p99[1])).toBe(ts.length - 1);
    expect(p99[2]!.match(/M/g)).toHaveLength(2);
  });
});

describe('renderHtml with hostile content', () => {
  const result = makeResult({
    checks: hostileChecks(),
    scenarioName: `name </script><script>window.__pwned=10</script>`,
  });
  result.phases[0]!.name = '</script><script>window.__pwned=11</script><!--';
  for (const p of result.timeseries) if (p.phase === 'warmup') p.phase = result.phases[0]!.name;
  const html = renderHtml(result);

  it('never emits the payload as markup', () => {
    expect(html).not.toContain('<script>window.__pwned');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<svg onload');
    expect(html).not.toContain('<iframe');
    expect(html).not.toContain('href="javascript:');
    expect(html).not.toMatch(/[\u202e\u2028\u2029\u0000]/);
    expect(scripts(html)).toHaveLength(2);
  });

  it('keeps the embedded JSON inside its script element', () => {
    const data = scripts(html).find(([, attrs]) => attrs?.includes('application/json'))!;
    expect(data[2]).not.toContain('<');
    const parsed = JSON.parse(data[2]!) as { charts: Record<string, { xLabels: string[] }> };
    expect(parsed.charts['latency-over-time']!.xLabels[0]).toContain(
      '</script><script>window.__pwned=11</script><!--',
    );
  });

  it('keeps every tag well formed: attributes are quoted name="value" pairs only', () => {
    const body = html.replace(/<(script|style)([^>]*)>[\s\S]*?<\/\1>/g, '<$1$2></$1>');
    const tags = [...body.matchAll(/<[a-zA-Z][^>]*>/g)].map((m) => m[0]);
    expect(tags.length).toBeGreaterThan(100);
    for (const tag of tags) {
      expect(tag).toMatch(/^<[a-zA-Z][\w-]*(\s+[\w:-]+(="[^"<>]*")?)*\s*\/?>$/);
      expect(tag).not.toMatch(/\son[a-z]+=/i);
    }
  });
});
