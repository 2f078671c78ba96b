import type { Language, LinkAct } from '@app/domain';

/** A choice the page offers, with what it means. */
export interface Choice {
  value: string;
  label: string;
  meaning: string;
}

export interface Words {
  lang: Language;
  other: { lang: Language; label: string };
  board: string;
  skip: string;
  titles: Record<LinkAct, string>;
  asked: Record<LinkAct, string>;
  reference: string;
  title: string;
  revision: string;
  nation: string;
  deadline: string;
  text: string;
  choices: Record<LinkAct, Choice[]>;
  choiceLegend: Record<LinkAct, string>;
  comment: string;
  commentHint: Record<LinkAct, string>;
  planned: string;
  plannedHint: string;
  percent: string;
  percentHint: string;
  evidence: string;
  evidenceHint: string;
  submit: Record<LinkAct, string>;
  errorSummary: string;
  errors: {
    choice: string;
    reason: string;
    planned: string;
    percent: string;
    evidence: string;
    csrf: string;
    tooLong: string;
  };
  recordedTitle: string;
  recorded: string;
  recordedAnswer: string;
  interimNote: string;
  actingAs: (role: string, nation: string) => string;
  roles: Record<'director' | 'wg-member' | 'senior-rep', string>;
  settledTitle: string;
  settled: Record<'stage' | 'round' | 'answered' | 'not-target', string>;
  noAnswerYet: string;
  problemTitles: Record<'invalid' | 'expired' | 'revoked' | 'bent' | 'gone' | 'refused' | 'unavailable', string>;
  problems: Record<'invalid' | 'expired' | 'revoked' | 'bent' | 'gone' | 'unavailable', string>;
  contact: (address: string) => string;
  linkUntil: string;
}

