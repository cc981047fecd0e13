import { spawnReceiver } from '../receiver/spawn.js';
import type { Scenario } from '../scenario/types.js';

export interface AcquiredTarget {
  url: string;
  embedded: boolean;
  release(): Promise<void>;
}

/** The URL to send to: the one given, the scenario's, or a reference receiver started for this run. */
export async function acquireTarget(
  scenario: Scenario,
  override: string | null | undefined,
): Promise<AcquiredTarget> {
  const url = override || scenario.target.url;
  if (url) return { url, embedded: false, release: async () => {} };
  const receiver = await spawnReceiver({ provider: scenario.provider });
  return { url: receiver.url, embedded: true, release: () => receiver.close() };
}
