// A target in its own process, so its event loop never shares time with the client's pacer.
// MODE=fast: 204 at once. MODE=delay: answer exactly DELAY_MS after the request arrived. MODE=stall: answer at once, except
// during the first STALL_MS of every PERIOD_MS, when answers wait for the stall to end.
import { createServer } from 'node:http';

const mode = process.env.MODE ?? 'fast';
const delayMs = Number(process.env.DELAY_MS ?? 0);
const stallMs = Number(process.env.STALL_MS ?? 0);
const periodMs = Number(process.env.PERIOD_MS ?? 1);
const t0 = performance.now();

const answer = (res) => {
  res.writeHead(204);
  res.end();
};

// Timers fire up to a millisecond or two late: sleep most of the delay, then spin to the exact instant.
const answerAt = (res, due) => {
  if (performance.now() >= due) answer(res);
  else setImmediate(answerAt, res, due);
};
const answerAfter = (res, ms) => setTimeout(answerAt, Math.max(0, ms - 3), res, performance.now() + ms);

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (mode === 'delay') {
      answerAfter(res, delayMs);
    } else if (mode === 'stall') {
      const into = (performance.now() - t0) % periodMs;
      if (into < stallMs) answerAfter(res, stallMs - into);
      else answer(res);
    } else {
      answer(res);
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('disconnect', () => process.exit(0));
