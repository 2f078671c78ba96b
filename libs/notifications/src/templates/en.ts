import type { LanguagePack } from './language-pack';

// English. HTML bodies sit inside the shared `layout` partial; text bodies inside `textLayout`.

const respondHtml = `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="{{style 'action'}}">
<tr><td style="{{style 'actionCell'}}">
<strong>How to respond</strong><br>
{{#if link}}Answer for {{nation.name}} on the page of your personal link (it works for {{nation.name}}'s answer to this recommendation only; do not forward it):<br>
<p style="margin:10px 0 6px 0;"><a href="{{link.url}}" style="{{style 'button'}}">Answer for {{nation.name}}</a></p>
<span style="{{style 'linkText'}}">{{breakable link.url}}</span>
<span style="{{style 'note'}}">The link works until {{link.expires}}.</span><br>
{{else}}Record your nation's answer in the DIPB recommendations service: <span style="{{style 'route'}}">POST {{breakable routes.response}}</span>{{/if}}<ul style="{{style 'list'}}">
<li style="{{style 'li'}}"><strong>Accepted</strong> — your nation accepts the recommendation (give a planned completion date);</li>
<li style="{{style 'li'}}"><strong>Accepted in part</strong> — it accepts part of it (say which part, and give a planned completion date);</li>
<li style="{{style 'li'}}"><strong>Not accepted</strong> — it does not accept it (give the reason);</li>
<li style="{{style 'li'}}"><strong>Under consideration</strong> — an interim answer; a final answer is still expected.</li>
</ul>
{{#if link}}Systems may record it through the API (<span style="{{style 'code'}}">POST {{breakable routes.response}}</span>). If you cannot use the page, reply to this message and the Secretariat will record your answer on your nation's behalf.
{{/if}}</td></tr>
</table>
`;

const respondText = `HOW TO RESPOND
{{#if link}}Answer for {{nation.name}} on the page of your personal link (it works for {{nation.name}}'s answer to this recommendation only; do not forward it):
  {{link.url}}
(The link works until {{link.expires}}.)
{{else}}Record your nation's answer in the DIPB recommendations service:
  POST {{routes.response}}
{{/if}}with a comment and one of these decisions:
  - Accepted: your nation accepts the recommendation (give a planned completion date);
  - Accepted in part: it accepts part of it (say which part, and give a planned completion date);
  - Not accepted: it does not accept it (give the reason);
  - Under consideration: an interim answer; a final answer is still expected.
{{#if link}}Systems may record it through the API: POST {{routes.response}}
{{/if}}If you cannot use the page, reply to this message and the Secretariat will record your answer on your nation's behalf.
`;

const reportHtml = `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="{{style 'action'}}">
<tr><td style="{{style 'actionCell'}}">
<strong>How to report</strong><br>
{{#if link}}Report for {{nation.name}} on the page of your personal link (it works for {{nation.name}}'s report on this recommendation only; do not forward it):<br>
<p style="margin:10px 0 6px 0;"><a href="{{link.url}}" style="{{style 'button'}}">Report for {{nation.name}}</a></p>
<span style="{{style 'linkText'}}">{{breakable link.url}}</span>
<span style="{{style 'note'}}">The link works until {{link.expires}}.</span><br>
{{else}}Send your report through the DIPB recommendations service: <span style="{{style 'route'}}">POST {{breakable routes.progress}}</span>{{/if}}<ul style="{{style 'list'}}">
<li style="{{style 'li'}}"><strong>In progress</strong> — work is under way (give the percentage done);</li>
<li style="{{style 'li'}}"><strong>Implemented</strong> — the recommendation is implemented (link the evidence);</li>
<li style="{{style 'li'}}"><strong>Not implemented</strong> — it will not be implemented (give the reason).</li>
</ul>
{{#if link}}Systems may report through the API (<span style="{{style 'code'}}">POST {{breakable routes.progress}}</span>). If you cannot use the page, reply to this message and the Secretariat will record your report.
{{/if}}</td></tr>
</table>
`;

