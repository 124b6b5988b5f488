import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'connectors/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // PGlite instances are memory hungry; two workers match the machine's two cores.
    maxWorkers: 2,
    // Files share a worker's loaded modules (PGlite's WASM, fastify, bullmq): about 2 s less per file.
    isolate: false,
    // One migrated store for the run; fresh test stores start from copies of it.
    globalSetup: ['test/helpers/store-template.setup.ts'],
  },
});
