import { CloudEvent, HTTP } from 'cloudevents';
import { cloudEventType, webhookId, type RecordedEvent } from '@app/domain';

/** A feed event as a webhook carries it: the event, and its place in the feed. */
export interface WebhookEventData extends RecordedEvent {
  position: string;
}

/**
 * The body of a delivery: a CloudEvents 1.0 event in structured mode (`application/cloudevents+json`),
 * made and checked by the CloudEvents SDK. Its `id` is the `webhook-id`; its `data` is the change feed's
 * event, exactly as `GET /api/v1/events` gives it.
 */
export function webhookEnvelope(event: WebhookEventData): { id: string; contentType: string; body: string } {
  const id = webhookId(event);
  const message = HTTP.structured(
    new CloudEvent<WebhookEventData>({
      specversion: '1.0',
      id,
      source: `/api/v1/recommendations/${event.reference}`,
      type: cloudEventType(event.type),
      subject: event.reference,
      time: event.at,
      datacontenttype: 'application/json',
      data: event,
    }),
  );
  const contentType = String(message.headers['content-type'] ?? 'application/cloudevents+json; charset=utf-8');
  return { id, contentType, body: String(message.body) };
}
