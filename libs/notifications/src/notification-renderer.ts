import Handlebars from 'handlebars';
import { LANGUAGES, NOTIFICATION_KINDS, WORKING_GROUP_NAMES } from '@app/domain';
import type { Language, NotificationKind, NotificationRequest } from '@app/domain';
import { formatDate, formatDateTime } from './dates';
import type { RenderContext, RenderedMessage } from './notification-context';
import { EN } from './templates/en';
import { FR } from './templates/fr';
import type { LanguagePack } from './templates/language-pack';
import {
  HTML_FACTS,
  HTML_LAYOUT,
  HTML_NOTE,
  HTML_RECOMMENDATION,
  HTML_SIGNOFF,
  TEXT_FACTS,
  TEXT_LAYOUT,
  TEXT_NOTE,
  TEXT_RECOMMENDATION,
} from './templates/layout';
import { BODY_STYLES, STYLES } from './templates/styles';
import { markdownToHtml, markdownToText } from './markdown';

const PACKS: Record<Language, LanguagePack> = { en: EN, fr: FR };

type Template = Handlebars.TemplateDelegate<View>;
interface Compiled {
  subject: Template;
  text: Template;
  html: Template;
  title: string;
  deadlineLabel: string;
}

/** The values every template sees. */
interface View {
  language: Language;
  kind: NotificationKind;
  kindTitle: string;
  subject?: string;
  preheader?: string;
  reference: string;
  revision: number;
  round: number | null;
  title: string;
  summary: string;
  /** The body (markdown) as plain text, for the text part. */
  body: string;
  /** The body rendered (markdown, raw HTML shown as text), for the HTML part. */
  bodyHtml: string;
  workingGroup: { code: string; name: string };
  nation: { code: string; name: string } | null;
  deadline: string | null;
  deadlineDate: string | null;
  deadlineLabel: string;
  note: string | null;
  greeting: string;
  signoff: string;
  isProgress: boolean;
  isApproval: boolean;
  abstainAllowed: boolean;
  positionRoute: string;
  routes: { response: string; progress: string; submission: string };
  undeliverable: { recipient: string; addresses: string[]; reason: string } | null;
  link: { url: string; expires: string } | null;
  /** Set when the text is quoted in another language than the message's. */
  originalLanguageNote: string | null;
  labels: LanguagePack['labels'];
}

/** One isolated Handlebars environment per language and format, so partial names can repeat. */
function environment(pack: LanguagePack, format: 'html' | 'text'): typeof Handlebars {
  const hbs = Handlebars.create();
  hbs.registerHelper('style', (name: string) => {
    const style = STYLES[name];
    if (style === undefined) throw new Error(`unknown email style "${name}"`);
    return style;
  });
  hbs.registerHelper('nl2br', (value: string | null | undefined) => {
    const lines = (value ?? '').split('\n').map((l) => hbs.Utils.escapeExpression(l));
    return new hbs.SafeString(lines.join('<br>'));
  });
  // Long URLs may wrap after a slash, never inside a word.
  // A path or link breaks after a slash; a segment too long for a phone's line (a link's token) anywhere.
  hbs.registerHelper('breakable', (value: string | null | undefined) => {
    const parts = (value ?? '')
      .split('/')
      .map((p) =>
        p.length <= 32
          ? `<span style="white-space:nowrap;">${hbs.Utils.escapeExpression(p)}</span>`
          : `<span style="word-break:break-all;">${hbs.Utils.escapeExpression(p)}</span>`,
      );
    return new hbs.SafeString(parts.join('/<wbr>'));
  });
  hbs.registerHelper('underline', (value: string | null | undefined) => '='.repeat(Math.min((value ?? '').length, 72)));
  hbs.registerHelper('quote', (value: string | null | undefined) =>
    (value ?? '')
      .split('\n')
      .map((l) => `> ${l}`)
      .join('\n'),
  );
  for (const [name, source] of Object.entries(pack.partials)) hbs.registerPartial(name, source);
  if (format === 'html') {
    hbs.registerPartial('layout', HTML_LAYOUT);
    hbs.registerPartial('facts', HTML_FACTS);
    hbs.registerPartial('recommendation', HTML_RECOMMENDATION);
    hbs.registerPartial('note', HTML_NOTE);
    hbs.registerPartial('signoffHtml', HTML_SIGNOFF);
  } else {
    hbs.registerPartial('textLayout', TEXT_LAYOUT);
    hbs.registerPartial('facts', TEXT_FACTS);
    hbs.registerPartial('recommendation', TEXT_RECOMMENDATION);
    hbs.registerPartial('note', TEXT_NOTE);
  }
  return hbs;
}

