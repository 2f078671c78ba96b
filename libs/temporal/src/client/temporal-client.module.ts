import { Global, Module } from '@nestjs/common';
import { PersistenceModule } from '@app/persistence';
import { LifecycleClient } from './lifecycle-client';
import { TemporalClientProvider } from './temporal-client.provider';

@Global()
@Module({
  imports: [PersistenceModule],
  providers: [TemporalClientProvider, LifecycleClient],
  exports: [TemporalClientProvider, LifecycleClient],
})
export class TemporalClientModule {}
