import Handlebars from 'handlebars';
import { createHash } from 'node:crypto';
import type { Language, LinkAct } from '@app/domain';
import type { Choice, Words } from './link-words';

/*
 * The pages of a personal link, rendered on the server: no script at all (the page works without
 * JavaScript, and the Content-Security-Policy allows none), one stylesheet whose hash the policy names.
 * Handlebars escapes everything a person wrote.
 */

const CSS = `*{box-sizing:border-box}
body{margin:0;font-family:Arial,Helvetica,sans-serif;font-size:17px;line-height:1.5;color:#1f2933;background:#eef1f5}
a{color:#0b4f94}
a:focus,input:focus,textarea:focus,button:focus{outline:3px solid #f5a623;outline-offset:2px}
.skip{position:absolute;left:-9999px;top:0;background:#fff;padding:8px 12px}
.skip:focus{left:8px;top:8px}
header{background:#0b2a4a;color:#fff;padding:16px 24px;display:flex;justify-content:space-between;align-items:center;gap:16px;flex-wrap:wrap}
header .board{font-size:14px;letter-spacing:.04em;text-transform:uppercase;color:#d6e2f0}
header a{color:#fff;font-weight:bold}
main{max-width:760px;margin:24px auto;background:#fff;border:1px solid #d5dbe3;padding:24px 28px}
h1{font-size:28px;line-height:1.25;margin:0 0 12px;color:#0b2a4a}
h2{font-size:21px;margin:28px 0 10px;color:#0b2a4a}
dl.facts{display:grid;grid-template-columns:minmax(120px,32%) 1fr;margin:16px 0;border:1px solid #e1e6ed;background:#f5f7fa}
dl.facts dt,dl.facts dd{margin:0;padding:8px 12px;border-bottom:1px solid #e1e6ed}
dl.facts dt{color:#3e4c59}
dl.facts dd.deadline{color:#9b1c1c;font-weight:bold}
.summary{font-style:italic}
.body{overflow-wrap:anywhere;border-left:4px solid #0b5cab;background:#fbfcfe;padding:12px 16px;max-height:28em;overflow:auto}
.body h1,.body h2,.body h3,.body h4{font-size:1.05em;margin:.2em 0 .5em}
.body p,.body ul,.body ol,.body blockquote,.body pre{margin:0 0 .7em}
.body ul,.body ol{padding-left:1.4em}
.body blockquote{padding-left:.8em;border-left:3px solid #c6d6ea;color:#3e4c59}
.body pre{white-space:pre-wrap}
fieldset{border:0;padding:0;margin:20px 0}
legend{font-weight:bold;font-size:19px;margin-bottom:8px}
.choice{display:grid;grid-template-columns:28px 1fr;gap:4px 10px;align-items:start;margin:10px 0;padding:10px 12px;border:2px solid #c6d0db;border-radius:4px}
.choice input{width:22px;height:22px;margin:2px 0 0}
.choice label{font-weight:bold}
.choice .meaning{grid-column:2;color:#3e4c59;font-size:16px}
.field{margin:20px 0}
.field label{display:block;font-weight:bold;margin-bottom:4px}
.hint{display:block;color:#52606d;font-size:15px;margin-bottom:6px}
input[type=date],input[type=number],input[type=url],textarea{font:inherit;padding:8px;border:2px solid #52606d;border-radius:3px;max-width:100%}
textarea{width:100%;min-height:8em}
.invalid input,.invalid textarea,.choice.invalid{border-color:#b3261e}
.error{display:block;color:#b3261e;font-weight:bold;margin:4px 0}
.summary-box{border:4px solid #b3261e;padding:12px 16px;margin:0 0 20px}
.summary-box h2{margin-top:0;color:#b3261e}
.notice{border-left:6px solid #0b5cab;background:#f0f6fc;padding:12px 16px;margin:16px 0}
.notice.done{border-color:#1e7b34;background:#eef8f0}
.notice.problem{border-color:#b3261e;background:#fdf0ef}
button{font:inherit;font-weight:bold;background:#0b5cab;color:#fff;border:0;border-radius:4px;padding:12px 22px;cursor:pointer}
footer{max-width:760px;margin:0 auto 32px;color:#52606d;font-size:15px;padding:0 8px}
@media (max-width:600px){main{margin:0;border:0;padding:16px}dl.facts{grid-template-columns:1fr}dl.facts dt{border-bottom:0;padding-bottom:0}}`;

