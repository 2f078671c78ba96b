import { PersistenceModule } from '@app/persistence';
import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller';

@Module({
  imports: [PersistenceModule],
  controllers: [ReportsController],
})
export class ReportsModule {}
