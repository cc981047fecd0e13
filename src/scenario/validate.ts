import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, relative, resolve, sep } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { Header } from '../signing/types.js';
import { type Env, expandTree, pathLabel, type ValuePath } from './env.js';
import { type Problem, sortProblems } from './errors.js';
import { type PathProblem, problemsFromIssues } from './issues.js';
import { SourceMap, yamlErrorText } from './positions.js';
import {
  checkPhaseNames,
  DEFAULT_FORMATS,
  type ResolveSink,
  resolveChecks,
  resolveEvents,
  resolveLoad,
  resolveProbe,
  resolveProvider,
  resolveTarget,
} from './resolve.js';
import { EventSchema, type ScenarioFile, ScenarioFileSchema } from './schema.js';
import type { ReportFormat, Scenario } from './types.js';

export interface LoadOptions {
  /** The environment `${VAR}` reads (pass process.env from the CLI; tests pass their own). */
  env: Env;
  /** The secret from --secret / --secret-env / --secret-file; replaces provider.secret, unexpanded. */
  secretOverride?: string;
  /** Resolves a relative scenario path and shortens paths in messages (default process.cwd()). */
  cwd?: string;
  /** Target headers from the command line; replace same-named scenario headers. */
  headers?: Header[];
}

export interface ValidationResult {
  /** Present only when there is no problem. */
  scenario?: Scenario;
  problems: Problem[];
}

/** Reads and validates a scenario: schema, units, environment, references. Sends nothing. */
export async function validateScenarioFile(file: string, opts: LoadOptions): Promise<ValidationResult> {
  const cwd = opts.cwd ?? process.cwd();
  const abs = resolve(cwd, file);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (code ?? String(e));
    return {
      problems: [
        {
          file: displayPath(abs, cwd),
          line: 1,
          col: 1,
          message: `cannot read the scenario: ${why}`,
          hint: 'check the path',
        },
      ],
    };
  }
  return validateScenarioText(text, { ...opts, file: abs, cwd, readFile: (p) => readFileSync(p, 'utf8') });
}

/** A path as the user would write it: relative to cwd when inside it. */
export function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return rel === '' ? '.' : rel.startsWith('..') || rel.startsWith(sep) ? abs : rel;
}

/**
 * The pure core: validates scenario text. Every problem is collected (one pass), positioned by the
 * YAML node it comes from, and scrubbed of secret values.
 */
