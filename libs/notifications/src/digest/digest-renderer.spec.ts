import { renderDigest } from './digest-renderer';
import { sampleDigest } from './digest-sample';
import { digestIdentity, digestWeek } from './digest-week';

describe('the weekly digest', () => {
  it('is identified by the ISO week, in Brussels, of its scheduled instant', () => {
    // Monday 08:00 Brussels in winter (07:00 UTC) and in summer (06:00 UTC).
    expect(digestWeek('2026-11-30T07:00:00.000Z')).toMatchObject({ id: '2026-W49', number: 49, year: 2026 });
    expect(digestWeek('2026-06-01T06:00:00.000Z').id).toBe('2026-W23');
    // Sunday 23:30 UTC is already Monday in Brussels; the ISO year may differ from the calendar year.
    expect(digestWeek('2026-11-29T23:30:00.000Z').id).toBe('2026-W49');
    expect(digestWeek('2027-01-04T07:00:00.000Z').id).toBe('2027-W01');
    expect(digestWeek('2026-12-31T12:00:00.000Z').id).toBe('2026-W53');
    expect(digestIdentity(digestWeek('2026-12-02T10:00:00.000Z'))).toBe('weekly-digest/2026-W49');
  });

  it('covers the 7 days before its instant, Monday 08:00 to Monday 08:00 even across the change of time', () => {
    expect(digestWeek('2026-11-30T07:00:00.000Z').window).toEqual({
      from: '2026-11-23T07:00:00.000Z',
      to: '2026-11-30T07:00:00.000Z',
      horizon: '2026-12-14T07:00:00.000Z',
    });
    // Summer time ended on 25 October 2026: the week before Monday 26 October started at 08:00 CEST.
    expect(digestWeek('2026-10-26T07:00:00.000Z').window.from).toBe('2026-10-19T06:00:00.000Z');
  });

  it('lists every section by recommendation and by nation, each line with its reference (English)', async () => {
    const { week, data, nations } = sampleDigest();
    const m = await renderDigest({ week, data, nations, language: 'en' });
    expect(m.subject).toBe('[DIPB] Weekly digest, week 49 (23 November 2026 – 30 November 2026)');
    expect(m.text).toContain('== Answers received (3) ==');
    expect(m.text).toContain(
      '- [Priority] DIPB-2026-0014 Secure the supply of propellant for 155 mm ammunition\n    FRA accepted (24 November 2026)\n    DEU accepted in part (26 November 2026)',
    );
    expect(m.text).toContain(
      '- FRA France\n    [Priority] DIPB-2026-0014 accepted (24 November 2026)\n    DIPB-2026-0021 under consideration (interim answer) (27 November 2026)',
    );
    // The priority recommendation is marked in the HTML too, and only it: once per section by recommendation
    // (answers, overdue, escalations: 3), and on each of its lines by nation (FRA, DEU, POL overdue, POL escalated: 4).
    const sections = [data.answers, data.reports, data.dueSoon, data.overdue, data.escalations];
    const lines = sections.flat().filter((l) => l.priority).length;
    expect(lines).toBe(4);
    expect(m.html.match(/>Priority<\/span>/g)).toHaveLength(
      sections.filter((s) => s.some((l) => l.priority)).length + lines,
    );
    expect(m.text).toContain('== Progress reports received (1) ==');
    expect(m.text).toContain('POL in progress, 60% (25 November 2026)');
    expect(m.text).toContain('== Falls due in the next 14 days (2) ==');
    expect(m.text).toContain('DEU answer due 4 December 2026');
    expect(m.text).toContain('== Overdue (1) ==');
    expect(m.text).toContain('POL answer due 16 November 2026 (13 days late)');
    expect(m.text).toContain('== Escalated to the secretariat (1) ==');
    // The chart's text alternative: every nation that received a recommendation, with its two rates.
    expect(m.text).toContain('  France: acceptance rate 80%, implementation rate 50%');
    expect(m.text).toContain('  United States: no final answer yet');
    expect(m.html).toContain('<img src="cid:rates-per-nation@dipb.local"');
    expect(m.html).toMatch(/alt="Bar chart of the acceptance and implementation rates per nation/);
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0]).toMatchObject({ cid: 'rates-per-nation@dipb.local', contentType: 'image/png' });
    expect(m.attachments[0]?.content.subarray(1, 4).toString()).toBe('PNG');
  });

  it('speaks French, with French dates and an empty section said as such', async () => {
    const { week, data, nations } = sampleDigest();
    const m = await renderDigest({ week, data: { ...data, escalations: [] }, nations, language: 'fr' });
    expect(m.subject).toBe('[DIPB] Synthèse hebdomadaire, semaine 49 (23 novembre 2026 – 30 novembre 2026)');
    expect(m.text).toContain('FRA acceptée (24 novembre 2026)');
    expect(m.text).toContain('- [Prioritaire] DIPB-2026-0014');
    expect(m.text).toContain('POL réponse attendue le 16 novembre 2026 (13 jours de retard)');
    expect(m.text).toContain('== Signalés au secrétariat (0) ==\nRien cette semaine.');
    expect(m.text).toContain("Pologne: taux d'acceptation 67\u202f%, taux de mise en œuvre 50\u202f%");
    expect(m.html).toContain('lang="fr"');
  });

  it('escapes what it quotes', async () => {
    const { week, data, nations } = sampleDigest();
    const hostile = { ...data, answers: [{ ...data.answers[0]!, title: '<script>alert(1)</script>' }] };
    const m = await renderDigest({ week, data: hostile, nations, language: 'en' });
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain('&lt;script&gt;');
  });
});
