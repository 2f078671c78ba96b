import { DirectoryChangeEntity } from './directory-change.entity';
import { EventEntity } from './event.entity';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { NationEntity } from './nation.entity';
import { NationalResponseEntity } from './national-response.entity';
import { NotificationEntity } from './notification.entity';
import { PositionEntity } from './position.entity';
import { ProgressReportEntity } from './progress-report.entity';
import { RecommendationEntity } from './recommendation.entity';
import { ReferenceCounterEntity } from './reference-counter.entity';
import { RevisionEntity } from './revision.entity';
import { TextEntity } from './text.entity';

export * from './directory-change.entity';
export * from './event.entity';
export * from './idempotency-key.entity';
export * from './nation.entity';
export * from './national-response.entity';
export * from './notification.entity';
export * from './position.entity';
export * from './progress-report.entity';
export * from './recommendation.entity';
export * from './reference-counter.entity';
export * from './revision.entity';
export * from './text.entity';

export const ENTITIES = [
  RecommendationEntity,
  EventEntity,
  RevisionEntity,
  TextEntity,
  PositionEntity,
  NationalResponseEntity,
  ProgressReportEntity,
  NationEntity,
  DirectoryChangeEntity,
  NotificationEntity,
  IdempotencyKeyEntity,
  ReferenceCounterEntity,
];
