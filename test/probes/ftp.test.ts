import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { connect, createServer, type Socket } from 'node:net';
import { GuardedNetwork } from '../../harness/net/network.js';
import type { AuthObservation, TrialCredential } from '../../harness/probes/auth-observation.js';
import { probeFtpLogin } from '../../harness/probes/ftp/login.js';
import { FtpReplyReader } from '../../harness/probes/ftp/replies.js';
import { ScopeGuard } from '../../harness/scope/guard.js';
import { Secret } from '../../harness/secrets/secret.js';
import { requireBinaries, requireRoot } from '../support/daemons.js';
import { startVsftpd, type Vsftpd } from '../support/vsftpd.js';

/** vsftpd waits a second after a failed login and pam_unix about two more. */
const TIMEOUT_MS = 10_000;

function loopbackNetwork(): GuardedNetwork {
  return new GuardedNetwork(new ScopeGuard(['127.0.83.0/24']), { connectionsPerSecond: 1000, authAttemptsPerSecond: 1000, connectTimeoutMs: 2000 });
}

function noAbort(): AbortSignal {
  return new AbortController().signal;
}

function credential(username: string, password: string): TrialCredential {
  return { username, password: new Secret(password, 'trial') };
}

/** Everything recorded about an attempt, as one string to search for leaks. */
function recorded(o: AuthObservation): string {
  return [o.detail, o.sent, o.received, o.lockoutSignal ?? '', o.rawReceived?.toString('latin1') ?? ''].join('\n');
}

describe('FTP reply reader', () => {
  const stream = Buffer.from([
    '220-Welcome\r\n',
    '220-still the greeting\r\n',
    '  220 indented, not the end\r\n',
    '331 another code inside\r\n',
    '220 ready\r\n',
    '230 Login successful.\r\n',
  ].join(''));

  it('ends a multi-line reply only at its own code followed by a space', () => {
    const replies = new FtpReplyReader().push(stream);
    expect(replies.map((r) => [r.code, r.lines.length])).to.deep.equal([[220, 5], [230, 1]]);
    expect(replies[0]!.lines.at(-1)).to.equal('220 ready');
  });

  it('reads the same replies wherever the stream is split', () => {
    const whole = new FtpReplyReader().push(stream);
    for (let at = 1; at < stream.length; at++) {
      const reader = new FtpReplyReader();
      expect([...reader.push(stream.subarray(0, at)), ...reader.push(stream.subarray(at))], `split at ${at}`).to.deep.equal(whole);
    }
  });

  it('refuses what is not a reply, and a reply that never ends', () => {
    expect(() => new FtpReplyReader().push(Buffer.from('HTTP/1.1 400 Bad Request\r\n'))).to.throw(/not an FTP reply/);
    const endless = Buffer.from(`220-a\r\n${'more\r\n'.repeat(300)}`);
    expect(() => new FtpReplyReader().push(endless)).to.throw(/longer than 200 lines/);
  });
});

interface Script {
  greeting: string;
  user?: string;
  pass?: string;
}

/** An FTP server that answers each command with raw text from a script; nothing is checked. */
async function scriptedFtp(host: string, script: Script): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.write(script.greeting);
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (let end = buffer.indexOf('\r\n'); end !== -1; end = buffer.indexOf('\r\n')) {
        const verb = buffer.slice(0, end).split(' ')[0];
        buffer = buffer.slice(end + 2);
        if (verb === 'USER' && script.user) socket.write(script.user);
        else if (verb === 'PASS' && script.pass) socket.write(script.pass);
        else if (verb === 'QUIT') socket.end('221 Goodbye.\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('FTP login probe against scripted servers', () => {
  const net = loopbackNetwork();
  const host = '127.0.83.10';
  const password = `pw-${randomBytes(8).toString('hex')}`;
  let fake: { port: number; close(): Promise<void> };
  const attempt = async (script: Script, timeoutMs = 2000) => {
    fake = await scriptedFtp(host, script);
    return probeFtpLogin(net, { host, port: fake.port, credential: credential('admin', password), signal: noAbort(), timeoutMs });
  };
  afterEach(() => fake?.close());

  it('accepts on a multi-line 230 and quits', async () => {
    const o = await attempt({
      greeting: '220 ready\r\n',
      user: '331 Password required\r\n',
      pass: '230-Welcome\r\n230-\r\n 230 indented\r\n230 Login ok.\r\n',
    });
    expect(o).to.include({ outcome: 'accepted', detail: '230 Login ok.' });
    expect(o.sent).to.equal('USER admin\nPASS [REDACTED:trial]\nQUIT');
    expect(o.received).to.equal('220 ready\n331 Password required\n230-Welcome\n230-\n 230 indented\n230 Login ok.\n221 Goodbye.');
    expect(o.latencyMs).to.be.greaterThan(0);
    expect(recorded(o)).not.to.contain(password);
  });

  it('is locked on 421 "try again later", with the reply as the signal', async () => {
    const o = await attempt({ greeting: '220 ready\r\n', user: '331 Password required\r\n', pass: '421 Too many failed logins; try again later.\r\n' });
    expect(o).to.include({ outcome: 'locked', lockoutSignal: '421 Too many failed logins; try again later.' });
  });

  it('is an error on any other 421', async () => {
    const o = await attempt({ greeting: '220 ready\r\n', user: '331 Password required\r\n', pass: '421 Timeout.\r\n' });
    expect(o).to.include({ outcome: 'error', failure: 'protocol', detail: 'unexpected reply to PASS: 421 Timeout.' });
  });

  it('is rejected when USER is refused, and never sends the password', async () => {
    const o = await attempt({ greeting: '220 ready\r\n', user: '530 Permission denied.\r\n' });
    expect(o).to.include({ outcome: 'rejected', detail: '530 Permission denied. (username refused)' });
    expect(o.sent).to.equal('USER admin\nQUIT');
  });

  it('is an error with a clear detail when no greeting comes', async () => {
    const o = await attempt({ greeting: '' }, 300);
    expect(o).to.include({ outcome: 'error', failure: 'timeout', detail: 'no greeting within 300 ms' });
  });

  it('is a protocol error when the server is not FTP', async () => {
    const o = await attempt({ greeting: 'SSH-2.0-OpenSSH_9.2\r\n' });
    expect(o).to.include({ outcome: 'error', failure: 'protocol' });
    expect(o.detail).to.match(/^not an FTP reply/);
  });
});

