import { createHash } from 'node:crypto';

export const MESSAGE_ID_DOMAIN = 'dipb.local';

/**
 * The Message-ID of a notification, derived from its identity alone: a retried or replayed send
 * carries the same Message-ID, so receiving MTAs and clients (and our tests) see one message.
 */
export function messageIdFor(identity: string, domain: string = MESSAGE_ID_DOMAIN): string {
  const hash = createHash('sha256').update(identity, 'utf8').digest('hex').slice(0, 32);
  return `<${hash}@${domain}>`;
}
