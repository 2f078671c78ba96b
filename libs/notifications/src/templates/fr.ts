import type { LanguagePack } from './language-pack';

// Français. Written with plain spaces; `frenchSpacing` puts the non-breaking spaces French typography
// wants before « : ; ! ? » and inside guillemets when the pack is loaded (lint forbids them in source).

const respondHtml = `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="{{style 'action'}}">
<tr><td style="{{style 'actionCell'}}">
<strong>Comment répondre</strong><br>
{{#if link}}Répondez pour {{nation.name}} sur la page de votre lien personnel (il ne sert qu'à la réponse de {{nation.name}} à cette recommandation ; ne le transférez pas) :<br>
<p style="margin:10px 0 6px 0;"><a href="{{link.url}}" style="{{style 'button'}}">Répondre pour {{nation.name}}</a></p>
<span style="{{style 'linkText'}}">{{breakable link.url}}</span>
<span style="{{style 'note'}}">Le lien est valable jusqu'au {{link.expires}}.</span><br>
{{else}}Enregistrez votre réponse par l'API : <span style="{{style 'route'}}">POST {{breakable routes.response}}</span>{{/if}}<ul style="{{style 'list'}}">
<li style="{{style 'li'}}"><strong>Acceptée</strong> — votre nation accepte la recommandation (indiquez une date d'achèvement prévue) ;</li>
<li style="{{style 'li'}}"><strong>Acceptée en partie</strong> — elle en accepte une partie (précisez laquelle et indiquez une date d'achèvement prévue) ;</li>
<li style="{{style 'li'}}"><strong>Non acceptée</strong> — elle ne l'accepte pas (indiquez-en la raison) ;</li>
<li style="{{style 'li'}}"><strong>À l'étude</strong> — réponse d'attente ; une réponse définitive reste attendue.</li>
</ul>
{{#if link}}Les systèmes peuvent l'enregistrer par l'API (<span style="{{style 'code'}}">POST {{breakable routes.response}}</span>). Si vous ne pouvez pas utiliser la page, répondez à ce message : le Secrétariat enregistrera votre réponse au nom de votre nation.
{{/if}}</td></tr>
</table>
`;

const respondText = `COMMENT RÉPONDRE
{{#if link}}Répondez pour {{nation.name}} sur la page de votre lien personnel (il ne sert qu'à la réponse de {{nation.name}} à cette recommandation ; ne le transférez pas) :
  {{link.url}}
(Le lien est valable jusqu'au {{link.expires}}.)
{{else}}Enregistrez la réponse de votre nation dans le service des recommandations du DIPB :
  POST {{routes.response}}
{{/if}}avec un commentaire et l'une des décisions suivantes :
  - Acceptée : votre nation accepte la recommandation (indiquez une date d'achèvement prévue) ;
  - Acceptée en partie : elle en accepte une partie (précisez laquelle et indiquez une date d'achèvement prévue) ;
  - Non acceptée : elle ne l'accepte pas (indiquez-en la raison) ;
  - À l'étude : réponse d'attente ; une réponse définitive reste attendue.
{{#if link}}Les systèmes peuvent l'enregistrer par l'API : POST {{routes.response}}
{{/if}}Si vous ne pouvez pas utiliser la page, répondez à ce message : le Secrétariat enregistrera votre réponse au nom de votre nation.
`;

const reportHtml = `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="{{style 'action'}}">
<tr><td style="{{style 'actionCell'}}">
<strong>Comment rendre compte</strong><br>
{{#if link}}Rendez compte pour {{nation.name}} sur la page de votre lien personnel (il ne sert qu'au rapport de {{nation.name}} sur cette recommandation ; ne le transférez pas) :<br>
<p style="margin:10px 0 6px 0;"><a href="{{link.url}}" style="{{style 'button'}}">Rendre compte pour {{nation.name}}</a></p>
<span style="{{style 'linkText'}}">{{breakable link.url}}</span>
<span style="{{style 'note'}}">Le lien est valable jusqu'au {{link.expires}}.</span><br>
{{else}}Transmettez votre rapport par l'API : <span style="{{style 'route'}}">POST {{breakable routes.progress}}</span>{{/if}}<ul style="{{style 'list'}}">
<li style="{{style 'li'}}"><strong>En cours</strong> — la mise en œuvre est en cours (indiquez le pourcentage réalisé) ;</li>
<li style="{{style 'li'}}"><strong>Mise en œuvre</strong> — la recommandation est mise en œuvre (joignez le lien vers les justificatifs) ;</li>
<li style="{{style 'li'}}"><strong>Non mise en œuvre</strong> — elle ne sera pas mise en œuvre (indiquez-en la raison).</li>
</ul>
{{#if link}}Les systèmes peuvent rendre compte par l'API (<span style="{{style 'code'}}">POST {{breakable routes.progress}}</span>). Si vous ne pouvez pas utiliser la page, répondez à ce message : le Secrétariat enregistrera votre rapport.
{{/if}}</td></tr>
</table>
`;