/** vsftpd logs one of these per password it checked. */
function loggedLogins(log: string): string[] {
  return log.split('\n').filter((l) => / (OK|FAIL) LOGIN: /.test(l));
}

describe('FTP login probe against real vsftpd', function () {
  this.timeout(60_000);
  const net = loopbackNetwork();
  const password = randomBytes(12).toString('base64url');
  let ftp: Vsftpd;
  let crowded: Vsftpd;
  const attempt = (daemon: Vsftpd, c: TrialCredential) => probeFtpLogin(net, { host: daemon.host, port: daemon.port, credential: c, signal: noAbort(), timeoutMs: TIMEOUT_MS });

  before(async function () {
    requireBinaries(this, { vsftpd: 'vsftpd', unshare: 'util-linux', openssl: 'openssl' });
    requireRoot(this, 'bind-mounting fixture users in a private mount namespace');
    ftp = await startVsftpd('127.0.83.1', { maint: password }, { banner: ['jcstar fixture FTP', 'Authorised users only'] });
    crowded = await startVsftpd('127.0.83.2', { maint: password }, { maxPerIp: 1 });
  });
  after(async () => {
    await ftp?.stop();
    await crowded?.stop();
  });

  it('accepts the right password after a multi-line greeting', async () => {
    const o = await attempt(ftp, credential('maint', password));
    expect(o.outcome, o.detail).to.equal('accepted');
    expect(o.detail).to.equal('230 Login successful.');
    expect(o.received).to.match(/^220-jcstar fixture FTP\n220-Authorised users only\n220 ?\n331 Please specify the password\.\n230 Login successful\.\n221 Goodbye\.$/);
    expect(o.sent).to.equal('USER maint\nPASS [REDACTED:trial]\nQUIT');
    expect(recorded(o)).not.to.contain(password);
  });

  it('rejects a wrong password with 530', async () => {
    const o = await attempt(ftp, credential('maint', `${password}x`));
    expect(o).to.include({ outcome: 'rejected', detail: '530 Login incorrect.' });
    expect(o.latencyMs).to.be.greaterThan(500);
    expect(recorded(o)).not.to.contain(password);
  });

  it('rejects an unknown user with 530', async () => {
    const o = await attempt(ftp, credential(`nobody-${randomBytes(3).toString('hex')}`, password));
    expect(o).to.include({ outcome: 'rejected', detail: '530 Login incorrect.' });
  });

  it('checked exactly those three passwords, by vsftpd\'s own log', () => {
    const lines = loggedLogins(ftp.ftpLog());
    expect(lines.map((l) => / (OK|FAIL) LOGIN: /.exec(l)![1])).to.deep.equal(['OK', 'FAIL', 'FAIL']);
    expect(ftp.ftpLog()).to.contain('"PASS <password>"').and.not.contain(password);
  });

  it('is locked when vsftpd turns the connection away as "too many"', async () => {
    const holder = connect({ host: crowded.host, port: crowded.port });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.once('data', () => resolve());
        holder.once('error', reject);
      });
      const o = await attempt(crowded, credential('maint', password));
      expect(o).to.include({ outcome: 'locked', lockoutSignal: '421 There are too many connections from your internet address.' });
      expect(o.sent).to.equal('');
      expect(loggedLogins(crowded.ftpLog())).to.deep.equal([]);
    } finally {
      holder.destroy();
    }
  });
});
