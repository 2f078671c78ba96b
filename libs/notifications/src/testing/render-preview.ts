// Writes the HTML of one notification in both languages, for a look in a browser or a screenshot:
//   npx tsx libs/notifications/src/testing/render-preview.ts <out-dir> [kind]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NOTIFICATION_KINDS, type NotificationKind } from '@app/domain';
import { NotificationRenderer } from '../notification-renderer';
import { sampleContext, sampleRequest } from './sample-message';

const [outDir = 'tmp/email-preview', kindArg = 'submission'] = process.argv.slice(2);
const kind = kindArg as NotificationKind;
if (!NOTIFICATION_KINDS.includes(kind)) throw new Error(`unknown kind ${kindArg}`);

const request = sampleRequest(kind);

const body = `1. Each Ally should hold a buffer of propellant and energetic materials sufficient for six months of surge production of 155 mm artillery ammunition.

2. Allies should share, through the Supply Chain Security working group, an annual forecast of their demand for these materials, so that producers can plan capacity.

3. The working group will report on progress to the Board each year.`;

mkdirSync(outDir, { recursive: true });
const renderer = new NotificationRenderer();
for (const language of ['en', 'fr'] as const) {
  const m = renderer.render(request, sampleContext(language, body));
  writeFileSync(join(outDir, `email-${kind}-${language}.html`), m.html);
  writeFileSync(join(outDir, `email-${kind}-${language}.txt`), `Subject: ${m.subject}\n\n${m.text}`);
}