export function validateScenarioText(
  text: string,
  o: LoadOptions & { file: string; cwd: string; readFile: (abs: string) => string },
): ValidationResult {
  const shown = displayPath(o.file, o.cwd);
  const problems: Problem[] = [];
  const stop = () => ({ problems: sortProblems(problems) });

  if (text.replace(/^\s*#.*$/gm, '').trim() === '') {
    problems.push({
      file: shown,
      line: 1,
      col: 1,
      message: 'the scenario is empty',
      hint: 'start from scenarios/stripe-like.yaml: it needs at least provider and events',
    });
    return stop();
  }

  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    // A syntax error makes the structure unreliable: report every one, but no schema problems.
    // One problem per position: the parser often reports a second consequence at the same place.
    const seen = new Set<number>();
    for (const err of doc.errors) {
      if (seen.has(err.pos[0])) continue;
      seen.add(err.pos[0]);
      const { line, col } = lc.linePos(err.pos[0]);
      problems.push({ file: shown, line, col, ...yamlErrorText(err) });
    }
    return stop();
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 100 });
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({
      file: shown,
      line: 1,
      col: 1,
      message: 'a scenario is a mapping of sections',
      hint: 'write name:, target:, provider:, events:, load: ... at the top level',
    });
    return stop();
  }

  const sm = new SourceMap(doc, lc, text);
  const secretPath = (p: ValuePath) => p.length === 2 && p[0] === 'provider' && p[1] === 'secret';
  const hasOverride = o.secretOverride !== undefined;
  const env = expandTree(raw, o.env, (p) => hasOverride && secretPath(p));
  const expanded = env.value as Record<string, unknown>;

  // A value whose variable is missing gets that one problem, not a second one about its emptiness.
  const brokenByEnv = new Set(env.issues.map((i) => pathLabel(i.path)));
  const at = (p: PathProblem, fromEnv = false) => {
    if (!fromEnv && brokenByEnv.has(pathLabel(p.path))) return;
    problems.push({ file: shown, ...sm.pos(p.path, p), message: p.message, ...(p.hint && { hint: p.hint }) });
  };
  for (const i of env.issues) at(i, true);

  const full = ScenarioFileSchema.safeParse(expanded, { reportInput: true });
  if (!full.success) for (const p of problemsFromIssues(full.error.issues, ScenarioFileSchema)) at(p);

  // Each section that is valid on its own is resolved too, so reference problems show in the same pass.
  const sections = validSections(expanded);
  const sink: ResolveSink = {
    at: (p) => at(p),
    inFile: (p) => problems.push(p),
    display: (abs) => displayPath(abs, o.cwd),
    readFile: o.readFile,
    pos: (path) => sm.pos(path),
    dir: dirname(o.file),
    file: o.file,
  };
  const target = resolveTarget(sections.target, o.headers ?? [], sink);
  const providerSection = expanded['provider'] as Record<string, unknown> | undefined;
  const secretValue = hasOverride ? o.secretOverride : providerSection?.['secret'];
  const provider = sections.provider
    ? resolveProvider(
        sections.provider,
        { value: typeof secretValue === 'string' ? secretValue : undefined, fromCli: hasOverride },
        sink,
      )
    : undefined;
  const events = resolveEvents(sections.events, provider, sink);
  const load = resolveLoad(sections.load);
  checkPhaseNames(load, sink);
  const probe = resolveProbe(sections.probe);
  const checks = resolveChecks(sections.checks, target, sink);

  const secrets = secretValues(o.secretOverride, providerSection, target.headers);
  const scrubbed = sortProblems(problems).map((p) => scrub(p, secrets));
  if (scrubbed.length > 0 || !full.success || !provider) return { problems: scrubbed };

  const f = full.data;
  const scenario: Scenario = {
    name: f.name ?? defaultName(o.file),
    file: o.file,
    dir: dirname(o.file),
    target,
    provider,
    events,
    load,
    probe,
    checks,
    conformance: { duringLoad: f.conformance?.during_load ?? false },
    report: { formats: (f.report?.formats as ReportFormat[] | undefined) ?? [...DEFAULT_FORMATS] },
    secrets,
  };
  return { scenario, problems: [] };
}

interface ValidSections extends Partial<Omit<ScenarioFile, 'events'>> {
  events: Array<{ index: number; event: ScenarioFile['events'][number] }>;
}

/** Sections (and single events) that pass the schema on their own; the rest stay undefined. */
function validSections(expanded: Record<string, unknown>): ValidSections {
  const shape = ScenarioFileSchema.shape;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(shape) as Array<keyof typeof shape>) {
    if (key === 'events' || expanded[key] === undefined) continue;
    const r = shape[key].safeParse(expanded[key]);
    if (r.success) out[key] = r.data;
  }
  const events: ValidSections['events'] = [];
  const list = expanded['events'];
  if (Array.isArray(list)) {
    list.forEach((e, index) => {
      const r = EventSchema.safeParse(e);
      if (r.success) events.push({ index, event: r.data });
    });
  }
  return { ...(out as Partial<ScenarioFile>), events };
}

function secretValues(
  override: string | undefined,
  provider: Record<string, unknown> | undefined,
  headers: Header[],
): string[] {
  const out = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === 'string' && v.trim() !== '') out.add(v);
  };
  add(override);
  add(provider?.['secret']);
  add(provider?.['previous_secret']);
  for (const [, v] of headers) add(v);
  return [...out];
}

/** A secret never reaches a message, whatever path led it there. */
function scrub(p: Problem, secrets: readonly string[]): Problem {
  let { message, hint } = p;
  for (const s of secrets) {
    if (s.length < 4) continue;
    message = message.split(s).join('***');
    if (hint) hint = hint.split(s).join('***');
  }
  return hint === undefined ? { ...p, message } : { ...p, message, hint };
}

function defaultName(file: string): string {
  const base = basename(file, extname(file)).replace(/[^A-Za-z0-9._-]/g, '-');
  return /^[A-Za-z0-9]/.test(base) ? base : `scenario-${base}`;
}
