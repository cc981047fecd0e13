import type { GenericHmacOptions, Header, SchemeName, SchemeOptions } from '../signing/types.js';

export type PresetName = 'stripe' | 'github' | 'slack' | 'shopify' | 'standard-webhooks' | 'custom';
export type ReportFormat = 'html' | 'json' | 'junit' | 'md';

/** Where a preset's idempotency key lives and how a retry treats it (DESIGN.md, event-id table). */
export interface DedupeKey {
  location: 'body' | 'header';
  /** Body: a top-level JSON key such as `id` or `event_id`. Header: the header name. */
  key: string;
}

/** What a provider retry keeps and changes (DESIGN.md event-id table). */
export interface RetryBehaviour {
  /** Re-sign with a fresh timestamp on a retry (Stripe, Slack, Standard Webhooks). */
  resign: boolean;
  /** Extra headers a retry adds, `{n}` replaced by the retry number (Slack's X-Slack-Retry-Num). */
  retryHeaders: Header[];
  /** False for GitHub: no automatic retries. */
  automatic: boolean;
}

/** A preset resolved with the scenario's overrides: everything the sender and receiver need. */
export interface ProviderConfig {
  preset: PresetName;
  scheme: SchemeName;
  schemeOptions: SchemeOptions;
  generic?: GenericHmacOptions;
  /** Current secret (signs everything by default). */
  secret: string;
  /** The secret being rotated out, for signature.rotation on single-signature schemes. */
  previousSecret: string | null;
  /** Seconds; null where the scheme signs no timestamp (GitHub, Shopify). */
  toleranceSec: number | null;
  ackTimeoutMs: number;
  /** Delays before retry 1, 2, ... in ms (unscaled). */
  retryScheduleMs: number[];
  maxPayloadBytes: number;
  dedupe: DedupeKey;
  retry: RetryBehaviour;
  /** Prefix of generated event ids: `evt_` (Stripe), `msg_` (Standard Webhooks)... */
  idPrefix: string;
  /** Whether the scheme carries several signatures at once (rotation by multi-signature). */
  multiSignature: boolean;
  /** Redirect limit the provider follows (Slack 2, others 0). */
  followsRedirects: number;
}

/** Source position of a value in the scenario file, for error messages. */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

/** A compiled body template: renders the exact bytes for one delivery. */
export interface TemplateContext {
  eventId: string;
  eventType: string;
  seq: number;
  runId: string;
  /** Unix seconds, for {{now}}. */
  now: number;
  /** Seeded random source in [0, 1). */
  random: () => number;
}

export interface CompiledTemplate {
  render(ctx: TemplateContext): Uint8Array;
}

export interface EventSpec {
  type: string;
  weight: number;
  template: CompiledTemplate;
  /** Where the body came from (inline at a position, or a fixture file). */
  source: SourcePos;
  file?: string;
}

export interface LoadPhase {
  name: string;
  model: 'open' | 'closed';
  /** Open model: deliveries per second at the start. */
  rate?: number;
  /** Open model: linear ramp to this rate by the end of the phase. */
  rampTo?: number;
  /** Closed model: concurrent senders. */
  concurrency?: number;
  durationMs: number;
}

export type ProbeSpec =
  | { kind: 'http'; url: string; path: string; settleMs?: number; windowMs?: number }
  | { kind: 'command'; command: string; settleMs?: number; windowMs?: number };

/** Per-check settings from the scenario; limits are check-specific and already unit-parsed. */
export interface CheckConfig {
  required?: boolean;
  [limit: string]: unknown;
}

export interface TargetConfig {
  /** null: the embedded reference receiver. */
  url: string | null;
  /** Extra headers such as Authorization; masked like secrets in every output. */
  headers: Header[];
  tls: { rejectUnauthorized: boolean; ca?: string };
  reuseConnections: boolean;
  /** transport.source-ip: an address outside the receiver's allowlist to send from. */
  disallowedSourceAddress?: string;
}

export interface Scenario {
  name: string;
  /** Absolute path of the scenario file and its folder (fixtures resolve against it). */
  file: string;
  dir: string;
  target: TargetConfig;
  provider: ProviderConfig;
  events: EventSpec[];
  load: LoadPhase[];
  probe: ProbeSpec | null;
  checks: Record<string, CheckConfig>;
  conformance: { duringLoad: boolean };
  report: { formats: ReportFormat[] };
  /** Every secret-like value (secrets, target header values) for masking. */
  secrets: string[];
}
