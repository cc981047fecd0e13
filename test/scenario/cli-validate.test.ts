import { Writable } from 'node:stream';
import { afterAll, describe, expect, it, vi } from 'vitest';
import yargs from 'yargs';
import { resolveSecretOption, secretOptions, validateCli, validateCommand } from '../../src/cli/validate.js';
import { UserError } from '../../src/errors.js';
import { STRIPE_MIN, tempScenarios } from './helpers.js';

const tmp = tempScenarios({
  'ok.yaml': STRIPE_MIN,
  'bad.yaml': 'provider: { preset: strpe }\nevents: []\n',
  'secret.txt': 'whsec_from_file_123\n',
  'empty.txt': '\n',
});
afterAll(tmp.cleanup);

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      text += String(chunk);
      cb();
    },
  });
  return { stream, text: () => text };
}

describe('wh-bench validate', () => {
  it('prints a one-line summary for a valid scenario and returns 0', async () => {
    const out = sink();
    const err = sink();
    const code = await validateCli(
      { scenario: `${tmp.dir}/ok.yaml`, secret: 'whsec_cli_secret' },
      { stdout: out.stream, stderr: err.stream },
      {},
    );
    expect(code).toBe(0);
    expect(out.text()).toBe(`${tmp.dir}/ok.yaml: valid (1 event, 1 phase, preset stripe)\n`);
    expect(err.text()).toBe('');
  });

  it('prints every problem on stderr and returns 2', async () => {
    const out = sink();
    const err = sink();
    const code = await validateCli(
      { scenario: `${tmp.dir}/bad.yaml` },
      { stdout: out.stream, stderr: err.stream },
      {},
    );
    expect(code).toBe(2);
    expect(out.text()).toBe('');
    const lines = err.text().split('\n');
    expect(lines.filter((l) => /:\d+:\d+: /.test(l))).toHaveLength(2);
    expect(err.text()).toContain(":1:21: unknown preset 'strpe'; did you mean 'stripe'?");
    expect(err.text()).toContain(':2:9: events needs at least 1 entry');
    expect(err.text()).toContain('bad.yaml: 2 problems');
  });

  it('runs as a yargs command and sets the exit code', async () => {
    const writes: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      writes.push(String(s));
      return true;
    });
    const before = process.exitCode;
    try {
      await yargs([])
        .command(validateCommand)
        .parseAsync(['validate', `${tmp.dir}/bad.yaml`]);
      expect(process.exitCode).toBe(2);
      expect(writes.join('')).toContain("unknown preset 'strpe'");
    } finally {
      spy.mockRestore();
      process.exitCode = before;
    }
  });

  it('secretOptions adds the three flags', async () => {
    const argv = await secretOptions(yargs([])).parseAsync(['--secret-env', 'X']);
    expect(argv['secret-env']).toBe('X');
  });
});

describe('resolveSecretOption', () => {
  it('returns nothing when no flag is given', async () => {
    expect(await resolveSecretOption({}, {})).toBeUndefined();
  });

  it('reads --secret, --secret-env and --secret-file (one trailing newline dropped)', async () => {
    expect(await resolveSecretOption({ secret: 's#1\n' }, {})).toBe('s#1\n');
    expect(await resolveSecretOption({ 'secret-env': 'MY_SECRET' }, { MY_SECRET: 'from-env' })).toBe(
      'from-env',
    );
    expect(await resolveSecretOption({ 'secret-file': `${tmp.dir}/secret.txt` }, {})).toBe(
      'whsec_from_file_123',
    );
  });

  it('refuses two flags, an unset variable, a missing or empty file, without echoing a secret', async () => {
    const fails = async (args: Parameters<typeof resolveSecretOption>[0], env = {}) => {
      const e = await resolveSecretOption(args, env).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(UserError);
      return e as UserError;
    };
    const two = await fails({ secret: 'topsecretvalue', 'secret-env': 'X' });
    expect(two.message).toBe('--secret and --secret-env both give the secret');
    expect(`${two.message} ${two.hint}`).not.toContain('topsecretvalue');
    expect((await fails({ 'secret-env': 'NOPE' })).message).toBe('--secret-env: NOPE is not set');
    expect((await fails({ 'secret-file': `${tmp.dir}/missing.txt` })).message).toContain('no such file');
    expect((await fails({ 'secret-file': `${tmp.dir}/empty.txt` })).message).toContain('is empty');
  });
});
