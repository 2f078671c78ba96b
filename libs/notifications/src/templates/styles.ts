/**
 * Inline styles for the HTML emails. Mail clients (Outlook above all) drop <style> blocks and
 * ignore most CSS layout, so every element carries its own style and layout is done with tables.
 */
const FONT = 'font-family:Arial,Helvetica,sans-serif;';

export const STYLES: Record<string, string> = {
  body: 'margin:0;padding:0;background-color:#eef1f5;',
  outer: 'background-color:#eef1f5;',
  outerCell: 'padding:24px 12px;',
  // 600 px on a desktop (the `width` attribute, for Outlook), the screen's width on a phone.
  card: 'width:100%;max-width:600px;background-color:#ffffff;border:1px solid #d5dbe3;border-collapse:collapse;',
  header: `${FONT}background-color:#0b2a4a;padding:20px 28px;color:#ffffff;`,
  headerBoard: `${FONT}font-size:12px;letter-spacing:1px;text-transform:uppercase;color:#b9c9dc;`,
  headerTitle: `${FONT}font-size:22px;font-weight:bold;line-height:28px;color:#ffffff;padding-top:6px;`,
  headerRef: `${FONT}font-size:13px;color:#b9c9dc;padding-top:4px;`,
  banner: `${FONT}padding:14px 28px;font-size:14px;line-height:20px;color:#7a1c1c;background-color:#fdecea;border-bottom:1px solid #f5c2c0;`,
  content: `${FONT}padding:24px 28px 8px 28px;font-size:15px;line-height:22px;color:#1f2933;`,
  p: `${FONT}margin:0 0 14px 0;font-size:15px;line-height:22px;color:#1f2933;`,
  h2: `${FONT}margin:22px 0 10px 0;font-size:17px;line-height:22px;font-weight:bold;color:#0b2a4a;`,
  facts: 'width:100%;border-collapse:collapse;margin:0 0 18px 0;background-color:#f5f7fa;border:1px solid #e1e6ed;',
  factLabel: `${FONT}padding:8px 12px;font-size:13px;line-height:18px;color:#52606d;width:34%;vertical-align:top;border-bottom:1px solid #e1e6ed;`,
  factValue: `${FONT}padding:8px 12px;font-size:14px;line-height:20px;color:#1f2933;vertical-align:top;border-bottom:1px solid #e1e6ed;`,
  deadline: `${FONT}padding:8px 12px;font-size:14px;line-height:20px;color:#9b1c1c;font-weight:bold;vertical-align:top;border-bottom:1px solid #e1e6ed;`,
  title: `${FONT}margin:0 0 10px 0;font-size:18px;line-height:24px;font-weight:bold;color:#1f2933;`,
  summary: `${FONT}margin:0 0 14px 0;font-size:15px;line-height:22px;font-style:italic;color:#3e4c59;`,
  textBox:
    'width:100%;border-collapse:collapse;margin:0 0 18px 0;border-left:4px solid #0b5cab;background-color:#fbfcfe;',
  textCell: 'padding:14px 16px;',
  bodyText: `${FONT}margin:0;font-size:14px;line-height:21px;color:#1f2933;word-wrap:break-word;overflow-wrap:anywhere;`,
  quote: `${FONT}margin:0 0 16px 0;padding:12px 16px;border-left:4px solid #b7791f;background-color:#fffaf0;font-size:14px;line-height:21px;color:#1f2933;white-space:pre-wrap;`,
  action: 'width:100%;border-collapse:collapse;margin:8px 0 18px 0;border:1px solid #c6d6ea;background-color:#f0f6fc;',
  actionCell: `${FONT}padding:14px 16px;font-size:14px;line-height:21px;color:#1f2933;`,
  code: "font-family:Consolas,'Courier New',monospace;font-size:13px;background-color:#e4ebf3;padding:1px 4px;color:#0b2a4a;",
  route:
    "display:block;margin:4px 0 6px 0;font-family:Consolas,'Courier New',monospace;font-size:13px;line-height:19px;background-color:#e4ebf3;padding:4px 6px;color:#0b2a4a;",
  button: `${FONT}display:inline-block;padding:10px 18px;background-color:#0b5cab;color:#ffffff;font-size:15px;font-weight:bold;text-decoration:none;border-radius:4px;`,
  linkText:
    "display:block;margin:4px 0 6px 0;font-family:Consolas,'Courier New',monospace;font-size:12px;line-height:18px;color:#0b2a4a;word-break:break-all;",
  // The mark of a priority recommendation: dark red on pale red, bold capitals.
  priority: `${FONT}display:inline-block;padding:0 5px;margin:0 4px 2px 0;font-size:11px;line-height:16px;font-weight:bold;letter-spacing:0.5px;text-transform:uppercase;color:#7a1c1c;background-color:#fdecea;border:1px solid #f5c2c0;border-radius:3px;`,
  note: `${FONT}margin:0 0 10px 0;font-size:13px;line-height:18px;color:#52606d;`,
  list: `${FONT}margin:6px 0 0 0;padding:0 0 0 20px;font-size:14px;line-height:21px;`,
  li: 'margin:0 0 4px 0;',
  footer: `${FONT}padding:16px 28px 22px 28px;font-size:12px;line-height:18px;color:#7b8794;border-top:1px solid #e1e6ed;`,
};

/** Inline styles of the tags a recommendation's body (markdown, rendered) can hold. */
export const BODY_STYLES: Record<string, string> = {
  h1: `${FONT}margin:0 0 10px 0;font-size:18px;line-height:24px;color:#0b2a4a;`,
  h2: `${FONT}margin:0 0 8px 0;font-size:16px;line-height:22px;color:#0b2a4a;`,
  h3: `${FONT}margin:0 0 6px 0;font-size:15px;line-height:21px;color:#0b2a4a;`,
  h4: `${FONT}margin:0 0 6px 0;font-size:14px;line-height:21px;color:#0b2a4a;`,
  p: `${FONT}margin:0 0 10px 0;font-size:14px;line-height:21px;`,
  ul: `${FONT}margin:0 0 10px 0;padding:0 0 0 22px;font-size:14px;line-height:21px;`,
  ol: `${FONT}margin:0 0 10px 0;padding:0 0 0 22px;font-size:14px;line-height:21px;`,
  li: 'margin:0 0 4px 0;',
  blockquote: 'margin:0 0 10px 0;padding:0 0 0 12px;border-left:3px solid #c6d6ea;color:#3e4c59;',
  code: "font-family:Consolas,'Courier New',monospace;font-size:13px;background-color:#e4ebf3;padding:1px 4px;",
  pre: "margin:0 0 10px 0;padding:8px;background-color:#e4ebf3;font-family:Consolas,'Courier New',monospace;font-size:13px;white-space:pre-wrap;",
  a: 'color:#0b5cab;',
};
