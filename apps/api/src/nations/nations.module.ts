import { PersistenceModule } from '@app/persistence';
import { Module } from '@nestjs/common';
import { NationsController } from './nations.controller';

@Module({
  imports: [PersistenceModule],
  controllers: [NationsController],
})
export class NationsModule {}