const EN: Words = {
  lang: 'en',
  other: { lang: 'fr', label: 'Français' },
  board: 'NATO · Defence Industrial Production Board',
  skip: 'Skip to the form',
  titles: {
    respond: 'National response',
    'report-progress': 'Implementation progress report',
    'consensus-position': 'Working group position (silence procedure)',
    'approval-position': 'Senior representative position (silence procedure)',
  },
  asked: {
    respond: 'The Board asks for the response of {nation} to the recommendation below.',
    'report-progress': 'The Board asks {nation} to report on the implementation of the recommendation below.',
    'consensus-position':
      'The recommendation below is circulated to the working group under the silence procedure. Silence means agreement: you need not answer unless you wish to.',
    'approval-position':
      'The recommendation below is put to the senior national representatives under the silence procedure. Silence means approval: you need not answer unless you wish to.',
  },
  reference: 'Reference',
  title: 'Title',
  revision: 'Revision',
  nation: 'Nation',
  deadline: 'Deadline',
  text: 'The recommendation',
  choices: {
    respond: [
      {
        value: 'accepted',
        label: 'Accepted',
        meaning: 'Your nation accepts the recommendation. Give a planned completion date.',
      },
      {
        value: 'accepted-in-part',
        label: 'Accepted in part',
        meaning: 'It accepts part of it. Say which part in the comment, and give a planned completion date.',
      },
      {
        value: 'not-accepted',
        label: 'Not accepted',
        meaning: 'It does not accept it. Give the reason in the comment.',
      },
      {
        value: 'under-consideration',
        label: 'Under consideration',
        meaning: 'An interim answer: a final answer is still expected, through this link or a later one.',
      },
    ],
    'report-progress': [
      { value: 'in-progress', label: 'In progress', meaning: 'Work is under way. Give the percentage done.' },
      {
        value: 'implemented',
        label: 'Implemented',
        meaning: 'The recommendation is implemented. Link the evidence if you can.',
      },
      {
        value: 'not-implemented',
        label: 'Not implemented',
        meaning: 'It will not be implemented. Give the reason in the comment.',
      },
    ],
    'consensus-position': [
      { value: 'concur', label: 'Concur', meaning: 'You agree.' },
      { value: 'abstain', label: 'Abstain', meaning: 'You neither agree nor object.' },
      {
        value: 'object',
        label: 'Object',
        meaning: 'You object: this breaks silence and returns the text to drafting. The reason is required.',
      },
    ],
    'approval-position': [
      { value: 'concur', label: 'Concur', meaning: 'You approve.' },
      {
        value: 'object',
        label: 'Object',
        meaning: 'You object: this breaks silence and returns the text to drafting. The reason is required.',
      },
    ],
  },
  choiceLegend: {
    respond: 'Your nation’s decision',
    'report-progress': 'Where implementation stands',
    'consensus-position': 'Your position',
    'approval-position': 'Your position',
  },
  comment: 'Comment',
  commentHint: {
    respond: 'Required for a partial acceptance or a refusal; otherwise optional.',
    'report-progress': 'What was done, or why it will not be.',
    'consensus-position': 'Required for an objection: the reason.',
    'approval-position': 'Required for an objection: the reason.',
  },
  planned: 'Planned completion date',
  plannedHint: 'For an acceptance: the date by which your nation plans to have implemented it (day, month, year).',
  percent: 'Percentage done',
  percentHint: 'A whole number from 0 to 100.',
  evidence: 'Link to the evidence (optional)',
  evidenceHint: 'An https:// address.',
  submit: {
    respond: 'Send the answer',
    'report-progress': 'Send the report',
    'consensus-position': 'Send the position',
    'approval-position': 'Send the position',
  },
  errorSummary: 'There is a problem',
  errors: {
    choice: 'Choose one of the options.',
    reason: 'Give the reason in the comment.',
    planned: 'Give the planned completion date (a date such as 30/06/2027).',
    percent: 'Give the percentage done, a whole number from 0 to 100.',
    evidence: 'Give an https:// address, or leave the field empty.',
    csrf: 'The form has expired or was not sent from this page. Nothing was recorded; please send it again.',
    tooLong: 'The comment is too long.',
  },
  recordedTitle: 'Recorded',
  recorded: 'The Board has recorded this, with you as the sender through your personal link:',
  recordedAnswer: 'The recorded answer',
  interimNote:
    'This is an interim answer. A final answer can still be given through this link while it is valid, or through a later one.',
  actingAs: (role, nation) => `You act as ${role} of ${nation}.`,
  roles: {
    director: 'National Armaments Director',
    'wg-member': 'working group delegate',
    'senior-rep': 'senior national representative',
  },
  settledTitle: 'Nothing more to do here',
  settled: {
    stage: 'This matter is settled: the recommendation has moved on and this act is no longer open.',
    round: 'This link was for an earlier round of the silence procedure, which has ended.',
    answered: 'Your nation has already answered; a final answer cannot be changed.',
    'not-target': 'This recommendation is not addressed to your nation.',
  },
  noAnswerYet: 'No answer was recorded for your nation.',
  problemTitles: {
    invalid: 'This link does not work',
    expired: 'This link has expired',
    revoked: 'This link has been replaced',
    bent: 'This link is not for this page',
    gone: 'This recommendation cannot be found',
    refused: 'Not recorded',
    unavailable: 'Please try again in a moment',
  },
  problems: {
    invalid: 'The link is incomplete or damaged. Copy the whole address from the message, or use the button in it.',
    expired: 'The link worked until the deadline it was for, and that time has passed. Nothing was recorded.',
    revoked:
      'The link was sent to a contact the Secretariat has since replaced. The new contact receives links of their own.',
    bent: 'The address was changed: a link works only for the recommendation, nation and act it was sent for. Nothing was recorded.',
    gone: 'The recommendation of this link is not in the record.',
    unavailable: 'The service could not record the answer just now. Nothing was lost: send the form again in a minute.',
  },
  contact: (address) => `For help, write to the DIPB Secretariat: ${address}`,
  linkUntil: 'Your link works until',
};

