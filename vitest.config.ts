import { defineConfig } from 'vitest/config';

// Two projects: `unit` runs files in parallel; `timed` holds every test that measures
// time and runs its files one at a time, so no CPU-heavy test skews a latency figure.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/timed/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'timed',
          include: ['test/timed/**/*.test.ts'],
          fileParallelism: false,
          sequence: { concurrent: false },
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
