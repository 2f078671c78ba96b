import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import {
  isIsoDate,
  linkMatter,
  TEXT_LIMITS,
  type Actor,
  type Command,
  type Language,
  type RecommendationState,
} from '@app/domain';
import { ActionLinks, LinkRefusedError, type VerifiedLink } from '@app/notifications/links/action-links';
import { formatDate, formatDateTime } from '@app/notifications/dates';
import { markdownToHtml } from '@app/notifications/markdown';
import { NationsRepository, RecommendationsRepository, TextsRepository } from '@app/persistence';
import {
  CommandRefusedError,
  LifecycleClient,
  TemporalUnavailableError,
  WorkflowGoneError,
} from '@app/temporal/client';
import { choicesOf, otherLanguage, problemPage, type Page, type PageForm, type Problem } from './link-pages';
import { WORDS, type Words } from './link-words';

/** The path of a link page: what the URL says it is for, and the token. */
export interface LinkPath {
  reference: string;
  nation: string;
  act: string;
  token: string;
}

export type FormBody = Record<string, unknown>;

/** What is wrong in a form as sent, and where: the field named is marked invalid. */
interface FormError {
  target: string;
  message: string;
  field?: keyof PageForm['fieldErrors'];
}

/** The CSRF check of the form, done by the controller with the request (csrf-csrf). */
export interface Csrf {
  token: () => string;
  valid: () => boolean;
}

const field = (body: FormBody, name: string): string => {
  const v = body[name];
  return typeof v === 'string' ? v.replace(/\r\n/g, '\n') : '';
};

/** 30/06/2027 (a browser without a date picker) or 2027-06-30. */
function dateOf(value: string): string | null {
  const v = value.trim();
  const dmy = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(v);
  const iso = dmy ? `${dmy[3]}-${dmy[2]?.padStart(2, '0')}-${dmy[1]?.padStart(2, '0')}` : v;
  return isIsoDate(iso) ? iso : null;
}

/**
 * What a personal link's page does: checks the link, shows what is asked, and gives the answer to the
 * recommendation's workflow as the same command the API gives (`LifecycleClient.command`), with the
 * actor the link stands for. Every failure is a page with a 4xx (503 only when Temporal is down).
 */
@Injectable()
export class LinksService {
  private readonly logger = new Logger(LinksService.name);

