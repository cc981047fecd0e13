import { arch, cpus, platform } from 'node:os';
import { basename, resolve } from 'node:path';
import { ConformanceLog } from '../checks/conformance-log.js';
import { createProbe, effectiveProbeSpec } from '../checks/probe.js';
import { CHECKS, configOf, errorVerdict, isRequired, toResult } from '../checks/registry.js';
import type {
  CheckDefinition,
  CheckResult,
  ConformanceContext,
  EvidenceOptions,
  LoadContext,
  Verdict,
} from '../checks/types.js';
import type { DeliveryResult } from '../engine/delivery.js';
import { createDispatcher, type Dispatcher } from '../engine/dispatcher.js';
import { runPhase } from '../engine/pacer.js';
import { DEFAULT_RETRY_WINDOW_MS, LoadRetrier, redelivery } from '../engine/retry.js';
import { newRunId } from '../events/ids.js';
import { withRetries } from '../metrics/retry-rates.js';
import type { PhaseResult, TimeseriesPoint } from '../metrics/types.js';
import { effectsUrlTemplate } from '../receiver/server.js';
import type { LoadPhase, ReportFormat, Scenario } from '../scenario/types.js';
import { VERSION } from '../version.js';
import { createDeliveryFactory } from './deliveries.js';
import { DeliveryLog } from './delivery-log.js';
import { evidenceOf, is2xx, is3xx, type ReproducerContext } from './evidence.js';
import { createMasker } from './mask.js';
import { type ResultJson, SCHEMA_VERSION, verdictOf } from './result.js';
import { SampleKeeper } from './samples.js';
import { summariseScenario } from './summary.js';
import { acquireTarget } from './target.js';

export interface RunOptions {
  scenario: Scenario;
  /** Overrides the scenario's target; null or absent with no scenario target: the embedded receiver. */
  target?: string | null;
  /** Replace the scenario's load with one phase. */
  durationMs?: number;
  rate?: number;
  concurrency?: number;
  loadOnly?: boolean;
  conformanceOnly?: boolean;
  timeScale?: number;
  seed?: number;
  runId?: string;
  shard?: { index: number; count: number } | null;
  /** Stop sending, finish in flight, and report as interrupted. */
  signal?: AbortSignal;
  onProgress?: (p: RunProgress) => void;
  /** Skip the load when a required conformance check failed. */
  abortOnFail?: boolean;
  /** One JSON line per delivery: every conformance delivery, a share of the load. */
  log?: { path: string; loadSample: number };
  /** `--probe URL_TEMPLATE`: replaces the scenario's probe (and the embedded receiver's implicit one). */
  probe?: string | null;
  /** How long after the last phase failed load deliveries may still be retried (default 30 s). */
  retryWindowMs?: number;
}

export interface RunProgress {
  stage: 'preflight' | 'conformance' | 'load' | 'done';
  phase?: string;
  elapsedMs: number;
  sent: number;
  completed: number;
  errors: number;
  p99Ms?: number;
  ratePerSec?: number;
}

export interface RunOutcome {
  result: ResultJson;
  /** 0 pass, 1 fail, 3 could not run, 130 interrupted. */
  exitCode: number;
}

/** Requests slower than this are not waited for: the provider would have given up (time-scaled). */
export function effectiveTimeoutMs(ackTimeoutMs: number, timeScale: number): number {
  return Math.max(1000, Math.round(ackTimeoutMs * timeScale));
}

/** The load to run: the scenario's, or the one phase that --duration/--rate/--concurrency describe. */
export function loadPlan(scenario: Scenario, o: RunOptions): LoadPhase[] {
  if (o.durationMs === undefined && o.rate === undefined && o.concurrency === undefined) return scenario.load;
  const base = scenario.load[scenario.load.length - 1];
  const durationMs = o.durationMs ?? base?.durationMs ?? 10_000;
  if (o.concurrency !== undefined)
    return [{ name: 'cli', model: 'closed', concurrency: o.concurrency, durationMs }];
  const rate = o.rate ?? base?.rampTo ?? base?.rate ?? 100;
  return [{ name: 'cli', model: 'open', rate, durationMs }];
}

const skip = (summary: string): Verdict => ({ status: 'skip', summary });

/**
 * One run: preflight, conformance, load, checks, result. Never writes files (the CLI does), never
 * exits the process; every failure of the target becomes part of the result.
 */
