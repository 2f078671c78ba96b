/**
 * The V8 heap the worker runs with. Without a limit V8 sizes the heap from the machine's memory
 * and lets garbage pile up to it: on a 24 GiB machine the worker's RSS grew past 600 MiB with
 * 1,000 recommendations open, mostly uncollected garbage. With 256 MiB it stayed under 400 MiB
 * (docs/benchmarks.md). Every launcher passes these arguments: `npm run start:worker`,
 * `npm run up`, the tests and the benchmark (libs/testing), the worker's Dockerfile.
 */
export const WORKER_HEAP_MIB = 256;

export const WORKER_NODE_ARGS: readonly string[] = [`--max-old-space-size=${WORKER_HEAP_MIB}`];