const reportText = `COMMENT RENDRE COMPTE
{{#if link}}Rendez compte pour {{nation.name}} sur la page de votre lien personnel (il ne sert qu'au rapport de {{nation.name}} sur cette recommandation ; ne le transférez pas) :
  {{link.url}}
(Le lien est valable jusqu'au {{link.expires}}.)
{{else}}Transmettez votre rapport par le service des recommandations du DIPB :
  POST {{routes.progress}}
{{/if}}avec un commentaire et l'un des états suivants :
  - En cours : la mise en œuvre est en cours (indiquez le pourcentage réalisé) ;
  - Mise en œuvre : la recommandation est mise en œuvre (joignez le lien vers les justificatifs) ;
  - Non mise en œuvre : elle ne sera pas mise en œuvre (indiquez-en la raison).
{{#if link}}Les systèmes peuvent rendre compte par l'API : POST {{routes.progress}}
{{/if}}Si vous ne pouvez pas utiliser la page, répondez à ce message : le Secrétariat enregistrera votre rapport.
`;

const positionHtml = `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="{{style 'action'}}">
<tr><td style="{{style 'actionCell'}}">
<strong>Comment prendre position</strong><br>
{{#if link}}Le silence vaut accord : vous n'avez pas à répondre si vous n'y tenez pas. Pour prendre position pour {{nation.name}}, utilisez la page de votre lien personnel (pour ce tour seulement ; ne le transférez pas) :<br>
<p style="margin:10px 0 6px 0;"><a href="{{link.url}}" style="{{style 'button'}}">Prendre position pour {{nation.name}}</a></p>
<span style="{{style 'linkText'}}">{{breakable link.url}}</span>
<span style="{{style 'note'}}">Le lien est valable jusqu'à la fin du silence, le {{link.expires}}.</span><br>
{{else}}Prenez position par l'API : <span style="{{style 'route'}}">POST {{breakable positionRoute}}</span>{{/if}}<ul style="{{style 'list'}}">
<li style="{{style 'li'}}"><strong>Accord</strong> — vous donnez votre accord ;</li>
{{#if abstainAllowed}}<li style="{{style 'li'}}"><strong>Abstention</strong> — vous vous abstenez ;</li>
{{/if}}<li style="{{style 'li'}}"><strong>Objection</strong> — vous faites objection, ce qui rompt le silence (la raison est obligatoire).</li>
</ul>
{{#if link}}Les systèmes peuvent prendre position par l'API (<span style="{{style 'code'}}">POST {{breakable positionRoute}}</span>).
{{/if}}</td></tr>
</table>
`;

const positionText = `COMMENT PRENDRE POSITION
{{#if link}}Le silence vaut accord : vous n'avez pas à répondre si vous n'y tenez pas. Pour prendre position pour {{nation.name}}, utilisez la page de votre lien personnel (pour ce tour seulement ; ne le transférez pas) :
  {{link.url}}
(Le lien est valable jusqu'à la fin du silence, le {{link.expires}}.)
{{else}}Pour prendre position :
  POST {{positionRoute}}
{{/if}}avec un commentaire et l'une des positions suivantes :
  - Accord : vous donnez votre accord ;
{{#if abstainAllowed}}  - Abstention : vous vous abstenez ;
{{/if}}  - Objection : vous faites objection, ce qui rompt le silence (la raison est obligatoire).
{{#if link}}Les systèmes peuvent prendre position par l'API : POST {{positionRoute}}
{{/if}}`;

