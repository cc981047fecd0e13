import { isAbsolute, resolve as resolvePath } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { compileTemplate } from '../events/template.js';
import { isWholeExpr } from '../events/template-parse.js';
import type { GenericHmacOptions, Header } from '../signing/types.js';
import type { ValuePath } from './env.js';
import type { Problem } from './errors.js';
import type { PathProblem } from './issues.js';
import { jsonSyntaxError, lineColAt } from './json-check.js';
import { SourceMap } from './positions.js';
import { PRESETS, providerFromPreset } from './presets.js';
import type { ScenarioFile } from './schema.js';
import type {
  CheckConfig,
  EventSpec,
  LoadPhase,
  PresetName,
  ProbeSpec,
  ProviderConfig,
  ReportFormat,
  TargetConfig,
} from './types.js';

type Sections = Partial<ScenarioFile>;
type FileEvent = ScenarioFile['events'][number];

/** Where resolution reports: problems in the scenario by path, problems in other files by position. */
export interface ResolveSink {
  at(p: PathProblem): void;
  inFile(p: Problem): void;
  /** How a path is shown in messages (relative to the working directory when inside it). */
  display(abs: string): string;
  readFile(abs: string): string;
  /** Line and column of a path in the scenario. */
  pos(path: ValuePath): { line: number; col: number };
  /** The scenario's folder and absolute path. */
  dir: string;
  file: string;
}

export const MIN_SECRET_LENGTH = 8;
export const DEFAULT_LOAD: LoadPhase[] = [{ name: 'steady', model: 'open', rate: 50, durationMs: 10_000 }];
export const DEFAULT_FORMATS: ReportFormat[] = ['html', 'json'];

/**
 * The provider: the preset with every field the scenario sets, field by field. `secret` is the
 * expanded scenario value or the command line override.
 */
export function resolveProvider(
  p: NonNullable<Sections['provider']>,
  secret: { value: string | undefined; fromCli: boolean },
  sink: ResolveSink,
): ProviderConfig | undefined {
  const preset = p.preset as PresetName;
  const provider = providerFromPreset(preset, secret.value ?? '', p.previous_secret ?? null);
  if (p.scheme) provider.scheme = p.scheme;
  if (p.tolerance !== undefined) provider.toleranceSec = p.tolerance / 1000;
  if (p.ack_timeout !== undefined) provider.ackTimeoutMs = p.ack_timeout;
  if (p.retry_schedule !== undefined) provider.retryScheduleMs = p.retry_schedule;
  if (p.max_payload !== undefined) provider.maxPayloadBytes = p.max_payload;
  if (p.dedupe) provider.dedupe = { location: p.dedupe.location as 'body' | 'header', key: p.dedupe.key };
  if (p.id_prefix !== undefined) provider.idPrefix = p.id_prefix;
  const so = provider.schemeOptions;
  if (p.content_type !== undefined) so.contentType = p.content_type;
  if (p.shop_domain !== undefined) so.shopDomain = p.shop_domain;
  if (p.api_version !== undefined) so.apiVersion = p.api_version;
  if (p.hook_id !== undefined) so.hookId = p.hook_id;
  if (provider.scheme === 'generic-hmac' || p.generic) {
    const base: GenericHmacOptions = provider.generic ?? structuredClone(PRESETS.custom.generic!);
    const g = p.generic ?? {};
    const generic: GenericHmacOptions = {
      ...base,
      ...(g.signature_header !== undefined && { signatureHeader: g.signature_header }),
      ...(g.algorithm !== undefined && { algorithm: g.algorithm as GenericHmacOptions['algorithm'] }),
      ...(g.encoding !== undefined && { encoding: g.encoding as GenericHmacOptions['encoding'] }),
      ...(g.prefix !== undefined && { prefix: g.prefix }),
      ...(g.timestamp_header !== undefined && { timestampHeader: g.timestamp_header }),
      ...(g.timestamp_format !== undefined && {
        timestampFormat: g.timestamp_format as GenericHmacOptions['timestampFormat'],
      }),
      ...(g.template !== undefined && { template: g.template }),
    };
    // The id header follows a header dedupe key unless set explicitly.
    if (g.id_header !== undefined) generic.idHeader = g.id_header;
    else if (p.dedupe?.location === 'header') generic.idHeader = p.dedupe.key;
    provider.generic = generic;
    if (p.generic && provider.scheme !== 'generic-hmac') {
      sink.at({
        path: ['provider', 'generic'],
        atKey: true,
        message: `provider.generic applies to the generic-hmac scheme, not ${provider.scheme}`,
        hint: 'use preset: custom, or set scheme: generic-hmac',
      });
    }
  }

  const where = secret.fromCli ? 'the secret given on the command line' : 'provider.secret';
  const secretPath: ValuePath =
    secret.fromCli || p.secret === undefined ? ['provider'] : ['provider', 'secret'];
  if (secret.value === undefined || secret.value === '') {
    sink.at({
      path: secretPath,
      atKey: secretPath.length === 1,
      message: secret.value === undefined ? 'provider.secret is missing' : `${where} is empty`,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${VAR} syntax users write
      hint: 'set provider.secret: ${MY_WEBHOOK_SECRET}, or pass --secret, --secret-env NAME or --secret-file PATH',
    });
    return undefined;
  }
  checkSecret(secret.value, where, secretPath, provider.scheme, sink);
  if (p.previous_secret)
    checkSecret(
      p.previous_secret,
      'provider.previous_secret',
      ['provider', 'previous_secret'],
      provider.scheme,
      sink,
    );
  return provider;
}

