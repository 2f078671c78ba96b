import type { FreshDatabase } from '../libs/persistence/src/testing/fresh-database';
import {
  director,
  ScriptedRecommendation,
  ScriptProjector,
  SECRETARIAT,
} from '../libs/persistence/src/testing/lifecycle';

const policy = {
  consensusSilence: 'P1D',
  approvalSilence: 'P1D',
  silenceReminders: ['PT1H'],
  responseDue: 'P30D',
  responseReminders: ['P1D'],
  overdueEvery: 'P14D',
  escalateAfter: 3,
  followUpEvery: 'P90D',
  followUpReminder: 'P14D',
  autoSubmit: true,
};
const at = (date: string): string => `${date}T09:00:00.000Z`;

/** A year of the Board's work, 2025, straight into the record (and one recommendation of 2024, outside it). */
export async function seedYear(dataSource: FreshDatabase['dataSource']): Promise<void> {
  const projection = new ScriptProjector(dataSource);
  const submitted = (ref: string, wg: 'IC' | 'SCS' | 'SI', nations: string[], raised: string) =>
    new ScriptedRecommendation(
      ref,
      { workingGroup: wg, nations: nations as never, policy, title: `Recommendation ${ref}` },
      at(raised),
    ).command(SECRETARIAT, { type: 'call-consensus' }, `${raised}T10:00:00.000Z`);
  const end = at('2025-12-20');

  const r1 = submitted('DIPB-2025-0001', 'IC', ['FRA', 'DEU', 'ITA', 'POL'], '2025-02-03')
    .advance(at('2025-02-05'))
    .advance(at('2025-02-07'));
  r1.command(
    director('FRA'),
    { type: 'respond', nation: 'FRA', decision: 'accepted', comment: 'oui' },
    at('2025-02-20'),
  );
  r1.command(
    director('DEU'),
    { type: 'respond', nation: 'DEU', decision: 'accepted-in-part', comment: 'teils' },
    at('2025-02-21'),
  );
  r1.command(
    director('ITA'),
    { type: 'respond', nation: 'ITA', decision: 'not-accepted', comment: 'no' },
    at('2025-02-22'),
  );
  r1.command(
    director('FRA'),
    { type: 'report-progress', nation: 'FRA', status: 'implemented', comment: 'fait' },
    at('2025-04-01'),
  );
  r1.advance(end); // POL never answers: overdue; DEU's progress report is overdue too
  await projection.apply(r1.projection(end));

  const r2 = submitted('DIPB-2025-0002', 'SCS', ['FRA', 'USA', 'GBR'], '2025-05-05')
    .advance(at('2025-05-07'))
    .advance(at('2025-05-09'));
  r2.command(
    director('USA'),
    { type: 'respond', nation: 'USA', decision: 'accepted', comment: 'yes' },
    at('2025-05-20'),
  );
  r2.command(
    director('GBR'),
    { type: 'respond', nation: 'GBR', decision: 'not-accepted', comment: 'no' },
    at('2025-05-21'),
  );
  r2.command(
    director('FRA'),
    { type: 'respond', nation: 'FRA', decision: 'under-consideration', comment: 'à l’étude' },
    at('2025-05-22'),
  );
  r2.command(
    director('USA'),
    { type: 'report-progress', nation: 'USA', status: 'not-implemented', comment: 'budget' },
    at('2025-07-01'),
  );
  r2.advance(end);
  await projection.apply(r2.projection(end));

  const r3 = new ScriptedRecommendation(
    'DIPB-2025-0003',
    // The year's one priority recommendation: first in the Board report's list, though raised late.
    { workingGroup: 'SI', nations: ['ESP'], policy, title: 'A draft', priority: true },
    at('2025-09-01'),
  );
  await projection.apply(r3.projection(at('2025-09-01')));
  const r4 = new ScriptedRecommendation(
    'DIPB-2025-0004',
    { workingGroup: 'IC', policy, title: 'Withdrawn early' },
    at('2025-03-01'),
  );
  r4.command(SECRETARIAT, { type: 'withdraw', reason: 'overtaken' }, at('2025-03-10'));
  await projection.apply(r4.projection(at('2025-03-10')));
  const r5 = submitted('DIPB-2025-0005', 'SI', ['NLD', 'BEL'], '2025-06-02')
    .advance(at('2025-06-04'))
    .advance(at('2025-06-06'));
  r5.command(
    director('NLD'),
    { type: 'respond', nation: 'NLD', decision: 'accepted', comment: 'ja' },
    at('2025-06-10'),
  );
  r5.command(SECRETARIAT, { type: 'close', reason: 'superseded' }, at('2025-10-01'));
  await projection.apply(r5.projection(at('2025-10-01')));

  const outside = submitted('DIPB-2024-0042', 'IC', ['FRA'], '2024-11-04')
    .advance(at('2024-11-06'))
    .advance(at('2024-11-08'));
  outside.command(
    director('FRA'),
    { type: 'respond', nation: 'FRA', decision: 'not-accepted', comment: 'non' },
    at('2024-11-20'),
  );
  await projection.apply(outside.projection(at('2024-11-20')));
}
