import type { Language } from '@app/domain';

/** A rate as people read it: "66.7%" / "66,7 %"; a dash when there is nothing to divide by. */
export function formatRate(rate: number | null, language: Language, digits = 1): string {
  if (rate === null) return '—';
  const n = (rate * 100).toFixed(digits);
  // French: decimal comma and a narrow no-break space before the sign.
  return language === 'fr' ? `${n.replace('.', ',')}\u202f%` : `${n}%`;
}

/** A count, with the thousands separator of the language. */
export function formatCount(n: number, language: Language): string {
  return n.toLocaleString(language === 'fr' ? 'fr-FR' : 'en-GB');
}
