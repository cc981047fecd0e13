import { readFile } from 'node:fs/promises';
import type { Argv, CommandModule } from 'yargs';
import { buildCases, type Case, type CaseEnv, SEND_MUTATIONS } from '../checks/cases.js';
import { meets } from '../checks/judge.js';
import type { Evidence } from '../checks/types.js';
import type { DeliveryResult } from '../engine/delivery.js';
import { createDispatcher } from '../engine/dispatcher.js';
import { UserError } from '../errors.js';
import { newRunId } from '../events/ids.js';
import { type Style, safeText, styleFor } from '../report/terminal.js';
import { createDeliveryFactory } from '../run/deliveries.js';
import { describeAnswer, EXCERPT_BYTES, excerpt } from '../run/evidence.js';
import { createMasker, type Masker } from '../run/mask.js';
import { acquireTarget } from '../run/target.js';
import { loadScenario } from '../scenario/load.js';
import { resolveSecretOption, type SecretArgs, secretOptions } from './validate.js';

export interface SendArgs extends SecretArgs {
  scenario: string;
  target?: string;
  event?: string;
  mutation?: string;
  from?: string;
  check?: string;
  seed?: number;
}

/** The delivery class of what `send` sends (never a check id: it is not part of a run). */
const SEND_CLASS = 'send';

export const sendCommand: CommandModule<object, SendArgs> = {
  command: 'send <scenario>',
  describe:
    'send one delivery, signed now, and print the answer (the reproducer; exit 0 when it is the expected one)',
  builder: (y) =>
    secretOptions(y as Argv)
      .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario YAML file' })
      .option('target', {
        type: 'string',
        describe: 'URL to send to (default: the scenario target, else the embedded reference receiver)',
      })
      .option('event', {
        type: 'string',
        describe: 'event type from the scenario (default: picked by weight)',
      })
      .option('mutation', {
        type: 'string',
        describe: `what to send: ${SEND_MUTATIONS.join(', ')} (default valid)`,
      })
      .option('from', { type: 'string', describe: 'a report.json: re-send the failing case of --check' })
      .option('check', {
        type: 'string',
        describe: 'with --from: the check id whose failing case to re-send',
      })
      .option('seed', {
        type: 'number',
        describe: 'seed for the body template and the mutation (default: random)',
      })
      .implies('from', 'check')
      .implies('check', 'from') as Argv<SendArgs>,
  handler: async (argv) => {
    process.exitCode = await sendCli(argv);
  },
};

interface ReportLike {
  target?: { url?: string; embedded?: boolean };
  checks?: Array<{ id: string; status: string; evidence?: Evidence[] }>;
}

/** `--mutation` / `--event` from the evidence of a check in a saved report. */
export function argsFromEvidence(
  evidence: readonly Evidence[],
): { mutation?: string; event?: string } | null {
  for (const ev of evidence) {
    const args = ev.sendArgs ?? (ev.reproducers ? tokens(ev.reproducers.send) : null);
    if (!args) continue;
    const at = (flag: string) => {
      const i = args.indexOf(flag);
      return i >= 0 ? args[i + 1] : undefined;
    };
    const mutation = at('--mutation');
    const event = at('--event');
    if (mutation !== undefined || event !== undefined) {
      return { ...(mutation !== undefined && { mutation }), ...(event !== undefined && { event }) };
    }
  }
  return null;
}

/** Splits a reproducer line written with POSIX single quotes (evidence.ts shellQuote). */
function tokens(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g))
    out.push(m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]!);
  return out;
}

async function fromReport(
  file: string,
  checkId: string,
): Promise<{ mutation?: string; event?: string; target?: string }> {
  let report: ReportLike;
  try {
    report = JSON.parse(await readFile(file, 'utf8')) as ReportLike;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(
      `--from ${file}: ${code === 'ENOENT' ? 'no such file' : code ? code : 'not a JSON report'}`,
      'point it at the report.json of a run',
    );
  }
  const check = report.checks?.find((c) => c.id === checkId);
  if (!check) {
    throw new UserError(
      `--check ${checkId} is not in ${file}`,
      `checks in it: ${(report.checks ?? []).map((c) => c.id).join(', ')}`,
    );
  }
  const args = argsFromEvidence(check.evidence ?? []);
  if (!args) {
    throw new UserError(
      `${checkId} has no case to re-send in ${file} (status ${check.status})`,
      'only failed or warned checks that sent a delivery carry a reproducer',
    );
  }
  // The embedded receiver of that run is gone: only a real target is worth reusing.
  const target = report.target && !report.target.embedded ? report.target.url : undefined;
  return { ...args, ...(target ? { target } : {}) };
}

