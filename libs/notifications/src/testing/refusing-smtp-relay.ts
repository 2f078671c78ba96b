import { createServer, type Server, type Socket } from 'node:net';
import { createTransport } from 'nodemailer';

/**
 * A minimal SMTP server for tests of permanent refusals: it answers RCPT TO with 550 for the
 * addresses `refuse` picks, and relays every accepted message, unchanged, to the real SMTP server
 * (MailDev), where the test reads it back. MailDev itself cannot refuse a recipient.
 */
export async function startRefusingRelay(opts: {
  port: number;
  relayPort: number;
  refuse: (address: string) => boolean;
}): Promise<Server> {
  const relay = createTransport({ host: '127.0.0.1', port: opts.relayPort, secure: false });
  const server = createServer((socket: Socket) => {
    let buffer = '';
    let inData = false;
    let from = '';
    let to: string[] = [];
    const reply = (line: string): void => {
      socket.write(`${line}\r\n`);
    };
    reply('220 refusing-relay ESMTP');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('binary');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          const raw = Buffer.from(buffer.slice(0, end + 2).replace(/\r\n\.\./g, '\r\n.'), 'binary');
          buffer = buffer.slice(end + 5);
          inData = false;
          relay.sendMail({ envelope: { from, to }, raw }).then(
            () => reply('250 2.0.0 relayed'),
            (err: unknown) => reply(`451 4.4.0 relay failed: ${String(err)}`),
          );
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') reply('250 refusing-relay');
        else if (verb === 'MAIL') {
          from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          to = [];
          reply('250 2.1.0 ok');
        } else if (verb === 'RCPT') {
          const address = /<([^>]*)>/.exec(line)?.[1] ?? '';
          if (opts.refuse(address)) reply(`550 5.1.1 <${address}>: mailbox unavailable`);
          else {
            to.push(address);
            reply('250 2.1.5 ok');
          }
        } else if (verb === 'DATA') {
          inData = true;
          reply('354 end with <CRLF>.<CRLF>');
        } else if (verb === 'RSET') {
          from = '';
          to = [];
          reply('250 ok');
        } else if (verb === 'QUIT') {
          reply('221 bye');
          socket.end();
        } else reply('250 ok');
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(opts.port, '127.0.0.1', resolve));
  server.on('close', () => relay.close());
  return server;
}
