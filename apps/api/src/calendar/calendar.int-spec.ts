import type { Actor } from '@app/domain';
import request from 'supertest';
import { useModuleApp } from '../testing/module-app';
import { CalendarModule } from './calendar.module';
import { WorkingCalendarService } from './working-calendar.service';

// The calendar routes wired as the AppModule wires them (roles: the authorization matrix spec).
const secretariat: Actor = { id: 'sec-cal', name: 'Calendar Officer', roles: ['secretariat'] };
const served = useModuleApp('calendar_http', [CalendarModule], secretariat);
const server = served.server;

interface Year {
  year: number;
  zone: string;
  closes: string;
  closedDays: { date: string; reason: string; source: string }[];
}

describe('the working calendar', () => {
  it("lists a year's Belgian public holidays and NATO HQ's seeded closure days", async () => {
    const year = (await request(server()).get('/api/v1/calendar/2027').expect(200)).body as Year;
    expect(year).toMatchObject({ year: 2027, zone: 'Europe/Brussels', opens: '09:00', closes: '17:30' });
    const byDate = Object.fromEntries(year.closedDays.map((d) => [d.date, d]));
    expect(byDate['2027-03-29']).toEqual({
      date: '2027-03-29',
      reason: 'Easter Monday',
      source: 'belgian-public-holiday',
    });
    expect(byDate['2027-07-21']?.source).toBe('belgian-public-holiday');
    expect(byDate['2027-12-27']).toEqual({
      date: '2027-12-27',
      reason: 'NATO HQ end-of-year closure',
      source: 'nato-hq-closure',
    });
    // Observances are not closed days (Valentine's Day, Easter Sunday), nor weekends (listed by rule, not by date).
    expect(byDate['2027-02-14']).toBeUndefined();
    expect(byDate['2027-12-25']?.reason).toBe('Christmas Day');
    expect(year.closedDays.map((d) => d.date)).toEqual([...year.closedDays.map((d) => d.date)].sort());
  });

  it('adds, renames and opens again a closure day, each change recorded with who made it', async () => {
    await request(server()).put('/api/v1/calendar/closure-days/2027-06-14').send({ reason: 'NATO Summit' }).expect(200);
    const renamed = (
      await request(server())
        .put('/api/v1/calendar/closure-days/2027-06-14')
        .send({ reason: '  NATO Summit day  ' })
        .expect(200)
    ).body as Year;
    expect(renamed.closedDays.find((d) => d.date === '2027-06-14')).toEqual({
      date: '2027-06-14',
      reason: 'NATO Summit day',
      source: 'nato-hq-closure',
    });
    const opened = (await request(server()).delete('/api/v1/calendar/closure-days/2027-06-14').expect(200))
      .body as Year;
    expect(opened.closedDays.find((d) => d.date === '2027-06-14')).toBeUndefined();

    const changes = (await request(server()).get('/api/v1/calendar/changes').expect(200)).body as {
      date: string;
      actor: { id: string; role: string };
      before: string | null;
      after: string | null;
    }[];
    expect(changes.filter((c) => c.date === '2027-06-14').map(({ before, after }) => ({ before, after }))).toEqual([
      { before: 'NATO Summit day', after: null },
      { before: 'NATO Summit', after: 'NATO Summit day' },
      { before: null, after: 'NATO Summit' },
    ]);
    expect(changes[0]?.actor).toMatchObject({ id: 'sec-cal', role: 'secretariat' });
  });

  it('refuses what cannot be a closure day with a problem naming it, and records nothing', async () => {
    const count = async (): Promise<number> =>
      ((await request(server()).get('/api/v1/calendar/changes').expect(200)).body as unknown[]).length;
    const before = await count();
    const noDate = await request(server()).put('/api/v1/calendar/closure-days/2027-02-30').send({ reason: 'x' });
    expect(noDate.status).toBe(404);
    // (problem+json is the app's global filter, tested with the app; here the exception's own body carries it)
    expect(JSON.stringify(noDate.body)).toMatch(/no date 2027-02-30/);
    for (const reason of ['', '   ', 'x'.repeat(201)]) {
      const refused = await request(server()).put('/api/v1/calendar/closure-days/2027-06-15').send({ reason });
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toMatch(/reason/);
    }
    const holiday = await request(server()).delete('/api/v1/calendar/closure-days/2027-07-21');
    expect(holiday.status).toBe(404);
    expect(JSON.stringify(holiday.body)).toMatch(/not a NATO HQ closure day/);
    await request(server()).get('/api/v1/calendar/1999').expect(404);
    expect(await count()).toBe(before);
  });

  it('pins what a recommendation needs: the closed days of six years and the zones that differ from Brussels', async () => {
    await request(server())
      .put('/api/v1/calendar/closure-days/2028-05-05')
      .send({ reason: 'Liberation Day (NATO HQ)' });
    const snapshot = await served.app.get(WorkingCalendarService).snapshot(new Date('2026-12-02T10:00:00Z'));
    expect(snapshot).toMatchObject({ zone: 'Europe/Brussels', opens: '09:00', closes: '17:30', through: '2031-12-31' });
    expect(snapshot.closed['2028-05-05']).toBe('Liberation Day (NATO HQ)');
    expect(snapshot.closed['2031-12-25']).toBe('Christmas Day');
    expect(snapshot.closed['2026-12-28']).toBe('NATO HQ end-of-year closure');
    expect(snapshot.zones).toMatchObject({ USA: 'America/New_York', CAN: 'America/Toronto', TUR: 'Europe/Istanbul' });
    expect(snapshot.zones.BEL).toBeUndefined();
  });
});
