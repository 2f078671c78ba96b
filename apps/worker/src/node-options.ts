/**
 * The V8 heap the worker runs with. Without a limit V8 sizes the heap from the machine's memory
 * and lets garbage pile up to it: on a 24 GiB machine the worker's RSS grew past 600 MiB with
 * 1,000 recommendations open, mostly uncollected garbage. With 256 MiB it stayed under 400 MiB
 * (docs/benchmarks.md). Every launcher passes these arguments: `npm run start:worker`,
 * `npm run up`, the tests and the benchmark (libs/testing), the worker's Dockerfile.
 */
export const WORKER_HEAP_MIB = 256;

/**
 * The young generation's semi-spaces, in MiB. Node 24's V8 sizes them from the machine's memory: on
 * 24 GiB the worker (two isolates: its main thread and the workflow thread) held 671 MiB with 1,000
 * recommendations open, against 424 MiB on Node 20. With 8 MiB: 444 MiB, raising the 1,000 7 % slower
 * (docs/benchmarks.md).
 */
export const WORKER_SEMI_SPACE_MIB = 8;

export const WORKER_NODE_ARGS: readonly string[] = [
  `--max-old-space-size=${WORKER_HEAP_MIB}`,
  `--max-semi-space-size=${WORKER_SEMI_SPACE_MIB}`,
];