const FR: Words = {
  lang: 'fr',
  other: { lang: 'en', label: 'English' },
  board: 'OTAN · Conseil de la production industrielle de défense (DIPB)',
  skip: 'Aller au formulaire',
  titles: {
    respond: 'Réponse nationale',
    'report-progress': 'Rapport sur la mise en œuvre',
    'consensus-position': 'Position au groupe de travail (procédure de silence)',
    'approval-position': 'Position du représentant de haut niveau (procédure de silence)',
  },
  asked: {
    respond: 'Le Conseil demande la réponse de {nation} à la recommandation ci-dessous.',
    'report-progress':
      'Le Conseil demande à {nation} de rendre compte de la mise en œuvre de la recommandation ci-dessous.',
    'consensus-position':
      'La recommandation ci-dessous est diffusée au groupe de travail selon la procédure de silence. Le silence vaut accord : vous n’avez pas à répondre si vous n’y tenez pas.',
    'approval-position':
      'La recommandation ci-dessous est soumise aux représentants nationaux de haut niveau selon la procédure de silence. Le silence vaut approbation : vous n’avez pas à répondre si vous n’y tenez pas.',
  },
  reference: 'Référence',
  title: 'Titre',
  revision: 'Révision',
  nation: 'Nation',
  deadline: 'Échéance',
  text: 'La recommandation',
  choices: {
    respond: [
      {
        value: 'accepted',
        label: 'Acceptée',
        meaning: 'Votre nation accepte la recommandation. Indiquez une date d’achèvement prévue.',
      },
      {
        value: 'accepted-in-part',
        label: 'Acceptée en partie',
        meaning:
          'Elle en accepte une partie. Précisez laquelle dans le commentaire et indiquez une date d’achèvement prévue.',
      },
      {
        value: 'not-accepted',
        label: 'Non acceptée',
        meaning: 'Elle ne l’accepte pas. Indiquez-en la raison dans le commentaire.',
      },
      {
        value: 'under-consideration',
        label: 'À l’étude',
        meaning: 'Une réponse d’attente : une réponse définitive reste attendue, par ce lien ou par un lien ultérieur.',
      },
    ],
    'report-progress': [
      {
        value: 'in-progress',
        label: 'En cours',
        meaning: 'La mise en œuvre est en cours. Indiquez le pourcentage réalisé.',
      },
      {
        value: 'implemented',
        label: 'Mise en œuvre',
        meaning: 'La recommandation est mise en œuvre. Joignez si possible le lien vers les justificatifs.',
      },
      {
        value: 'not-implemented',
        label: 'Non mise en œuvre',
        meaning: 'Elle ne sera pas mise en œuvre. Indiquez-en la raison dans le commentaire.',
      },
    ],
    'consensus-position': [
      { value: 'concur', label: 'Accord', meaning: 'Vous donnez votre accord.' },
      { value: 'abstain', label: 'Abstention', meaning: 'Vous ne donnez ni accord ni objection.' },
      {
        value: 'object',
        label: 'Objection',
        meaning:
          'Vous faites objection : le silence est rompu et le texte retourne à la rédaction. La raison est obligatoire.',
      },
    ],
    'approval-position': [
      { value: 'concur', label: 'Accord', meaning: 'Vous approuvez.' },
      {
        value: 'object',
        label: 'Objection',
        meaning:
          'Vous faites objection : le silence est rompu et le texte retourne à la rédaction. La raison est obligatoire.',
      },
    ],
  },
  choiceLegend: {
    respond: 'La décision de votre nation',
    'report-progress': 'L’état de la mise en œuvre',
    'consensus-position': 'Votre position',
    'approval-position': 'Votre position',
  },
  comment: 'Commentaire',
  commentHint: {
    respond: 'Obligatoire pour une acceptation partielle ou un refus ; facultatif sinon.',
    'report-progress': 'Ce qui a été fait, ou pourquoi cela ne le sera pas.',
    'consensus-position': 'Obligatoire pour une objection : la raison.',
    'approval-position': 'Obligatoire pour une objection : la raison.',
  },
  planned: 'Date d’achèvement prévue',
  plannedHint:
    'Pour une acceptation : la date à laquelle votre nation prévoit de l’avoir mise en œuvre (jour, mois, année).',
  percent: 'Pourcentage réalisé',
  percentHint: 'Un nombre entier de 0 à 100.',
  evidence: 'Lien vers les justificatifs (facultatif)',
  evidenceHint: 'Une adresse https://.',
  submit: {
    respond: 'Envoyer la réponse',
    'report-progress': 'Envoyer le rapport',
    'consensus-position': 'Envoyer la position',
    'approval-position': 'Envoyer la position',
  },
  errorSummary: 'Le formulaire doit être corrigé',
  errors: {
    choice: 'Choisissez l’une des options.',
    reason: 'Indiquez la raison dans le commentaire.',
    planned: 'Indiquez la date d’achèvement prévue (une date telle que 30/06/2027).',
    percent: 'Indiquez le pourcentage réalisé, un nombre entier de 0 à 100.',
    evidence: 'Indiquez une adresse https://, ou laissez le champ vide.',
    csrf: 'Le formulaire a expiré ou n’a pas été envoyé depuis cette page. Rien n’a été enregistré ; veuillez l’envoyer à nouveau.',
    tooLong: 'Le commentaire est trop long.',
  },
  recordedTitle: 'Enregistré',
  recorded: 'Le Conseil a enregistré ce qui suit, avec vous pour expéditeur par votre lien personnel :',
  recordedAnswer: 'La réponse enregistrée',
  interimNote:
    'Il s’agit d’une réponse d’attente. Une réponse définitive peut encore être donnée par ce lien tant qu’il est valable, ou par un lien ultérieur.',
  actingAs: (role, nation) => `Vous agissez en tant que ${role} de la nation ${nation}.`,
  roles: {
    director: 'directeur national des armements',
    'wg-member': 'délégué au groupe de travail',
    'senior-rep': 'représentant national de haut niveau',
  },
  settledTitle: 'Plus rien à faire ici',
  settled: {
    stage: 'Cette question est réglée : la recommandation a progressé et cette démarche n’est plus ouverte.',
    round: 'Ce lien concernait un tour précédent de la procédure de silence, qui est terminé.',
    answered: 'Votre nation a déjà répondu ; une réponse définitive ne peut pas être modifiée.',
    'not-target': 'Cette recommandation n’est pas adressée à votre nation.',
  },
  noAnswerYet: 'Aucune réponse n’a été enregistrée pour votre nation.',
  problemTitles: {
    invalid: 'Ce lien ne fonctionne pas',
    expired: 'Ce lien a expiré',
    revoked: 'Ce lien a été remplacé',
    bent: 'Ce lien ne correspond pas à cette page',
    gone: 'Cette recommandation est introuvable',
    refused: 'Non enregistré',
    unavailable: 'Veuillez réessayer dans un instant',
  },
  problems: {
    invalid:
      'Le lien est incomplet ou abîmé. Copiez l’adresse complète depuis le message, ou utilisez le bouton qu’il contient.',
    expired: 'Le lien était valable jusqu’à l’échéance qu’il concernait, et elle est passée. Rien n’a été enregistré.',
    revoked:
      'Le lien a été envoyé à un contact que le Secrétariat a depuis remplacé. Le nouveau contact reçoit ses propres liens.',
    bent: 'L’adresse a été modifiée : un lien ne vaut que pour la recommandation, la nation et la démarche pour lesquelles il a été envoyé. Rien n’a été enregistré.',
    gone: 'La recommandation de ce lien ne figure pas au dossier.',
    unavailable:
      'Le service n’a pas pu enregistrer la réponse pour le moment. Rien n’est perdu : renvoyez le formulaire dans une minute.',
  },
  contact: (address) => `Pour toute aide, écrivez au Secrétariat du DIPB : ${address}`,
  linkUntil: 'Votre lien est valable jusqu’au',
};

/** French typography: a non-breaking space before « : ; ! ? » (written with plain spaces above). */
function frenchSpacing<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/ ([:;!?])/g, '\u00a0$1') as T;
  if (typeof value === 'function') return value;
  if (Array.isArray(value)) return value.map(frenchSpacing) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, frenchSpacing(v)])) as T;
  return value;
}

export const WORDS: Record<Language, Words> = { en: EN, fr: frenchSpacing(FR) };
