import { Global, Module } from '@nestjs/common';
import { PersistenceModule } from '@app/persistence';
import { LifecycleClient } from './lifecycle-client';
import { TemporalClientProvider } from './temporal-client.provider';
import { WebhookLoops } from './webhook-loops';

@Global()
@Module({
  imports: [PersistenceModule],
  providers: [TemporalClientProvider, LifecycleClient, WebhookLoops],
  exports: [TemporalClientProvider, LifecycleClient, WebhookLoops],
})
export class TemporalClientModule {}
