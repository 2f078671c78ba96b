/**
 * The benchmark's floor: a worker process (like the real one) running only `benchNoop`, whose update
 * handler returns at once. `tsx scripts/bench/noop-worker.ts`; stops on SIGTERM.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { join } from 'node:path';

export const NOOP_TASK_QUEUE = 'dipb-bench-noop';

async function main(): Promise<void> {
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
  const worker = await Worker.create({
    connection,
    taskQueue: NOOP_TASK_QUEUE,
    workflowsPath: join(__dirname, 'noop.workflow.ts'),
  });
  process.once('SIGTERM', () => worker.shutdown());
  process.stdout.write('noop worker polling\n');
  await worker.run();
  await connection.close();
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  });
}
