import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/registry.js';
import type { CheckResult } from '../../src/checks/types.js';
import { ZOO, type ZooEntry } from '../fixtures/zoo/index.js';
import { renderMatrix } from '../fixtures/zoo/matrix.js';
import { runZooEntry, type StatusMap, statusMap, ZOO_DIR } from '../fixtures/zoo/run-zoo.js';

const RUNS = 3;
const MATRIX_FILE = join(ZOO_DIR, '..', '..', '..', 'docs', 'verdict-matrix.md');

/** Receivers graded at once: most of a run is waiting (probe windows, timeouts), so a few overlap well. */
const PARALLEL = 4;

/** Each receiver graded RUNS times (runs of one receiver one after the other), shared by the tests below. */
const graded = new Map<string, Promise<CheckResult[][]>>();
function gradeAll(): void {
  if (graded.size > 0) return;
  let slots = PARALLEL;
  const waiting: Array<() => void> = [];
  const slot = async () => {
    if (slots > 0) slots--;
    else await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else slots++;
  };
  for (const entry of ZOO) {
    graded.set(
      entry.name,
      (async () => {
        await slot();
        try {
          const runs: CheckResult[][] = [];
          for (let i = 0; i < RUNS; i++) runs.push(await runZooEntry(entry));
          return runs;
        } finally {
          release();
        }
      })(),
    );
  }
  // Each test awaits its own; a failure is reported there, not as an unhandled rejection.
  for (const p of graded.values()) p.catch(() => undefined);
}

function gradeOf(entry: ZooEntry): Promise<CheckResult[][]> {
  gradeAll();
  return graded.get(entry.name)!;
}

/** What the entry says must not pass, compared with what did not pass. */
function deviations(entry: ZooEntry, statuses: StatusMap): string[] {
  const out: string[] = [];
  for (const [id, status] of Object.entries(statuses)) {
    const want = entry.expect[id];
    if (want !== undefined) {
      if (status !== want) out.push(`${id}: ${status}, expected ${want}`);
    } else if (entry.skipped === 'all-others') {
      if (status !== 'skip') out.push(`${id}: ${status}, expected skip (the run stopped)`);
    } else if (status !== 'pass' && status !== 'skip') {
      out.push(`${id}: ${status}, expected pass or skip`);
    }
  }
  for (const id of Object.keys(entry.expect)) if (!(id in statuses)) out.push(`${id}: not reported`);
  return out;
}

describe('the zoo: each flawed receiver fails exactly its flaw, each correct one passes every required check', () => {
  for (const entry of ZOO) {
    it(`${entry.name}${entry.flaw ? ` (${entry.flaw})` : ' (correct)'}`, { timeout: 60_000 }, async () => {
      const runs = await gradeOf(entry);
      const first = statusMap(runs[0]!);
      const failures = runs[0]!.filter(
        (c) => c.status === 'fail' || c.status === 'warn' || c.status === 'error',
      );
      expect(
        deviations(entry, first),
        JSON.stringify(
          failures.map((c) => `${c.id}: ${c.summary}`),
          null,
          1,
        ),
      ).toEqual([]);
      // The same verdicts on every run.
      for (const r of runs.slice(1)) expect(statusMap(r)).toEqual(first);
      if (entry.flaw === null) {
        expect(runs[0]!.filter((c) => c.required && c.status !== 'pass' && c.status !== 'skip')).toEqual([]);
      }
    });
  }

  it('every failed or warned check carries evidence with reproducers, and no secret', {
    timeout: 60_000,
  }, async () => {
    for (const entry of ZOO) {
      const [checks] = await gradeOf(entry);
      const text = JSON.stringify(checks);
      expect(text).not.toContain('whsec_zoo_stripe_3b8f1c2d9e7a46058c1d');
      expect(text).not.toContain('zoo-github-secret-5e1a9c3f7b');
      expect(text).not.toContain('zoo0slack0signing0secret0a1b2c3d4');
      expect(text).not.toContain('zoo_custom_secret_8d2f6b1e4a');
      expect(text).not.toContain('shpss_zoo_0123456789abcdef0123');
      expect(text).not.toContain('em9vLXN0YW5kYXJkLXdlYmhvb2tzLWsh');
      for (const c of checks!) {
        if (c.status !== 'fail' && c.status !== 'warn') continue;
        expect(c.evidence.length, `${entry.name} ${c.id}`).toBeGreaterThan(0);
        const sent = c.evidence.filter((e) => e.request);
        expect(sent.length, `${entry.name} ${c.id}`).toBeGreaterThan(0);
        for (const e of sent) {
          expect(e.reproducers?.send).toMatch(/^npx wh-bench send \S+ --target /);
          expect(e.reproducers?.curl).toMatch(/^curl -sS -i -X POST /);
        }
        // A check that sent its own delivery says how to rebuild it.
        if (c.id !== 'signature.valid-accepted' && c.id !== 'delivery.no-redirect') {
          expect(sent[0]!.sendArgs?.[0], `${entry.name} ${c.id}`).toBe('--mutation');
          expect(sent[0]!.reproducers?.send).toContain(`--mutation ${sent[0]!.sendArgs![1]}`);
        }
      }
    }
  });

  it('names the failing shapes, variants and sizes in one actionable sentence', {
    timeout: 60_000,
  }, async () => {
    const summary = async (name: string, id: string) => {
      const entry = ZOO.find((e) => e.name === name)!;
      const [checks] = await gradeOf(entry);
      return checks!.find((c) => c.id === id)!.summary;
    };
    expect(await summary('nodehttp-timingsafe', 'signature.malformed')).toMatch(
      /wrong-length \(500\).*never a 5xx: check lengths before timingSafeEqual/,
    );
    expect(await summary('express-json-reserialise', 'signature.raw-body')).toMatch(
      /whitespace \(400\).*escaped-slash.*unicode-escape.*big-number.*verify the bytes as received/,
    );
    expect(await summary('express-100kb', 'delivery.payload-size')).toMatch(
      /accepted bodies up to 64 KiB but answered 413 to a 100 KiB \+ 1 byte body/,
    );
    expect(await summary('fastify-1mib', 'delivery.payload-size')).toMatch(
      /up to 1 MiB but answered 413 to a 2 MiB body/,
    );
    expect(await summary('express-first-signature', 'signature.rotation')).toMatch(/valid-last \(401\)/);
    // The zoo scenarios carry a probe: a rejection is judged on its side effect too.
    expect(await summary('stripe-official', 'signature.tampered-body')).toMatch(
      /; no side effect \(watched 100 ms\)$/,
    );
    expect(await summary('express-leaky-error', 'response.no-leak')).toMatch(/hold the expected signature/);
  });

  it('docs/verdict-matrix.md is what the zoo produces', { timeout: 120_000 }, async () => {
    const results = new Map<string, StatusMap>();
    for (const entry of ZOO) results.set(entry.name, statusMap((await gradeOf(entry))[0]!));
    const rendered = renderMatrix(
      ZOO,
      results,
      CHECKS.map((c) => c.id),
    );
    const committed = await readFile(MATRIX_FILE, 'utf8').catch(() => '');
    expect(committed, 'docs/verdict-matrix.md is stale: run `npx tsx scripts/verdict-matrix.ts`').toBe(
      rendered,
    );
  });
});