const reportText = `HOW TO REPORT
{{#if link}}Report for {{nation.name}} on the page of your personal link (it works for {{nation.name}}'s report on this recommendation only; do not forward it):
  {{link.url}}
(The link works until {{link.expires}}.)
{{else}}Send your report through the DIPB recommendations service:
  POST {{routes.progress}}
{{/if}}with a comment and one of these statuses:
  - In progress: work is under way (give the percentage done);
  - Implemented: the recommendation is implemented (link the evidence);
  - Not implemented: it will not be implemented (give the reason).
{{#if link}}Systems may report through the API: POST {{routes.progress}}
{{/if}}If you cannot use the page, reply to this message and the Secretariat will record your report.
`;

const positionHtml = `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="{{style 'action'}}">
<tr><td style="{{style 'actionCell'}}">
<strong>How to take a position</strong><br>
{{#if link}}Silence means agreement: you need not answer unless you wish to. To take a position for {{nation.name}}, use the page of your personal link (for this round only; do not forward it):<br>
<p style="margin:10px 0 6px 0;"><a href="{{link.url}}" style="{{style 'button'}}">Take a position for {{nation.name}}</a></p>
<span style="{{style 'linkText'}}">{{breakable link.url}}</span>
<span style="{{style 'note'}}">The link works until the silence ends, {{link.expires}}.</span><br>
{{else}}To take a position: <span style="{{style 'route'}}">POST {{breakable positionRoute}}</span>{{/if}}<ul style="{{style 'list'}}">
<li style="{{style 'li'}}"><strong>Concur</strong> — you agree;</li>
{{#if abstainAllowed}}<li style="{{style 'li'}}"><strong>Abstain</strong> — you neither agree nor object;</li>
{{/if}}<li style="{{style 'li'}}"><strong>Object</strong> — you object, which breaks silence (the reason is required).</li>
</ul>
{{#if link}}Systems may take a position through the API (<span style="{{style 'code'}}">POST {{breakable positionRoute}}</span>).
{{/if}}</td></tr>
</table>
`;

const positionText = `HOW TO TAKE A POSITION
{{#if link}}Silence means agreement: you need not answer unless you wish to. To take a position for {{nation.name}}, use the page of your personal link (for this round only; do not forward it):
  {{link.url}}
(The link works until the silence ends, {{link.expires}}.)
{{else}}To take a position:
  POST {{positionRoute}}
{{/if}}with a comment and one of:
  - Concur: you agree;
{{#if abstainAllowed}}  - Abstain: you neither agree nor object;
{{/if}}  - Object: you object, which breaks silence (the reason is required).
{{#if link}}Systems may take a position through the API: POST {{positionRoute}}
{{/if}}`;

