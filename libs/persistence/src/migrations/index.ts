import { CreateRecord1767225600000 } from './1767225600000-create-record';
import { RecommendationSearch1767225600001 } from './1767225600001-recommendation-search';
import { DirectoryChanges1767225600002 } from './1767225600002-directory-changes';
import { TextsByHash1767225600003 } from './1767225600003-texts-by-hash';
import { PreparedMessages1767225600004 } from './1767225600004-prepared-messages';
import { DirectoryContacts1767225600020 } from './1767225600020-directory-contacts';
import { ListByStageAndGroup1767225600021 } from './1767225600021-list-by-stage-and-group';
import { WorkingCalendar1767225600022 } from './1767225600022-working-calendar';
import { PriorityFirst1767225600023 } from './1767225600023-priority-first';
import { ChangeFeed1767225600024 } from './1767225600024-change-feed';
import { Webhooks1767225600025 } from './1767225600025-webhooks';

/** Every migration, in order. Listed by class (not a glob) so ts-jest, tsx and the swc build all find them. */
export const MIGRATIONS = [
  CreateRecord1767225600000,
  RecommendationSearch1767225600001,
  DirectoryChanges1767225600002,
  TextsByHash1767225600003,
  PreparedMessages1767225600004,
  DirectoryContacts1767225600020,
  ListByStageAndGroup1767225600021,
  WorkingCalendar1767225600022,
  PriorityFirst1767225600023,
  ChangeFeed1767225600024,
  Webhooks1767225600025,
];
