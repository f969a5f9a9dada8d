import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // plugins/ is where users keep their own plugins (see the README's plugin guide).
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'examples/**/*.test.ts', 'plugins/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Tests open real loopback servers and spawn ffmpeg; two cores, so keep the pool small.
    pool: 'forks',
    maxWorkers: 2,
  },
});
