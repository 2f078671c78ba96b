// Worker health check for containers: healthy when this container's worker is polling its
// task queue, as the Temporal server sees it (a worker's default identity is pid@hostname).
import { hostname } from 'node:os';
import temporal from '@temporalio/client';

const { Connection } = temporal;
const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
const taskQueue = process.env.TEMPORAL_TASK_QUEUE ?? 'dipb-recommendations';
const apiKey = process.env.TEMPORAL_API_KEY;

try {
  const connection = await Connection.connect({
    address,
    ...(apiKey ? { apiKey, tls: true } : process.env.TEMPORAL_TLS === 'true' ? { tls: true } : {}),
    connectTimeout: 3000,
  });
  const { pollers } = await connection.workflowService.describeTaskQueue({
    namespace,
    taskQueue: { name: taskQueue },
    taskQueueType: 1, // workflow task queue
  });
  await connection.close();
  const mine = (pollers ?? []).some((p) => (p.identity ?? '').endsWith(`@${hostname()}`));
  if (!mine) console.error(`no poller from ${hostname()} on ${taskQueue}`);
  process.exit(mine ? 0 : 1);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
