import type { OpenAPIObject, PathItemObject } from '@nestjs/swagger';
import { EVENT_TYPES } from '@app/domain';
import { instant, REFERENCE_EXAMPLE } from './schemas';

/*
 * The webhooks section of the document (OpenAPI 3.1): what the service sends to a subscriber, as
 * the receiver's operation. No controller serves it, so it is written here, in 3.1 as it stands.
 */

const schemaRef = (name: string): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });

/** A webhook's id is its event's: `{reference}.{seq}`, the same on every attempt. */
const ID_EXAMPLE = `${REFERENCE_EXAMPLE}.7`;
const TIME_EXAMPLE = instant().example as string;
/** The CloudEvent `type` of a feed event's type (reverse DNS, under the service's name). */
const CLOUDEVENT_TYPE_PREFIX = 'int.nato.dipb.';

/** A CloudEvents 1.0 event, structured mode: the change feed's event in `data`, its attributes beside. */
const WEBHOOK_EVENT = {
  type: 'object',
  description:
    'A CloudEvents 1.0 event in structured mode (JSON event format, https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/formats/json-format.md): the context attributes, and the change feed’s event as `data`',
  properties: {
    specversion: { type: 'string', const: '1.0', description: 'The CloudEvents version' },
    id: {
      type: 'string',
      description:
        'The event’s identity, `{reference}.{seq}`: the same as the `webhook-id` header, on every attempt and every redelivery',
      example: ID_EXAMPLE,
    },
    source: {
      type: 'string',
      format: 'uri-reference',
      description:
        'The recommendation the event belongs to, as its path in this API: `/api/v1/recommendations/{reference}`',
      example: `/api/v1/recommendations/${REFERENCE_EXAMPLE}`,
    },
    type: {
      type: 'string',
      enum: EVENT_TYPES.map((t) => `${CLOUDEVENT_TYPE_PREFIX}${t}`),
      description: '`int.nato.dipb.` and the event’s type (`data.type`)',
      example: `${CLOUDEVENT_TYPE_PREFIX}national-response`,
    },
    subject: { type: 'string', description: 'The recommendation’s reference', example: REFERENCE_EXAMPLE },
    time: {
      type: 'string',
      format: 'date-time',
      description: 'When the event was recorded (`data.at`)',
      example: TIME_EXAMPLE,
    },
    datacontenttype: { type: 'string', const: 'application/json', description: 'What `data` is' },
    data: { ...schemaRef('FeedEventDto'), description: 'The event as the change feed has it, with its `position`' },
  },
  required: ['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'data'],
};

const EVENT_EXAMPLE = {
  specversion: '1.0',
  id: ID_EXAMPLE,
  source: `/api/v1/recommendations/${REFERENCE_EXAMPLE}`,
  type: `${CLOUDEVENT_TYPE_PREFIX}national-response`,
  subject: REFERENCE_EXAMPLE,
  time: TIME_EXAMPLE,
  datacontenttype: 'application/json',
  data: {
    reference: REFERENCE_EXAMPLE,
    seq: 7,
    type: 'national-response',
    at: TIME_EXAMPLE,
    actor: { id: 'dir-fra', name: 'Claire Director', role: 'director', nation: 'FRA' },
    revision: 2,
    data: { nation: 'FRA', decision: 'accepted' },
    position: 'NDgyMTMuMTIwNw',
  },
};

const RECOMMENDATION_EVENT: PathItemObject = {
  post: {
    operationId: 'subscriber_receiveEvent',
    summary: 'An event a subscription selects, POSTed to its URL',
    description: `The service POSTs every event a subscription selects to the subscription's URL: one request per event, in the change feed's order within a subscription. Delivery is at least once: a failed attempt is retried with exponential backoff for days, and an event can arrive again, so a receiver dedupes by \`webhook-id\`.

Each request is signed as the Standard Webhooks specification says (https://www.standardwebhooks.com/): check \`webhook-signature\` against the subscription's \`whsec_\` secret, and \`webhook-timestamp\` against the clock, before trusting the body.`,
    security: [],
    parameters: [
      {
        name: 'webhook-id',
        in: 'header',
        required: true,
        description:
          'The event’s identity (`{reference}.{seq}`, the CloudEvent’s `id`): the same on every retry and redelivery',
        schema: { type: 'string', example: ID_EXAMPLE },
      },
      {
        name: 'webhook-timestamp',
        in: 'header',
        required: true,
        description: 'When this attempt was signed: integer seconds since the epoch, as a string',
        schema: { type: 'string', pattern: '^[0-9]+$', example: String(Date.parse(TIME_EXAMPLE) / 1000) },
      },
      {
        name: 'webhook-signature',
        in: 'header',
        required: true,
        description:
          'Space-separated signatures `v1,<base64 HMAC-SHA256>` of `${webhook-id}.${webhook-timestamp}.${body}`, keyed with the subscription’s `whsec_` secret (base64 after the prefix). Two during a secret rotation’s overlap, one per secret: accept the request if any matches',
        schema: {
          type: 'string',
          example: 'v1,+uQGwxubhbSBJGSNPmfWRDs31ZLzluyV615MzkHN2QU= v1,lWlnTeh6L0AEVScIK1YpYxYYKcxYk0tg+1nxbR30Gk0=',
        },
      },
    ],
    requestBody: {
      required: true,
      description: 'The event, a CloudEvent in structured mode',
      content: {
        'application/cloudevents+json': { schema: schemaRef('WebhookEvent'), example: EVENT_EXAMPLE },
      },
    },
    responses: {
      '2XX': { description: 'Received: any 2xx within the timeout marks it delivered' },
      default: {
        description:
          'Not received: any other status, a redirect (not followed), a timeout or a connection failure is a failed attempt, retried',
      },
    },
  },
};

/** The document with its `webhooks` and the schemas they name. */
export function addWebhooks(document: OpenAPIObject): OpenAPIObject {
  return {
    ...document,
    webhooks: { ...document.webhooks, 'recommendation-event': RECOMMENDATION_EVENT },
    components: {
      ...document.components,
      schemas: { ...document.components?.schemas, WebhookEvent: WEBHOOK_EVENT },
    },
  };
}
