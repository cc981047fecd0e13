import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { CheckResult } from '../../../src/checks/types.js';
import { type RunOptions, run } from '../../../src/run/run.js';
import { loadScenario } from '../../../src/scenario/load.js';
import type { Scenario } from '../../../src/scenario/types.js';
import { ZOO_DIR } from '../../fixtures/zoo/run-zoo.js';

/** A zoo scenario by file name, without its probe: these tests judge answers only. */
export async function zooScenario(file: string): Promise<Scenario> {
  const scenario = await loadScenario(join(ZOO_DIR, 'scenarios', file), {
    env: { ZOO_PROBE: 'http://127.0.0.1:9/effects/{{event.id}}' },
  });
  return { ...scenario, probe: null };
}

export interface Running {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** A loopback server (http, or https with TLS options) running `handler` for every request. */
export async function listen(handler: RequestListener, tls?: ServerOptions): Promise<Running> {
  const server = tls ? createHttpsServer(tls, handler) : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}/webhook`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Reads the whole body, then answers. */
export function drained(
  answer: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void,
): RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => answer(req, res, Buffer.concat(chunks)));
  };
}

export async function checksOf(
  o: Omit<RunOptions, 'timeScale'> & { timeScale?: number },
): Promise<Map<string, CheckResult>> {
  const { result } = await run({ conformanceOnly: true, timeScale: 0.01, seed: 7, ...o });
  return new Map(result.checks.map((c) => [c.id, c]));
}
