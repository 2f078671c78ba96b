import type { Language, NationCode } from '@app/domain';
import type { NationFigures, WeeklyDigestData } from '@app/persistence';
import { formatRate, nationRateRows, overviewChartSvg, rateChartText, svgToPng } from '@app/reports';
import { formatDate } from '../dates';
import { cardHtml, esc, style } from '../templates/card';
import { DIGEST_WORDS, type DigestWords } from './digest-words';
import { DIGEST_KIND, type DigestWeek } from './digest-week';

export interface DigestAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
  /** Content-ID, for `<img src="cid:…">`. */
  cid: string;
}

export interface RenderedDigest {
  subject: string;
  text: string;
  html: string;
  language: Language;
  attachments: DigestAttachment[];
}

export interface DigestInput {
  week: DigestWeek;
  data: WeeklyDigestData;
  /** Every nation's figures over all recommendations, for the chart. */
  nations: NationFigures[];
  language: Language;
}

export const CHART_CID = 'rates-per-nation@dipb.local';

/** One thing that happened or is owed, as a line under its recommendation and under its nation. */
interface Item {
  reference: string;
  title: string;
  priority: boolean;
  nation: NationCode;
  nationName: string;
  what: string;
}

const DAY = 86_400_000;

function sections(input: DigestInput, w: DigestWords): { key: keyof DigestWords['summary']; items: Item[] }[] {
  const { data, language } = input;
  const date = (iso: string): string => formatDate(iso, language);
  const end = new Date(data.window.to).getTime();
  const base = (l: {
    reference: string;
    title: string;
    priority: boolean;
    nation: NationCode;
    nationName: { en: string; fr: string };
  }) => ({
    reference: l.reference,
    title: l.title,
    priority: l.priority,
    nation: l.nation,
    nationName: l.nationName[language],
  });
  return [
    {
      key: 'answers',
      items: data.answers.map((a) => ({ ...base(a), what: `${w.decision[a.decision]} (${date(a.at)})` })),
    },
    {
      key: 'reports',
      items: data.reports.map((r) => ({
        ...base(r),
        what: `${w.progress[r.status]}${r.status === 'in-progress' && r.percent !== null ? `, ${w.percent(r.percent)}` : ''} (${date(r.at)})`,
      })),
    },
    { key: 'dueSoon', items: data.dueSoon.map((d) => ({ ...base(d), what: `${w.due[d.kind]} ${date(d.dueAt)}` })) },
    {
      key: 'overdue',
      items: data.overdue.map((d) => ({
        ...base(d),
        what: `${w.due[d.kind]} ${date(d.dueAt)} (${w.late(Math.max(1, Math.floor((end - new Date(d.dueAt).getTime()) / DAY)))})`,
      })),
    },
    {
      key: 'escalations',
      items: data.escalations.map((e) => ({ ...base(e), what: `${w.escalated} ${date(e.sentAt)}` })),
    },
  ];
}

function group<K>(items: Item[], key: (i: Item) => K): [K, Item[]][] {
  const map = new Map<K, Item[]>();
  for (const i of items) map.set(key(i), [...(map.get(key(i)) ?? []), i]);
  return [...map.entries()];
}

