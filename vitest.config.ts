import { defineConfig } from 'vitest/config';

// Three kinds of test: fast pure unit tests, tests against real third-party programs
// (libwbxml, the Horde ActiveSync server), and end-to-end tests of the built extension in
// Debian's Chromium. The last two need `node build.mjs` first; `npm test` does that.
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: ['test/e2e/**', 'test/integration/**', 'test/build/**'],
          // A budget, not a speed check: the 10 MB decodes take seconds on a loaded 2-core machine.
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/build/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          exclude: ['test/e2e/**/*.slow.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        // Files that mostly wait (for a real server's own clock: a session ending after a whole
        // minute of idleness, twice; for a retry pause; for Firefox's protocol timeout): a project of their own that scripts/test.mjs runs in a
        // second vitest process beside the others, so that their minutes of waiting overlap work.
        extends: true,
        test: {
          name: 'e2e-slow',
          include: ['test/e2e/**/*.slow.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
