import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../errors.js';
import { isLoopbackHost } from '../receiver/allowlist.js';
import { DEMO_SECRETS } from '../receiver/demo-secrets.js';
import { CONTROL_PREFIX, startReceiver } from '../receiver/server.js';
import { PRESET_NAMES, providerFromPreset } from '../scenario/presets.js';
import type { PresetName } from '../scenario/types.js';

export interface ServeArgs {
  preset: PresetName;
  secret?: string;
  'secret-env'?: string;
  'previous-secret'?: string;
  port: number;
  host: string;
  allow?: string[];
}

export interface ServeIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Stops the receiver when aborted; the command wires it to SIGINT and SIGTERM. */
  signal: AbortSignal;
}

/** The secret and where it came from; the value itself is never printed. */
function resolveSecret(args: ServeArgs): { secret: string; source: string } {
  if (args.secret !== undefined && args['secret-env'] !== undefined) {
    throw new UserError('--secret and --secret-env are both given', 'pass only one of them');
  }
  if (args['secret-env'] !== undefined) {
    const name = args['secret-env'];
    const value = process.env[name];
    if (!value) throw new UserError(`environment variable ${name} is not set or empty`, `export ${name}=...`);
    return { secret: value, source: `from $${name}` };
  }
  if (args.secret !== undefined) {
    if (args.secret === '')
      throw new UserError('--secret is empty', 'pass the signing secret your sender uses');
    return { secret: args.secret, source: 'from --secret' };
  }
  return {
    secret: DEMO_SECRETS[args.preset],
    source: `the ${args.preset} demo secret (pass --secret to use yours)`,
  };
}

function parsePort(port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UserError(`--port ${port} is not a port number`, 'use 0 to 65535 (0: any free port)');
  }
  return port;
}

/** Runs the reference receiver in this process until the signal aborts. */
export async function serve(args: ServeArgs, io: ServeIo): Promise<void> {
  const { secret, source } = resolveSecret(args);
  const provider = providerFromPreset(args.preset, secret, args['previous-secret'] || null);
  const allowlist = args.allow?.flatMap((a) => a.split(',')).filter((a) => a.trim() !== '');
  if (!isLoopbackHost(args.host)) {
    io.err(
      `warning: listening on ${args.host}, not loopback: anyone who can reach this machine can send to it, ` +
        'over plain http. Use --allow to restrict source addresses.',
    );
  }
  const receiver = await startReceiver({
    provider,
    host: args.host,
    port: parsePort(args.port),
    ...(allowlist && allowlist.length > 0 ? { allowlist } : {}),
  });
  io.out(`wh-bench reference receiver, preset ${args.preset}`);
  io.out(`  webhook  ${receiver.url}  (any path accepts deliveries)`);
  io.out(`  effects  ${receiver.origin}${CONTROL_PREFIX}effects/<event id>`);
  io.out(`  health   ${receiver.origin}${CONTROL_PREFIX}health`);
  io.out(`  secret   ${source}${provider.previousSecret ? ', plus a previous secret' : ''}`);
  if (allowlist && allowlist.length > 0) io.out(`  allow    ${allowlist.join(', ')}`);
  io.out('Ctrl+C to stop.');
  if (!io.signal.aborted) {
    await new Promise<void>((resolve) =>
      io.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
  }
  await receiver.close();
  const s = receiver.stats();
  io.out(
    `stopped: ${s.requests} deliveries, ${s.accepted} accepted (${s.duplicates} duplicates), ${s.rejected} refused`,
  );
}

/** `wh-bench serve`: the reference receiver, loopback by default. */
export const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'run the reference receiver (every best practice; loopback by default)',
  builder: (y) =>
    (y as Argv)
      .option('preset', { choices: PRESET_NAMES, default: 'stripe', describe: 'provider to receive as' })
      .option('secret', { type: 'string', describe: "signing secret (default: the preset's demo secret)" })
      .option('secret-env', {
        type: 'string',
        describe: 'read the signing secret from this environment variable',
      })
      .option('previous-secret', { type: 'string', describe: 'a rotated-out secret that is still accepted' })
      .option('port', { type: 'number', default: 8787, describe: 'port to listen on (0: any free port)' })
      .option('host', {
        type: 'string',
        default: '127.0.0.1',
        describe: 'address to bind (warns unless loopback)',
      })
      .option('allow', {
        type: 'string',
        array: true,
        describe: 'source IPs or CIDR ranges allowed to deliver (others get 403)',
      }) as unknown as Argv<ServeArgs>,
  handler: async (argv) => {
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      await serve(argv, {
        out: (line) => process.stdout.write(`${line}\n`),
        err: (line) => process.stderr.write(`${line}\n`),
        signal: controller.signal,
      });
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  },
};