/** The week's digest in one language: plain text and HTML with the chart as an inline PNG and its figures as text. */
export async function renderDigest(input: DigestInput): Promise<RenderedDigest> {
  const { week, data, language } = input;
  const w = DIGEST_WORDS[language];
  const period = `${formatDate(data.window.from, language)} – ${formatDate(data.window.to, language)}`;
  const subject = w.subject(week.number, period);
  const parts = sections(input, w);
  const chartRows = nationRateRows({ nations: input.nations }, language);
  const svg = await overviewChartSvg({ nations: input.nations }, language, false);
  const png = svgToPng(svg);

  // Plain text: the same sections, grouped twice, every line with its reference.
  const text: string[] = [`${w.title} — ${w.weekOf(week.number, week.year, period)}`, '', w.intro, ''];
  for (const p of parts) text.push(`  ${p.items.length}  ${w.summary[p.key]}`);
  for (const p of parts) {
    text.push('', `== ${w.sections[p.key]} (${p.items.length}) ==`);
    if (p.items.length === 0) {
      text.push(w.nothing);
      continue;
    }
    text.push('', `${w.byRecommendation}:`);
    for (const [, items] of group(p.items, (i) => i.reference)) {
      text.push(`- ${items[0]!.priority ? `[${w.priority}] ` : ''}${items[0]!.reference} ${items[0]!.title}`);
      for (const i of items) text.push(`    ${i.nation} ${i.what}`);
    }
    text.push('', `${w.byNation}:`);
    for (const [nation, items] of group(p.items, (i) => i.nation).sort(([a], [b]) => a.localeCompare(b))) {
      text.push(`- ${nation} ${items[0]!.nationName}`);
      for (const i of items) text.push(`    ${i.priority ? `[${w.priority}] ` : ''}${i.reference} ${i.what}`);
    }
  }
  text.push('', `== ${w.sections.chart} ==`, w.chartNote, ...rateChartText(chartRows, language).map((l) => `  ${l}`));
  text.push('', '-- ', w.footer, `${w.identity}${w.colon}${DIGEST_KIND}/${week.id}`);

  // HTML: inline styles and tables, as the other messages (mail clients drop <style>).
  const badge = `<span style="${style('priority')}">${esc(w.priority)}</span> `;
  const h: string[] = [];
  h.push(`<p style="${style('p')}">${esc(w.intro)}</p>`);
  h.push(
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="${style('facts')}">`,
  );
  for (const p of parts) {
    h.push(
      `<tr><td style="${style('factValue')}width:60px;text-align:right;font-weight:bold;font-size:18px;">${p.items.length}</td><td style="${style('factLabel')}width:auto;">${esc(w.summary[p.key])}</td></tr>`,
    );
  }
  h.push('</table>');
  for (const p of parts) {
    h.push(`<h2 style="${style('h2')}">${esc(w.sections[p.key])} (${p.items.length})</h2>`);
    if (p.items.length === 0) {
      h.push(`<p style="${style('note')}">${esc(w.nothing)}</p>`);
      continue;
    }
    h.push(`<p style="${style('note')}font-weight:bold;">${esc(w.byRecommendation)}</p>`);
    h.push(
      `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="${style('facts')}">`,
    );
    for (const [, items] of group(p.items, (i) => i.reference)) {
      const lines = items.map((i) => `<strong>${esc(i.nation)}</strong> ${esc(i.what)}`).join('<br>');
      h.push(
        `<tr><td style="${style('factLabel')}">${items[0]!.priority ? `${badge}<br>` : ''}<span style="${style('code')}">${esc(items[0]!.reference)}</span><br>${esc(items[0]!.title)}</td><td style="${style('factValue')}">${lines}</td></tr>`,
      );
    }
    h.push('</table>');
    h.push(`<p style="${style('note')}font-weight:bold;">${esc(w.byNation)}</p>`);
    h.push(
      `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="${style('facts')}">`,
    );
    for (const [nation, items] of group(p.items, (i) => i.nation).sort(([a], [b]) => a.localeCompare(b))) {
      const lines = items
        .map(
          (i) => `${i.priority ? badge : ''}<span style="${style('code')}">${esc(i.reference)}</span> ${esc(i.what)}`,
        )
        .join('<br>');
      h.push(
        `<tr><td style="${style('factLabel')}">${esc(items[0]!.nationName)} (${esc(nation)})</td><td style="${style('factValue')}">${lines}</td></tr>`,
      );
    }
    h.push('</table>');
  }
  h.push(`<h2 style="${style('h2')}">${esc(w.sections.chart)}</h2>`);
  h.push(`<p style="${style('note')}">${esc(w.chartNote)}</p>`);
  h.push(
    `<img src="cid:${CHART_CID}" width="544" alt="${esc(w.chartAlt)}" style="display:block;width:100%;max-width:544px;height:auto;border:0;">`,
  );
  h.push(`<table width="100%" cellpadding="0" cellspacing="0" border="0" style="${style('facts')}margin-top:12px;">`);
  h.push(
    `<tr><th align="left" style="${style('factLabel')}">${esc(w.nation)}</th><th align="right" style="${style('factLabel')}">${esc(w.acceptance)}</th><th align="right" style="${style('factLabel')}">${esc(w.implementation)}</th></tr>`,
  );
  for (const r of chartRows) {
    h.push(
      `<tr><td style="${style('factValue')}">${esc(r.label)}</td><td align="right" style="${style('factValue')}">${esc(formatRate(r.acceptanceRate, language, 0))}</td><td align="right" style="${style('factValue')}">${esc(formatRate(r.implementationRate, language, 0))}</td></tr>`,
    );
  }
  h.push('</table>');

  const html = cardHtml({
    language,
    subject,
    board: w.board,
    title: w.title,
    subtitle: w.weekOf(week.number, week.year, period),
    content: h.join('\n'),
    footer: [w.footer, `${w.identity}${w.colon}${DIGEST_KIND}/${week.id}`],
  });
  return {
    subject,
    text: text.join('\n') + '\n',
    html,
    language,
    attachments: [{ filename: `dipb-rates-${week.id}.png`, content: png, contentType: 'image/png', cid: CHART_CID }],
  };
}
