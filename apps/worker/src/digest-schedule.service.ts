import { Inject, Injectable, Logger } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { DIGEST_SCHEDULE_ID } from '@app/temporal';
import { ensureDigestSchedule, temporalConnectionOptions } from '@app/temporal/client';

/**
 * Creates the weekly digest's Temporal Schedule when the worker starts (before it polls), unless it
 * exists: a paused or edited schedule is left alone. Temporal, not this process, then starts the
 * digest every Monday.
 */
@Injectable()
export class DigestScheduleService {
  private readonly logger = new Logger(DigestScheduleService.name);

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async ensure(): Promise<void> {
    const connection = await Connection.connect(temporalConnectionOptions(this.config));
    try {
      const client = new Client({ connection, namespace: this.config.TEMPORAL_NAMESPACE });
      const outcome = await ensureDigestSchedule(client, this.config.TEMPORAL_TASK_QUEUE);
      this.logger.log(
        `schedule ${DIGEST_SCHEDULE_ID} ${outcome === 'created' ? 'created' : 'already exists, left as it is'}`,
      );
    } catch (err) {
      // The recommendations do not depend on the digest: the worker runs on, and says so loudly.
      this.logger.error(
        { err },
        `could not create the schedule ${DIGEST_SCHEDULE_ID}; the weekly digest will not be sent until it exists`,
      );
    } finally {
      await connection.close();
    }
  }
}
