import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP hop in front of a real SMTP server that changes nothing and notes what a test needs to tell a
 * race apart: when the client last opened a connection or wrote, and each instant the server told the
 * client it was ready for a message's body (354).
 */
export class SmtpTap {
  /** Instants (ms) at which a 354 reply passed to the client. */
  readonly ready: number[] = [];
  /** Counts connections opened and client writes: a send in flight shows here. */
  activity = 0;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly port: number,
    private readonly target: number,
  ) {}

  async open(): Promise<void> {
    this.server = createServer((client) => {
      this.activity += 1;
      const upstream = connect(this.target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.on('data', (chunk: Buffer) => {
        this.activity += 1;
        upstream.write(chunk);
      });
      upstream.on('data', (chunk: Buffer) => {
        // With PIPELINING, 354 may follow the envelope's replies in the same chunk.
        if (/(^|\r\n)354[ -]/.test(chunk.toString('latin1'))) this.ready.push(Date.now());
        client.write(chunk);
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server?.listen(this.port, '127.0.0.1', resolve));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
