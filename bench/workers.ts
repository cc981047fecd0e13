/** The parent's side of bench/worker.ts: start a contender process, run it, stop it. */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { PhaseResult } from '../src/metrics/types.js';
import type { ContenderReport } from './contenders/types.js';
import type { FromWorker, ToWorker, WorkerName } from './worker.js';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

export class WorkerHandle {
  private constructor(
    readonly name: WorkerName,
    private readonly child: ChildProcess,
  ) {}

  static async start(name: WorkerName, url: string): Promise<WorkerHandle> {
    const child = fork(WORKER, [name, url], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const h = new WorkerHandle(name, child);
    await h.next('ready');
    return h;
  }

  async run(seconds: number, connections: number): Promise<{ report: ContenderReport; cpuMs: number }> {
    this.post({ type: 'run', seconds, connections });
    const m = await this.next('done');
    return { report: m.report, cpuMs: m.cpuMs };
  }

  async open(
    seconds: number,
    warmupSeconds: number,
    rate: number,
  ): Promise<{ warmup: PhaseResult; measured: PhaseResult }> {
    this.post({ type: 'open', seconds, warmupSeconds, rate });
    const m = await this.next('open-done');
    return { warmup: m.warmup, measured: m.measured };
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return resolve();
      const force = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      this.child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      if (this.child.connected) this.post({ type: 'exit' });
      else this.child.kill('SIGTERM');
    });
  }

  private post(m: ToWorker): void {
    this.child.send(m);
  }

  private next<T extends FromWorker['type']>(type: T): Promise<Extract<FromWorker, { type: T }>> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: FromWorker): void => {
        cleanup();
        if (m.type === type) resolve(m as Extract<FromWorker, { type: T }>);
        else if (m.type === 'error') reject(new Error(`${this.name}: ${m.message}`));
        else reject(new Error(`${this.name}: expected ${type}, got ${m.type}`));
      };
      const onExit = (code: number | null): void => {
        cleanup();
        reject(new Error(`${this.name} worker exited (${code}) while the bench waited for ${type}`));
      };
      const cleanup = (): void => {
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.on('exit', onExit);
    });
  }
}
