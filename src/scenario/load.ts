import { resolve } from 'node:path';
import { ScenarioError } from './errors.js';
import type { Scenario } from './types.js';
import { displayPath, type LoadOptions, validateScenarioFile } from './validate.js';

export type { LoadOptions } from './validate.js';

/** Loads a scenario ready to run, or throws a ScenarioError holding every problem found. */
export async function loadScenario(file: string, opts: LoadOptions): Promise<Scenario> {
  const { scenario, problems } = await validateScenarioFile(file, opts);
  if (!scenario || problems.length > 0) {
    const cwd = opts.cwd ?? process.cwd();
    throw new ScenarioError(problems, displayPath(resolve(cwd, file), cwd));
  }
  return scenario;
}
