/** The benchmark target's nginx configuration and its stub_status page, as pure functions. */

export const STATUS_PATH = '/__status';
export const HOOK_PATH = '/hook';

/**
 * nginx answering 204 to everything but the status page. One worker (the machine is small and the
 * client needs a core of its own), no access log, 2 MB bodies accepted and discarded. Keep-alive
 * connections are never closed by count: nginx's default (1000 requests) would make every contender
 * reconnect every 1000 requests, which measures connection setup, not sending.
 */
export function nginxConfig(o: { dir: string; port: number }): string {
  const d = o.dir;
  return `worker_processes 1;
daemon off;
pid ${d}/nginx.pid;
error_log ${d}/error.log warn;
events {
  worker_connections 4096;
}
http {
  access_log off;
  client_body_temp_path ${d}/client_body;
  proxy_temp_path ${d}/proxy;
  fastcgi_temp_path ${d}/fastcgi;
  uwsgi_temp_path ${d}/uwsgi;
  scgi_temp_path ${d}/scgi;
  client_max_body_size 2m;
  client_body_buffer_size 2m;
  keepalive_requests 100000000;
  keepalive_timeout 120s;
  server {
    listen 127.0.0.1:${o.port} backlog=4096;
    location = ${STATUS_PATH} {
      stub_status;
    }
    location / {
      return 204;
    }
  }
}
`;
}

/**
 * The total request count from a stub_status page:
 *
 *   Active connections: 1
 *   server accepts handled requests
 *    12 12 345
 *   Reading: 0 Writing: 1 Waiting: 0
 */
export function parseStubStatus(text: string): number {
  const m = /server accepts handled requests\s*\n\s*(\d+)\s+(\d+)\s+(\d+)/.exec(text);
  if (!m) throw new Error(`not a stub_status page: ${JSON.stringify(text.slice(0, 120))}`);
  return Number(m[3]);
}
