import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Builds dist/ when stale: the CLI tests run what `npm ci` installs.
    globalSetup: ['tests/helpers/build-dist.ts'],
  },
});
