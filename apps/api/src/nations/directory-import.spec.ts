import { parseCsv, parseDirectoryImport } from './directory-import';

const HEADER = 'nation,contact,working_group,name,email,alternate_email,language';

describe('directory import (CSV)', () => {
  it('reads RFC 4180: quoted commas, doubled quotes, line breaks in quotes, CRLF', () => {
    expect(parseCsv('a,"b,c","say ""hi"""\r\n"multi\nline",x\n')).toEqual([
      ['a', 'b,c', 'say "hi"'],
      ['multi\nline', 'x'],
    ]);
    expect(parseCsv('a,"open')).toBeNull();
    expect(parseCsv('a,b"c')).toBeNull();
  });

  it('turns each line into a contact: directors with the language, senior reps and WG delegates without', () => {
    const parsed = parseDirectoryImport(
      [
        HEADER,
        'fra,director,,Jeanne Dupont,nad@defense.gouv.fr,adjoint@defense.gouv.fr,fr',
        'FRA,senior-rep,,Paul Durand,snr@defense.gouv.fr,,',
        'FRA,wg-delegate,ic,"Martin, Jean",jm@defense.gouv.fr,,',
      ].join('\r\n'),
    );
    expect(parsed).toEqual({
      ok: true,
      rows: [
        {
          nation: 'FRA',
          contact: 'director',
          name: 'Jeanne Dupont',
          email: 'nad@defense.gouv.fr',
          alternateEmail: 'adjoint@defense.gouv.fr',
          language: 'fr',
        },
        {
          nation: 'FRA',
          contact: 'senior-rep',
          name: 'Paul Durand',
          email: 'snr@defense.gouv.fr',
          alternateEmail: null,
          language: null,
        },
        {
          nation: 'FRA',
          contact: 'wg-delegate:IC',
          name: 'Martin, Jean',
          email: 'jm@defense.gouv.fr',
          alternateEmail: null,
          language: null,
        },
      ],
    });
  });

  it('names every problem by line and field, and refuses the whole file for one', () => {
    const parsed = parseDirectoryImport(
      [
        HEADER,
        'FRA,director,,Jeanne,nad@defense.gouv.fr,,fr',
        'XYZ,director,,N,not-an-email,,de',
        'DEU,wg-delegate,XX,N,n@bmvg.example,,',
        'DEU,senior-rep,IC,,n@bmvg.example,also-bad,en',
        'FRA,director,,Again,again@defense.gouv.fr,,fr',
        'ITA,director',
      ].join('\n'),
    );
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.errors.map((e) => e.field)).toEqual([
      'line 3: nation',
      'line 3: email',
      'line 3: language',
      'line 4: working_group',
      'line 5: working_group',
      'line 5: name',
      'line 5: alternate_email',
      'line 5: language',
      'line 6: contact',
      'line 7: line',
    ]);
  });

  it('wants the header first, and at least one line', () => {
    expect(parseDirectoryImport('nation,email\nFRA,a@b.example')).toMatchObject({
      ok: false,
      errors: [{ field: 'line 1' }],
    });
    expect(parseDirectoryImport(`${HEADER}\n`)).toMatchObject({ ok: false, errors: [{ field: 'body' }] });
  });
});
