import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // src/keys/curves.ts loads the curves with a synchronous require() that only the bundle has.
    alias: [{ find: /^\.\/curves$/, replacement: fileURLToPath(new URL('./test/support/curves-eager.ts', import.meta.url)) }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Most of the time goes to the clients' CLIs in child processes, which wait on each other over
    // loopback: three files at a time keep two cores busy (vitest's default is one less than the cores).
    maxWorkers: 3,
  },
});
