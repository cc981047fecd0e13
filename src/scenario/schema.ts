import { isIP } from 'node:net';
import { z } from 'zod';
import { CHECK_IDS, type CheckId } from './check-ids.js';
import { PRESET_NAMES } from './presets.js';
import { suggestion } from './suggest.js';
import { noUnit, parseUnit, UNIT_EXAMPLES, UNIT_PATTERNS, type UnitKind } from './units.js';

/**
 * The one scenario schema. It describes the file as written (snake_case keys, units as strings);
 * units are parsed by transforms, so the output holds milliseconds, deliveries per second, bytes and
 * fractions. `toJSONSchema(…, { io: 'input' })` of it is schema/scenario.schema.json.
 */

/** Messages made here carry their hint after this mark; issues.ts splits them. */
export const HINT_MARK = '\u0000';
export const withHint = (message: string, hint = ''): string => `${message}${HINT_MARK}${hint}`;

const typeName = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'a list' : `a ${typeof v}`;

function unit(kind: UnitKind, description: string, opts: { positive?: boolean } = {}) {
  return z
    .string({
      error: (iss) => {
        if (iss.input === undefined) return undefined;
        if (typeof iss.input === 'number') {
          const r = noUnit(kind, iss.input);
          return r.ok ? undefined : withHint(r.message, r.hint);
        }
        return withHint(`expected a ${kind} such as ${UNIT_EXAMPLES[kind]}, not ${typeName(iss.input)}`);
      },
    })
    .transform((s, ctx) => {
      const r = parseUnit(kind, s);
      if (!r.ok) {
        ctx.issues.push({ code: 'custom', message: withHint(r.message, r.hint), input: s });
        return z.NEVER;
      }
      if (opts.positive && r.value <= 0) {
        ctx.issues.push({
          code: 'custom',
          message: withHint(
            `${kind} '${s}' must be more than 0`,
            `e.g. ${UNIT_EXAMPLES[kind].split('e.g. ')[1]}`,
          ),
          input: s,
        });
        return z.NEVER;
      }
      return r.value;
    })
    .meta({ pattern: UNIT_PATTERNS[kind], description: `${description} (${UNIT_EXAMPLES[kind]})` });
}

const duration = (d: string, o?: { positive?: boolean }) => unit('duration', d, o);
const rate = (d: string, o?: { positive?: boolean }) => unit('rate', d, o);
const size = (d: string) => unit('size', d, { positive: true });
const percentage = (d: string) => unit('percentage', d);

