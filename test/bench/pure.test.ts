/** The bench's pure parts: its arguments, statistics, target config, parsers and report. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BenchUsageError, parseBenchArgs } from '../../bench/args.js';
import { parseWrkOutput, wrkScript } from '../../bench/contenders/wrk.js';
import type { Machine } from '../../bench/machine.js';
import { heapSlopePer100k } from '../../bench/memory.js';
import { nginxConfig, parseStubStatus } from '../../bench/nginx-config.js';
import { BODY_BYTES, BODY_PARTS, bodyText, eventIdFor, staticBody } from '../../bench/payload.js';
import {
  type BenchReport,
  DEFAULT_INTRO,
  goalsOf,
  RESULTS_MARKER,
  renderMarkdown,
  renderText,
  roundRatios,
} from '../../bench/report.js';
import { median, slope } from '../../bench/stats.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('parseBenchArgs', () => {
  it('runs every section by default, or the ones named, in suite order', () => {
    expect(parseBenchArgs([]).sections).toEqual(['throughput', 'open', 'memory', 'signing']);
    expect(parseBenchArgs(['signing', 'throughput']).sections).toEqual(['throughput', 'signing']);
  });
  it('reads --seconds and --rounds, defaults 5 s and 3 rounds, 10^6 deliveries', () => {
    const a = parseBenchArgs(['--seconds', '2', '--rounds', '5']);
    expect([a.seconds, a.rounds, a.smoke, a.writeResults]).toEqual([2, 5, false, false]);
    const d = parseBenchArgs([]);
    expect([d.seconds, d.rounds, d.deliveries, d.connections]).toEqual([5, 3, 1_000_000, 50]);
  });
  it('makes --smoke short', () => {
    const s = parseBenchArgs(['--smoke']);
    expect(s.rounds).toBe(1);
    expect(s.seconds).toBeLessThanOrEqual(1);
    expect(s.deliveries).toBeLessThan(100_000);
    expect(s.warmupSeconds).toBe(0);
  });
  it('refuses an unknown section and a bad number', () => {
    expect(() => parseBenchArgs(['speed'])).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(['--fast'])).toThrow(BenchUsageError);
    expect(() => parseBenchArgs(['--seconds', '0'])).toThrow(/positive/);
  });
});

describe('stats', () => {
  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
  it('least-squares slope', () => {
    expect(
      slope([
        [0, 1],
        [1, 3],
        [2, 5],
      ]),
    ).toBeCloseTo(2, 10);
    expect(
      slope([
        [0, 5],
        [10, 5],
      ]),
    ).toBe(0);
    expect(slope([[1, 1]])).toBeNaN();
  });
  it('heap slope per 100k deliveries ignores the warm-up', () => {
    const heap: Array<[number, number]> = [
      [0, 0],
      [100_000, 5_000_000],
      [200_000, 1000],
      [300_000, 2000],
      [400_000, 3000],
    ];
    expect(heapSlopePer100k(heap, 200_000)).toBeCloseTo(1000, 6);
  });
});

describe('nginx target config', () => {
  const conf = nginxConfig({ dir: '/tmp/x', port: 1234 });
  it('answers 204, logs no access, one worker, 2 MB bodies, stub_status on its own location', () => {
    expect(conf).toContain('return 204;');
    expect(conf).toContain('access_log off;');
    expect(conf).toContain('worker_processes 1;');
    expect(conf).toContain('client_max_body_size 2m;');
    expect(conf).toMatch(/location = \/__status \{\s*stub_status;/);
    expect(conf).toContain('listen 127.0.0.1:1234');
    expect(conf).toContain('pid /tmp/x/nginx.pid;');
  });
  it('parses the request count of a stub_status page', () => {
    const page =
      'Active connections: 3 \nserver accepts handled requests\n 17 17 123456 \nReading: 0 Writing: 1 Waiting: 2 \n';
    expect(parseStubStatus(page)).toBe(123456);
    expect(() => parseStubStatus('<html>')).toThrow(/stub_status/);
  });
});

describe('wrk', () => {
  it('posts the static body with the same headers', () => {
    const s = wrkScript();
    expect(s).toContain('wrk.method = "POST"');
    expect(s).toContain(`wrk.body = ${JSON.stringify(staticBody())}`);
    expect(s).toContain('wrk.headers["Stripe-Signature"]');
    expect(s).toContain('wrk.headers["Content-Type"] = "application/json"');
  });
  it('reads its summary', () => {
    const out = `Running 5s test @ http://127.0.0.1:1/hook
  1 threads and 50 connections
  482512 requests in 5.00s, 36.81MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 10
Requests/sec:  96502.40`;
    expect(parseWrkOutput(out)).toEqual({ selfCount: 482502, failures: 13 });
    expect(() => parseWrkOutput('nonsense')).toThrow(/wrk output/);
  });
});

describe('the bench payload', () => {
  it('is about 1 KB of JSON with the id and the timestamp where they belong', () => {
    const text = bodyText(eventIdFor(123456), 1_700_000_000);
    expect(Math.abs(text.length - BODY_BYTES)).toBeLessThan(8);
    const parsed = JSON.parse(text) as { id: string; created: number; type: string };
    expect(parsed.id).toBe(eventIdFor(123456));
    expect(parsed.created).toBe(1_700_000_000);
    expect(text.startsWith(BODY_PARTS.head)).toBe(true);
  });
});

const machine: Machine = {
  cpu: 'Test CPU',
  cores: 2,
  memoryGiB: 4,
  node: 'v20.0.0',
  undici: '7.0.0',
  autocannon: '9.0.0',
  nginx: '1.22.1',
  wrk: '4.1.0',
};

function report(over: Partial<BenchReport> = {}): BenchReport {
  const round = (rate: number) => ({
    rate,
    requests: rate * 5,
    seconds: 5,
    report: { selfCount: 1, failures: 0 },
  });
  return {
    command: 'npm run bench',
    date: '2025-01-01',
    smoke: false,
    machine,
    target: 'nginx 1.22.1',
    load: [{ section: 'throughput', before: [0.5, 0.4, 0.3], after: [1, 0.5, 0.3] }],
    notes: [],
    throughput: {
      seconds: 5,
      connections: 50,
      contenders: [
        { name: 'wh-bench', label: 'wh', rounds: [round(30_000)], median: 30_000 },
        { name: 'autocannon', label: 'ac', rounds: [round(20_000)], median: 20_000 },
        { name: 'undici', label: 'un', rounds: [round(40_000)], median: 40_000 },
      ],
    },
    ...over,
  };
}

describe('the report', () => {
  it('judges the goals and says by how much', () => {
    const goals = goalsOf(report());
    expect(goals.map((g) => [g.got, g.ok])).toEqual([
      ['1.500x', true],
      ['0.750x', false],
    ]);
  });
  it('prints the ratios, the machine and the load average', () => {
    const text = renderText(report());
    expect(text).toContain('ratio wh-bench / autocannon-signed: 1.50');
    expect(text).toContain('ratio wh-bench / bare undici loop: 0.75');
    expect(text).toContain('Test CPU, 2 cores');
    expect(text).toContain('load average 0.5 0.4 0.3 before');
    expect(text).toMatch(/MISS\s+closed-model signed throughput vs bare undici loop/);
  });
  it('pairs the rounds: wh-bench over a peer, round by round', () => {
    const r = report();
    const t = r.throughput!;
    const add = (name: string, rate: number) =>
      t.contenders.find((c) => c.name === name)!.rounds.push({ ...t.contenders[0]!.rounds[0]!, rate });
    add('wh-bench', 20_000);
    add('undici', 20_000);
    expect(roundRatios(t, 'undici')).toEqual([0.75, 1]);
    expect(renderText(r)).toContain(
      'ratio wh-bench / bare undici loop: 0.75 (per round: 0.75 1.00; their median 0.88)',
    );
  });
  it('keeps the human intro of RESULTS.md and rewrites the rest', () => {
    const first = renderMarkdown(report(), null);
    expect(first.startsWith(DEFAULT_INTRO.trimEnd())).toBe(true);
    const edited = first.replace('# Benchmark results', '# Benchmark results\n\nA human note.');
    const second = renderMarkdown(report({ command: 'npm run bench -- --rounds 5' }), edited);
    expect(second).toContain('A human note.');
    expect(second.split(RESULTS_MARKER)).toHaveLength(2);
    expect(second).toContain('npm run bench -- --rounds 5');
    expect(second).toMatch(/\| wh-bench: wh +\| +30,000 \|/);
  });
  it('writes RESULTS.md as the project formatter would (npm test lints it)', () => {
    const md = renderMarkdown(report(), null);
    const biome = spawnSync(
      join(ROOT, 'node_modules/.bin/biome'),
      ['format', '--stdin-file-path=bench/RESULTS.md'],
      { cwd: ROOT, input: md, encoding: 'utf8' },
    );
    expect(biome.status, biome.stderr).toBe(0);
    expect(biome.stdout).toBe(md);
  });
});
