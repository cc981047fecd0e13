import { readFile } from 'node:fs/promises';
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../errors.js';
import { formatProblem } from '../scenario/errors.js';
import { validateScenarioFile } from '../scenario/validate.js';

/** The secret flags, shared by run, validate and send. */
export interface SecretArgs {
  secret?: string;
  'secret-env'?: string;
  'secret-file'?: string;
}

export interface ValidateArgs extends SecretArgs {
  scenario: string;
}

/** Adds --secret, --secret-env and --secret-file to a command. */
export function secretOptions<T>(y: Argv<T>): Argv<T & SecretArgs> {
  return y
    .option('secret', {
      type: 'string',
      describe:
        'signing secret, replacing provider.secret (visible in ps: prefer --secret-env or --secret-file)',
    })
    .option('secret-env', {
      type: 'string',
      describe: 'name of an environment variable holding the signing secret',
    })
    .option('secret-file', {
      type: 'string',
      describe: 'file holding the signing secret (one trailing newline is ignored)',
    }) as Argv<T & SecretArgs>;
}

/**
 * The secret the command line gives, or undefined when it gives none. At most one of the three flags;
 * the secret itself never appears in an error.
 */
export async function resolveSecretOption(
  argv: SecretArgs,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<string | undefined> {
  const given = (['secret', 'secret-env', 'secret-file'] as const).filter((k) => argv[k] !== undefined);
  if (given.length > 1) {
    throw new UserError(
      `${given.map((k) => `--${k}`).join(' and ')} both give the secret`,
      'use one of --secret, --secret-env NAME, --secret-file PATH',
    );
  }
  if (argv.secret !== undefined) {
    if (argv.secret === '')
      throw new UserError('--secret is empty', 'pass the signing secret, or leave the flag out');
    return argv.secret;
  }
  const name = argv['secret-env'];
  if (name !== undefined) {
    const value = env[name];
    if (value === undefined)
      throw new UserError(`--secret-env: ${name} is not set`, `export ${name}=... first`);
    if (value === '')
      throw new UserError(`--secret-env: ${name} is empty`, `export ${name}=... with the signing secret`);
    return value;
  }
  const file = argv['secret-file'];
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable');
      throw new UserError(`--secret-file ${file}: ${why}`, 'point it at a file holding the secret');
    }
    // Editors and `echo` add one final newline; anything else is part of the secret.
    const value = text.replace(/\r?\n$/, '');
    if (value === '')
      throw new UserError(`--secret-file ${file} is empty`, 'write the signing secret into it');
    return value;
  }
  return undefined;
}

/** The validate command's work, returning the exit code; output goes to the given streams. */
export async function validateCli(
  argv: ValidateArgs,
  out: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  const secretOverride = await resolveSecretOption(argv, env);
  const { scenario, problems } = await validateScenarioFile(argv.scenario, { env, secretOverride });
  if (!scenario || problems.length > 0) {
    out.stderr.write(`${problems.map(formatProblem).join('\n')}\n`);
    const n = problems.length;
    out.stderr.write(`${argv.scenario}: ${n} problem${n === 1 ? '' : 's'}\n`);
    return 2;
  }
  const e = scenario.events.length;
  const p = scenario.load.length;
  out.stdout.write(
    `${argv.scenario}: valid (${e} event${e === 1 ? '' : 's'}, ${p} phase${p === 1 ? '' : 's'}, preset ${scenario.provider.preset})\n`,
  );
  return 0;
}

export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate <scenario>',
  describe: 'check a scenario (schema, units, environment, fixtures, templates); sends nothing',
  builder: (y) =>
    secretOptions(y as Argv).positional('scenario', {
      type: 'string',
      demandOption: true,
      describe: 'scenario YAML file',
    }) as Argv<ValidateArgs>,
  handler: async (argv) => {
    process.exitCode = await validateCli(argv);
  },
};
