import { describe, expect, it } from 'vitest';
import { effectiveProbeSpec, parseProbeOption, probeIdOf } from '../../../src/checks/probe.js';
import { parseJsonPath } from '../../../src/checks/probe-path.js';
import type { Delivery } from '../../../src/engine/delivery.js';
import { UserError } from '../../../src/errors.js';
import type { ProbeSpec } from '../../../src/scenario/types.js';

const scenarioProbe: ProbeSpec = { kind: 'command', command: 'echo 1', settleMs: 2000, windowMs: 300 };

describe('which probe a run uses', () => {
  it('--probe first, keeping the scenario probe timing', () => {
    expect(
      effectiveProbeSpec({
        scenario: scenarioProbe,
        cli: 'http://h/e/{{event.id}}',
        embeddedTemplate: 'http://x/{{event.id}}',
      }),
    ).toEqual({ kind: 'http', url: 'http://h/e/{{event.id}}', path: 'count', settleMs: 2000, windowMs: 300 });
  });

  it("then the embedded receiver's implicit probe, for it alone", () => {
    expect(
      effectiveProbeSpec({
        scenario: scenarioProbe,
        embeddedTemplate: 'http://127.0.0.1:1/__wh-bench/effects/{{event.id}}',
      }),
    ).toMatchObject({
      kind: 'http',
      url: 'http://127.0.0.1:1/__wh-bench/effects/{{event.id}}',
      path: 'count',
    });
  });

  it("then the scenario's; none at all is null", () => {
    expect(effectiveProbeSpec({ scenario: scenarioProbe })).toBe(scenarioProbe);
    expect(effectiveProbeSpec({ scenario: null, cli: null, embeddedTemplate: null })).toBeNull();
  });
});

describe('--probe', () => {
  it('accepts an http(s) URL template with {{event.id}}', () => {
    expect(parseProbeOption('https://staging.example.com/effects/{{ event.id }}?x=1')).toContain(
      '{{ event.id }}',
    );
  });

  it.each([
    ['https://staging.example.com/effects', /has no \{\{event\.id\}\}/],
    ['ftp://host/{{event.id}}', /is not an http\(s\) URL template/],
    ['effects/{{event.id}}', /is not an http\(s\) URL template/],
  ])('refuses %s as a user error', (value, message) => {
    expect(() => parseProbeOption(value)).toThrow(UserError);
    expect(() => parseProbeOption(value)).toThrow(message);
  });
});

describe('JSON paths', () => {
  it.each([
    ['count', ['count']],
    ['$.count', ['count']],
    ['data.effects', ['data', 'effects']],
    ['$.items[0].n', ['items', 0, 'n']],
    ['$[2]', [2]],
    ['$', []],
  ])('%s', (path, steps) => {
    expect(parseJsonPath(path)).toEqual(steps);
  });

  it('refuses what is not a path', () => {
    expect(parseJsonPath('a b')).toBeNull();
    expect(parseJsonPath('$..x[')).toBeNull();
  });
});

describe('the id a probe asks about', () => {
  const d = (body: string, headers: [string, string][] = []): Delivery => ({
    method: 'POST',
    url: 'http://x/',
    headers,
    body: Buffer.from(body),
    class: 't',
    eventId: 'evt_built',
    attempt: 1,
    intendedAt: 0,
  });

  it('is the dedupe key as sent: a tampered body id is the one a careless receiver records', () => {
    expect(probeIdOf({ dedupe: { location: 'body', key: 'id' } }, d('{"id":"evt_bUilt"}'))).toBe('evt_bUilt');
    expect(probeIdOf({ dedupe: { location: 'body', key: 'event_id' } }, d('{"event_id":12}'))).toBe('12');
    expect(
      probeIdOf(
        { dedupe: { location: 'header', key: 'X-GitHub-Delivery' } },
        d('{}', [['x-github-delivery', 'gh_1']]),
      ),
    ).toBe('gh_1');
  });

  it('falls back to the event id it was built with', () => {
    expect(probeIdOf({ dedupe: { location: 'body', key: 'id' } }, d('{"id":"evt_b'))).toBe('evt_built');
    expect(probeIdOf({ dedupe: { location: 'header', key: 'webhook-id' } }, d('{}'))).toBe('evt_built');
  });
});
