// `npm run admin -- <verb> …`: the operator's repairs, as API commands recorded with their actor.
// The API is DIPB_API_URL (default http://127.0.0.1:3000); the token is DIPB_TOKEN, or a development
// secretariat token signed with JWT_SECRET (default: the local stack's) for `--as <id>` (default $USER).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CalendarChange, DirectorContact, DirectoryChange } from '../libs/persistence/src';
import { signToken } from '../libs/testing/src/tokens';
import { DEV_JWT_SECRET } from './dev-defaults';

const USAGE = `usage: npm run admin -- <verb> [options]
  notifications <ref>                                   list a recommendation's notifications (identity, status, address)
  events <ref>                                          the audit trail
  director-changes <nation>                             a nation's contact changes (director, senior rep, WG delegates), newest first, with who made them
  move-deadline <ref> <nation> <dueAt> --reason "…"     move one nation's due date (ISO instant)
  resend <ref> <identity> --reason "…"                  send a notification again, to the directory's current address
  set-director <nation> --name "…" --email a@b [--alternate c@d] --language en|fr
  set-senior-rep <nation> --name "…" --email a@b [--alternate c@d]
  set-wg-delegate <nation> <IC|SCS|SI> --name "…" --email a@b [--alternate c@d]
  import-directory <file.csv>                           load contacts from CSV, all or nothing (see the README)
  calendar <year>                                       NATO HQ's closed days of a year (holidays and closure days)
  set-closure-day <YYYY-MM-DD> --reason "…"             make a day a NATO HQ closure day (or change its reason)
  remove-closure-day <YYYY-MM-DD>                       open a NATO HQ closure day again
  calendar-changes                                      every change of the closure days, newest first, with who made it
  rebuild-projection [ref] [--write]                    compare the read model with the event log (and restore it)
options: --as <operator id> --name-of-operator "…" (for the development token), --json (raw answer)`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    reason: { type: 'string' },
    name: { type: 'string' },
    email: { type: 'string' },
    alternate: { type: 'string' },
    language: { type: 'string' },
    write: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    as: { type: 'string' },
    'name-of-operator': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

function fail(message: string): never {
  console.error(`npm run admin: ${message}\n${USAGE}`);
  process.exit(2);
}

async function token(): Promise<string> {
  if (process.env.DIPB_TOKEN) return process.env.DIPB_TOKEN;
  return signToken(
    {
      sub: values.as ?? process.env.USER ?? 'operator',
      name: values['name-of-operator'] ?? `Operator ${values.as ?? process.env.USER ?? ''}`.trim(),
      roles: ['secretariat'],
    },
    {
      secret: process.env.JWT_SECRET ?? DEV_JWT_SECRET,
      issuer: process.env.JWT_ISSUER ?? 'dipb-dev',
      audience: process.env.JWT_AUDIENCE ?? 'dipb-api',
      expiresIn: '10m',
    },
  );
}

