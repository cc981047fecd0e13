import type { CheckResult } from '../checks/types.js';
import type { PhaseResult, TimeseriesPoint } from '../metrics/types.js';

export const SCHEMA_VERSION = 1;

/** report.json (contract, DESIGN.md "Result JSON"). Reporters read only this. */
export interface ResultJson {
  schemaVersion: number;
  tool: { name: 'wh-bench'; version: string };
  runId: string;
  shard: { index: number; count: number } | null;
  interrupted: boolean;
  /** True when the run stopped early (preflight rejected, interrupted, target unreachable). */
  partial: boolean;
  /** Why the run stopped early, for people. */
  stopReason: string | null;
  scenario: ScenarioSummary;
  target: { url: string; embedded: boolean };
  startedAt: string;
  endedAt: string;
  timeScale: number;
  seed: number;
  machine: { platform: string; arch: string; cpus: number; node: string };
  verdict: 'pass' | 'fail';
  checks: CheckResult[];
  phases: PhaseResult[];
  timeseries: TimeseriesPoint[];
}

/** The scenario as run, secrets masked. */
export interface ScenarioSummary {
  name: string;
  file: string;
  preset: string;
  scheme: string;
  toleranceSec: number | null;
  ackTimeoutMs: number;
  maxPayloadBytes: number;
  events: Array<{ type: string; weight: number }>;
  load: Array<{
    name: string;
    model: string;
    rate?: number;
    rampTo?: number;
    concurrency?: number;
    durationMs: number;
  }>;
  probe: string | null;
  checks: Record<string, unknown>;
}

/**
 * The verdict rule: pass when no required check failed or errored and at least one required check
 * passed. A required check skipped as not applicable neither passes nor fails the run.
 */
export function verdictOf(checks: CheckResult[]): 'pass' | 'fail' {
  const required = checks.filter((c) => c.required);
  if (required.some((c) => c.status === 'fail' || c.status === 'error')) return 'fail';
  return required.some((c) => c.status === 'pass') ? 'pass' : 'fail';
}

/** Exit codes (contract): 0 pass, 1 fail, 3 could not run; 130 interrupted is decided by the caller. */
export function exitCodeOf(result: ResultJson, couldNotRun: boolean): number {
  if (result.interrupted) return 130;
  if (couldNotRun) return 3;
  return result.verdict === 'pass' ? 0 : 1;
}
