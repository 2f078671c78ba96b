/**
 * Partials shared by both languages: the HTML layout (a 600px table, inline-styled), the facts table,
 * the recommendation's text, a quoted note; and their plain-text counterparts. Words come from
 * `labels` in the view, so the structure is written once and the languages only differ in words.
 */

export const HTML_LAYOUT = `<!DOCTYPE html>
<html lang="{{language}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{{subject}}</title>
</head>
<body style="{{style 'body'}}">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">{{preheader}}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="{{style 'outer'}}">
<tr><td align="center" style="{{style 'outerCell'}}">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="{{style 'card'}}">
<tr><td style="{{style 'header'}}">
<div style="{{style 'headerBoard'}}">{{labels.board}}</div>
<div style="{{style 'headerTitle'}}">{{kindTitle}}</div>
<div style="{{style 'headerRef'}}">{{reference}} · {{workingGroup.name}}</div>
</td></tr>
{{#if undeliverable}}<tr><td style="{{style 'banner'}}">
<strong>{{labels.undeliverable}}</strong><br>
{{labels.recipient}}{{labels.colon}}{{undeliverable.recipient}} ({{#each undeliverable.addresses}}{{#unless @first}}, {{/unless}}{{this}}{{/each}})<br>
{{labels.reason}}{{labels.colon}}{{undeliverable.reason}}
</td></tr>
{{/if}}<tr><td style="{{style 'content'}}">
{{> @partial-block}}
</td></tr>
<tr><td style="{{style 'footer'}}">
{{labels.footer}}<br>
{{labels.identity}}{{labels.colon}}{{reference}} · {{kind}}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;

export const HTML_FACTS = `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="{{style 'facts'}}">
<tr><td style="{{style 'factLabel'}}">{{labels.reference}}</td><td style="{{style 'factValue'}}">{{reference}}</td></tr>
<tr><td style="{{style 'factLabel'}}">{{labels.title}}</td><td style="{{style 'factValue'}}">{{title}}</td></tr>
<tr><td style="{{style 'factLabel'}}">{{labels.workingGroup}}</td><td style="{{style 'factValue'}}">{{workingGroup.name}} ({{workingGroup.code}})</td></tr>
<tr><td style="{{style 'factLabel'}}">{{labels.revision}}</td><td style="{{style 'factValue'}}">{{revision}}</td></tr>
{{#if nation}}<tr><td style="{{style 'factLabel'}}">{{labels.nation}}</td><td style="{{style 'factValue'}}">{{nation.name}} ({{nation.code}})</td></tr>
{{/if}}{{#if deadline}}<tr><td style="{{style 'factLabel'}}">{{deadlineLabel}}</td><td style="{{style 'deadline'}}">{{deadline}}</td></tr>
{{/if}}</table>
`;

export const HTML_RECOMMENDATION = `{{#if originalLanguageNote}}<p style="{{style 'note'}}">{{originalLanguageNote}}</p>
{{/if}}<p style="{{style 'title'}}">{{title}}</p>
<p style="{{style 'summary'}}">{{summary}}</p>
{{#if body}}<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="{{style 'textBox'}}">
<tr><td style="{{style 'textCell'}}"><div style="{{style 'bodyText'}}">{{{bodyHtml}}}</div></td></tr>
</table>
{{/if}}`;

export const HTML_NOTE = `{{#if note}}<div style="{{style 'quote'}}">{{note}}</div>
{{/if}}`;

export const TEXT_LAYOUT = `{{#if undeliverable}}*** {{labels.undeliverable}}
{{labels.recipient}}{{labels.colon}}{{undeliverable.recipient}} ({{#each undeliverable.addresses}}{{#unless @first}}, {{/unless}}{{this}}{{/each}})
{{labels.reason}}{{labels.colon}}{{undeliverable.reason}}
***

{{/if}}{{> @partial-block}}
-- 
{{labels.footer}}
{{labels.identity}}{{labels.colon}}{{reference}} · {{kind}}
`;

export const TEXT_FACTS = `{{labels.reference}}{{labels.colon}}{{reference}}
{{labels.title}}{{labels.colon}}{{title}}
{{labels.workingGroup}}{{labels.colon}}{{workingGroup.name}} ({{workingGroup.code}})
{{labels.revision}}{{labels.colon}}{{revision}}
{{#if nation}}{{labels.nation}}{{labels.colon}}{{nation.name}} ({{nation.code}})
{{/if}}{{#if deadline}}{{deadlineLabel}}{{labels.colon}}{{deadline}}
{{/if}}`;

export const TEXT_RECOMMENDATION = `{{#if originalLanguageNote}}({{originalLanguageNote}})

{{/if}}{{title}}
{{underline title}}

{{summary}}
{{#if body}}

{{body}}
{{/if}}`;

export const TEXT_NOTE = `{{#if note}}
{{quote note}}
{{/if}}`;

export const HTML_SIGNOFF = `<p style="{{style 'p'}}">{{nl2br signoff}}</p>
`;
