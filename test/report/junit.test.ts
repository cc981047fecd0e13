import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/checks/types.js';
import { familyOf, renderJunit } from '../../src/report/junit.js';
import { HOSTILE, hostileChecks, makeResult, sampleChecks } from './fixtures.js';

const run = promisify(execFile);
const XSD = join(dirname(fileURLToPath(import.meta.url)), 'junit.xsd');
const XMLLINT = ['/usr/bin/xmllint', '/usr/local/bin/xmllint'].find((p) => existsSync(p));
// In CI a missing xmllint is a failure, not a skip.
const inCi = process.env['CI'] === 'true';

describe.skipIf(!XMLLINT && !inCi)('junit.xml against the JUnit XML schema (xmllint)', () => {
  let dir: string;
  beforeAll(async () => {
    if (!XMLLINT) throw new Error('CI=true but xmllint is not installed (apt-get install libxml2-utils)');
    dir = await mkdtemp(join(tmpdir(), 'wh-bench-junit-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function validate(xml: string, name: string): Promise<{ ok: boolean; stderr: string; file: string }> {
    const file = join(dir, `${name}.xml`);
    await writeFile(file, xml);
    try {
      await run(XMLLINT!, ['--noout', '--schema', XSD, file]);
      return { ok: true, stderr: '', file };
    } catch (e) {
      return { ok: false, stderr: String((e as { stderr?: string }).stderr), file };
    }
  }

  // xmllint ends its answer with a newline of its own.
  const xpath = async (file: string, expr: string) =>
    (await run(XMLLINT!, ['--xpath', expr, file])).stdout.replace(/\n$/, '');

  it('validates, with a testsuite per family and a testcase per check', async () => {
    const result = makeResult();
    const v = await validate(renderJunit(result), 'realistic');
    expect(v.stderr).toBe('');
    expect(v.ok).toBe(true);
    const families = [...new Set(result.checks.map((c) => familyOf(c.id)))];
    expect(await xpath(v.file, 'count(//testsuite)')).toBe(String(families.length));
    expect(await xpath(v.file, 'count(//testcase)')).toBe(String(result.checks.length));
    for (const f of families) {
      const n = result.checks.filter((c) => familyOf(c.id) === f).length;
      expect(await xpath(v.file, `count(//testsuite[@name="${f}"]/testcase)`)).toBe(String(n));
      expect(await xpath(v.file, `string(//testsuite[@name="${f}"]/@tests)`)).toBe(String(n));
    }
    const failed = result.checks.filter((c) => c.required && c.status === 'fail');
    expect(await xpath(v.file, 'count(//testcase/failure)')).toBe(String(failed.length));
    expect(await xpath(v.file, 'string(/testsuites/@failures)')).toBe(String(failed.length));
    expect(await xpath(v.file, 'count(//testcase/skipped)')).toBe(
      String(result.checks.filter((c) => c.status === 'skip').length),
    );
    // warn: a passing testcase that says why in system-out
    expect(await xpath(v.file, 'string(//testcase[@name="timestamp.future"]/system-out)')).toMatch(
      /^WARN timestamp.future \(advisory\)/,
    );
    expect(await xpath(v.file, 'count(//testcase[@name="timestamp.future"]/failure)')).toBe('0');
    // the failure body carries the summary, the evidence and both reproducers
    const body = await xpath(v.file, 'string(//testcase[@name="signature.malformed"]/failure)');
    expect(body).toContain('2 of 14 header shapes answered 500');
    expect(body).toContain('ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH');
    expect(body).toContain('npx wh-bench send scenarios/stripe.yaml');
    expect(body).toContain('curl -sS -i -X POST');
  });

  it('is not a schema that accepts anything: a testcase without a name is refused', async () => {
    const xml = renderJunit(makeResult()).replace('<testcase name="signature.valid-accepted"', '<testcase');
    const v = await validate(xml, 'broken');
    expect(v.ok).toBe(false);
    expect(v.stderr).toMatch(/name/);
  });

  it('maps error and advisory checks so JUnit agrees with the exit code', async () => {
    const checks: CheckResult[] = [
      {
        id: 'transport.tls',
        title: 'TLS',
        status: 'error',
        required: true,
        summary: 'probe failed',
        evidence: [],
      },
      {
        id: 'response.no-leak',
        title: 'leak',
        status: 'error',
        required: false,
        summary: 'could not judge',
        evidence: [],
      },
      ...sampleChecks().filter((c) => c.status === 'pass'),
    ];
    const v = await validate(renderJunit(makeResult({ checks })), 'errors');
    expect(v.ok).toBe(true);
    expect(await xpath(v.file, 'string(//testcase[@name="transport.tls"]/error/@type)')).toBe('error');
    expect(await xpath(v.file, 'string(/testsuites/@errors)')).toBe('1');
    expect(await xpath(v.file, 'count(//testcase[@name="response.no-leak"]/error)')).toBe('0');
    expect(await xpath(v.file, 'string(//testcase[@name="response.no-leak"]/system-out)')).toContain(
      'ERROR response.no-leak (advisory)',
    );
  });

  it('stays valid XML with hostile content, which reads back as the same text', async () => {
    const result = makeResult({ checks: hostileChecks(), scenarioName: 'x"y<z>&\u0000' });
    const v = await validate(renderJunit(result), 'hostile');
    expect(v.stderr).toBe('');
    expect(v.ok).toBe(true);
    const message = await xpath(
      v.file,
      'string(//testcase[@name="signature.tampered-body"]/failure/@message)',
    );
    expect(message).toContain('summary <script>window.__pwned = 1</script>');
    expect(message).toContain('</textarea>');
    const body = await xpath(v.file, 'string(//testcase[@name="signature.tampered-body"]/failure)');
    expect(body).toContain('<!-- <script>window.__pwned = 5</script> -->');
    // characters XML cannot carry are shown as their code
    expect(body).toContain('\\u0000nul \\u001b[31mred');
    expect(body).toContain('RTL \\u202eexe.txt');
    expect(HOSTILE).toContain('\u0000');
  });
});

describe('renderJunit without xmllint', () => {
  it('puts the run facts in properties and counts every check once', () => {
    const xml = renderJunit(makeResult());
    expect(xml).toContain('<property name="run.id" value="r1a2b3"/>');
    expect(xml).toContain('<property name="phase.spike.p99_ms"');
    expect(xml.match(/<testcase /g)).toHaveLength(sampleChecks().length);
    expect(xml.match(/<properties>/g)).toHaveLength(1);
  });

  it('families come from the id prefix', () => {
    expect(familyOf('signature.tampered-body')).toBe('signature');
    expect(familyOf('custom')).toBe('custom');
  });
});
