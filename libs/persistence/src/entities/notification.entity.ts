import type { Language, NotificationKind, Recipient } from '@app/domain';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed', 'skipped', 'dropped'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** The mail outbox: one row per notification identity, so a retried send is the same message. */
@Entity({ name: 'notifications' })
export class NotificationEntity {
  @PrimaryColumn({ type: 'text' })
  identity!: string;

  @Column({ type: 'text' })
  reference!: string;

  @Column({ type: 'text' })
  kind!: NotificationKind;

  @Column({ type: 'jsonb' })
  recipient!: Recipient;

  @Column({ type: 'text', nullable: true })
  address!: string | null;

  @Column({ type: 'text', nullable: true })
  language!: Language | null;

  @Column({ type: 'text' })
  status!: NotificationStatus;

  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId!: string | null;

  @Column({ type: 'int' })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