function oneOf<const T extends readonly [string, ...string[]]>(values: T, what: string, description: string) {
  return z
    .enum(values, {
      error: (iss) => {
        if (iss.input === undefined) return undefined;
        const listed = `${what}s: ${values.join(', ')}`;
        if (typeof iss.input !== 'string')
          return withHint(`${what} must be a string, not ${typeName(iss.input)}`, listed);
        return withHint(`unknown ${what} '${iss.input}'${suggestion(iss.input, values)}`, listed);
      },
    })
    .describe(description);
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const headerName = () =>
  z.string().regex(HEADER_NAME, {
    message: withHint('is not a valid header name', "letters, digits and -_.!#$%&'*+^`|~"),
  });
const headerValue = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .refine((v) => !/[\r\n\0]/.test(v), {
    message: withHint('a header value cannot hold a line break', 'remove the newline'),
  });

const TargetSchema = z
  .strictObject({
    url: z
      .string()
      .refine((u) => u.trim() === '' || isHttpUrl(u.trim()), {
        message: withHint(
          'is not an http(s) URL',
          'write e.g. http://localhost:3000/webhooks, or leave it empty',
        ),
      })
      .nullable()
      .optional()
      .describe('The receiver URL (http or https). Empty or absent: the embedded reference receiver.'),
    headers: z
      .record(headerName(), headerValue)
      .optional()
      .describe(
        'Extra headers sent with every delivery (e.g. Authorization); masked like secrets in reports.',
      ),
    tls: z
      .strictObject({
        reject_unauthorized: z.boolean().optional().describe('Verify the certificate (default true).'),
        ca_file: z
          .string()
          .min(1)
          .optional()
          .describe('PEM file of extra CA certificates, relative to this file.'),
      })
      .optional()
      .describe('TLS options for https targets.'),
    reuse_connections: z.boolean().optional().describe('Keep-alive connections for the load (default true).'),
    source_address: z
      .string()
      .refine((s) => isIP(s) !== 0, {
        message: withHint('is not an IP address', 'write an address such as 127.0.0.2'),
      })
      .optional()
      .describe("transport.source-ip: a local address outside the receiver's allowlist to send from."),
  })
  .describe('Where deliveries go.');

const GenericSchema = z
  .strictObject({
    signature_header: headerName().optional().describe('Header carrying the signature.'),
    algorithm: oneOf(['sha1', 'sha256', 'sha512'], 'algorithm', 'HMAC hash.').optional(),
    encoding: oneOf(['hex', 'base64'], 'encoding', 'How the digest is written.').optional(),
    prefix: z.string().optional().describe('Put before the digest, e.g. sha256='),
    timestamp_header: headerName().optional().describe('Header carrying the timestamp.'),
    id_header: headerName().optional().describe('Header carrying the event id.'),
    timestamp_format: oneOf(
      ['unix', 'unix_ms', 'iso'],
      'timestamp format',
      'How the timestamp is written.',
    ).optional(),
    template: z
      .string()
      .optional()
      .describe('Signed content from {id}, {timestamp}, {body}, {url}; e.g. {timestamp}.{body}'),
  })
  .describe('generic-hmac options (preset custom), merged over the custom preset defaults.');

export const SCHEMES = ['stripe', 'github', 'slack', 'standard-webhooks', 'shopify', 'generic-hmac'] as const;

const ProviderSchema = z
  .strictObject({
    preset: oneOf(
      PRESET_NAMES as unknown as readonly [string, ...string[]],
      'preset',
      'The provider to play.',
    ),
    scheme: oneOf(SCHEMES, 'scheme', 'Signing scheme (default: the preset’s).').optional(),
    secret: z
      .string()
      .optional()
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the ${VAR} syntax users write
      .describe('Signing secret. Usually ${ENV_VAR:-demo}; --secret overrides it.'),
    previous_secret: z
      .string()
      .nullable()
      .optional()
      .describe('The secret being rotated out (signature.rotation on single-signature schemes).'),
    tolerance: duration('Timestamp tolerance of the receiver', { positive: true })
      .refine((ms) => ms % 1000 === 0, { message: withHint('must be whole seconds', 'e.g. 300s or 5m') })
      .optional(),
    ack_timeout: duration('How long the provider waits for an answer', { positive: true }).optional(),
    retry_schedule: z
      .array(duration('Delay before a retry'))
      .optional()
      .describe('Delays before retry 1, 2, ...'),
    max_payload: size('Largest body the provider sends').optional(),
    dedupe: z
      .strictObject({
        location: oneOf(['body', 'header'], 'dedupe location', 'Where the idempotency key lives.'),
        key: z.string().min(1).describe('Top-level body key, or header name.'),
      })
      .optional()
      .describe("Where the receiver finds the event's idempotency key."),
    id_prefix: z
      .string()
      .regex(/^[A-Za-z0-9_-]*$/, {
        message: withHint('is not a valid id prefix', 'letters, digits, _ and -'),
      })
      .optional()
      .describe('Prefix of generated event ids (evt_, msg_...).'),
    content_type: z
      .string()
      .min(1)
      .optional()
      .describe('Content-Type of deliveries (default application/json).'),
    shop_domain: z.string().min(1).optional().describe('Shopify: X-Shopify-Shop-Domain.'),
    api_version: z.string().min(1).optional().describe('Shopify: X-Shopify-API-Version.'),
    hook_id: z.string().min(1).optional().describe('GitHub: X-GitHub-Hook-ID.'),
    generic: GenericSchema.optional(),
  })
  .describe('The provider wh-bench plays: a preset, any field overridden.');

export const EventSchema = z
  .strictObject({
    type: z.string().min(1).describe('Event type, e.g. payment_intent.succeeded ({{event.type}}).'),
    weight: z.number().positive().optional().describe('Relative share of the load (default 1).'),
    body: z
      .unknown()
      .meta({
        type: ['object', 'array'],
        description: 'Inline JSON body template ({{event.id}}, {{int 1 9}}...).',
      })
      .optional(),
    file: z.string().min(1).optional().describe('JSON fixture (a template too), relative to this file.'),
  })
  .superRefine((e, ctx) => {
    if (e.body !== undefined && e.file !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['file'],
        message: withHint('an event has either body or file, not both', 'remove one'),
      });
    } else if (e.body === undefined && e.file === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: withHint(
          "an event needs a 'body' or a 'file'",
          'add body: {...} or file: fixtures/<preset>/<event>.json',
        ),
      });
    } else if (e.body !== undefined && (e.body === null || typeof e.body !== 'object')) {
      ctx.addIssue({
        code: 'custom',
        path: ['body'],
        message: withHint(`body must be a mapping or a list (the JSON payload), not ${typeName(e.body)}`),
      });
    }
  });

const PhaseSchema = z
  .strictObject({
    name: z.string().min(1).optional().describe('Phase name in reports (default phase-N).'),
    rate: rate('Open model: arrival rate at the start', { positive: true }).optional(),
    ramp_to: rate('Open model: rate reached at the end (linear ramp)').optional(),
    concurrency: z.number().int().positive().optional().describe('Closed model: concurrent senders.'),
    duration: duration('Phase length', { positive: true }),
  })
  .superRefine((p, ctx) => {
    if (p.rate !== undefined && p.concurrency !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['concurrency'],
        message: withHint(
          'a phase has either rate (open model) or concurrency (closed model), not both',
          'split it into two phases',
        ),
      });
    } else if (p.rate === undefined && p.concurrency === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: withHint('a phase needs a rate (e.g. 200/s) or a concurrency (e.g. 20)'),
      });
    }
    if (p.ramp_to !== undefined && p.rate === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['ramp_to'],
        message: withHint('ramp_to needs a rate to ramp from'),
      });
    }
  });

