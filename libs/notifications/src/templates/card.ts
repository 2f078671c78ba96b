import Handlebars from 'handlebars';
import type { Language } from '@app/domain';
import { STYLES } from './styles';

export const esc = (s: string): string => Handlebars.Utils.escapeExpression(s);

export const style = (name: string): string => {
  const s = STYLES[name];
  if (s === undefined) throw new Error(`unknown email style "${name}"`);
  return s;
};

/**
 * A message to the secretariat as a whole page (the digest, a webhook notice): the same card as the
 * recommendation messages, 600 px on a desktop and the screen's width on a phone. `content` is HTML,
 * already escaped; the rest is text.
 */
export function cardHtml(card: {
  language: Language;
  subject: string;
  board: string;
  title: string;
  subtitle: string;
  content: string;
  footer: string[];
}): string {
  return `<!DOCTYPE html>
<html lang="${card.language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(card.subject)}</title></head>
<body style="${style('body')}">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="${style('outer')}">
<tr><td align="center" style="${style('outerCell')}">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="${style('card')}">
<tr><td style="${style('header')}">
<div style="${style('headerBoard')}">${esc(card.board)}</div>
<div style="${style('headerTitle')}">${esc(card.title)}</div>
<div style="${style('headerRef')}">${esc(card.subtitle)}</div>
</td></tr>
<tr><td style="${style('content')}">
${card.content}
</td></tr>
<tr><td style="${style('footer')}">${card.footer.map(esc).join('<br>')}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}