  constructor(
    private readonly links: ActionLinks,
    private readonly lifecycle: LifecycleClient,
    private readonly queries: RecommendationsRepository,
    private readonly texts: TextsRepository,
    private readonly nations: NationsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async show(path: LinkPath, lang: string | undefined, csrf: Csrf): Promise<Page> {
    const opened = await this.open(path, lang);
    if ('page' in opened) return opened.page;
    const { link, words, state } = opened;
    const matter = linkMatter(state, link);
    if (!matter.open) return this.settled(path, link, words, state, matter.why);
    return this.formPage(
      path,
      link,
      words,
      state,
      csrf.token(),
      { choice: '', comment: '', plannedCompletion: '', percent: '', evidenceUrl: '' },
      [],
      null,
    );
  }

  async answer(path: LinkPath, lang: string | undefined, body: FormBody, csrf: Csrf): Promise<Page> {
    const opened = await this.open(path, lang);
    if ('page' in opened) return opened.page;
    const { link, words, state } = opened;
    const values = {
      choice: field(body, 'choice'),
      comment: field(body, 'comment'),
      plannedCompletion: field(body, 'plannedCompletion'),
      percent: field(body, 'percent'),
      evidenceUrl: field(body, 'evidenceUrl'),
    };
    const matter = linkMatter(state, link);
    if (!matter.open) return this.settled(path, link, words, state, matter.why);
    /** The form again, as it was filled in, with what to put right. */
    const again = (errors: FormError[], status: number) =>
      this.formPage(path, link, words, state, csrf.token(), values, errors, status);
    if (!csrf.valid()) {
      return again(
        [{ target: 'choice-' + (words.choices[link.act][0]?.value ?? ''), message: words.errors.csrf }],
        403,
      );
    }
    const checked = this.check(link, values, words);
    if ('errors' in checked) return again(checked.errors, 400);

    const actor = await this.actorOf(link);
    try {
      await this.lifecycle.command(link.reference, checked.command, actor);
    } catch (err) {
      if (err instanceof CommandRefusedError) {
        if (err.refusal === 'invalid') return again([{ target: 'comment', message: err.message }], 400);
        const now = (await this.queries.state(link.reference))?.state ?? state;
        const after = linkMatter(now, link);
        return this.settled(path, link, words, now, after.open ? 'stage' : after.why);
      }
      if (err instanceof WorkflowGoneError) return this.settled(path, link, words, state, 'stage');
      if (err instanceof TemporalUnavailableError) {
        return { ...this.problem(path, words, 'unavailable', 503), retryAfterSeconds: err.retryAfterSeconds };
      }
      throw err;
    }
    const now = (await this.queries.state(link.reference))?.state ?? state;
    const recorded = this.recorded(link, words, now);
    return {
      ...(await this.base(path, link, words, now, 200, words.recordedTitle)),
      notice: { kind: 'done', text: words.recorded, alert: true },
      recorded,
      linkUntil: recorded?.interim ? formatDateTime(new Date(link.expiresAt).toISOString(), words.lang) : null,
    };
  }

  /** The link checked against its token, its path and the record; a page when it does not hold. */
  private async open(
    path: LinkPath,
    lang: string | undefined,
  ): Promise<{ link: VerifiedLink; words: Words; state: RecommendationState } | { page: Page }> {
    const requested = lang === 'en' || lang === 'fr' ? lang : null;
    let link: VerifiedLink;
    try {
      link = await this.links.verify(path.token);
    } catch (err) {
      if (!(err instanceof LinkRefusedError)) throw err;
      const words = WORDS[requested ?? err.link?.language ?? 'en'];
      const status = err.why === 'invalid' ? 400 : 410;
      return { page: this.problem(path, words, err.why, status) };
    }
    const words = WORDS[requested ?? link.language];
    // A link works only where it was sent: the readable part of its URL must say what the token says.
    if (path.reference !== link.reference || path.nation !== link.nation || path.act !== link.act) {
      return { page: this.problem(path, words, 'bent', 403) };
    }
    const row = await this.queries.state(link.reference);
    if (!row?.state) return { page: this.problem(path, words, 'gone', 404) };
    return { link, words, state: row.state };
  }

  /** The form's fields as a command, or what is wrong with them (each tied to its field). */
  private check(
    link: VerifiedLink,
    v: Record<'choice' | 'comment' | 'plannedCompletion' | 'percent' | 'evidenceUrl', string>,
    words: Words,
  ): { command: Command } | { errors: { target: string; message: string; field: keyof PageForm['fieldErrors'] }[] } {
    const act = link.act;
    const errors: { target: string; message: string; field: keyof PageForm['fieldErrors'] }[] = [];
    const choices = words.choices[act].map((c) => c.value);
    const comment = v.comment.trim();
    if (!choices.includes(v.choice))
      errors.push({ field: 'choice', target: `choice-${choices[0] ?? ''}`, message: words.errors.choice });
    if (comment.length > TEXT_LIMITS.comment)
      errors.push({ field: 'comment', target: 'comment', message: words.errors.tooLong });
    const needsReason =
      v.choice === 'object' ||
      v.choice === 'not-accepted' ||
      v.choice === 'accepted-in-part' ||
      v.choice === 'not-implemented';
    if (needsReason && comment === '')
      errors.push({ field: 'comment', target: 'comment', message: words.errors.reason });
    let planned: string | null = null;
    if (act === 'respond' && (v.choice === 'accepted' || v.choice === 'accepted-in-part')) {
      planned = dateOf(v.plannedCompletion);
      if (!planned)
        errors.push({ field: 'plannedCompletion', target: 'plannedCompletion', message: words.errors.planned });
    }
    let percent: number | undefined;
    if (act === 'report-progress' && v.choice === 'in-progress') {
      percent = /^\d{1,3}$/.test(v.percent.trim()) ? Number(v.percent.trim()) : NaN;
      if (!(percent >= 0 && percent <= 100))
        errors.push({ field: 'percent', target: 'percent', message: words.errors.percent });
    }
    const evidence = v.evidenceUrl.trim();
    if (act === 'report-progress' && evidence !== '' && !/^https:\/\/[^\s]{3,2000}$/.test(evidence)) {
      errors.push({ field: 'evidenceUrl', target: 'evidenceUrl', message: words.errors.evidence });
    }
    if (errors.length > 0) return { errors };
    return { command: this.command(link, v.choice, comment, planned, percent, evidence) };
  }

  private command(
    link: VerifiedLink,
    choice: string,
    comment: string,
    planned: string | null,
    percent: number | undefined,
    evidence: string,
  ): Command {
    // The API's commands, for the link's nation only.
    const nation = link.nation;
    switch (link.act) {
      case 'respond':
        return {
          type: 'respond',
          nation,
          decision: choice as 'accepted',
          comment,
          ...(planned ? { plannedCompletion: planned } : {}),
        };
      case 'report-progress':
        return {
          type: 'report-progress',
          nation,
          status: choice as 'in-progress',
          comment,
          ...(percent !== undefined ? { percent } : {}),
          ...(evidence ? { evidenceUrl: evidence } : {}),
        };
      case 'consensus-position':
        return { type: 'consensus-position', position: choice as 'concur', comment };
      case 'approval-position':
        return { type: 'approval-position', position: choice as 'concur', comment };
    }
  }

  /** The person the link was sent to, as the audit trail records them: the nation's contact, acting through the link. */
  private async actorOf(link: VerifiedLink): Promise<Actor> {
    const nation = await this.nations.get(link.nation);
    const person =
      link.role === 'director'
        ? nation?.director
        : link.role === 'senior-rep'
          ? nation?.seniorRep
          : link.workingGroup
            ? nation?.wgDelegates[link.workingGroup]
            : undefined;
    return {
      id: person?.email ?? `${link.role}-${link.nation}`,
      ...(person?.name ? { name: person.name } : {}),
      roles: [link.role],
      nation: link.nation,
      ...(link.workingGroup ? { workingGroups: [link.workingGroup] } : {}),
      link: { id: link.id, notification: link.notification },
    };
  }

  private async base(
    path: LinkPath,
    link: VerifiedLink,
    words: Words,
    state: RecommendationState,
    status: number,
    heading: string,
  ): Promise<Page> {
    const text = await this.texts.ofRevision(link.reference, link.revision);
    const nation = await this.nations.get(link.nation);
    const matter = linkMatter(state, link);
    return {
      status,
      words,
      heading,
      switchUrl: this.switchUrl(path, words.lang),
      notice: null,
      asked: words.asked[link.act].replace('{nation}', nation?.name[words.lang] ?? link.nation),
      facts: {
        reference: link.reference,
        title: text?.title ?? state.title,
        revision: link.revision,
        nation: `${nation?.name[words.lang] ?? link.nation} (${link.nation})`,
        deadline: matter.deadline ? formatDateTime(matter.deadline, words.lang) : null,
      },
      text: text ? { title: text.title, summary: text.summary, bodyHtml: markdownToHtml(text.body) } : null,
      recorded: null,
      form: null,
      linkUntil: null,
      contact: words.contact(this.config.SECRETARIAT_EMAIL),
    };
  }

  private async formPage(
    path: LinkPath,
    link: VerifiedLink,
    words: Words,
    state: RecommendationState,
    csrf: string,
    values: PageForm['values'],
    errors: FormError[],
    status: number | null,
  ): Promise<Page> {
    const fieldErrors: PageForm['fieldErrors'] = {};
    for (const e of errors) if (e.field && !fieldErrors[e.field]) fieldErrors[e.field] = e.message;
    const page = await this.base(path, link, words, state, status ?? 200, words.titles[link.act]);
    const interim = this.recorded(link, words, state);
    return {
      ...page,
      recorded: interim,
      form: {
        action: `/links/${path.reference}/${path.nation}/${path.act}/${path.token}?lang=${words.lang}`,
        csrf,
        legend: words.choiceLegend[link.act],
        submit: words.submit[link.act],
        commentHint: words.commentHint[link.act],
        choices: choicesOf(words, link.act, values.choice),
        planned: link.act === 'respond',
        percent: link.act === 'report-progress',
        values,
        errors: errors.map(({ target, message }) => ({ target, message })),
        fieldErrors,
      },
      linkUntil: formatDateTime(new Date(link.expiresAt).toISOString(), words.lang),
    };
  }

  private async settled(
    path: LinkPath,
    link: VerifiedLink,
    words: Words,
    state: RecommendationState,
    why: 'stage' | 'round' | 'answered' | 'not-target',
  ): Promise<Page> {
    const page = await this.base(path, link, words, state, 409, words.settledTitle);
    const recorded = this.recorded(link, words, state);
    return {
      ...page,
      notice: { kind: 'info', text: words.settled[why], ...(recorded ? {} : { extra: words.noAnswerYet }) },
      recorded: recorded ? { ...recorded, interim: false } : null,
    };
  }

  private problem(path: LinkPath, words: Words, why: Problem, status: number): Page {
    return problemPage(words, why, status, this.switchUrl(path, words.lang), this.config.SECRETARIAT_EMAIL);
  }

  private switchUrl(path: LinkPath, lang: Language): string {
    return `/links/${encodeURIComponent(path.reference)}/${encodeURIComponent(path.nation)}/${encodeURIComponent(path.act)}/${encodeURIComponent(path.token)}?lang=${otherLanguage(lang)}`;
  }

  /** What the record holds of this nation's answer to this act, in the page's words. */
  private recorded(link: VerifiedLink, words: Words, state: RecommendationState): Page['recorded'] {
    const label = (value: string): string => words.choices[link.act].find((c) => c.value === value)?.label ?? value;
    const when = (at: string): string => formatDateTime(at, words.lang);
    const lines = (
      choice: string,
      comment: string,
      at: string,
      extra: { label: string; value: string }[] = [],
    ): { label: string; value: string }[] => [
      { label: words.choiceLegend[link.act], value: label(choice) },
      ...extra,
      ...(comment ? [{ label: words.comment, value: comment }] : []),
      { label: words.lang === 'fr' ? 'Enregistré le' : 'Recorded at', value: when(at) },
    ];
    if (link.act === 'consensus-position' || link.act === 'approval-position') {
      const round = link.act === 'consensus-position' ? state.consensus : state.approval;
      const p =
        round && round.number === link.round ? round.positions.find((x) => x.nation === link.nation) : undefined;
      return p ? { lines: lines(p.position, p.comment, p.at), interim: false } : null;
    }
    const track = state.tracks.find((t) => t.code === link.nation);
    if (link.act === 'respond') {
      const r = track?.response;
      if (!r) return null;
      const planned = r.plannedCompletion
        ? [
            {
              label: words.planned,
              value: /^\d{4}-\d{2}-\d{2}$/.test(r.plannedCompletion)
                ? formatDate(`${r.plannedCompletion}T12:00:00Z`, words.lang)
                : formatDate(r.plannedCompletion, words.lang),
            },
          ]
        : [];
      return { lines: lines(r.decision, r.comment, r.at, planned), interim: r.decision === 'under-consideration' };
    }
    const last = track?.progress[track.progress.length - 1];
    if (!last) return null;
    return {
      lines: lines(
        last.status,
        last.comment,
        last.at,
        last.percent !== null ? [{ label: words.percent, value: `${last.percent} %` }] : [],
      ),
      interim: false,
    };
  }
}
