import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests, and integration tests that start real servers and peers
// (Kamailio, sipp, baresip) on free ports; those run one file at a time to keep ports and CPU calm.
// The global setup fails the run when a test leaves one of those processes running.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{shared,electron,server,renderer,bench}/**/*.test.{ts,tsx}'],
          exclude: ['**/*.int.test.ts', 'node_modules/**'],
          environment: 'node',
          globalSetup: ['./vitest.global-setup.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['{shared,electron,server,bench}/**/*.int.test.ts'],
          environment: 'node',
          globalSetup: ['./vitest.global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
