import { CloudEvent, HTTP } from 'cloudevents';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { RecordedEvent } from '@app/domain';
import { webhookEnvelope, type WebhookEventData } from './envelope';
import { newWebhookSecret, webhookHeaders, webhookSignature } from './signing';

const MINUTE = 60_000;

/** A delivery's body and headers, as the worker sends them, signed now (or `ago` ms ago). */
const delivery = (secrets: string[], ago = 0) => {
  const body = JSON.stringify({ hello: 'receiver', seq: 12 });
  const id = 'DIPB-2026-0014.12';
  return { body, id, headers: webhookHeaders(secrets, id, new Date(Date.now() - ago), body) };
};

describe('newWebhookSecret', () => {
  it('is "whsec_" and 32 random bytes in base64', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    expect(key).toHaveLength(32);
    expect(key.toString('base64')).toBe(secret.slice('whsec_'.length));
    expect(newWebhookSecret()).not.toBe(secret);
  });
});

describe('webhookHeaders', () => {
  it('gives the id, the timestamp in whole seconds and one v1 signature per secret', () => {
    const secret = newWebhookSecret();
    const at = new Date('2026-11-30T10:15:42.987Z');
    const headers = webhookHeaders([secret], 'DIPB-2026-0014.12', at, '{}');
    expect(Object.keys(headers).sort()).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp']);
    expect(headers['webhook-id']).toBe('DIPB-2026-0014.12');
    expect(headers['webhook-timestamp']).toBe(String(Date.parse('2026-11-30T10:15:42Z') / 1000));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(headers['webhook-signature']).toBe(webhookSignature([secret], 'DIPB-2026-0014.12', at, '{}'));
  });

  it('needs at least one secret', () => {
    expect(() => webhookSignature([], 'DIPB-2026-0014.12', new Date(), '{}')).toThrow(
      'a delivery needs at least one secret',
    );
  });

  it("is verified by the standardwebhooks package's own verifier with the secret", () => {
    const secret = newWebhookSecret();
    const { body, headers } = delivery([secret]);
    expect(new Webhook(secret).verify(body, headers)).toEqual({ hello: 'receiver', seq: 12 });
    // Not with another secret.
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow(WebhookVerificationError);
  });

  it('during a rotation, carries two v1 signatures, each verifying with its secret alone', () => {
    const [old, current] = [newWebhookSecret(), newWebhookSecret()];
    const { body, headers } = delivery([current, old]);
    const signatures = headers['webhook-signature'].split(' ');
    expect(signatures).toHaveLength(2);
    for (const s of signatures) expect(s).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(signatures[0]).not.toBe(signatures[1]);
    expect(new Webhook(old).verify(body, headers)).toEqual({ hello: 'receiver', seq: 12 });
    expect(new Webhook(current).verify(body, headers)).toEqual({ hello: 'receiver', seq: 12 });
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow(WebhookVerificationError);
  });

  it('does not verify with a tampered body, another id, or a timestamp more than 5 minutes old', () => {
    const secret = newWebhookSecret();
    const hook = new Webhook(secret);
    const { body, headers } = delivery([secret]);
    expect(() => hook.verify(body, headers)).not.toThrow();
    expect(() => hook.verify(body.replace('12', '13'), headers)).toThrow('No matching signature found');
    expect(() => hook.verify(body, { ...headers, 'webhook-id': 'DIPB-2026-0014.13' })).toThrow(
      'No matching signature found',
    );
    // A replayed delivery with its timestamp moved: its signature no longer matches.
    expect(() =>
      hook.verify(body, { ...headers, 'webhook-timestamp': String(Number(headers['webhook-timestamp']) - 1) }),
    ).toThrow('No matching signature found');
    const stale = delivery([secret], 6 * MINUTE);
    expect(() => hook.verify(stale.body, stale.headers)).toThrow('Message timestamp too old');
    const recent = delivery([secret], 4 * MINUTE);
    expect(() => hook.verify(recent.body, recent.headers)).not.toThrow();
  });
});

describe('webhookEnvelope', () => {
  const event: WebhookEventData = {
    type: 'consensus-position',
    at: '2026-11-30T10:15:42.123Z',
    actor: { id: 'u-1842', name: 'Claire Martin', role: 'senior-rep', nation: 'FRA' },
    revision: 3,
    data: { nation: 'FRA', position: 'concur', comment: 'Agreed — « sous réserve »' },
    commandId: 'c-7a1f',
    seq: 12,
    reference: 'DIPB-2026-0014',
    position: 'MTIzNDo1Ng',
  } satisfies RecordedEvent & { position: string };

  it('is a CloudEvents 1.0 event in structured mode that the CloudEvents SDK reads back', () => {
    const envelope = webhookEnvelope(event);
    expect(envelope.id).toBe('DIPB-2026-0014.12');
    expect(envelope.contentType).toMatch(/^application\/cloudevents\+json(;|$)/);
    const parsed = HTTP.toEvent({ headers: { 'content-type': envelope.contentType }, body: envelope.body });
    expect(Array.isArray(parsed)).toBe(false);
    const ce = parsed as CloudEvent<WebhookEventData>;
    expect(ce.validate()).toBe(true);
    expect(ce.specversion).toBe('1.0');
    expect(ce.id).toBe(`${event.reference}.${event.seq}`);
    expect(ce.type).toBe('int.nato.dipb.consensus-position');
    expect(ce.source).toBe('/api/v1/recommendations/DIPB-2026-0014');
    expect(ce.subject).toBe('DIPB-2026-0014');
    expect(ce.time).toBe('2026-11-30T10:15:42.123Z');
    expect(ce.datacontenttype).toBe('application/json');
    expect(ce.data).toEqual(event);
  });

  it('is the same body on every attempt, so a signed delivery verifies as the receiver gets it', () => {
    const envelope = webhookEnvelope(event);
    expect(webhookEnvelope({ ...event }).body).toBe(envelope.body);
    const secret = newWebhookSecret();
    const headers = webhookHeaders([secret], envelope.id, new Date(), envelope.body);
    const verified = new Webhook(secret).verify(envelope.body, headers) as Record<string, unknown>;
    expect(verified).toMatchObject({ specversion: '1.0', id: 'DIPB-2026-0014.12', data: event });
  });
});