async function api(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<unknown> {
  const base = (process.env.DIPB_API_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${await token()}`,
      ...(body === undefined ? {} : { 'content-type': contentType }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  const parsed: unknown = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const p = parsed as { title?: string; detail?: string; errors?: unknown } | null;
    console.error(
      `${method} ${path} → ${res.status} ${p?.title ?? ''}: ${p?.detail ?? text}${p?.errors ? `\n${JSON.stringify(p.errors)}` : ''}`,
    );
    process.exit(1);
  }
  return parsed;
}

const contact = (c: DirectorContact | null): string =>
  c === null
    ? '(none)'
    : `${c.name ?? '—'} <${c.email}>${c.alternateEmail ? ` alt <${c.alternateEmail}>` : ''} ${c.language}`;

/** The body of a senior representative's or WG delegate's PUT. */
const person = (): Record<string, string> => ({
  name: values.name ?? fail('give --name'),
  email: values.email ?? fail('give --email'),
  ...(values.alternate ? { alternateEmail: values.alternate } : {}),
});

interface ClosedDay {
  date: string;
  reason: string;
  source: string;
}

const arg = (i: number, name: string): string => positionals[i] ?? fail(`missing <${name}>`);
const reason = (): string => values.reason ?? fail('give --reason "…" (it is recorded in the audit trail)');

async function main(): Promise<void> {
  const verb = positionals[0];
  if (values.help || !verb) {
    console.log(USAGE);
    return;
  }
  let out: unknown;
  switch (verb) {
    case 'notifications': {
      const rows = (await api('GET', `/api/v1/recommendations/${arg(1, 'ref')}/notifications`)) as {
        identity: string;
        status: string;
        address: string | null;
        sentAt: string | null;
      }[];
      if (values.json) out = rows;
      else
        for (const n of rows)
          console.log(`${n.status.padEnd(7)} ${n.sentAt ?? '—'.padEnd(24)} ${n.address ?? '—'}  ${n.identity}`);
      break;
    }
    case 'events': {
      const rows = (await api('GET', `/api/v1/recommendations/${arg(1, 'ref')}/events`)) as {
        seq: number;
        at: string;
        type: string;
        actor: { id: string; role: string };
      }[];
      if (values.json) out = rows;
      else
        for (const e of rows)
          console.log(`#${String(e.seq).padStart(3)} ${e.at} ${e.type.padEnd(22)} ${e.actor.role}:${e.actor.id}`);
      break;
    }
    case 'director-changes': {
      const rows = (await api('GET', `/api/v1/nations/${arg(1, 'nation').toUpperCase()}/changes`)) as DirectoryChange[];
      if (values.json) out = rows;
      else if (rows.length === 0) console.log(`no change recorded for ${arg(1, 'nation').toUpperCase()}`);
      else
        for (const c of rows)
          console.log(
            `${c.at} ${c.contact.padEnd(15)} ${c.actor.role}:${c.actor.id}  ${contact(c.before)}  →  ${contact(c.after)}`,
          );
      break;
    }
    case 'move-deadline':
      out = await api(
        'POST',
        `/api/v1/recommendations/${arg(1, 'ref')}/nations/${arg(2, 'nation').toUpperCase()}/deadline`,
        { dueAt: arg(3, 'dueAt'), reason: reason() },
      );
      if (!values.json) {
        const view = out as { nations: { code: string; nextDue: string | null; nextReminderAt: string | null }[] };
        const n = view.nations.find((x) => x.code === arg(2, 'nation').toUpperCase());
        console.log(
          `${arg(2, 'nation').toUpperCase()}: due ${n?.nextDue ?? '—'}, next reminder ${n?.nextReminderAt ?? '—'}`,
        );
        out = undefined;
      }
      break;
    case 'resend':
      out = await api('POST', `/api/v1/recommendations/${arg(1, 'ref')}/notifications/resend`, {
        identity: arg(2, 'identity'),
        reason: reason(),
      });
      if (!values.json) {
        console.log(`resend of ${arg(2, 'identity')} recorded; see: npm run admin -- notifications ${arg(1, 'ref')}`);
        out = undefined;
      }
      break;
    case 'set-director':
      out = await api('PUT', `/api/v1/nations/${arg(1, 'nation').toUpperCase()}/director`, {
        name: values.name ?? fail('give --name'),
        email: values.email ?? fail('give --email'),
        language: values.language ?? fail('give --language en|fr'),
        ...(values.alternate ? { alternateEmail: values.alternate } : {}),
      });
      break;
    case 'set-senior-rep':
      out = await api('PUT', `/api/v1/nations/${arg(1, 'nation').toUpperCase()}/senior-rep`, person());
      break;
    case 'set-wg-delegate':
      out = await api(
        'PUT',
        `/api/v1/nations/${arg(1, 'nation').toUpperCase()}/wg-delegates/${arg(2, 'working group').toUpperCase()}`,
        person(),
      );
      break;
    case 'import-directory': {
      const result = (await api(
        'POST',
        '/api/v1/nations/directory/import',
        readFileSync(arg(1, 'file.csv'), 'utf8'),
        'text/csv',
      )) as { changed: number; unchanged: number };
      if (values.json) out = result;
      else
        console.log(
          `imported: ${result.changed} contact(s) changed, ${result.unchanged} confirmed; each is in the directory's trail (director-changes <nation>)`,
        );
      break;
    }
    case 'calendar':
    case 'set-closure-day':
    case 'remove-closure-day': {
      const year = (
        verb === 'calendar'
          ? await api('GET', `/api/v1/calendar/${arg(1, 'year')}`)
          : await api(
              verb === 'set-closure-day' ? 'PUT' : 'DELETE',
              `/api/v1/calendar/closure-days/${arg(1, 'date')}`,
              verb === 'set-closure-day' ? { reason: reason() } : undefined,
            )
      ) as { year: number; zone: string; opens: string; closes: string; closedDays: ClosedDay[] };
      if (values.json) out = year;
      else {
        console.log(`${year.year}: working hours ${year.opens}–${year.closes} ${year.zone}, closed on weekends and:`);
        for (const d of year.closedDays) console.log(`  ${d.date}  ${d.reason}  (${d.source})`);
      }
      break;
    }
    case 'calendar-changes': {
      const rows = (await api('GET', '/api/v1/calendar/changes')) as CalendarChange[];
      if (values.json) out = rows;
      else
        for (const c of rows)
          console.log(
            `${c.at} ${c.date} ${c.actor.role}:${c.actor.id}  ${c.before ?? '(open)'}  →  ${c.after ?? '(open)'}`,
          );
      break;
    }
    case 'rebuild-projection': {
      const report = (await api('POST', '/api/v1/admin/projection/rebuild', {
        ...(positionals[1] ? { reference: positionals[1] } : {}),
        write: values.write,
      })) as {
        checked: string[];
        differences: { reference: string; path: string; stored: unknown; derived: unknown }[];
        written: string[];
      };
      if (values.json) out = report;
      else {
        for (const d of report.differences)
          console.log(
            `${d.reference} ${d.path}\n  stored:  ${JSON.stringify(d.stored)}\n  derived: ${JSON.stringify(d.derived)}`,
          );
        console.log(
          `checked ${report.checked.length}, ${new Set(report.differences.map((d) => d.reference)).size} differ, rewrote ${report.written.length}`,
        );
      }
      if (report.differences.length > 0 && !values.write) process.exitCode = 1;
      break;
    }
    default:
      fail(`unknown verb ${verb}`);
  }
  if (out !== undefined) console.log(JSON.stringify(out, null, 2));
}

main().catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
