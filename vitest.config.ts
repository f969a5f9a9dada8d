import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // plugins/ and integrations/ are where users keep their own (see the README's guides).
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'examples/**/*.test.ts', 'plugins/**/*.test.ts', 'integrations/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests open real loopback servers and spawn ffmpeg; two cores, so keep the pool small.
    pool: 'forks',
    maxWorkers: 2,
  },
});
