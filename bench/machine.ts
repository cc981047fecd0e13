/** What the figures were measured on: the machine and every tool's version. */
import { createRequire } from 'node:module';
import { cpus, loadavg, totalmem } from 'node:os';
import { wrkVersion } from './contenders/wrk.js';
import { nginxVersion } from './target.js';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  undici: string;
  autocannon: string;
  nginx: string | null;
  wrk: string | null;
}

const require = createRequire(import.meta.url);

function packageVersion(name: string): string {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function describeMachine(): Machine {
  const c = cpus();
  return {
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    undici: packageVersion('undici'),
    autocannon: packageVersion('autocannon'),
    nginx: nginxVersion(),
    wrk: wrkVersion(),
  };
}

/** 1, 5 and 15-minute load averages, two decimals. */
export function loadAverage(): [number, number, number] {
  const [a, b, c] = loadavg();
  const r = (x: number | undefined): number => Math.round((x ?? 0) * 100) / 100;
  return [r(a), r(b), r(c)];
}
