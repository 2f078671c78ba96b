// Writes the HTML of one notification in both languages, for a look in a browser or a screenshot:
//   npx tsx libs/notifications/src/testing/render-preview.ts <out-dir> [kind]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NOTIFICATION_KINDS, type NotificationKind, type NotificationRequest } from '@app/domain';
import { NotificationRenderer } from '../notification-renderer';

const [outDir = 'tmp/email-preview', kindArg = 'submission'] = process.argv.slice(2);
const kind = kindArg as NotificationKind;
if (!NOTIFICATION_KINDS.includes(kind)) throw new Error(`unknown kind ${kindArg}`);

const request: NotificationRequest = {
  identity: `DIPB-2026-0001/${kind}/director-FRA/revision-3`,
  reference: 'DIPB-2026-0001',
  kind,
  recipient: { role: 'director', nation: 'FRA' },
  revision: 3,
  deadline: '2026-12-04T11:00:00.000Z',
  dueAt: '2026-09-05T11:00:00.000Z',
  nation: 'FRA',
  note: null,
  round: null,
};

const body = `1. Each Ally should hold a buffer of propellant and energetic materials sufficient for six months of surge production of 155 mm artillery ammunition.

2. Allies should share, through the Supply Chain Security working group, an annual forecast of their demand for these materials, so that producers can plan capacity.

3. The working group will report on progress to the Board each year.`;

mkdirSync(outDir, { recursive: true });
const renderer = new NotificationRenderer();
for (const language of ['en', 'fr'] as const) {
  const m = renderer.render(request, {
    reference: request.reference,
    title: 'Secure the supply of propellant for 155 mm artillery ammunition',
    summary: 'Allies should keep a six-month buffer of propellant and share annual demand forecasts.',
    body,
    workingGroup: 'SCS',
    language: 'en',
    rapporteur: null,
    apiBaseUrl: 'https://dipb.example.nato.int',
    recipientLanguage: language,
    nationName: { en: 'France', fr: 'France' },
  });
  writeFileSync(join(outDir, `email-${kind}-${language}.html`), m.html);
  writeFileSync(join(outDir, `email-${kind}-${language}.txt`), `Subject: ${m.subject}\n\n${m.text}`);
}
