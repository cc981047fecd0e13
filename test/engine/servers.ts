import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Delivery } from '../../src/engine/delivery.js';
import { TEST_CERT, TEST_KEY } from './tls-fixture.js';

export interface TestServer {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

/** A loopback node:http (or https) server on an ephemeral port; the handler gets the whole request body. */
export async function startServer(
  handler: Handler,
  opts: { tls?: boolean; host?: string } = {},
): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks)));
  };
  const server: Server = opts.tls
    ? (createHttpsServer({ key: TEST_KEY, cert: TEST_CERT }, onRequest) as unknown as Server)
    : createServer(onRequest);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((r) => server.listen(0, host, r));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `${opts.tls ? 'https' : 'http'}://${host}:${port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

export function delivery(url: string, extra: Partial<Delivery> = {}): Delivery {
  return {
    method: 'POST',
    url,
    headers: [['Content-Type', 'application/json']],
    body: Buffer.from('{"id":"evt_1"}'),
    class: 'test',
    eventId: 'evt_1',
    attempt: 1,
    intendedAt: performance.now(),
    ...extra,
  };
}
