import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A new signing secret, as Standard Webhooks writes it: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * The `webhook-signature` header of a delivery, per Standard Webhooks: one `v1,<signature>` per secret
 * that signs now, space-separated (two during a rotation's overlap; a receiver accepts either). The
 * signing is the `standardwebhooks` package's own.
 */
export function webhookSignature(secrets: readonly string[], id: string, at: Date, body: string): string {
  if (secrets.length === 0) throw new Error('a delivery needs at least one secret');
  return secrets.map((secret) => new Webhook(secret).sign(id, at, body)).join(' ');
}

/** The three Standard Webhooks headers of a delivery. */
export function webhookHeaders(
  secrets: readonly string[],
  id: string,
  at: Date,
  body: string,
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': webhookSignature(secrets, id, at, body),
  };
}
