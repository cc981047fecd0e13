import { connect } from 'node:net';
import { request } from 'undici';
import type { Header } from '../../../src/signing/types.js';

export interface Answer {
  status: number;
  body: string;
}

/**
 * POST over loopback with the headers in order, duplicates kept as separate lines (undici's flat
 * array form). `raw` writes hand-made HTTP/1.1 over node:net, UTF-8 encoded, for shapes undici refuses.
 */
export async function send(
  url: string,
  headers: readonly Header[],
  body: Uint8Array,
  raw = false,
): Promise<Answer> {
  if (raw) return sendRaw(url, headers, body);
  const res = await request(url, { method: 'POST', headers: headers.flat(), body });
  return { status: res.statusCode, body: await res.body.text() };
}

function sendRaw(url: string, headers: readonly Header[], body: Uint8Array): Promise<Answer> {
  const u = new URL(url);
  const head =
    `POST ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\n` +
    headers.map(([k, v]) => `${k}: ${v}\r\n`).join('') +
    `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
  return new Promise((resolve, reject) => {
    // No half-close after the body: node:http drops a pending answer when the client sends FIN
    // (an async verifier then never answers). `Connection: close` makes the server close instead.
    const socket = connect(Number(u.port), u.hostname, () => {
      socket.write(Buffer.concat([Buffer.from(head, 'utf8'), body]));
    });
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error('raw request timed out')));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1]);
      if (!status)
        return reject(new Error(`no HTTP status in raw answer: ${JSON.stringify(text.slice(0, 80))}`));
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
  });
}