/** Never echoes the secret: only its length and what is wrong with its shape. */
function checkSecret(value: string, where: string, path: ValuePath, scheme: string, sink: ResolveSink): void {
  if (value.length < MIN_SECRET_LENGTH) {
    sink.at({
      path,
      message: `${where} is too short (${value.length} characters)`,
      hint: `use at least ${MIN_SECRET_LENGTH} characters; real provider secrets are random and long`,
    });
    return;
  }
  if (scheme === 'standard-webhooks') {
    const m = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(value);
    const bytes = m ? Buffer.from(m[1]!, 'base64').length : 0;
    if (!m || bytes < 24 || bytes > 64) {
      sink.at({
        path,
        message: `${where} is not a Standard Webhooks secret${m ? ` (its key is ${bytes} bytes)` : ''}`,
        hint: 'write whsec_ followed by the base64 of 24 to 64 random bytes, e.g. whsec_$(openssl rand -base64 32)',
      });
    }
  }
}

export function resolveTarget(
  t: Sections['target'] | undefined,
  extraHeaders: readonly Header[],
  sink: ResolveSink,
): TargetConfig {
  // Empty (`${WH_TARGET:-}` unset) means the embedded receiver; the schema checked the rest.
  const url = t?.url?.trim() || null;
  const headers: Header[] = Object.entries(t?.headers ?? {}).map(([n, v]) => [n, v]);
  for (const [name, value] of extraHeaders) {
    const i = headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
    if (i >= 0) headers[i] = [name, value];
    else headers.push([name, value]);
  }
  const tls: TargetConfig['tls'] = { rejectUnauthorized: t?.tls?.reject_unauthorized ?? true };
  if (t?.tls?.ca_file) {
    const abs = resolvePath(sink.dir, t.tls.ca_file);
    try {
      tls.ca = sink.readFile(abs);
    } catch (e) {
      sink.at({
        path: ['target', 'tls', 'ca_file'],
        message: `cannot read ${sink.display(abs)}: ${errCode(e)}`,
      });
    }
  }
  return {
    url,
    headers,
    tls,
    reuseConnections: t?.reuse_connections ?? true,
    ...(t?.source_address !== undefined && { disallowedSourceAddress: t.source_address }),
  };
}

const errCode = (e: unknown): string => {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'EACCES') return 'permission denied';
  return code ?? (e instanceof Error ? e.message : String(e));
};

/**
 * Compiles each event's body (inline or fixture) and checks the preset's dedupe id is in it when the
 * id lives in the body. `index` is the event's place in the file, for positions.
 */
export function resolveEvents(
  events: ReadonlyArray<{ index: number; event: FileEvent }>,
  provider: ProviderConfig | undefined,
  sink: ResolveSink,
): EventSpec[] {
  const out: EventSpec[] = [];
  for (const { index, event } of events) {
    const base: ValuePath = ['events', index];
    let tree: unknown;
    let spec: EventSpec | undefined;
    if (event.body !== undefined) {
      tree = event.body;
      const { template, issues } = compileTemplate(tree);
      for (const is of issues) {
        sink.at({
          path: [...base, 'body', ...is.path],
          offset: is.offset,
          message: is.message,
          hint: is.hint,
        });
      }
      spec = {
        type: event.type,
        weight: event.weight ?? 1,
        template,
        source: { file: sink.file, ...sink.pos([...base, 'body']) },
      };
    } else if (event.file !== undefined) {
      const abs = isAbsolute(event.file) ? event.file : resolvePath(sink.dir, event.file);
      const shown = sink.display(abs);
      let text: string;
      try {
        text = sink.readFile(abs).replace(/^\uFEFF/, '');
      } catch (e) {
        sink.at({
          path: [...base, 'file'],
          message: `fixture ${event.file} not found${errCode(e) === 'no such file' ? '' : ` (${errCode(e)})`}`,
          hint: `fixture paths are relative to the scenario's folder (${sink.display(sink.dir) || '.'})`,
        });
        continue;
      }
      const syntax = jsonSyntaxError(text);
      if (syntax) {
        sink.inFile({
          file: shown,
          ...lineColAt(text, syntax.offset),
          message: `not JSON: ${syntax.message}`,
          hint: 'fixtures are JSON files',
        });
        continue;
      }
      tree = JSON.parse(text);
      const { template, issues } = compileTemplate(tree);
      if (issues.length > 0) {
        const map = fixtureMap(text);
        for (const is of issues) {
          const pos = map ? map.pos(is.path, { offset: is.offset }) : { line: 1, col: 1 };
          sink.inFile({ file: shown, ...pos, message: is.message, ...(is.hint && { hint: is.hint }) });
        }
      }
      spec = {
        type: event.type,
        weight: event.weight ?? 1,
        template,
        source: { file: abs, line: 1, col: 1 },
        file: abs,
      };
    }
    if (provider) checkDedupeId(tree, provider, event, base, sink);
    if (spec) out.push(spec);
  }
  return out;
}

