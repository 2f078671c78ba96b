/** Reads back what the real SMTP server (MailDev) received, through its REST API. */
export interface CaughtEmail {
  id: string;
  subject: string;
  text?: string;
  html?: string;
  headers: Record<string, string | string[]>;
  to: { address: string; name?: string }[];
  date: string;
}

export class MailDevClient {
  constructor(readonly apiUrl: string = process.env.MAILDEV_API_URL ?? 'http://127.0.0.1:1180') {}

  async all(): Promise<CaughtEmail[]> {
    const res = await fetch(`${this.apiUrl}/api/email`);
    if (!res.ok) throw new Error(`MailDev answered ${res.status}`);
    return (await res.json()) as CaughtEmail[];
  }

  async deleteAll(): Promise<void> {
    await fetch(`${this.apiUrl}/api/email/all`, { method: 'DELETE' });
  }

  async forReference(reference: string): Promise<CaughtEmail[]> {
    return (await this.all()).filter((m) => header(m, 'x-dipb-reference') === reference);
  }
}

export function header(mail: CaughtEmail, name: string): string | undefined {
  const value = mail.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function messageId(mail: CaughtEmail): string | undefined {
  return header(mail, 'message-id');
}
