import type { Delivery, DeliveryResult } from '../engine/delivery.js';
import type { PhaseResult } from '../metrics/types.js';
import type { PresetName, ProviderConfig, Scenario } from '../scenario/types.js';
import type { Header } from '../signing/types.js';
import type { ConformanceLog } from './conformance-log.js';
import type { Probe } from './probe.js';

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip' | 'error';

export type CheckFamily =
  | 'signature'
  | 'timestamp'
  | 'idempotency'
  | 'ack'
  | 'delivery'
  | 'response'
  | 'transport';

export interface EvidenceRequest {
  method: string;
  url: string;
  /** Secrets and target headers masked. */
  headers: Header[];
  bodyExcerpt: string;
  bodyBytes: number;
}

export interface EvidenceResponse {
  status: number | null;
  /** Untrusted: escaped wherever rendered. */
  headers: Header[];
  bodyExcerpt: string;
  error?: string;
}

export interface Evidence {
  label: string;
  request?: EvidenceRequest;
  response?: EvidenceResponse;
  timingMs?: number;
  /** `wh-bench send …` (signs afresh) and a curl line. */
  reproducers?: { send: string; curl: string };
  /** The `wh-bench send` arguments that rebuild this case (`--mutation malformed:empty`); read by `send --from`. */
  sendArgs?: string[];
  note?: string;
}

/** What a check adds to one piece of evidence: a note, and how `wh-bench send` rebuilds the case. */
export interface EvidenceOptions {
  note?: string;
  sendArgs?: string[];
}

/** One entry of report.json `checks` (contract). */
export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  required: boolean;
  summary: string;
  evidence: Evidence[];
}

/** What a check returns before the runner adds id, title and required, and maps fail→warn for advisory ones. */
export interface Verdict {
  /** `warn` is a finding short of a failure, even for a required check (a 409 to an in-flight duplicate). */
  status: 'pass' | 'fail' | 'warn' | 'skip' | 'error';
  summary: string;
  evidence?: Evidence[];
}

/** The catalog entry: what `wh-bench checks` prints and what reports cite. */
export interface CheckMeta {
  id: string;
  title: string;
  family: CheckFamily;
  sends: string;
  passes: string;
  why: string;
  fix: string;
  /** Required by default for this preset (the scenario may override). */
  requiredFor(preset: PresetName): boolean;
  /** Opt-in checks only run when the scenario configures them. */
  optIn?: boolean;
}

/** A validly signed delivery ready to send, with what is needed to re-sign or mutate it. */
export interface PreparedDelivery {
  delivery: Delivery;
  eventType: string;
  /** Unix seconds it was signed at. */
  timestamp: number;
}

export interface ValidOptions {
  /** The delivery class; a conformance check uses its own id. */
  class: string;
  eventType?: string;
  /** Replace the rendered body (already the exact bytes). */
  body?: Uint8Array;
  /** Unix seconds to sign at (default now). */
  timestamp?: number;
  /** Reuse an event id (retries, duplicates). */
  eventId?: string;
  attempt?: number;
}

/** Everything a conformance check may use: it never talks to an HTTP client directly. */
export interface ConformanceContext {
  scenario: Scenario;
  /** scenario.provider, for brevity. */
  provider: ProviderConfig;
  runId: string;
  targetUrl: string;
  timeScale: number;
  /** The run's seed: mutations derive their random choices from it. */
  seed: number;
  config: Record<string, unknown>;
  /** Headers every delivery carries besides the provider's (target headers, run id): add them to hand-built ones. */
  extraHeaders: readonly Header[];
  valid(opts: ValidOptions): PreparedDelivery;
  /** Provider headers for a body signed with other secrets (rotation, wrong secret), extra headers included. */
  signWith(
    secrets: readonly string[],
    body: Uint8Array,
    id: string,
    eventType: string,
    timestamp: number,
  ): Header[];
  /** Sends one delivery (its class is the check id) and records the answer in the run's conformance log. */
  send(d: Delivery): Promise<DeliveryResult>;
  /** Evidence for one exchange: masked request, capped response, reproducers. */
  evidence(label: string, r: DeliveryResult, opts?: string | EvidenceOptions): Evidence;
  /** Every conformance answer of this run so far (response.no-leak reads the rejections of the others). */
  log: ConformanceLog;
  /** How side effects are seen (DESIGN.md, Probes); null or absent: not observed. */
  probe?: Probe | null;
}

/** What load-judging checks read. */
export interface LoadContext {
  scenario: Scenario;
  config: Record<string, unknown>;
  phases: PhaseResult[];
  preflight: DeliveryResult | null;
  /** Some slowest or failed load deliveries, kept as evidence. */
  samples: DeliveryResult[];
  evidence(label: string, r: DeliveryResult, opts?: string | EvidenceOptions): Evidence;
  /** The conformance answers (absent when none ran): delivery.no-redirect judges them with the load. */
  conformance?: ConformanceLog;
  /** Some load deliveries that failed every retry (delivery.retry-recovery evidence). */
  retrySamples?: DeliveryResult[];
}

export interface CheckDefinition extends CheckMeta {
  /** Conformance checks send their own deliveries after the preflight. */
  conformance?(ctx: ConformanceContext): Promise<Verdict>;
  /** Load checks judge the load phases (and the preflight). */
  load?(ctx: LoadContext): Verdict;
}