/** The Content-Security-Policy of every link page: nothing but its own stylesheet, forms only to itself. */
export const LINK_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'`,
  "img-src 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const LAYOUT = `<!DOCTYPE html>
<html lang="{{words.lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>{{heading}} · DIPB</title>
<style>${CSS}</style>
</head>
<body>
{{#if form}}<a class="skip" href="#answer">{{words.skip}}</a>
{{/if}}<header>
<span class="board">{{words.board}}</span>
<a href="{{switchUrl}}" lang="{{words.other.lang}}" hreflang="{{words.other.lang}}">{{words.other.label}}</a>
</header>
<main id="main">
<h1>{{heading}}</h1>
{{#if notice}}<div class="notice {{notice.kind}}" {{#if notice.alert}}role="alert"{{/if}}><p>{{notice.text}}</p>{{#if notice.extra}}<p>{{notice.extra}}</p>{{/if}}</div>
{{/if}}{{#if asked}}<p>{{asked}}</p>
{{/if}}{{#if facts}}<dl class="facts">
<dt>{{words.reference}}</dt><dd>{{facts.reference}}</dd>
<dt>{{words.title}}</dt><dd>{{facts.title}}</dd>
<dt>{{words.revision}}</dt><dd>{{facts.revision}}</dd>
<dt>{{words.nation}}</dt><dd>{{facts.nation}}</dd>
{{#if facts.deadline}}<dt>{{words.deadline}}</dt><dd class="deadline">{{facts.deadline}}</dd>
{{/if}}</dl>
{{/if}}{{#if recorded}}<h2>{{words.recordedAnswer}}</h2>
<dl class="facts">
{{#each recorded.lines}}<dt>{{label}}</dt><dd>{{value}}</dd>
{{/each}}</dl>
{{#if recorded.interim}}<p>{{words.interimNote}}</p>{{/if}}
{{/if}}{{#if form}}{{> form}}{{/if}}{{#if text}}<h2>{{words.text}}</h2>
<p><strong>{{text.title}}</strong></p>
<p class="summary">{{text.summary}}</p>
{{#if text.bodyHtml}}<div class="body" tabindex="0" aria-label="{{words.text}}">{{{text.bodyHtml}}}</div>{{/if}}
{{/if}}</main>
<footer>
{{#if linkUntil}}<p>{{words.linkUntil}} {{linkUntil}}.</p>{{/if}}
<p>{{contact}}</p>
</footer>
</body>
</html>
`;

const FORM = `<form id="answer" method="post" action="{{form.action}}" novalidate>
{{#if form.errors.length}}<div class="summary-box" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">{{words.errorSummary}}</h2>
<ul>{{#each form.errors}}<li><a href="#{{target}}">{{message}}</a></li>{{/each}}</ul>
</div>
{{/if}}<input type="hidden" name="csrf" value="{{form.csrf}}">
<fieldset{{#if form.fieldErrors.choice}} aria-describedby="choice-error"{{/if}}>
<legend>{{form.legend}}</legend>
{{#if form.fieldErrors.choice}}<span class="error" id="choice-error">{{form.fieldErrors.choice}}</span>{{/if}}
{{#each form.choices}}<div class="choice{{#if ../form.fieldErrors.choice}} invalid{{/if}}">
<input type="radio" id="choice-{{value}}" name="choice" value="{{value}}" aria-describedby="choice-{{value}}-meaning"{{#if checked}} checked{{/if}}>
<label for="choice-{{value}}">{{label}}</label>
<span class="meaning" id="choice-{{value}}-meaning">{{meaning}}</span>
</div>
{{/each}}</fieldset>
{{#if form.planned}}<div class="field{{#if form.fieldErrors.plannedCompletion}} invalid{{/if}}">
<label for="plannedCompletion">{{words.planned}}</label>
<span class="hint" id="plannedCompletion-hint">{{words.plannedHint}}</span>
{{#if form.fieldErrors.plannedCompletion}}<span class="error" id="plannedCompletion-error">{{form.fieldErrors.plannedCompletion}}</span>{{/if}}
<input type="date" id="plannedCompletion" name="plannedCompletion" value="{{form.values.plannedCompletion}}" aria-describedby="plannedCompletion-hint{{#if form.fieldErrors.plannedCompletion}} plannedCompletion-error{{/if}}"{{#if form.fieldErrors.plannedCompletion}} aria-invalid="true"{{/if}}>
</div>
{{/if}}{{#if form.percent}}<div class="field{{#if form.fieldErrors.percent}} invalid{{/if}}">
<label for="percent">{{words.percent}}</label>
<span class="hint" id="percent-hint">{{words.percentHint}}</span>
{{#if form.fieldErrors.percent}}<span class="error" id="percent-error">{{form.fieldErrors.percent}}</span>{{/if}}
<input type="number" id="percent" name="percent" min="0" max="100" step="1" inputmode="numeric" value="{{form.values.percent}}" aria-describedby="percent-hint{{#if form.fieldErrors.percent}} percent-error{{/if}}"{{#if form.fieldErrors.percent}} aria-invalid="true"{{/if}}>
</div>
<div class="field{{#if form.fieldErrors.evidenceUrl}} invalid{{/if}}">
<label for="evidenceUrl">{{words.evidence}}</label>
<span class="hint" id="evidenceUrl-hint">{{words.evidenceHint}}</span>
{{#if form.fieldErrors.evidenceUrl}}<span class="error" id="evidenceUrl-error">{{form.fieldErrors.evidenceUrl}}</span>{{/if}}
<input type="url" id="evidenceUrl" name="evidenceUrl" value="{{form.values.evidenceUrl}}" aria-describedby="evidenceUrl-hint{{#if form.fieldErrors.evidenceUrl}} evidenceUrl-error{{/if}}"{{#if form.fieldErrors.evidenceUrl}} aria-invalid="true"{{/if}}>
</div>
{{/if}}<div class="field{{#if form.fieldErrors.comment}} invalid{{/if}}">
<label for="comment">{{words.comment}}</label>
<span class="hint" id="comment-hint">{{form.commentHint}}</span>
{{#if form.fieldErrors.comment}}<span class="error" id="comment-error">{{form.fieldErrors.comment}}</span>{{/if}}
<textarea id="comment" name="comment" maxlength="8000" aria-describedby="comment-hint{{#if form.fieldErrors.comment}} comment-error{{/if}}"{{#if form.fieldErrors.comment}} aria-invalid="true"{{/if}}>{{form.values.comment}}</textarea>
</div>
<button type="submit">{{form.submit}}</button>
</form>
`;

export interface PageForm {
  action: string;
  csrf: string;
  legend: string;
  submit: string;
  commentHint: string;
  choices: (Choice & { checked: boolean })[];
  planned: boolean;
  percent: boolean;
  values: { comment: string; plannedCompletion: string; percent: string; evidenceUrl: string; choice: string };
  errors: { target: string; message: string }[];
  fieldErrors: Partial<Record<'choice' | 'comment' | 'plannedCompletion' | 'percent' | 'evidenceUrl', string>>;
}

export interface Page {
  status: number;
  words: Words;
  heading: string;
  switchUrl: string;
  notice: { kind: 'done' | 'problem' | 'info'; text: string; extra?: string; alert?: boolean } | null;
  asked: string | null;
  facts: { reference: string; title: string; revision: number; nation: string; deadline: string | null } | null;
  /** The body rendered from its markdown (raw HTML in it shown as text). */
  text: { title: string; summary: string; bodyHtml: string } | null;
  recorded: { lines: { label: string; value: string }[]; interim: boolean } | null;
  form: PageForm | null;
  linkUntil: string | null;
  contact: string;
  retryAfterSeconds?: number;
}

const hbs = Handlebars.create();
hbs.registerPartial('form', FORM);
const layout = hbs.compile<Page>(LAYOUT, { strict: false });

export function renderPage(page: Page): string {
  return layout(page);
}

export type Problem = 'invalid' | 'expired' | 'revoked' | 'bent' | 'gone' | 'unavailable';

/** A page that says what is wrong, with nothing of the recommendation on it and whom to ask instead. */
export function problemPage(words: Words, why: Problem, status: number, switchUrl: string, contactEmail: string): Page {
  return {
    status,
    words,
    heading: words.problemTitles[why],
    switchUrl,
    notice: { kind: 'problem', text: words.problems[why] },
    asked: null,
    facts: null,
    text: null,
    recorded: null,
    form: null,
    linkUntil: null,
    contact: words.contact(contactEmail),
  };
}

/** The choices of an act, the one given (if any) checked. */
export function choicesOf(words: Words, act: LinkAct, given: string): (Choice & { checked: boolean })[] {
  return words.choices[act].map((c) => ({ ...c, checked: c.value === given }));
}

export function otherLanguage(language: Language): Language {
  return language === 'en' ? 'fr' : 'en';
}