const want = (c: Case) =>
  c.expected === 'accept' ? '2xx' : c.expected === 'reject' ? '4xx' : '2xx or 4xx (never 5xx)';

/** What one exchange looks like on the terminal; everything from the target is neutralised. */
export function renderExchange(c: Case, r: DeliveryResult, masker: Masker, style: Style): string {
  const d = c.delivery;
  const lines: string[] = [];
  lines.push(style.bold(`→ POST ${safeText(d.url)}`) + style.dim(`  --mutation ${c.mutation}`));
  lines.push(style.dim(`  ${safeText(c.note)}`));
  for (const [n, v] of masker.headers(d.headers)) lines.push(`  ${safeText(n)}: ${safeText(v)}`);
  const head = masker.text(Buffer.from(d.body.subarray(0, 160)).toString('utf8')).replace(/\s+/g, ' ');
  lines.push(
    style.dim(`  body (${d.body.length} bytes): ${safeText(head)}${d.body.length > 160 ? '…' : ''}`),
  );
  if (d.transport?.raw)
    lines.push(style.dim('  sent over a raw socket (a header shape HTTP clients refuse)'));
  if (d.transport?.localAddress) lines.push(style.dim(`  sent from ${d.transport.localAddress}`));
  lines.push('');
  const took = `${(r.uncorrectedUs / 1000).toFixed(1)} ms`;
  if (r.status !== undefined) {
    lines.push(
      style.bold(`← ${r.status} ${safeText(r.statusText ?? '')}`.trimEnd()) + style.dim(`  (${took})`),
    );
    for (const [n, v] of r.headers ?? []) lines.push(`  ${safeText(n)}: ${safeText(v)}`);
    const body = masker.text(excerpt(r.body, EXCERPT_BYTES));
    if (body)
      lines.push(
        '',
        ...safeText(body)
          .split('\n')
          .map((l) => `  ${l}`),
      );
  } else {
    lines.push(style.bold(`← no answer: ${safeText(describeAnswer(r))}`));
  }
  lines.push('');
  const ok = meets(c.expected, r);
  lines.push(
    ok
      ? style.green(`✓ ${describeAnswer(r)}, as expected (${want(c)})`)
      : style.red(`✗ ${describeAnswer(r)}; expected ${want(c)}`),
  );
  return lines.join('\n');
}

export async function sendCli(argv: SendArgs): Promise<number> {
  const secretOverride = await resolveSecretOption(argv);
  const scenario = await loadScenario(argv.scenario, { env: process.env, secretOverride });
  let mutation = argv.mutation;
  let event = argv.event;
  let reportTarget: string | undefined;
  if (argv.from !== undefined) {
    const found = await fromReport(argv.from, argv.check ?? '');
    mutation ??= found.mutation;
    event ??= found.event;
    reportTarget = found.target;
  }
  if (event !== undefined && !scenario.events.some((e) => e.type === event)) {
    throw new UserError(
      `--event ${event} is not in the scenario`,
      `its events: ${scenario.events.map((e) => e.type).join(', ')}`,
    );
  }
  const seed = argv.seed ?? Math.floor(Math.random() * 2 ** 31);
  const target = await acquireTarget(scenario, argv.target ?? reportTarget ?? null);
  const style = styleFor(process.stdout);
  const masker = createMasker(
    scenario.secrets,
    scenario.target.headers.map(([n]) => n),
  );
  const dispatcher = createDispatcher({
    origin: new URL(target.url).origin,
    connections: 2,
    timeoutMs: scenario.provider.ackTimeoutMs,
    bodyCapBytes: 64 * 1024,
    tls: scenario.target.tls,
  });
  try {
    const factory = createDeliveryFactory({ scenario, runId: newRunId(), targetUrl: target.url, seed });
    const env: CaseEnv = {
      scenario,
      targetUrl: target.url,
      seed,
      extraHeaders: factory.extraHeaders,
      valid: (o) => factory.valid(o),
    };
    const built = buildCases(mutation ?? 'valid', env, SEND_CLASS, event);
    if ('unknown' in built) throw new UserError(built.unknown, 'wh-bench send --help lists the mutations');
    if ('skip' in built) throw new UserError(`--mutation ${mutation} does not apply here: ${built.skip}`);
    let allOk = true;
    const out: string[] = [];
    for (const c of built.cases) {
      const r = await dispatcher.sendAsync(c.delivery);
      if (!meets(c.expected, r)) allOk = false;
      out.push(renderExchange(c, r, masker, style));
    }
    process.stdout.write(`${out.join('\n\n')}\n`);
    return allOk ? 0 : 1;
  } finally {
    await dispatcher.close();
    await target.release();
  }
}
