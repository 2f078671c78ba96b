import MarkdownIt from 'markdown-it';

type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number];

/**
 * A recommendation's body, written in markdown (shared/DOMAIN.md), as people read it: HTML for emails
 * and link pages, plain text for the text part of an email. Raw HTML in the source is shown as text,
 * never interpreted (`html: false`), and links go only to what markdown-it accepts (no `javascript:`).
 */
const md = new MarkdownIt('commonmark', { html: false });

/** Inline styles per tag, for mail clients that ignore a stylesheet. */
export type TagStyles = Partial<Record<string, string>>;

/** The body as HTML; each opening tag named in `styles` carries that inline style. */
export function markdownToHtml(source: string, styles: TagStyles = {}): string {
  const tokens = md.parse(source, {});
  const style = (t: Token) => {
    const css = t.nesting === 1 || t.nesting === 0 ? styles[t.tag] : undefined;
    if (css) t.attrSet('style', css);
  };
  for (const t of tokens) {
    style(t);
    for (const child of t.children ?? []) style(child);
  }
  return md.renderer.render(tokens, md.options, {});
}

/** The text of inline tokens: emphasis as plain words, code as written, a link followed by its address. */
function inlineText(children: Token[]): string {
  let out = '';
  let href: string | null = null;
  for (const c of children) {
    if (c.type === 'text' || c.type === 'code_inline') out += c.content;
    else if (c.type === 'softbreak' || c.type === 'hardbreak') out += '\n';
    else if (c.type === 'link_open') href = String(c.attrGet('href') ?? '');
    else if (c.type === 'link_close' && href) {
      out += ` <${href}>`;
      href = null;
    } else if (c.type === 'image') out += c.content;
  }
  return out;
}

/**
 * The body as plain text that reads as written: headings underlined, lists numbered or dashed and
 * indented, emphasis without its markers, quotes prefixed, code as it is.
 */
export function markdownToText(source: string): string {
  const blocks: { text: string; inList: boolean }[] = [];
  const lists: { ordered: boolean; next: number }[] = [];
  let quote = 0;
  let prefix = '';
  const push = (text: string) => {
    const hang = ' '.repeat(prefix.length);
    const lines = text.split('\n').map((line, i) => (i === 0 ? prefix : hang) + line);
    blocks.push({ text: lines.map((l) => '> '.repeat(quote) + l).join('\n'), inList: lists.length > 0 });
    prefix = ' '.repeat(prefix.length);
  };
  const tokens = md.parse(source, {});
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.type === 'bullet_list_open') lists.push({ ordered: false, next: 1 });
    else if (t.type === 'ordered_list_open') lists.push({ ordered: true, next: Number(t.attrGet('start') ?? 1) });
    else if (t.type === 'bullet_list_close' || t.type === 'ordered_list_close') lists.pop();
    else if (t.type === 'list_item_close') prefix = '';
    else if (t.type === 'list_item_open') {
      const list = lists[lists.length - 1];
      prefix = '   '.repeat(lists.length - 1) + (list?.ordered ? `${list.next++}. ` : '- ');
    } else if (t.type === 'blockquote_open') quote += 1;
    else if (t.type === 'blockquote_close') quote -= 1;
    else if (t.type === 'inline') {
      const text = inlineText(t.children ?? []);
      const opener = tokens[i - 1];
      if (opener?.type === 'heading_open') push(`${text}\n${(opener.tag === 'h1' ? '=' : '-').repeat(text.length)}`);
      else push(text);
    } else if (t.type === 'fence' || t.type === 'code_block') push(t.content.replace(/\n$/, ''));
    else if (t.type === 'hr') push('----');
  }
  // A list's items stay together; everything else is a paragraph of its own.
  return blocks.map((b, i) => (i === 0 ? '' : b.inList && blocks[i - 1]?.inList ? '\n' : '\n\n') + b.text).join('');
}
