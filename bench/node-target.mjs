// The fallback target when nginx is absent: node:http answering 204, in its own process, counting
// the requests it answered; GET /__status prints the count in stub_status's shape.
import { createServer } from 'node:http';

let requests = 0;
const server = createServer((req, res) => {
  requests++;
  if (req.url === '/__status') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`Active connections: 0\nserver accepts handled requests\n 0 0 ${requests}\n`);
    return;
  }
  req.resume();
  req.on('end', () => {
    res.writeHead(204);
    res.end();
  });
});
server.keepAliveTimeout = 120_000;
server.maxRequestsPerSocket = 0;
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('disconnect', () => process.exit(0));
