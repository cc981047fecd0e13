import type { Delivery } from '../engine/delivery.js';
import { UserError } from '../errors.js';
import type { ProbeSpec, ProviderConfig } from '../scenario/types.js';
import type { Header } from '../signing/types.js';
import { commandCountReader } from './probe-command.js';
import { httpCountReader } from './probe-http.js';
import { type CountReader, ProbeError } from './probe-types.js';

export { ProbeError } from './probe-types.js';

/**
 * How wh-bench sees side effects (DESIGN.md, Probes). Good receivers work asynchronously, so one read
 * proves nothing: a probe polls until the count reaches 1 (up to the settle timeout), then watches a
 * window and requires it to stay exactly 1; for a rejected delivery it requires 0 after the window.
 */
export interface Probe {
  /** What it reads, for summaries (an HTTP probe's query string is left out). */
  readonly label: string;
  readonly settleMs: number;
  readonly windowMs: number;
  /** One read of the count; throws ProbeError when the probe fails. */
  count(eventId: string): Promise<number>;
  /** A delivered event: the count reaches 1 within the settle timeout and stays 1 over the window. */
  expectOne(eventId: string): Promise<ProbeOutcome>;
  /** A rejected delivery: the count is 0 at the end of the window (and never above it). */
  expectNone(eventId: string): Promise<ProbeOutcome>;
  close(): Promise<void>;
}

export interface ProbeOutcome {
  expected: 0 | 1;
  /** The expectation held. False also when the probe failed (see `error`). */
  ok: boolean;
  /** The probe failed: nothing can be said about side effects (the check is `error`). */
  error?: string;
  /** The highest count seen: the number of side effects. */
  max: number;
  /** The last count read. */
  last: number;
  /** Each change of the count: ms after the watch started, and the new count. */
  changes: Array<{ atMs: number; count: number }>;
  elapsedMs: number;
  reads: number;
  /** In a few words: "exactly 1 side effect (…)", "3 side effects (…)", "the probe failed: …". */
  text: string;
}

/** Defaults before time-scaling; a scenario's probe.settle and probe.window are used as written. */
export const DEFAULT_SETTLE_MS = 5000;
export const DEFAULT_WINDOW_MS = 1000;
/** However compressed the run, a receiver's async work gets at least this long to show. */
export const MIN_PROBE_MS = 100;
/** One read (an HTTP request, a command run) gives up after this long. */
export const DEFAULT_READ_TIMEOUT_MS = 10_000;

export interface ProbeTiming {
  settleMs: number;
  windowMs: number;
  /** Pause between reads. */
  intervalMs: number;
}

export function probeTiming(spec: { settleMs?: number; windowMs?: number }, timeScale: number): ProbeTiming {
  const scaled = (ms: number) => Math.max(MIN_PROBE_MS, Math.round(ms * timeScale));
  const settleMs = spec.settleMs ?? scaled(DEFAULT_SETTLE_MS);
  const windowMs = spec.windowMs ?? scaled(DEFAULT_WINDOW_MS);
  return { settleMs, windowMs, intervalMs: Math.min(200, Math.max(10, Math.round(windowMs / 5))) };
}

export const fmtMs = (ms: number): string =>
  ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
const effects = (n: number) => `${n} side effect${n === 1 ? '' : 's'}`;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/** What a watch saw, in a few words (pure: tests read it, checks quote it). */
export function describeOutcome(o: Omit<ProbeOutcome, 'text' | 'ok'>, t: ProbeTiming): string {
  if (o.error !== undefined) return `the probe failed: ${o.error}`;
  // The first change is the first read: effects done before the watch began show there.
  const when = (i: number, atMs: number) => (i === 0 ? 'at the first read' : `after ${fmtMs(atMs)}`);
  const history = o.changes
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => c.count > 0)
    .map(({ c, i }) => `${c.count} ${when(i, c.atMs)}`)
    .join(', ');
  if (o.expected === 1) {
    if (o.max === 0) return `no side effect within ${fmtMs(t.settleMs)}`;
    if (o.max === 1 && o.last === 1) {
      const i = o.changes.findIndex((c) => c.count === 1);
      return `exactly 1 side effect (1 ${when(i, o.changes[i]?.atMs ?? 0)}, unchanged for ${fmtMs(t.windowMs)})`;
    }
    return `${effects(o.max)} (${history}${o.last !== o.max ? `; ${o.last} at the end` : ''})`;
  }
  if (o.max === 0) return `no side effect (watched ${fmtMs(t.windowMs)})`;
  return `${effects(o.max)} for a rejected delivery (${history})`;
}

/** Polls one event's count as the settle semantics say; a ProbeError becomes an outcome with `error`. */
export async function watchCount(
  reader: Pick<CountReader, 'read'>,
  eventId: string,
  expected: 0 | 1,
  t: ProbeTiming,
): Promise<ProbeOutcome> {
  const start = performance.now();
  const elapsed = () => performance.now() - start;
  const changes: ProbeOutcome['changes'] = [];
  let last = -1;
  let max = 0;
  let reads = 0;
  let error: string | undefined;
  const read = async (): Promise<number> => {
    const n = await reader.read(eventId);
    reads++;
    if (n !== last) changes.push({ atMs: Math.round(elapsed()), count: n });
    last = n;
    if (n > max) max = n;
    return n;
  };
  try {
    let n = await read();
    if (expected === 1) {
      while (n < 1 && elapsed() < t.settleMs) {
        await sleep(Math.min(t.intervalMs, t.settleMs - elapsed()));
        n = await read();
      }
      if (n >= 1) {
        // Watch the whole window even past 1: how many copies were processed is the evidence.
        const end = elapsed() + t.windowMs;
        while (elapsed() < end) {
          await sleep(Math.min(t.intervalMs, end - elapsed()));
          n = await read();
        }
      }
    } else {
      while (n === 0 && elapsed() < t.windowMs) {
        await sleep(Math.min(t.intervalMs, t.windowMs - elapsed()));
        n = await read();
      }
    }
  } catch (err) {
    if (!(err instanceof ProbeError)) throw err;
    error = err.hint ? `${err.message} (${err.hint})` : err.message;
  }
  const base = { expected, max, last: Math.max(0, last), changes, elapsedMs: Math.round(elapsed()), reads };
  const o = error === undefined ? base : { ...base, error };
  const ok = error === undefined && (expected === 1 ? max === 1 && last === 1 : max === 0);
  return { ...o, ok, text: describeOutcome(o, t) };
}

