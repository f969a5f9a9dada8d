import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Tests open real loopback servers and spawn ffmpeg; two cores, so keep the pool small.
    pool: 'forks',
    maxWorkers: 2,
  },
});
