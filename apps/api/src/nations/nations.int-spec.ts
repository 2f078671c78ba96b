import type { Actor } from '@app/domain';
import request from 'supertest';
import { ReportsModule } from '../reports/reports.module';
import { useModuleApp } from '../testing/module-app';
import { NationsModule } from './nations.module';

// The directory and report routes wired as the AppModule wires them, on a database of their own.
const secretariat: Actor = { id: 'sec-int', name: 'Int Secretariat', roles: ['secretariat'] };
const { server } = useModuleApp('nations_http', [NationsModule, ReportsModule], secretariat);

describe('nations routes', () => {
  it('lists the 32 Allies with their contacts', async () => {
    const res = await request(server()).get('/api/v1/nations').expect(200);
    const body = res.body as { code: string; director: { email: string } }[];
    expect(body).toHaveLength(32);
    expect(body.find((n) => n.code === 'BEL')?.director.email).toBe('director.bel@mod.example');
  });

  it('updates a director and answers with the nation', async () => {
    const res = await request(server())
      .put('/api/v1/nations/FRA/director')
      .send({
        name: 'Jeanne Dupont',
        email: 'jeanne.dupont@defense.example',
        alternateEmail: 'deputy@defense.example',
        language: 'fr',
      })
      .expect(200);
    expect(res.body).toMatchObject({
      code: 'FRA',
      language: 'fr',
      director: {
        name: 'Jeanne Dupont',
        email: 'jeanne.dupont@defense.example',
        alternateEmail: 'deputy@defense.example',
      },
    });
  });

  it('records the change with its actor, and lists the changes newest first', async () => {
    const before = (await request(server()).get('/api/v1/nations/NOR/changes').expect(200)).body as unknown[];
    expect(before).toEqual([]);
    await request(server())
      .put('/api/v1/nations/NOR/director')
      .send({ name: 'Kari Nordmann', email: 'kari@mil.example', language: 'en' })
      .expect(200);
    await request(server())
      .put('/api/v1/nations/nor/director')
      .send({ name: 'Kari Nordmann', email: 'kari.nordmann@mil.example', language: 'en' })
      .expect(200);
    const res = await request(server()).get('/api/v1/nations/nor/changes').expect(200);
    expect(res.body).toEqual([
      {
        id: expect.any(String),
        nation: 'NOR',
        contact: 'director',
        actor: { id: 'sec-int', name: 'Int Secretariat', role: 'secretariat' },
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        before: { name: 'Kari Nordmann', email: 'kari@mil.example', alternateEmail: null, language: 'en' },
        after: { name: 'Kari Nordmann', email: 'kari.nordmann@mil.example', alternateEmail: null, language: 'en' },
      },
      expect.objectContaining({
        before: { name: null, email: 'director.nor@mod.example', alternateEmail: null, language: 'en' },
        after: expect.objectContaining({ email: 'kari@mil.example' }),
      }),
    ]);
    const nor = (
      (await request(server()).get('/api/v1/nations').expect(200)).body as { code: string; updatedAt: string }[]
    ).find((n) => n.code === 'NOR');
    expect(nor?.updatedAt).toBe((res.body as { at: string }[])[0]?.at);
  });

  it('answers 404 for the changes of an unknown nation', async () => {
    const res = await request(server()).get('/api/v1/nations/XYZ/changes').expect(404);
    expect(JSON.stringify(res.body)).toContain('no nation XYZ');
  });

  it('answers 404 for an unknown nation and 400 for a bad body', async () => {
    const unknown = await request(server())
      .put('/api/v1/nations/XYZ/director')
      .send({ name: 'N', email: 'n@x.example', language: 'en' })
      .expect(404);
    expect(JSON.stringify(unknown.body)).toContain('no nation XYZ');
    const bad = await request(server())
      .put('/api/v1/nations/FRA/director')
      .send({ name: '', email: 'not-an-email', language: 'de' })
      .expect(400);
    expect(JSON.stringify(bad.body)).toMatch(/email/);
    expect(JSON.stringify(bad.body)).toMatch(/language/);
  });
});

describe('reports route', () => {
  it('answers JSON by default and CSV when asked', async () => {
    const json = await request(server()).get('/api/v1/reports/overview').expect(200);
    expect(json.headers['content-type']).toMatch(/application\/json/);
    expect((json.body as { nations: unknown[] }).nations).toHaveLength(32);
    const csv = await request(server()).get('/api/v1/reports/overview').set('Accept', 'text/csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.split('\r\n')[0]).toMatch(/^code,name_en,name_fr,submitted_to,answered/);
    expect(csv.text).toContain('ALB,Albania,Albanie,0,0,0,0,0,0,0,0,0,,');
  });
});
