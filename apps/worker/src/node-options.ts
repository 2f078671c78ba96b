/**
 * The V8 heap the worker runs with: without a limit V8 sizes it from the machine's memory and lets
 * garbage pile up to it (figures in docs/benchmarks.md). Every launcher passes these arguments:
 * `npm run start:worker`, `npm run up`, the tests and the benchmark, the worker's Dockerfile.
 */
export const WORKER_HEAP_MIB = 256;

/** The young generation's semi-spaces, in MiB: Node 24's V8 also sizes them from the machine's memory. */
export const WORKER_SEMI_SPACE_MIB = 8;

export const WORKER_NODE_ARGS: readonly string[] = [
  `--max-old-space-size=${WORKER_HEAP_MIB}`,
  `--max-semi-space-size=${WORKER_SEMI_SPACE_MIB}`,
];