const RAW: LanguagePack = {
  labels: {
    board: 'OTAN · Conseil de la production industrielle de défense (DIPB)',
    footer:
      'Envoyé par le service des recommandations du DIPB au nom du Secrétariat. Les réponses à ce message parviennent au Secrétariat.',
    identity: 'Référence',
    reference: 'Référence',
    title: 'Titre',
    workingGroup: 'Groupe de travail',
    revision: 'Révision',
    nation: 'Nation',
    colon: ' : ',
    signoff: "Veuillez agréer l'expression de notre haute considération.\nLe Secrétariat du DIPB",
    undeliverable: "Ce message n'a pas pu être distribué. Merci de le transmettre à son destinataire.",
    undeliverableSubject: 'Non distribué',
    recipient: 'Destinataire',
    reason: 'Raison',
    originalLanguage: {
      en: 'Le texte est dans sa langue originale, l’anglais.',
      fr: 'Le texte est dans sa langue originale, le français.',
    },
    signoffSystem: 'Service des recommandations du DIPB (message automatique)',
  },
  greetings: {
    director: 'Madame la Directrice, Monsieur le Directeur,',
    'senior-rep': 'Madame la Haute Représentante, Monsieur le Haut Représentant,',
    'wg-member': 'Madame, Monsieur,',
    secretariat: 'Chers collègues,',
    rapporteur: 'Madame la Rapporteure, Monsieur le Rapporteur,',
  },
  partials: { respondHtml, respondText, reportHtml, reportText, positionHtml, positionText },
  kinds: {
    submission: {
      title: 'Recommandation soumise pour réponse nationale',
      deadlineLabel: 'Date limite de réponse',
      subject: 'Recommandation soumise pour réponse nationale : {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">Le Conseil de la production industrielle de défense a approuvé la recommandation ci-dessous et la soumet à l'examen de votre nation. Nous vous prions de faire connaître la réponse de votre nation au plus tard le <strong>{{deadline}}</strong>.</p>
{{> facts}}
<p style="{{style 'h2'}}">La recommandation</p>
{{> recommendation}}
{{> respondHtml}}
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

Le Conseil de la production industrielle de défense a approuvé la recommandation ci-dessous et la soumet à l'examen de votre nation. Nous vous prions de faire connaître la réponse de votre nation au plus tard le {{deadline}}.

{{> facts}}

{{> recommendation}}

{{> respondText}}

{{signoff}}
{{/textLayout}}`,
    },
    'response-reminder': {
      title: 'Rappel : réponse nationale attendue',
      deadlineLabel: 'Date limite de réponse',
      subject: 'Rappel : réponse attendue le {{deadlineDate}} — {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">Nous vous rappelons que la réponse de votre nation à la recommandation ci-dessous est attendue au plus tard le <strong>{{deadline}}</strong>. Si vous avez déjà répondu, nous vous en remercions et vous prions de ne pas tenir compte de ce message.</p>
{{> facts}}
<p style="{{style 'summary'}}">{{summary}}</p>
{{> respondHtml}}
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

Nous vous rappelons que la réponse de votre nation à la recommandation ci-dessous est attendue au plus tard le {{deadline}}. Si vous avez déjà répondu, nous vous en remercions et vous prions de ne pas tenir compte de ce message.

{{> facts}}

{{summary}}

{{> respondText}}

{{signoff}}
{{/textLayout}}`,
    },
    'response-overdue': {
      title: 'Réponse nationale en retard',
      deadlineLabel: 'Date limite de réponse',
      subject: 'Réponse en retard depuis le {{deadlineDate}} : {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">La réponse de votre nation à la recommandation ci-dessous était attendue au plus tard le <strong>{{deadline}}</strong> et ne nous est pas encore parvenue. Nous vous prions de répondre dès que possible ; une réponse d'attente (<span style="{{style 'code'}}">under-consideration</span>) est bienvenue si une réponse définitive n'est pas encore possible.</p>
{{> facts}}
<p style="{{style 'summary'}}">{{summary}}</p>
{{> respondHtml}}
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

La réponse de votre nation à la recommandation ci-dessous était attendue au plus tard le {{deadline}} et ne nous est pas encore parvenue. Nous vous prions de répondre dès que possible ; une réponse d'attente (under-consideration) est bienvenue si une réponse définitive n'est pas encore possible.

{{> facts}}

{{summary}}

{{> respondText}}

{{signoff}}
{{/textLayout}}`,
    },
    escalation: {
      title: "Escalade : une nation n'a pas répondu",
      deadlineLabel: 'Échéance',
      subject:
        '{{#if isProgress}}Rapport de suivi{{else}}Réponse{{/if}} toujours manquant{{#unless isProgress}}e{{/unless}} ({{nation.name}}) : {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">{{#if isProgress}}Le rapport sur la mise en œuvre{{else}}La réponse{{/if}} de la nation concernée, <strong>{{nation.name}} ({{nation.code}})</strong>, était attendu{{#unless isProgress}}e{{/unless}} au plus tard le <strong>{{deadline}}</strong>. Les relances adressées à son directeur national des armements sont restées sans réponse. Nous vous prions d'assurer le suivi auprès de la délégation ; vous pouvez enregistrer la réponse au nom de la nation.</p>
{{> facts}}
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

{{#if isProgress}}Le rapport sur la mise en œuvre{{else}}La réponse{{/if}} de la nation concernée, {{nation.name}} ({{nation.code}}), était attendu{{#unless isProgress}}e{{/unless}} au plus tard le {{deadline}}. Les relances adressées à son directeur national des armements sont restées sans réponse. Nous vous prions d'assurer le suivi auprès de la délégation ; vous pouvez enregistrer la réponse au nom de la nation.

{{> facts}}

{{signoff}}
{{/textLayout}}`,
    },
    'progress-request': {
      title: 'Demande de rapport sur la mise en œuvre',
      deadlineLabel: 'Date limite du rapport',
      subject: 'Rapport de suivi attendu le {{deadlineDate}} : {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">Votre nation a accepté la recommandation ci-dessous. Le Conseil vous prie de lui adresser un rapport sur sa mise en œuvre au plus tard le <strong>{{deadline}}</strong>.</p>
{{> facts}}
<p style="{{style 'summary'}}">{{summary}}</p>
{{> reportHtml}}
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

Votre nation a accepté la recommandation ci-dessous. Le Conseil vous prie de lui adresser un rapport sur sa mise en œuvre au plus tard le {{deadline}}.

{{> facts}}

{{summary}}

{{> reportText}}

{{signoff}}
{{/textLayout}}`,
    },
    'progress-overdue': {
      title: 'Rapport sur la mise en œuvre en retard',
      deadlineLabel: 'Date limite du rapport',
      subject: 'Rapport de suivi en retard depuis le {{deadlineDate}} : {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">Le rapport de votre nation sur la mise en œuvre de la recommandation ci-dessous était attendu au plus tard le <strong>{{deadline}}</strong> et ne nous est pas encore parvenu. Nous vous prions de l'adresser dès que possible.</p>
{{> facts}}
<p style="{{style 'summary'}}">{{summary}}</p>
{{> reportHtml}}
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

Le rapport de votre nation sur la mise en œuvre de la recommandation ci-dessous était attendu au plus tard le {{deadline}} et ne nous est pas encore parvenu. Nous vous prions de l'adresser dès que possible.

{{> facts}}

{{summary}}

{{> reportText}}

{{signoff}}
{{/textLayout}}`,
    },
    'deadline-moved': {
      title: 'Échéance modifiée',
      deadlineLabel: 'Nouvelle échéance',
      subject: 'Échéance modifiée : {{deadlineDate}} — {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">Le Secrétariat a modifié l'échéance {{#if isProgress}}du rapport d'avancement{{else}}de la réponse{{/if}} de votre nation à la recommandation ci-dessous. Elle est désormais fixée au <strong>{{deadline}}</strong>{{#unless isProgress}} ; l'entrée d'agenda jointe remplace la précédente{{/unless}}.{{#if note}} Motif indiqué :{{/if}}</p>
{{> note}}
{{> facts}}
<p style="{{style 'summary'}}">{{summary}}</p>
{{#if isProgress}}{{> reportHtml}}{{else}}{{> respondHtml}}{{/if}}
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

Le Secrétariat a modifié l'échéance {{#if isProgress}}du rapport d'avancement{{else}}de la réponse{{/if}} de votre nation à la recommandation ci-dessous. Elle est désormais fixée au {{deadline}}{{#unless isProgress}} ; l'entrée d'agenda jointe remplace la précédente{{/unless}}.{{#if note}} Motif indiqué :{{/if}}
{{> note}}
{{> facts}}

{{summary}}

{{#if isProgress}}{{> reportText}}{{else}}{{> respondText}}{{/if}}

{{signoff}}
{{/textLayout}}`,
    },
    'consensus-call': {
      title: 'Appel au consensus (procédure de silence)',
      deadlineLabel: 'Fin du silence',
      subject: 'Appel au consensus, fin du silence le {{deadlineDate}} : {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">Le groupe de travail « {{workingGroup.name}} » est invité à approuver la révision {{revision}} de la recommandation ci-dessous selon la procédure de silence. Le silence prend fin le <strong>{{deadline}}</strong> : si aucun membre ne fait objection d'ici là, le consensus est acquis.</p>
{{> facts}}
<p style="{{style 'h2'}}">Le texte</p>
{{> recommendation}}
{{> positionHtml}}
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

Le groupe de travail « {{workingGroup.name}} » est invité à approuver la révision {{revision}} de la recommandation ci-dessous selon la procédure de silence. Le silence prend fin le {{deadline}} : si aucun membre ne fait objection d'ici là, le consensus est acquis.

{{> facts}}

{{> recommendation}}

{{> positionText}}

{{signoff}}
{{/textLayout}}`,
    },
    'consensus-reminder': {
      title: 'Rappel : procédure de silence en cours',
      deadlineLabel: 'Fin du silence',
      subject: 'Rappel : fin du silence le {{deadlineDate}} — {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">Le silence sur la révision {{revision}} de la recommandation ci-dessous prend fin le <strong>{{deadline}}</strong>. Votre nation n'a pas encore pris position ; faute d'objection d'ici là, elle sera réputée avoir donné son accord.</p>
{{> facts}}
<p style="{{style 'summary'}}">{{summary}}</p>
{{> positionHtml}}
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

Le silence sur la révision {{revision}} de la recommandation ci-dessous prend fin le {{deadline}}. Votre nation n'a pas encore pris position ; faute d'objection d'ici là, elle sera réputée avoir donné son accord.

{{> facts}}

{{summary}}

{{> positionText}}

{{signoff}}
{{/textLayout}}`,
    },
    objection: {
      title: 'Objection : silence rompu',
      deadlineLabel: 'Fin du silence prévue',
      subject: 'Objection ({{nation.name}}), retour à la rédaction : {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">Une objection a été formulée contre la révision {{revision}} de la recommandation ci-dessous lors de {{#if isApproval}}l'approbation par les hauts représentants nationaux{{else}}la recherche de consensus au sein du groupe de travail{{/if}}{{#if round}} (tour {{round}}), par {{nation.name}} ({{nation.code}}){{else}}, par {{nation.name}} ({{nation.code}}){{/if}}. Le silence est rompu et la recommandation revient à la rédaction. Raison invoquée :</p>
{{> note}}
{{> facts}}
<p style="{{style 'p'}}">Nous vous prions d'examiner cette objection et de préparer une nouvelle révision.</p>
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

Une objection a été formulée contre la révision {{revision}} de la recommandation ci-dessous lors de {{#if isApproval}}l'approbation par les hauts représentants nationaux{{else}}la recherche de consensus au sein du groupe de travail{{/if}}{{#if round}} (tour {{round}}), par {{nation.name}} ({{nation.code}}){{else}}, par {{nation.name}} ({{nation.code}}){{/if}}. Le silence est rompu et la recommandation revient à la rédaction. Raison invoquée :
{{> note}}

{{> facts}}

Nous vous prions d'examiner cette objection et de préparer une nouvelle révision.

{{signoff}}
{{/textLayout}}`,
    },
    'approval-call': {
      title: 'Approbation par les hauts représentants nationaux',
      deadlineLabel: 'Fin du silence',
      subject: 'Pour approbation, fin du silence le {{deadlineDate}} : {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">Le groupe de travail « {{workingGroup.name}} » est parvenu à un consensus sur la recommandation ci-dessous. Elle est soumise à l'approbation des hauts représentants nationaux selon la procédure de silence. Le silence prend fin le <strong>{{deadline}}</strong> : si aucune nation ne fait objection d'ici là, la recommandation est approuvée.</p>
{{> facts}}
<p style="{{style 'h2'}}">Le texte</p>
{{> recommendation}}
{{> positionHtml}}
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

Le groupe de travail « {{workingGroup.name}} » est parvenu à un consensus sur la recommandation ci-dessous. Elle est soumise à l'approbation des hauts représentants nationaux selon la procédure de silence. Le silence prend fin le {{deadline}} : si aucune nation ne fait objection d'ici là, la recommandation est approuvée.

{{> facts}}

{{> recommendation}}

{{> positionText}}

{{signoff}}
{{/textLayout}}`,
    },
    'approval-reminder': {
      title: 'Rappel : approbation selon la procédure de silence',
      deadlineLabel: 'Fin du silence',
      subject: "Rappel : fin du silence d'approbation le {{deadlineDate}} — {{title}}",
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">Le silence sur l'approbation de la recommandation ci-dessous prend fin le <strong>{{deadline}}</strong>. Votre nation n'a pas encore pris position ; faute d'objection d'ici là, elle sera réputée l'avoir approuvée.</p>
{{> facts}}
<p style="{{style 'summary'}}">{{summary}}</p>
{{> positionHtml}}
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

Le silence sur l'approbation de la recommandation ci-dessous prend fin le {{deadline}}. Votre nation n'a pas encore pris position ; faute d'objection d'ici là, elle sera réputée l'avoir approuvée.

{{> facts}}

{{summary}}

{{> positionText}}

{{signoff}}
{{/textLayout}}`,
    },
    approved: {
      title: 'Recommandation approuvée',
      deadlineLabel: 'Fin du silence',
      subject: 'Approuvée par les hauts représentants nationaux : {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">Le silence n'a pas été rompu{{#if round}} lors du tour d'approbation {{round}}{{/if}} : les hauts représentants nationaux ont approuvé la révision {{revision}} de la recommandation ci-dessous. Elle peut désormais être soumise aux directeurs nationaux des armements (<span style="{{style 'code'}}">POST {{breakable routes.submission}}</span>), à moins que sa politique ne prévoie une soumission automatique.</p>
{{> facts}}
<p style="{{style 'summary'}}">{{summary}}</p>
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

Le silence n'a pas été rompu{{#if round}} lors du tour d'approbation {{round}}{{/if}} : les hauts représentants nationaux ont approuvé la révision {{revision}} de la recommandation ci-dessous. Elle peut désormais être soumise aux directeurs nationaux des armements (POST {{routes.submission}}), à moins que sa politique ne prévoie une soumission automatique.

{{> facts}}

{{summary}}

{{signoff}}
{{/textLayout}}`,
    },
    withdrawn: {
      title: 'Recommandation retirée',
      deadlineLabel: 'Échéance',
      subject: 'Retirée : {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">Le Secrétariat a retiré la recommandation ci-dessous. Plus rien n'est attendu de vous à son sujet et aucune relance ne vous sera plus adressée.{{#if note}} Raison invoquée :{{/if}}</p>
{{> note}}
{{> facts}}
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

Le Secrétariat a retiré la recommandation ci-dessous. Plus rien n'est attendu de vous à son sujet et aucune relance ne vous sera plus adressée.{{#if note}} Raison invoquée :{{/if}}
{{> note}}

{{> facts}}

{{signoff}}
{{/textLayout}}`,
    },
    closed: {
      title: 'Suivi clos',
      deadlineLabel: 'Échéance',
      subject: 'Suivi clos : {{title}}',
      html: `{{#> layout}}
<p style="{{style 'p'}}">{{greeting}}</p>
<p style="{{style 'p'}}">Le suivi de la recommandation ci-dessous est clos. Aucune réponse ni aucun rapport de suivi ne sont plus demandés, et aucune relance ne sera plus adressée.{{#if nation}} Nous remercions votre nation de ses contributions.{{/if}}</p>
{{> note}}
{{> facts}}
{{> signoffHtml}}
{{/layout}}`,
      text: `{{#> textLayout}}
{{greeting}}

Le suivi de la recommandation ci-dessous est clos. Aucune réponse ni aucun rapport de suivi ne sont plus demandés, et aucune relance ne sera plus adressée.{{#if nation}} Nous remercions votre nation de ses contributions.{{/if}}
{{> note}}

{{> facts}}

{{signoff}}
{{/textLayout}}`,
    },
  },
};

const NBSP = '\u00a0';

/** Non-breaking space before two-part punctuation and inside guillemets, as French typography writes them. */
export function frenchSpacing(text: string): string {
  return text.replace(/ ([:;!?»])/g, `${NBSP}$1`).replace(/« /g, `«${NBSP}`);
}

function mapStrings<T>(value: T, f: (s: string) => string): T {
  if (typeof value === 'string') return f(value) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)])) as T;
  }
  return value;
}

export const FR: LanguagePack = mapStrings(RAW, frenchSpacing);
