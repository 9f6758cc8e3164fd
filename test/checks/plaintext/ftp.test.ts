import { createServer, type Socket } from 'node:net';
import { expect } from 'chai';
import { runPlaintextCheck } from './run-plaintext.js';

/** S1.1-12 plaintext FTP against a scripted control channel on 127.0.97.5x. */

interface FtpScript {
  authTls: string;
  user: string;
}

/** A control channel that greets, answers AUTH TLS and USER as scripted, and records every command it got. */
async function scriptedFtp(host: string, script: FtpScript): Promise<{ port: number; commands: string[]; close(): Promise<void> }> {
  const commands: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      for (let end = buffered.indexOf('\r\n'); end >= 0; end = buffered.indexOf('\r\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        commands.push(line);
        const verb = line.split(' ')[0]!.toUpperCase();
        if (verb === 'AUTH') socket.write(`${script.authTls}\r\n`);
        else if (verb === 'USER') socket.write(`${script.user}\r\n`);
        else if (verb === 'QUIT') socket.end('221 Goodbye.\r\n');
        else socket.write('530 Please login with USER and PASS.\r\n');
      }
    });
    socket.write('220 (fake FTP 1.0)\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as { port: number }).port,
    commands,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

describe('S1.1-12 plaintext FTP', function () {
  this.timeout(30000);

  async function ftpRun(host: string, script: FtpScript) {
    const ftp = await scriptedFtp(host, script);
    try {
      const { check } = await runPlaintextCheck(host, [{ name: 'files', protocol: 'ftp', port: ftp.port, auth: 'password' }]);
      return { check, commands: ftp.commands };
    } finally {
      await ftp.close();
    }
  }

  it('FAILs a server that asks for the password in plaintext, and never sends PASS', async () => {
    const { check, commands } = await ftpRun('127.0.97.51', { authTls: '500 Unknown command.', user: '331 Please specify the password.' });
    expect(check.verdict, check.reason).to.equal('FAIL');
    expect(check.reason).to.match(
      /^files: FTP accepts USER\/PASS in plaintext: USER jcstar-[0-9a-f]{8} got "331 Please specify the password\." \(evidence #\d+\) without TLS, no PASS sent; AUTH TLS is refused \("500 Unknown command\."; evidence #\d+\)$/,
    );
    expect(commands.filter((c) => !c.startsWith('USER jcstar-'))).to.deep.equal(['AUTH TLS', 'QUIT', 'QUIT']);
    const [auth, user] = check.evidence;
    expect(auth!.sent).to.equal('AUTH TLS\nQUIT');
    expect(auth!.received).to.equal('220 (fake FTP 1.0)\n500 Unknown command.\n221 Goodbye.');
    expect(user!.received).to.equal('220 (fake FTP 1.0)\n331 Please specify the password.\n221 Goodbye.');
  });

  it('FAILs a server that offers AUTH TLS but still asks for the password in plaintext', async () => {
    const { check, commands } = await ftpRun('127.0.97.52', { authTls: '234 Proceed with negotiation.', user: '331 Please specify the password.' });
    expect(check.verdict, check.reason).to.equal('FAIL');
    expect(check.reason).to.match(/; AUTH TLS is offered \("234 Proceed with negotiation\."; evidence #\d+\) but not enforced$/);
    // After 234 the server expects a TLS handshake: jcstar closes rather than send QUIT in the clear.
    expect(commands.filter((c) => !c.startsWith('USER jcstar-'))).to.deep.equal(['AUTH TLS', 'QUIT']);
  });

  it('PASSes a server that refuses logins before TLS (vsftpd force_local_logins_ssl)', async () => {
    const { check } = await ftpRun('127.0.97.53', { authTls: '234 Proceed with negotiation.', user: '530 Non-anonymous sessions must use encryption.' });
    expect(check.verdict, check.reason).to.equal('PASS');
    expect(check.reason).to.match(
      /^files: FTP refuses logins before TLS: USER jcstar-[0-9a-f]{8} got "530 Non-anonymous sessions must use encryption\." \(evidence #\d+\); AUTH TLS is offered \("234 Proceed with negotiation\."; evidence #\d+\)$/,
    );
  });

  it('FAILs a server without AUTH TLS even when it turns the random user away at USER', async () => {
    const { check } = await ftpRun('127.0.97.54', { authTls: '502 Command not implemented.', user: '530 Login incorrect.' });
    expect(check.verdict, check.reason).to.equal('FAIL');
    expect(check.reason).to.match(/^files: FTP offers no TLS \(AUTH TLS answered "502 Command not implemented\."; evidence #\d+\), so every login crosses in plaintext; USER jcstar-[0-9a-f]{8} got "530 Login incorrect\."/);
  });

  it('is INCONCLUSIVE when TLS is offered and the random user is refused without a word about TLS', async () => {
    const { check } = await ftpRun('127.0.97.55', { authTls: '234 Proceed with negotiation.', user: '530 Login incorrect.' });
    expect(check.verdict, check.reason).to.equal('INCONCLUSIVE');
    expect(check.reason).to.match(/got "530 Login incorrect\." \(evidence #\d+\), which says nothing about TLS; AUTH TLS is offered .+: whether a real account would be asked for its password in plaintext is unknown$/);
  });
});
