import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UserError } from '../errors.js';
import { type ResultJson, SCHEMA_VERSION } from '../run/result.js';

/**
 * Reading a saved report.json back (report, compare, merge). The shape is checked before any renderer
 * touches it, so a wrong or damaged file is a clear user error (exit 2), not a crash halfway through.
 * Unknown fields are allowed: a newer minor version may add some.
 */

const num = z.number();
const percentiles = z.object({ p50: num, p90: num, p99: num, p999: num, max: num });
const header = z.tuple([z.string(), z.string()]);

const evidence = z.object({
  label: z.string(),
  request: z
    .object({
      method: z.string(),
      url: z.string(),
      headers: z.array(header),
      bodyExcerpt: z.string(),
      bodyBytes: num,
    })
    .optional(),
  response: z
    .object({
      status: num.nullable(),
      headers: z.array(header),
      bodyExcerpt: z.string(),
      error: z.string().optional(),
    })
    .optional(),
  timingMs: num.optional(),
  reproducers: z.object({ send: z.string(), curl: z.string() }).optional(),
  note: z.string().optional(),
});

const check = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['pass', 'fail', 'warn', 'skip', 'error']),
  required: z.boolean(),
  summary: z.string(),
  evidence: z.array(evidence),
});

const phase = z.object({
  name: z.string(),
  model: z.enum(['open', 'closed']),
  durationMs: num,
  intendedRate: num.nullable(),
  achievedRate: num,
  sent: num,
  completed: num,
  dropped: num,
  statusCounts: z.record(z.string(), num),
  errorCounts: z.record(z.string(), num),
  latency: z.object({ corrected: percentiles, uncorrected: percentiles }),
  histograms: z.object({ corrected: z.string(), uncorrected: z.string() }),
});

const point = z.object({
  t: num,
  phase: z.string(),
  sent: num,
  completed: num,
  errors: num,
  histogram: z.string(),
  p50: num,
  p99: num,
});

export const resultSchema = z.object({
  schemaVersion: num,
  tool: z.object({ name: z.literal('wh-bench'), version: z.string() }),
  runId: z.string(),
  shard: z.object({ index: num, count: num }).nullable(),
  interrupted: z.boolean(),
  partial: z.boolean(),
  stopReason: z.string().nullable(),
  scenario: z.object({
    name: z.string(),
    file: z.string(),
    preset: z.string(),
    scheme: z.string(),
    toleranceSec: num.nullable(),
    ackTimeoutMs: num,
    maxPayloadBytes: num,
    events: z.array(z.object({ type: z.string(), weight: num })),
    load: z.array(z.object({ name: z.string(), model: z.string(), durationMs: num })),
    probe: z.string().nullable(),
    checks: z.record(z.string(), z.unknown()),
  }),
  target: z.object({ url: z.string(), embedded: z.boolean() }),
  startedAt: z.string(),
  endedAt: z.string(),
  timeScale: num,
  seed: num,
  machine: z.object({ platform: z.string(), arch: z.string(), cpus: num, node: z.string() }),
  verdict: z.enum(['pass', 'fail']),
  checks: z.array(check),
  phases: z.array(phase),
  timeseries: z.array(point),
});

/** Checks a parsed value; `name` is how the file is named in messages. */
export function parseResult(value: unknown, name: string): ResultJson {
  const v = value as { schemaVersion?: unknown; tool?: { name?: unknown } } | null;
  if (typeof v !== 'object' || v === null || Array.isArray(v) || typeof v.schemaVersion !== 'number') {
    throw new UserError(
      `${name} is not a wh-bench report (no schemaVersion)`,
      'pass the report.json a wh-bench run wrote (in its --out folder)',
    );
  }
  if (v.schemaVersion > SCHEMA_VERSION) {
    throw new UserError(
      `${name} has report schema v${v.schemaVersion}; this wh-bench reads up to v${SCHEMA_VERSION}`,
      'upgrade wh-bench to read it',
    );
  }
  const parsed = resultSchema.safeParse(value);
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`)
      .join('; ');
    throw new UserError(
      `${name} is not a valid wh-bench report: ${where}`,
      'the file may be truncated or edited; re-run, or use the report.json the run wrote',
    );
  }
  // The original object, not zod's copy: fields this version does not know are kept.
  return value as ResultJson;
}

export async function readResult(path: string): Promise<ResultJson> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(
      `cannot read ${path}${code ? ` (${code})` : ''}`,
      code === 'ENOENT' ? 'check the path; a run writes report.json into its --out folder' : undefined,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UserError(
      `${path} is not JSON, so not a wh-bench report`,
      'pass the report.json a wh-bench run wrote',
    );
  }
  return parseResult(value, path);
}