export const EN: LanguagePack = {
  labels: {
    board: 'NATO · Defence Industrial Production Board',
    footer: 'Sent by the DIPB recommendations service on behalf of the Secretariat. Replies reach the Secretariat.',
    identity: 'Reference',
    reference: 'Reference',
    title: 'Title',
    workingGroup: 'Working group',
    revision: 'Revision',
    nation: 'Nation',
    colon: ': ',
    signoff: 'Yours sincerely,\nThe DIPB Secretariat',
    undeliverable: 'This message could not be delivered. Please pass it on to its recipient.',
    undeliverableSubject: 'Undeliverable',
    recipient: 'Recipient',
    reason: 'Reason',
    originalLanguage: {
      en: 'The text is in its original language, English.',
      fr: 'The text is in its original language, French.',
    },
    signoffSystem: 'DIPB recommendations service (automatic message)',
  },
  greetings: {
    director: 'Dear National Armaments Director,',
    'senior-rep': 'Dear Senior National Representative,',
    'wg-member': 'Dear Working Group member,',
    secretariat: 'Dear colleagues,',
    rapporteur: 'Dear Rapporteur,',
  },
  partials: { respondHtml, respondText, reportHtml, reportText, positionHtml, positionText },
  kinds: {
    submission: {
      title: 'Recommendation for national response',
      deadlineLabel: 'Response due',
      subject: 'Recommendation for national response: {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">The Defence Industrial Production Board has approved the recommendation below and submits it to {{nation.name}} for consideration. Please let the Board have your nation's response by <strong>{{deadline}}</strong>.</p>
{{> facts}}
<p style="{{style 'h2'}}">The recommendation</p>
{{> recommendation}}
{{> respondHtml}}
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

The Defence Industrial Production Board has approved the recommendation below and submits it to {{nation.name}} for consideration. Please let the Board have your nation's response by {{deadline}}.

{{> facts}}

{{> recommendation}}

{{> respondText}}

{{signoff}}
{{/textLayout}}`,
    },
    'response-reminder': {
      title: 'Reminder: national response due',
      deadlineLabel: 'Response due',
      subject: 'Reminder: response due {{deadlineDate}} — {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">This is a reminder that the response of {{nation.name}} to the recommendation below is due by <strong>{{deadline}}</strong>. If you have already answered, thank you, and please disregard this message.</p>
{{> facts}}
<p style="{{style 'summary'}}">{{summary}}</p>
{{> respondHtml}}
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

This is a reminder that the response of {{nation.name}} to the recommendation below is due by {{deadline}}. If you have already answered, thank you, and please disregard this message.

{{> facts}}

{{summary}}

{{> respondText}}

{{signoff}}
{{/textLayout}}`,
    },
    'response-overdue': {
      title: 'National response overdue',
      deadlineLabel: 'Response was due',
      subject: 'Response overdue since {{deadlineDate}}: {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">The response of {{nation.name}} to the recommendation below was due by <strong>{{deadline}}</strong> and the Board has not yet received it. Please respond as soon as possible; an interim answer (<span style="{{style 'code'}}">under-consideration</span>) is welcome if a final one is not yet possible.</p>
{{> facts}}
<p style="{{style 'summary'}}">{{summary}}</p>
{{> respondHtml}}
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

The response of {{nation.name}} to the recommendation below was due by {{deadline}} and the Board has not yet received it. Please respond as soon as possible; an interim answer (under-consideration) is welcome if a final one is not yet possible.

{{> facts}}

{{summary}}

{{> respondText}}

{{signoff}}
{{/textLayout}}`,
    },
    escalation: {
      title: 'Escalation: a nation has not answered',
      deadlineLabel: 'Was due',
      subject: '{{#if isProgress}}Progress report{{else}}Response{{/if}} from {{nation.name}} still missing: {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">{{#if isProgress}}The implementation progress report{{else}}The response{{/if}} of <strong>{{nation.name}} ({{nation.code}})</strong> was due by <strong>{{deadline}}</strong>. Overdue notices have gone to its National Armaments Director without an answer. Please follow the matter up with the delegation; you may record the answer on the nation's behalf.</p>
{{> facts}}
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

{{#if isProgress}}The implementation progress report{{else}}The response{{/if}} of {{nation.name}} ({{nation.code}}) was due by {{deadline}}. Overdue notices have gone to its National Armaments Director without an answer. Please follow the matter up with the delegation; you may record the answer on the nation's behalf.

{{> facts}}

{{signoff}}
{{/textLayout}}`,
    },
    'progress-request': {
      title: 'Implementation progress report requested',
      deadlineLabel: 'Report due',
      subject: 'Progress report due {{deadlineDate}}: {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">{{nation.name}} has accepted the recommendation below. The Board asks for a report on its implementation by <strong>{{deadline}}</strong>.</p>
{{> facts}}
<p style="{{style 'summary'}}">{{summary}}</p>
{{> reportHtml}}
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

{{nation.name}} has accepted the recommendation below. The Board asks for a report on its implementation by {{deadline}}.

{{> facts}}

{{summary}}

{{> reportText}}

{{signoff}}
{{/textLayout}}`,
    },
    'progress-overdue': {
      title: 'Implementation progress report overdue',
      deadlineLabel: 'Report was due',
      subject: 'Progress report overdue since {{deadlineDate}}: {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">The report of {{nation.name}} on the implementation of the recommendation below was due by <strong>{{deadline}}</strong> and the Board has not yet received it. Please send it as soon as possible.</p>
{{> facts}}
<p style="{{style 'summary'}}">{{summary}}</p>
{{> reportHtml}}
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

The report of {{nation.name}} on the implementation of the recommendation below was due by {{deadline}} and the Board has not yet received it. Please send it as soon as possible.

{{> facts}}

{{summary}}

{{> reportText}}

{{signoff}}
{{/textLayout}}`,
    },
    'deadline-moved': {
      title: 'Deadline changed',
      deadlineLabel: 'Deadline now',
      subject: 'Deadline changed to {{deadlineDate}}: {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">The Secretariat has changed the deadline for {{#if isProgress}}the progress report of {{nation.name}}{{else}}the response of {{nation.name}}{{/if}} on the recommendation below. It is now <strong>{{deadline}}</strong>{{#unless isProgress}}; the attached calendar entry replaces the earlier one{{/unless}}.{{#if note}} The reason given:{{/if}}</p>
{{> note}}
{{> facts}}
<p style="{{style 'summary'}}">{{summary}}</p>
{{#if isProgress}}{{> reportHtml}}{{else}}{{> respondHtml}}{{/if}}
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

The Secretariat has changed the deadline for {{#if isProgress}}the progress report of {{nation.name}}{{else}}the response of {{nation.name}}{{/if}} on the recommendation below. It is now {{deadline}}{{#unless isProgress}}; the attached calendar entry replaces the earlier one{{/unless}}.{{#if note}} The reason given:{{/if}}
{{> note}}
{{> facts}}

{{summary}}

{{#if isProgress}}{{> reportText}}{{else}}{{> respondText}}{{/if}}

{{signoff}}
{{/textLayout}}`,
    },
    'consensus-call': {
      title: 'Call for consensus (silence procedure)',
      deadlineLabel: 'Silence expires',
      subject: 'Call for consensus, silence expires {{deadlineDate}}: {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">The {{workingGroup.name}} working group is asked to agree revision {{revision}} of the recommendation below under the silence procedure. Silence expires on <strong>{{deadline}}</strong>: if no member objects by then, consensus is reached.</p>
{{> facts}}
<p style="{{style 'h2'}}">The text</p>
{{> recommendation}}
{{> positionHtml}}
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

The {{workingGroup.name}} working group is asked to agree revision {{revision}} of the recommendation below under the silence procedure. Silence expires on {{deadline}}: if no member objects by then, consensus is reached.

{{> facts}}

{{> recommendation}}

{{> positionText}}

{{signoff}}
{{/textLayout}}`,
    },
    'consensus-reminder': {
      title: 'Reminder: silence procedure under way',
      deadlineLabel: 'Silence expires',
      subject: 'Reminder: silence expires {{deadlineDate}} — {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">Silence on revision {{revision}} of the recommendation below expires on <strong>{{deadline}}</strong>. {{nation.name}} has not yet taken a position; if it does not object by then, it will be counted as agreeing.</p>
{{> facts}}
<p style="{{style 'summary'}}">{{summary}}</p>
{{> positionHtml}}
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

Silence on revision {{revision}} of the recommendation below expires on {{deadline}}. {{nation.name}} has not yet taken a position; if it does not object by then, it will be counted as agreeing.

{{> facts}}

{{summary}}

{{> positionText}}

{{signoff}}
{{/textLayout}}`,
    },
    objection: {
      title: 'Objection: silence broken',
      deadlineLabel: 'Silence was to expire',
      subject: 'Objection by {{nation.name}}, back to drafting: {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">{{nation.name}} has objected to revision {{revision}} of the recommendation below during the {{#if isApproval}}senior representatives' approval{{else}}working group's consensus{{/if}} round{{#if round}} (round {{round}}){{/if}}. Silence is broken and the recommendation returns to drafting. The reason given:</p>
{{> note}}
{{> facts}}
<p style="{{style 'p'}}">Please consider the objection and prepare a new revision.</p>
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

{{nation.name}} has objected to revision {{revision}} of the recommendation below during the {{#if isApproval}}senior representatives' approval{{else}}working group's consensus{{/if}} round{{#if round}} (round {{round}}){{/if}}. Silence is broken and the recommendation returns to drafting. The reason given:
{{> note}}

{{> facts}}

Please consider the objection and prepare a new revision.

{{signoff}}
{{/textLayout}}`,
    },
    'approval-call': {
      title: 'Approval by senior national representatives',
      deadlineLabel: 'Silence expires',
      subject: 'For approval, silence expires {{deadlineDate}}: {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">The {{workingGroup.name}} working group has agreed the recommendation below. It is put to the senior national representatives for approval under the silence procedure. Silence expires on <strong>{{deadline}}</strong>: if no nation objects by then, the recommendation is approved.</p>
{{> facts}}
<p style="{{style 'h2'}}">The text</p>
{{> recommendation}}
{{> positionHtml}}
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

The {{workingGroup.name}} working group has agreed the recommendation below. It is put to the senior national representatives for approval under the silence procedure. Silence expires on {{deadline}}: if no nation objects by then, the recommendation is approved.

{{> facts}}

{{> recommendation}}

{{> positionText}}

{{signoff}}
{{/textLayout}}`,
    },
    'approval-reminder': {
      title: 'Reminder: approval under silence procedure',
      deadlineLabel: 'Silence expires',
      subject: 'Reminder: approval silence expires {{deadlineDate}} — {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">Silence on the approval of the recommendation below expires on <strong>{{deadline}}</strong>. {{nation.name}} has not yet taken a position; if it does not object by then, it will be counted as approving.</p>
{{> facts}}
<p style="{{style 'summary'}}">{{summary}}</p>
{{> positionHtml}}
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

Silence on the approval of the recommendation below expires on {{deadline}}. {{nation.name}} has not yet taken a position; if it does not object by then, it will be counted as approving.

{{> facts}}

{{summary}}

{{> positionText}}

{{signoff}}
{{/textLayout}}`,
    },
    approved: {
      title: 'Recommendation approved',
      deadlineLabel: 'Silence expired',
      subject: 'Approved by the senior national representatives: {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">Silence held{{#if round}} in approval round {{round}}{{/if}}: the senior national representatives have approved revision {{revision}} of the recommendation below. It can now be submitted to the National Armaments Directors (<span style="{{style 'code'}}">POST {{breakable routes.submission}}</span>), unless its policy submits it automatically.</p>
{{> facts}}
<p style="{{style 'summary'}}">{{summary}}</p>
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

Silence held{{#if round}} in approval round {{round}}{{/if}}: the senior national representatives have approved revision {{revision}} of the recommendation below. It can now be submitted to the National Armaments Directors (POST {{routes.submission}}), unless its policy submits it automatically.

{{> facts}}

{{summary}}

{{signoff}}
{{/textLayout}}`,
    },
    withdrawn: {
      title: 'Recommendation withdrawn',
      deadlineLabel: 'Deadline',
      subject: 'Withdrawn: {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">The Secretariat has withdrawn the recommendation below. Nothing more is expected of you on it, and no further reminders will be sent.{{#if note}} The reason given:{{/if}}</p>
{{> note}}
{{> facts}}
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

The Secretariat has withdrawn the recommendation below. Nothing more is expected of you on it, and no further reminders will be sent.{{#if note}} The reason given:{{/if}}
{{> note}}

{{> facts}}

{{signoff}}
{{/textLayout}}`,
    },
    closed: {
      title: 'Follow-up closed',
      deadlineLabel: 'Deadline',
      subject: 'Follow-up closed: {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">Follow-up of the recommendation below is closed. No further responses or progress reports are requested, and no further reminders will be sent.{{#if nation}} Thank you for your nation's contributions.{{/if}}</p>
{{> note}}
{{> facts}}
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

Follow-up of the recommendation below is closed. No further responses or progress reports are requested, and no further reminders will be sent.{{#if nation}} Thank you for your nation's contributions.{{/if}}
{{> note}}

{{> facts}}

{{signoff}}
{{/textLayout}}`,
    },
  },
};