export interface ProbeOptions {
  timeScale: number;
  readTimeoutMs?: number;
  /** The target: its headers go with HTTP probe requests on the same origin only (never elsewhere). */
  target?: { url: string; headers: readonly Header[]; tls?: { rejectUnauthorized: boolean; ca?: string } };
  /** Where a command probe runs (default the current directory, like --start). */
  cwd?: string;
  /** Masks secrets in every message the probe produces. */
  mask?: (s: string) => string;
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a.replace(/\{\{[^}]*\}\}/g, 'x')).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

export function createProbe(spec: ProbeSpec, o: ProbeOptions): Probe {
  const timing = probeTiming(spec, o.timeScale);
  const timeoutMs = o.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
  const mask = o.mask ?? ((s: string) => s);
  const reader: CountReader =
    spec.kind === 'http'
      ? httpCountReader({
          url: spec.url,
          path: spec.path,
          timeoutMs,
          ...(o.target && sameOrigin(spec.url, o.target.url)
            ? { headers: o.target.headers, ...(o.target.tls ? { tls: o.target.tls } : {}) }
            : {}),
        })
      : commandCountReader({ command: spec.command, timeoutMs, ...(o.cwd ? { cwd: o.cwd } : {}) });
  const masked = (out: ProbeOutcome): ProbeOutcome => ({
    ...out,
    text: mask(out.text),
    ...(out.error !== undefined ? { error: mask(out.error) } : {}),
  });
  return {
    label: mask(reader.label),
    settleMs: timing.settleMs,
    windowMs: timing.windowMs,
    async count(eventId) {
      try {
        return await reader.read(eventId);
      } catch (err) {
        if (err instanceof ProbeError) throw new ProbeError(mask(err.message), err.hint);
        throw err;
      }
    },
    expectOne: async (eventId) => masked(await watchCount(reader, eventId, 1, timing)),
    expectNone: async (eventId) => masked(await watchCount(reader, eventId, 0, timing)),
    close: () => reader.close(),
  };
}

/**
 * The probe a run uses: `--probe` first, then for the embedded receiver its implicit one (a scenario
 * probe describes the user's own system, not the embedded receiver), else the scenario's.
 */
export function effectiveProbeSpec(o: {
  scenario: ProbeSpec | null;
  cli?: string | null;
  /** `effectsUrlTemplate(url)` when the target is the embedded reference receiver. */
  embeddedTemplate?: string | null;
}): ProbeSpec | null {
  const timing = {
    ...(o.scenario?.settleMs !== undefined ? { settleMs: o.scenario.settleMs } : {}),
    ...(o.scenario?.windowMs !== undefined ? { windowMs: o.scenario.windowMs } : {}),
  };
  if (o.cli) return { kind: 'http', url: o.cli, path: 'count', ...timing };
  if (o.embeddedTemplate) return { kind: 'http', url: o.embeddedTemplate, path: 'count', ...timing };
  return o.scenario;
}

/** `--probe URL_TEMPLATE`, checked like the scenario's probe.http. */
export function parseProbeOption(template: string): string {
  if (!/\{\{\s*event\.id\s*\}\}/.test(template)) {
    throw new UserError(
      `--probe '${template}' has no {{event.id}}`,
      'the probe asks about one event: e.g. --probe "https://staging.example.com/effects/{{event.id}}"',
    );
  }
  let ok = false;
  try {
    const u = new URL(template.replace(/\{\{[^}]*\}\}/g, 'x'));
    ok = u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    ok = false;
  }
  if (!ok)
    throw new UserError(
      `--probe '${template}' is not an http(s) URL template`,
      'e.g. http://localhost:3000/effects/{{event.id}}',
    );
  return template;
}

/**
 * The id whose effects to ask about: the dedupe key as it stands in the delivery sent (a tampered
 * body may have changed it), falling back to the event id.
 */
export function probeIdOf(provider: Pick<ProviderConfig, 'dedupe'>, d: Delivery): string {
  const { location, key } = provider.dedupe;
  if (location === 'header') {
    const lower = key.toLowerCase();
    const h = d.headers.find(([n]) => n.toLowerCase() === lower);
    return h && h[1] !== '' ? h[1] : d.eventId;
  }
  try {
    const obj: unknown = JSON.parse(Buffer.from(d.body).toString('utf8'));
    if (typeof obj === 'object' && obj !== null && !Array.isArray(obj)) {
      const v = (obj as Record<string, unknown>)[key];
      if (typeof v === 'string' && v !== '') return v;
      if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    }
  } catch {
    // not JSON (a tampered byte may break it): the id it was built with
  }
  return d.eventId;
}