function compileAll(): Record<Language, Record<NotificationKind, Compiled>> {
  const out = {} as Record<Language, Record<NotificationKind, Compiled>>;
  for (const language of LANGUAGES) {
    const pack = PACKS[language];
    const html = environment(pack, 'html');
    const text = environment(pack, 'text');
    const kinds = {} as Record<NotificationKind, Compiled>;
    for (const kind of NOTIFICATION_KINDS) {
      const t = pack.kinds[kind];
      kinds[kind] = {
        subject: text.compile<View>(t.subject, { noEscape: true }),
        text: text.compile<View>(t.text, { noEscape: true }),
        html: html.compile<View>(t.html),
        title: t.title,
        deadlineLabel: t.deadlineLabel,
      };
      // Handlebars compiles lazily; parse now so a broken template stops the process at start.
      for (const source of [t.subject, t.text, t.html]) text.parse(source);
    }
    out[language] = kinds;
  }
  return out;
}

/** Subjects are one line; user text (a title) must not be able to inject header lines. */
function oneLine(value: string): string {
  return value
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/**
 * Renders a notification in the recipient's language: subject, plain text and HTML.
 * Templates are Handlebars, compiled once when the class is first used; HTML escapes all user text.
 */
export class NotificationRenderer {
  private static compiled: Record<Language, Record<NotificationKind, Compiled>> | null = null;

  private static templates(): Record<Language, Record<NotificationKind, Compiled>> {
    NotificationRenderer.compiled ??= compileAll();
    return NotificationRenderer.compiled;
  }

  render(request: NotificationRequest, context: RenderContext): RenderedMessage {
    const language = context.recipientLanguage;
    const pack = PACKS[language];
    const compiled = NotificationRenderer.templates()[language][request.kind];
    const view = this.view(request, context, pack, compiled);
    const prefix = context.undeliverable ? `${pack.labels.undeliverableSubject}${pack.labels.colon}` : '';
    const subject = oneLine(`[${request.reference}] ${prefix}${compiled.subject(view)}`);
    const withSubject: View = { ...view, subject, preheader: oneLine(context.summary).slice(0, 140) };
    return {
      subject,
      text: compiled.text(withSubject).replace(/\n{3,}/g, '\n\n'),
      html: compiled.html(withSubject),
      language,
    };
  }

  private view(request: NotificationRequest, context: RenderContext, pack: LanguagePack, compiled: Compiled): View {
    const language = context.recipientLanguage;
    const nationCode = request.nation ?? ('nation' in request.recipient ? request.recipient.nation : null);
    const base = (context.apiBaseUrl ?? '').replace(/\/+$/, '');
    const recPath = `${base}/api/v1/recommendations/${request.reference}`;
    const nationPath = `${recPath}/nations/${nationCode ?? '{nation}'}`;
    const isApproval = request.kind.startsWith('approval') || /\/approval-\d+\//.test(request.identity);
    const toSystem = request.recipient.role === 'secretariat';
    return {
      language,
      kind: request.kind,
      kindTitle: compiled.title,
      reference: request.reference,
      revision: request.revision,
      round: request.round,
      title: oneLine(context.title),
      summary: context.summary.trim(),
      body: markdownToText(context.body?.trim() ?? ''),
      bodyHtml: markdownToHtml(context.body?.trim() ?? '', BODY_STYLES),
      workingGroup: { code: context.workingGroup, name: WORKING_GROUP_NAMES[context.workingGroup][language] },
      nation: nationCode
        ? { code: nationCode, name: context.nationName ? context.nationName[language] : nationCode }
        : null,
      deadline: request.deadline ? formatDateTime(request.deadline, language) : null,
      deadlineDate: request.deadline ? formatDate(request.deadline, language) : null,
      deadlineLabel: compiled.deadlineLabel,
      note: request.note?.trim() || null,
      greeting: pack.greetings[request.recipient.role],
      signoff: toSystem ? pack.labels.signoffSystem : pack.labels.signoff,
      // An escalation's identity names the chase it escalates: `<nation>/progress/<due>/…` or `<nation>/response/…`.
      isProgress: request.kind.startsWith('progress') || /\/progress\//.test(request.identity),
      isApproval,
      abstainAllowed: !isApproval,
      positionRoute: isApproval ? `${recPath}/approval/positions` : `${recPath}/consensus/positions`,
      routes: {
        response: `${nationPath}/response`,
        progress: `${nationPath}/progress`,
        submission: `${recPath}/submission`,
      },
      undeliverable: context.undeliverable ?? null,
      // A copy to the secretariat never carries the recipient's link.
      link:
        context.link && !context.undeliverable
          ? { url: context.link.url, expires: formatDateTime(context.link.expiresAt, language) }
          : null,
      originalLanguageNote: context.language === language ? null : pack.labels.originalLanguage[context.language],
      labels: pack.labels,
    };
  }
}
