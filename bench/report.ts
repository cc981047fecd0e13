/** The bench's figures as a terminal table and as RESULTS.md, rendered from one object: pure functions. */
import type { Machine } from './machine.js';
import type { MemoryResult } from './memory.js';
import type { OpenResult } from './open.js';
import { median } from './stats.js';
import type { ContenderName, ThroughputResult } from './throughput.js';

export interface LoadNote {
  section: string;
  before: [number, number, number];
  after: [number, number, number];
}

export interface BenchReport {
  command: string;
  date: string;
  smoke: boolean;
  machine: Machine;
  target: string;
  load: LoadNote[];
  throughput?: ThroughputResult;
  open?: OpenResult;
  memory?: MemoryResult;
  signing?: Array<{ scheme: string; perSecond: number }>;
  /** Said in the output: a fallback used, a contender skipped. */
  notes: string[];
}

export interface Goal {
  name: string;
  want: string;
  got: string;
  ok: boolean;
}

export const GOALS = {
  vsAutocannon: 1.25,
  vsUndici: 0.85,
  openRateError: 0.01,
  sendLagP99Ms: 2,
  peakRssBytes: 200 * 1024 * 1024,
  /**
   * "No heap growth": what the per-second timeseries does not explain stays under 16 KiB per 100k
   * deliveries (0.16 byte per delivery; keeping one small object per delivery would show as MBs).
   */
  heapSlopePer100k: 16 * 1024,
} as const;

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const mb = (b: number): string => `${(b / (1024 * 1024)).toFixed(1)} MB`;
const ms = (x: number): string => `${x.toFixed(3)} ms`;
const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
const ratio = (x: number): string => x.toFixed(2);

function medianOf(t: ThroughputResult, name: ContenderName): number | undefined {
  return t.contenders.find((c) => c.name === name)?.median;
}

export function ratios(t: ThroughputResult): { vsAutocannon?: number; vsUndici?: number } {
  const wh = medianOf(t, 'wh-bench');
  const ac = medianOf(t, 'autocannon');
  const un = medianOf(t, 'undici');
  return {
    vsAutocannon: wh !== undefined && ac ? wh / ac : undefined,
    vsUndici: wh !== undefined && un ? wh / un : undefined,
  };
}

/**
 * wh-bench's rate over a peer's, round by round: the two ran seconds apart in each round, so a
 * neighbour's burst on a shared machine spoils a pair less than it spoils a median.
 */
export function roundRatios(t: ThroughputResult, peer: ContenderName): number[] {
  const wh = t.contenders.find((c) => c.name === 'wh-bench')?.rounds ?? [];
  const other = t.contenders.find((c) => c.name === peer)?.rounds ?? [];
  return wh.flatMap((r, i) => {
    const o = other[i];
    return o && o.rate > 0 ? [r.rate / o.rate] : [];
  });
}

function ratioLine(t: ThroughputResult, peer: ContenderName, label: string, value: number): string {
  const rr = roundRatios(t, peer);
  const rounds =
    rr.length > 1 ? ` (per round: ${rr.map(ratio).join(' ')}; their median ${ratio(median(rr))})` : '';
  return `ratio wh-bench / ${label}: ${ratio(value)}${rounds}`;
}

/** Markdown: the first figure after the colon in bold. */
const bold = (line: string): string => line.replace(/: ([\d.]+)/, ': **$1**');

export function openRateError(o: OpenResult): number {
  return Math.abs(o.achievedRate - o.rate) / o.rate;
}

export function goalsOf(r: BenchReport): Goal[] {
  const goals: Goal[] = [];
  if (r.throughput) {
    const q = ratios(r.throughput);
    if (q.vsAutocannon !== undefined)
      goals.push({
        name: 'closed-model signed throughput vs autocannon-signed',
        want: `≥ ${GOALS.vsAutocannon}x`,
        got: `${q.vsAutocannon.toFixed(3)}x`,
        ok: q.vsAutocannon >= GOALS.vsAutocannon,
      });
    if (q.vsUndici !== undefined)
      goals.push({
        name: 'closed-model signed throughput vs bare undici loop',
        want: `≥ ${GOALS.vsUndici}x`,
        got: `${q.vsUndici.toFixed(3)}x`,
        ok: q.vsUndici >= GOALS.vsUndici,
      });
  }
  if (r.open) {
    const err = openRateError(r.open);
    goals.push({
      name: `open model at ${Math.round(r.open.fraction * 100)}% of max: achieved vs intended rate`,
      want: `within ${pct(GOALS.openRateError)}`,
      got: `${pct(err)} off`,
      ok: err <= GOALS.openRateError,
    });
    goals.push({
      name: 'open model send lag p99',
      want: `≤ ${GOALS.sendLagP99Ms} ms`,
      got: ms(r.open.sendLagP99),
      ok: r.open.sendLagP99 <= GOALS.sendLagP99Ms,
    });
  }
  if (r.memory) {
    goals.push({
      name: `peak RSS over ${int(r.memory.deliveries)} deliveries`,
      want: `< ${mb(GOALS.peakRssBytes)}`,
      got: mb(r.memory.peakRssBytes),
      ok: r.memory.peakRssBytes < GOALS.peakRssBytes,
    });
    goals.push({
      name: 'heap growth per delivery after warm-up (slope less the per-second series)',
      want: `< ${int(GOALS.heapSlopePer100k)} B per 100k`,
      got: `${int(r.memory.residualPer100k)} B per 100k`,
      ok: r.memory.residualPer100k < GOALS.heapSlopePer100k,
    });
  }
  return goals;
}

