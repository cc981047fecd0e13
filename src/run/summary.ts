import type { Scenario } from '../scenario/types.js';
import type { Masker } from './mask.js';
import type { ScenarioSummary } from './result.js';

/** The scenario as it goes into report.json: no secrets, no target header values. */
export function summariseScenario(s: Scenario, masker: Masker): ScenarioSummary {
  const probe = s.probe ? masker.text(s.probe.kind === 'http' ? s.probe.url : s.probe.command) : null;
  return {
    name: s.name,
    file: s.file,
    preset: s.provider.preset,
    scheme: s.provider.scheme,
    toleranceSec: s.provider.toleranceSec,
    ackTimeoutMs: s.provider.ackTimeoutMs,
    maxPayloadBytes: s.provider.maxPayloadBytes,
    events: s.events.map((e) => ({ type: e.type, weight: e.weight })),
    load: s.load.map((p) => ({ ...p })),
    probe,
    checks: JSON.parse(masker.text(JSON.stringify(s.checks))) as Record<string, unknown>,
  };
}
