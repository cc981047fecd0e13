/**
 * The library API: everything the CLI does, callable from code.
 *
 *   import { run, loadScenario, serve, sign } from 'wh-bench';
 */
export type { CheckResult, CheckStatus, Evidence } from './checks/types.js';
export type { Delivery, DeliveryResult } from './engine/delivery.js';
export { UserError } from './errors.js';
export type { PhaseResult, TimeseriesPoint } from './metrics/types.js';
export { startReceiver as serve } from './receiver/server.js';
export { writeReports } from './report/index.js';
export type { ResultJson } from './run/result.js';
export { type RunOptions, type RunOutcome, run } from './run/run.js';
export { ScenarioError } from './scenario/errors.js';
export { loadScenario } from './scenario/load.js';
export type { Scenario } from './scenario/types.js';
export { createSigner as sign } from './signing/index.js';
export type { Header, SchemeName, Signer, SignInput } from './signing/types.js';
export { VERSION } from './version.js';