const loadText = (l: LoadNote | undefined): string =>
  l ? `load average ${l.before.join(' ')} before, ${l.after.join(' ')} after` : 'load average not taken';

function table(rows: string[][], align: Array<'l' | 'r'>): string[] {
  const widths = align.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (align[i] === 'r' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

function machineLine(m: Machine): string {
  return (
    `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; node ${m.node}, undici ${m.undici}, ` +
    `autocannon ${m.autocannon}, nginx ${m.nginx ?? 'absent'}, wrk ${m.wrk ?? 'absent'}`
  );
}

const loadFor = (r: BenchReport, section: string): LoadNote | undefined =>
  r.load.find((l) => l.section === section);

/** The terminal version: one block per section, then the goals. */
export function renderText(r: BenchReport): string {
  const out: string[] = [];
  out.push('== machine');
  out.push(machineLine(r.machine));
  out.push(
    r.throughput || r.open || r.memory
      ? `target: ${r.target}; requests counted by the target`
      : `target: ${r.target}`,
  );
  out.push(`command: ${r.command}`);
  for (const n of r.notes) out.push(`note: ${n}`);
  if (r.throughput) {
    const t = r.throughput;
    const rounds = t.contenders[0]?.rounds.length ?? 0;
    out.push('');
    out.push(
      `== throughput: closed model, ${t.connections} connections, ${t.seconds} s per run, median of ${rounds} interleaved rounds (${loadText(loadFor(r, 'throughput'))})`,
    );
    const rows = [['contender', 'req/s (median)', 'rounds', 'CPU µs/req']];
    for (const c of t.contenders) {
      const cpu = c.rounds.map((x) => x.cpuUsPerRequest).filter((x): x is number => x !== undefined);
      rows.push([
        `${c.name}: ${c.label}`,
        int(c.median),
        c.rounds.map((x) => int(x.rate)).join(' '),
        cpu.length ? (cpu.reduce((a, b) => a + b, 0) / cpu.length).toFixed(1) : '-',
      ]);
    }
    out.push(...table(rows, ['l', 'r', 'r', 'r']));
    const q = ratios(t);
    if (q.vsAutocannon !== undefined)
      out.push(ratioLine(t, 'autocannon', 'autocannon-signed', q.vsAutocannon));
    if (q.vsUndici !== undefined) out.push(ratioLine(t, 'undici', 'bare undici loop', q.vsUndici));
  }
  if (r.open) {
    const o = r.open;
    out.push('');
    out.push(
      `== open model: ${int(o.rate)}/s = ${Math.round(o.fraction * 100)}% of the closed-model max ${int(o.closedMax)}/s, ${o.seconds} s after a ${o.warmupSeconds} s warm-up phase, median of ${o.rounds.length} (${loadText(loadFor(r, 'open'))})`,
    );
    out.push(`achieved rate: ${o.achievedRate.toFixed(1)}/s (${pct(openRateError(o))} off intended)`);
    out.push(`target-counted rate: ${o.targetRate.toFixed(1)}/s`);
    out.push(
      `send lag: p50 ${ms(o.sendLagP50)}, p99 ${ms(o.sendLagP99)}, p99.9 ${ms(o.sendLagP999)}, max ${ms(o.sendLagMax)}`,
    );
    const dropped = o.rounds.reduce((a, x) => a + x.dropped, 0);
    const failures = o.rounds.reduce((a, x) => a + x.failures, 0);
    out.push(`dropped sends: ${dropped}, failed deliveries: ${failures}`);
  }
  if (r.memory) {
    const m = r.memory;
    out.push('');
    out.push(
      `== memory: ${int(m.deliveries)} deliveries, closed model, 50 senders, against the target (${loadText(loadFor(r, 'memory'))})`,
    );
    out.push(
      `peak RSS: ${mb(m.peakRssBytes)} (${mb(m.rssStartBytes)} before the first delivery with node, the tsx loader and wh-bench loaded; ${mb(m.rssEndBytes)} at the end)`,
    );
    out.push(
      `heap after GC: ${mb(m.heapAfterWarmup)} after warm-up (${int(m.warmup)} deliveries), ${mb(m.heapEnd)} at the end`,
    );
    out.push(
      `heap slope after warm-up: ${int(m.heapSlopePer100k)} bytes per 100k deliveries (${m.heap.length} samples); ` +
        `the per-second timeseries (${m.seriesPoints} points, ${int(m.seriesBytes / Math.max(1, m.seriesPoints))} B each) explains ${int(m.seriesPer100k)}, ` +
        `leaving ${int(m.residualPer100k)} per 100k deliveries`,
    );
    out.push(`rate: ${int(m.rate)} deliveries/s over ${m.seconds.toFixed(1)} s, ${m.failures} failed`);
  }
  if (r.signing) {
    out.push('');
    out.push(`== signing: signatures per second, one core, 1 KB body (${loadText(loadFor(r, 'signing'))})`);
    out.push(
      ...table([['scheme', 'per second'], ...r.signing.map((s) => [s.scheme, int(s.perSecond)])], ['l', 'r']),
    );
  }
  const goals = goalsOf(r);
  if (goals.length > 0) {
    out.push('');
    out.push(r.smoke ? '== goals (smoke run: figures too short to judge)' : '== goals');
    out.push(
      ...table(
        goals.map((g) => [g.ok ? 'met ' : 'MISS', g.name, `want ${g.want}`, `got ${g.got}`]),
        ['l', 'l', 'l', 'l'],
      ),
    );
  }
  return `${out.join('\n')}\n`;
}

export const RESULTS_MARKER = '<!-- Everything below is written by `npm run bench -- --write-results`. -->';

export const DEFAULT_INTRO = `# Benchmark results

How hard and how honestly wh-bench pushes, measured by \`npm run bench\` against nginx answering 204 on
loopback, side by side with its peers in one invocation: autocannon signing each request in
\`setupRequest\`, a bare undici dispatch loop doing the same per-request work (the ceiling for
wh-bench's stack), and wrk with a static body for context. Requests are counted by the target, not by
the tools. The machine is small and shared, so read the figures with the load average beside them;
the ratios, measured in interleaved rounds, travel better than the absolute numbers.
`;

/**
 * A Markdown table laid out as the project's formatter (biome) lays it out: cells padded to the
 * column's width, right-aligned columns padded on the left, dashes as wide as the column.
 */
export function mdTable(header: string[], align: Array<'l' | 'r'>, rows: string[][]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(3, ...all.map((r) => [...(r[i] ?? '')].length)));
  const pad = (cell: string, i: number): string => {
    const room = widths[i]! - [...cell].length;
    return align[i] === 'r' ? ' '.repeat(room) + cell : cell + ' '.repeat(room);
  };
  const line = (r: string[]): string => `| ${r.map((c, i) => pad(c, i)).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (align[i] === 'r' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)];
}

const cpuOf = (rounds: ReadonlyArray<{ cpuUsPerRequest?: number }>): string => {
  const cpu = rounds.map((x) => x.cpuUsPerRequest).filter((x): x is number => x !== undefined);
  return cpu.length ? (cpu.reduce((a, b) => a + b, 0) / cpu.length).toFixed(1) : '-';
};

/** RESULTS.md: the intro kept from the existing file (or the default), then the generated part. */
export function renderMarkdown(r: BenchReport, existing: string | null): string {
  const intro = existing?.includes(RESULTS_MARKER)
    ? existing.slice(0, existing.indexOf(RESULTS_MARKER)).trimEnd()
    : DEFAULT_INTRO.trimEnd();
  const m = r.machine;
  const out: string[] = [intro, '', RESULTS_MARKER, ''];
  out.push(`Measured ${r.date} with:`, '', '```', r.command, '```', '');
  const machineRows = [
    ['CPU', `${m.cpu}, ${m.cores} cores`],
    ['memory', `${m.memoryGiB} GiB`],
    ['node', m.node],
    ['undici', m.undici],
    ['autocannon', m.autocannon],
    ['nginx', m.nginx ?? 'absent'],
    ['wrk', m.wrk ?? 'absent'],
    ['target', r.target],
    ...r.load.map((l) => [`load average, ${l.section}`, `${l.before.join(' ')} → ${l.after.join(' ')}`]),
  ];
  out.push(...mdTable(['machine', ''], ['l', 'l'], machineRows), '');
  for (const n of r.notes) out.push(`> ${n}`, '');
  const goals = goalsOf(r);
  if (goals.length > 0) {
    out.push('## Goals', '');
    out.push(
      ...mdTable(
        ['', 'goal', 'want', 'got'],
        ['l', 'l', 'l', 'l'],
        goals.map((g) => [g.ok ? 'met' : '**miss**', g.name, g.want, g.got]),
      ),
      '',
    );
  }
  if (r.throughput) {
    const t = r.throughput;
    out.push(
      '## Throughput',
      '',
      `Closed model, ${t.connections} connections, the same ~1 KB Stripe-style body, ${t.seconds} s per run, contenders interleaved, median of ${t.contenders[0]?.rounds.length ?? 0} rounds; requests per second counted by the target.`,
      '',
    );
    out.push(
      ...mdTable(
        ['contender', 'req/s (median)', 'rounds', 'client CPU µs/req'],
        ['l', 'r', 'r', 'r'],
        t.contenders.map((c) => [
          `${c.name}: ${c.label}`,
          int(c.median),
          c.rounds.map((x) => int(x.rate)).join(' / '),
          cpuOf(c.rounds),
        ]),
      ),
    );
    const q = ratios(t);
    out.push('');
    if (q.vsAutocannon !== undefined)
      out.push(`- ${bold(ratioLine(t, 'autocannon', 'autocannon-signed', q.vsAutocannon))}`);
    if (q.vsUndici !== undefined)
      out.push(`- ${bold(ratioLine(t, 'undici', 'bare undici loop', q.vsUndici))}`);
    out.push('');
  }
  if (r.open) {
    const o = r.open;
    out.push(
      '## Open model',
      '',
      `${int(o.rate)}/s, ${Math.round(o.fraction * 100)}% of the closed-model maximum (${int(o.closedMax)}/s) measured in the same invocation; each run is a ${o.warmupSeconds} s warm-up phase then a measured ${o.seconds} s phase at the same rate (one \`run()\`, one set of connections); median of ${o.rounds.length} runs. Send lag: how late each send left against its intended instant.`,
      '',
    );
    out.push(
      ...mdTable(
        ['achieved', 'off intended', 'target-counted', 'send lag p50', 'p99', 'p99.9', 'max'],
        ['r', 'r', 'r', 'r', 'r', 'r', 'r'],
        [
          [
            `${o.achievedRate.toFixed(1)}/s`,
            pct(openRateError(o)),
            `${o.targetRate.toFixed(1)}/s`,
            ms(o.sendLagP50),
            ms(o.sendLagP99),
            ms(o.sendLagP999),
            ms(o.sendLagMax),
          ],
        ],
      ),
      '',
    );
  }
  if (r.memory) {
    const x = r.memory;
    out.push(
      '## Memory',
      '',
      `${int(x.deliveries)} deliveries, closed model, 50 senders, against the target (not a fake dispatcher), in a child run with \`--expose-gc\`; heapUsed sampled after a full GC every ${int(x.heap[1]?.[0] ?? 0)} deliveries.`,
      '',
    );
    out.push(
      ...mdTable(
        [
          'peak RSS',
          'RSS before the first delivery',
          'heap after warm-up',
          'heap at the end',
          'slope after warm-up (B per 100k deliveries)',
          'of which the per-second series',
          'per delivery',
          'rate',
        ],
        ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
        [
          [
            mb(x.peakRssBytes),
            mb(x.rssStartBytes),
            mb(x.heapAfterWarmup),
            mb(x.heapEnd),
            int(x.heapSlopePer100k),
            int(x.seriesPer100k),
            int(x.residualPer100k),
            `${int(x.rate)}/s`,
          ],
        ],
      ),
      '',
      'The run keeps one encoded histogram per second of load (report.json `timeseries`), so its heap grows with seconds by design; the slope that series does not explain is growth per delivery. RSS includes node, the tsx loader thread and the modules (the column before the first delivery).',
      '',
    );
  }
  if (r.signing) {
    out.push('## Signing', '', 'Signatures per second, one core, 1 KB body (`bench/signing.ts`).', '');
    out.push(
      ...mdTable(
        ['scheme', 'per second'],
        ['l', 'r'],
        r.signing.map((x) => [x.scheme, int(x.perSecond)]),
      ),
      '',
    );
  }
  return out.join('\n');
}