function fixtureMap(text: string): SourceMap | undefined {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  return doc.errors.length === 0 ? new SourceMap(doc, lc, text) : undefined;
}

/** Stripe dedupes on body `id`, Slack on `event_id`: a body without it makes every delivery the same event. */
function checkDedupeId(
  tree: unknown,
  provider: ProviderConfig,
  event: FileEvent,
  base: ValuePath,
  sink: ResolveSink,
): void {
  const { location, key } = provider.dedupe;
  if (location !== 'body') return;
  const obj =
    tree !== null && typeof tree === 'object' && !Array.isArray(tree)
      ? (tree as Record<string, unknown>)
      : undefined;
  if (obj && isWholeExpr(obj[key], 'event.id')) return;
  const where = event.file !== undefined ? `fixture ${event.file}` : `the body of event '${event.type}'`;
  const has = obj !== undefined && Object.hasOwn(obj, key);
  sink.at({
    path: event.file !== undefined ? [...base, 'file'] : has ? [...base, 'body', key] : [...base, 'body'],
    atKey: event.file === undefined && !has,
    message: has
      ? `${where} sets '${key}' to something other than "{{event.id}}" (${provider.preset} dedupes on it)`
      : `${where} has no top-level '${key}: "{{event.id}}"' (${provider.preset} dedupes on it)`,
    hint: `add ${key}: "{{event.id}}" at the top level of the body, so each delivery carries its own id`,
  });
}

export function resolveLoad(load: Sections['load'] | undefined): LoadPhase[] {
  if (!load) return structuredClone(DEFAULT_LOAD);
  return load.map((p, i) => {
    const name = p.name ?? `phase-${i + 1}`;
    if (p.concurrency !== undefined)
      return { name, model: 'closed', concurrency: p.concurrency, durationMs: p.duration };
    return {
      name,
      model: 'open',
      rate: p.rate!,
      ...(p.ramp_to !== undefined && { rampTo: p.ramp_to }),
      durationMs: p.duration,
    };
  });
}

export function checkPhaseNames(load: readonly LoadPhase[], sink: ResolveSink): void {
  const seen = new Set<string>();
  load.forEach((p, i) => {
    if (seen.has(p.name)) {
      sink.at({
        path: ['load', i, 'name'],
        message: `phase name '${p.name}' is used twice`,
        hint: 'reports list phases by name: make each unique',
      });
    }
    seen.add(p.name);
  });
}

export function resolveProbe(p: Sections['probe'] | undefined): ProbeSpec | null {
  if (!p) return null;
  const timing = {
    ...(p.settle !== undefined && { settleMs: p.settle }),
    ...(p.window !== undefined && { windowMs: p.window }),
  };
  if (p.command !== undefined) return { kind: 'command', command: p.command, ...timing };
  // DESIGN.md: the JSON path defaults to `count`.
  return { kind: 'http', url: p.http!, path: p.count ?? 'count', ...timing };
}

export function resolveChecks(
  checks: Sections['checks'] | undefined,
  target: TargetConfig,
  sink: ResolveSink,
): Record<string, CheckConfig> {
  const out: Record<string, CheckConfig> = {};
  for (const [id, config] of Object.entries(checks ?? {})) {
    if (config) out[id] = { ...(config as Record<string, unknown>) };
  }
  const sourceIp = out['transport.source-ip'];
  if (sourceIp && sourceIp.required !== false && !target.disallowedSourceAddress) {
    sink.at({
      path: ['checks', 'transport.source-ip'],
      atKey: true,
      message: 'transport.source-ip needs target.source_address',
      hint: "name a local address outside the receiver's allowlist, e.g. source_address: 127.0.0.2",
    });
  }
  return out;
}