export async function run(o: RunOptions): Promise<RunOutcome> {
  const scenario = o.scenario;
  const timeScale = o.timeScale ?? 1;
  const runId = o.runId ?? newRunId();
  const seed = o.seed ?? Math.floor(Math.random() * 2 ** 31);
  const startedAt = new Date();
  const t0 = performance.now();
  const masker = createMasker(
    scenario.secrets,
    scenario.target.headers.map(([n]) => n),
  );
  const target = await acquireTarget(scenario, o.target);
  const repro: ReproducerContext = { scenarioFile: relativeToCwd(scenario.file), masker };
  const samples = new SampleKeeper(20);
  const evidence = (label: string, r: DeliveryResult, opts?: string | EvidenceOptions) => {
    const o = typeof opts === 'string' ? { note: opts } : (opts ?? {});
    const ev = evidenceOf(label, r, o.sendArgs ? { ...repro, sendArgs: o.sendArgs } : repro, o.note);
    if (o.sendArgs) ev.sendArgs = o.sendArgs;
    return ev;
  };
  const timeoutMs = effectiveTimeoutMs(scenario.provider.ackTimeoutMs, timeScale);
  const plan = o.conformanceOnly ? [] : loadPlan(scenario, o);
  const maxConnections = Math.max(
    10,
    ...plan.map((p) =>
      p.model === 'closed' ? (p.concurrency ?? 1) : Math.min(256, Math.ceil((p.rampTo ?? p.rate ?? 1) / 20)),
    ),
  );
  const dispatcher: Dispatcher = createDispatcher({
    origin: new URL(target.url).origin,
    connections: maxConnections,
    timeoutMs,
    bodyCapBytes: 64 * 1024,
    tls: scenario.target.tls,
  });
  const factory = createDeliveryFactory({ scenario, runId, targetUrl: target.url, seed });
  const progress = (p: Omit<RunProgress, 'elapsedMs'>) =>
    o.onProgress?.({ ...p, elapsedMs: performance.now() - t0 });

  const verdicts = new Map<string, Verdict>();
  const phases: PhaseResult[] = [];
  const timeseries: TimeseriesPoint[] = [];
  let stopReason: string | null = null;
  let couldNotRun = false;
  let preflight: DeliveryResult | null = null;
  let loadSkipped: string | null = null;
  const requiredFailure = (): string | undefined =>
    CHECKS.find((def) => {
      const v = verdicts.get(def.id);
      return v?.status === 'fail' && isRequired(def, scenario);
    })?.id;
  const conformanceLog = new ConformanceLog();
  const deliveryLog = o.log ? new DeliveryLog(o.log.path, o.log.loadSample) : null;
  const probeSpec = effectiveProbeSpec({
    scenario: scenario.probe,
    cli: o.probe,
    embeddedTemplate: target.embedded ? effectsUrlTemplate(target.url) : null,
  });
  const probe = probeSpec
    ? createProbe(probeSpec, {
        timeScale,
        target: { url: target.url, headers: scenario.target.headers, tls: scenario.target.tls },
        mask: (s) => masker.text(s),
      })
    : null;
  // Failed load deliveries are retried as the provider would; never through a phase recorder.
  const retrier = new LoadRetrier({
    dispatcher,
    timing: {
      scheduleMs: scenario.provider.retry.automatic ? scenario.provider.retryScheduleMs : [],
      timeScale,
    },
    seed,
    redeliver: (d, attempt, intendedAt) =>
      redelivery(d, {
        attempt,
        intendedAt,
        behaviour: scenario.provider.retry,
        // Only GitHub and Shopify sign the event type, and neither re-signs a retry.
        resign: (x, ts) =>
          factory.signWith([scenario.provider.secret], x.body, x.eventId, scenario.events[0]!.type, ts),
      }),
    ...(deliveryLog ? { onResult: (r: DeliveryResult) => deliveryLog.write(r) } : {}),
  });

  try {
    progress({ stage: 'preflight', sent: 1, completed: 0, errors: 0 });
    preflight = await dispatcher.sendAsync(factory.valid({ class: 'preflight' }).delivery);
    deliveryLog?.write(preflight);
    if (!is2xx(preflight)) {
      if (preflight.status === undefined) {
        couldNotRun = true;
        stopReason = `the target could not be reached at preflight (${preflight.errorClass ?? 'other'}${preflight.error ? `: ${preflight.error}` : ''})`;
      } else {
        stopReason = is3xx(preflight)
          ? `the receiver redirected a valid delivery (answered ${preflight.status}); providers do not follow redirects`
          : `the receiver rejected a valid delivery (answered ${preflight.status}): wrong secret or preset?`;
      }
      if (is3xx(preflight)) {
        verdicts.set('delivery.no-redirect', {
          status: 'fail',
          summary: `the preflight delivery was answered ${preflight.status} (a redirect); providers treat it as a failure`,
          evidence: [evidence('preflight', preflight)],
        });
      }
    }

    // Conformance deliveries go through ctx.send, never the recorder: they stay out of the load histograms.
    const conformanceStage = async (): Promise<void> => {
      if (stopReason || o.loadOnly || o.signal?.aborted) return;
      const ctx = (def: CheckDefinition): ConformanceContext => ({
        scenario,
        provider: scenario.provider,
        runId,
        targetUrl: target.url,
        timeScale,
        seed,
        config: configOf(scenario, def.id),
        extraHeaders: factory.extraHeaders,
        valid: (opts) => factory.valid(opts),
        signWith: (secrets, body, id, eventType, timestamp) =>
          factory.signWith(secrets, body, id, eventType, timestamp),
        send: async (d) => {
          const r = await dispatcher.sendAsync(d);
          conformanceLog.record(r);
          deliveryLog?.write(r);
          return r;
        },
        evidence,
        log: conformanceLog,
        probe,
      });
      for (const def of CHECKS) {
        if (!def.conformance || o.signal?.aborted) continue;
        progress({ stage: 'conformance', phase: def.id, sent: 0, completed: 0, errors: 0 });
        try {
          verdicts.set(def.id, await def.conformance(ctx(def)));
        } catch (err) {
          verdicts.set(def.id, errorVerdict(err));
        }
      }
    };

    const loadStage = async (): Promise<void> => {
      if (stopReason) return;
      if (o.abortOnFail && requiredFailure()) {
        loadSkipped = `--abort-on-fail: ${requiredFailure()} failed in conformance, so the load did not run`;
        return;
      }
      for (const phase of plan) {
        if (o.signal?.aborted) break;
        const index = phases.length;
        const out = await runPhase({
          phase,
          runStartMs: t0,
          maxInflight: Math.max(100, maxConnections * 4),
          makeDelivery: (_seq, intendedAt) => factory.next('load', intendedAt),
          dispatcher,
          onResult: (r) => {
            samples.offer(r);
            deliveryLog?.write(r);
            retrier.offer(r, index);
          },
          signal: o.signal,
          onProgress: (p) => progress({ stage: 'load', phase: phase.name, ...p }),
        });
        phases.push(out.result);
        timeseries.push(...out.timeseries);
      }
      // Retries still due within the window go out before the run ends; later ones count as not retried.
      await retrier.drain(o.retryWindowMs ?? DEFAULT_RETRY_WINDOW_MS, o.signal);
      for (const [i, p] of phases.entries()) withRetries(p, retrier.counts(i));
    };

    // Default order: preflight, conformance, load; `conformance.during_load` sends the bad deliveries
    // while the load runs (how a receiver copes with both at once).
    if (scenario.conformance.duringLoad) await Promise.all([conformanceStage(), loadStage()]);
    else {
      await conformanceStage();
      await loadStage();
    }
  } finally {
    retrier.cancel();
    await probe?.close();
    await dispatcher.close();
    await target.release();
    await deliveryLog?.close();
  }

  const loadCtx = (def: CheckDefinition): LoadContext => ({
    scenario,
    config: configOf(scenario, def.id),
    phases,
    preflight,
    samples: samples.list(),
    evidence,
    conformance: conformanceLog,
    retrySamples: retrier.samples(),
  });
  const checks: CheckResult[] = [];
  for (const def of CHECKS) {
    let v = verdicts.get(def.id);
    if (!v && def.load) {
      try {
        v = def.load(loadCtx(def));
      } catch (err) {
        v = errorVerdict(err);
      }
    }
    if (!v) v = skip(stopReason ? `not run: ${stopReason}` : 'not run');
    // After a failed preflight only what the preflight itself decides is judged.
    if (stopReason && def.id !== 'signature.valid-accepted' && !verdicts.has(def.id))
      v = skip(`not run: ${stopReason}`);
    checks.push(toResult(def, v, scenario));
  }

  const interrupted = o.signal?.aborted ?? false;
  const result: ResultJson = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'wh-bench', version: VERSION },
    runId,
    shard: o.shard ?? null,
    interrupted,
    partial: interrupted || stopReason !== null || loadSkipped !== null,
    stopReason: interrupted ? 'interrupted by a signal' : (stopReason ?? loadSkipped),
    // The probe actually used: --probe, the embedded receiver's implicit one, or the scenario's.
    scenario: summariseScenario({ ...scenario, probe: probeSpec }, masker),
    target: { url: target.url, embedded: target.embedded },
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    timeScale,
    seed,
    machine: { platform: platform(), arch: arch(), cpus: cpus().length, node: process.version },
    verdict: verdictOf(checks),
    checks,
    phases,
    timeseries,
  };
  progress({ stage: 'done', sent: 0, completed: 0, errors: 0 });
  const exitCode = interrupted ? 130 : couldNotRun ? 3 : result.verdict === 'pass' ? 0 : 1;
  return { result, exitCode };
}

function relativeToCwd(file: string): string {
  const abs = resolve(file);
  const cwd = process.cwd();
  return abs.startsWith(`${cwd}/`) ? abs.slice(cwd.length + 1) : basename(abs) === abs ? abs : abs;
}

export type { ReportFormat };