const ProbeSchema = z
  .strictObject({
    http: z
      .string()
      .refine((u) => /\{\{\s*event\.id\s*\}\}/.test(u), {
        message: withHint(
          'has no {{event.id}}',
          'the probe asks about one event: e.g. https://staging.example.com/effects/{{event.id}}',
        ),
      })
      .refine((u) => isHttpUrl(u.replace(/\{\{[^}]*\}\}/g, 'x')), {
        message: withHint('is not an http(s) URL template'),
      })
      .optional()
      .describe('GET URL template holding {{event.id}}; answers JSON.'),
    count: z
      .string()
      .regex(/^(\$(\.|\[|$))?([A-Za-z_][\w-]*|\[\d+\]|\.)*$/, {
        message: withHint('is not a JSON path', 'write e.g. $.count or data.effects'),
      })
      .optional()
      .describe('JSON path to the side-effect count in the answer (default count).'),
    command: z
      .string()
      .min(1)
      .optional()
      .describe('Shell command printing the count; the id is in WH_EVENT_ID.'),
    settle: duration('How long to wait for a side effect to appear').optional(),
    window: duration('How long the count must then stay the same').optional(),
  })
  .superRefine((p, ctx) => {
    if (p.http !== undefined && p.command !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['command'],
        message: withHint('a probe is either http or command, not both'),
      });
    } else if (p.http === undefined && p.command === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: withHint('a probe needs http (a URL template) or command'),
      });
    }
    if (p.count !== undefined && p.http === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['count'],
        message: withHint('count applies to http probes only'),
      });
    }
  })
  .describe('How wh-bench sees side effects. Omit for the embedded receiver (its probe is implicit).');

const required = z.boolean().optional().describe('Whether a failure fails the run (default: the catalog).');

/** Per-check limits, unit-parsed: durations in ms, percentages as fractions, sizes in bytes. */
const CHECK_LIMITS: Partial<Record<CheckId, Record<string, z.ZodType>>> = {
  'ack.latency': {
    p50: duration('Limit for the median').optional(),
    p90: duration('Limit for p90').optional(),
    p99: duration('Limit for p99 (default min(5s, half the ack timeout))').optional(),
    p999: duration('Limit for p99.9').optional(),
    max: duration('Limit for the slowest (default the ack timeout)').optional(),
  },
  'ack.errors': { max: percentage('Largest share of failed first attempts (default 0.1%)').optional() },
  'delivery.retry-recovery': { min: percentage('Smallest eventual success rate (default 99.9%)').optional() },
  'idempotency.concurrent': {
    copies: z.number().int().min(2).max(1000).optional().describe('Copies released at once (default 10).'),
  },
  'idempotency.sequential': {
    copies: z.number().int().min(2).max(100).optional().describe('Deliveries of the same event (default 2).'),
  },
  'delivery.payload-size': { max: size('Largest body tried (default: the preset maximum)').optional() },
};

const ChecksSchema = z
  .strictObject(
    Object.fromEntries(
      CHECK_IDS.map((id) => [id, z.strictObject({ required, ...CHECK_LIMITS[id] }).optional()]),
    ) as unknown as Record<
      CheckId,
      z.ZodOptional<z.ZodType<{ required?: boolean; [limit: string]: unknown }>>
    >,
  )
  .describe('Per check: limits and required: true|false. `wh-bench checks` lists the ids.');

export const REPORT_FORMATS = ['html', 'json', 'junit', 'md'] as const;

export const ScenarioFileSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
        message: withHint('is not a valid name', 'letters, digits, ., _ and -: it names the report folder'),
      })
      .optional()
      .describe('Scenario name (default: the file name); names the report folder.'),
    description: z.string().optional().describe('Free text.'),
    target: TargetSchema.optional(),
    provider: ProviderSchema,
    events: z.array(EventSchema).min(1).describe('Event types sent under load, with weights and bodies.'),
    load: z
      .array(PhaseSchema)
      .min(1)
      .optional()
      .describe('Load phases in order (default: one phase, 50/s for 10s).'),
    probe: ProbeSchema.nullable().optional(),
    checks: ChecksSchema.optional(),
    conformance: z
      .strictObject({
        during_load: z.boolean().optional().describe('Run the conformance checks while the load runs.'),
      })
      .optional(),
    report: z
      .strictObject({
        formats: z.array(oneOf(REPORT_FORMATS, 'report format', 'A report format.')).optional(),
      })
      .optional()
      .describe('Report formats besides report.json (default html, json).'),
  })
  .describe('A wh-bench scenario: target, provider, events, load, probe, checks, report.');

export type ScenarioFile = z.output<typeof ScenarioFileSchema>;
export type ScenarioFileInput = z.input<typeof ScenarioFileSchema>;
