import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { GuardedNetwork } from '../../harness/net/network.js';
import type { AuthObservation, TrialCredential } from '../../harness/probes/auth-observation.js';
import { DO, DONT, IAC, SB, SE, WILL, WONT, TelnetDecoder, escapeData, type TelnetPart } from '../../harness/probes/telnet/codec.js';
import { probeTelnetBanner, type TelnetBanner } from '../../harness/probes/telnet/banner.js';
import { probeTelnetLogin } from '../../harness/probes/telnet/login.js';
import { OptionNegotiator } from '../../harness/probes/telnet/negotiation.js';
import { ScopeGuard } from '../../harness/scope/guard.js';
import { Secret } from '../../harness/secrets/secret.js';
import { LOCKOUT_MESSAGE, startTelnetServer, type TelnetServer } from '../../harness/simulator/fakes/telnet-server.js';
import { requireBusyboxApplets, startBusyboxLogin, startBusyboxShell, type BusyboxTelnetd } from '../support/busybox-telnetd.js';
import { freePort, requireBinaries, requireRoot, type Daemon } from '../support/daemons.js';

/** BusyBox login pauses 3 s after a wrong password. */
const TIMEOUT_MS = 10_000;

function loopbackNetwork(): GuardedNetwork {
  return new GuardedNetwork(new ScopeGuard(['127.0.82.0/24']), { connectionsPerSecond: 1000, authAttemptsPerSecond: 1000, connectTimeoutMs: 2000 });
}

/** A signal that never aborts. */
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

function bytes(...parts: Array<number[] | string>): Buffer {
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
}

/** Data parts merged, so results can be compared however the input was split. */
function normalise(parts: TelnetPart[]): Array<TelnetPart | string> {
  const out: Array<TelnetPart | string> = [];
  for (const part of parts) {
    if (part.kind !== 'data') out.push(part);
    else if (typeof out.at(-1) === 'string') out[out.length - 1] += part.bytes.toString('latin1');
    else out.push(part.bytes.toString('latin1'));
  }
  return out;
}

/** How many times `needle` occurs in `haystack`. */
function occurrences(haystack: Buffer, needle: number[]): number {
  let count = 0;
  for (let at = haystack.indexOf(Buffer.from(needle)); at !== -1; at = haystack.indexOf(Buffer.from(needle), at + 1)) count++;
  return count;
}

describe('telnet codec', () => {
  const stream = bytes(
    'ab', [IAC, IAC], 'c\r', [0], 'd\r\n',
    [IAC, DO, 24, IAC, WILL, 1, IAC, 241],
    [IAC, SB, 24, 1, IAC, IAC, 7, IAC, SE],
    'login: ',
  );

  it('separates text from negotiation, subnegotiation and commands; IAC IAC is a 0xFF, CR NUL a CR', () => {
    expect(normalise(new TelnetDecoder().push(stream))).to.deep.equal([
      'ab\xffc\rd\r\n',
      { kind: 'negotiation', verb: 'DO', option: 24 },
      { kind: 'negotiation', verb: 'WILL', option: 1 },
      { kind: 'command', code: 241 },
      { kind: 'subnegotiation', option: 24, payload: Buffer.from([1, IAC, 7]) },
      'login: ',
    ]);
  });

  it('decodes the same wherever the stream is split between two segments', () => {
    const whole = normalise(new TelnetDecoder().push(stream));
    for (let at = 1; at < stream.length; at++) {
      const decoder = new TelnetDecoder();
      const split = normalise([...decoder.push(stream.subarray(0, at)), ...decoder.push(stream.subarray(at))]);
      expect(split, `split at ${at}`).to.deep.equal(whole);
    }
  });

  it('escapes 0xFF as IAC IAC and a CR without LF as CR NUL', () => {
    expect(escapeData(bytes('p', [0xff], 'w\rx\r\n'))).to.deep.equal(bytes('p', [0xff, 0xff], 'w\r', [0], 'x\r\n'));
  });
});

describe('telnet option negotiation', () => {
  it('refuses what a login does not need and takes server echo and no go-ahead', () => {
    const n = new OptionNegotiator();
    expect(n.answer('DO', 24)).to.deep.equal({ verb: 'WONT', option: 24 });
    expect(n.answer('DO', 31)).to.deep.equal({ verb: 'WONT', option: 31 });
    expect(n.answer('WILL', 1)).to.deep.equal({ verb: 'DO', option: 1 });
    expect(n.answer('WILL', 3)).to.deep.equal({ verb: 'DO', option: 3 });
    expect(n.answer('DO', 3)).to.deep.equal({ verb: 'WILL', option: 3 });
    expect(n.answer('WILL', 0)).to.deep.equal({ verb: 'DONT', option: 0 });
  });

  it('answers only changes, so a repeating server gets no loop', () => {
    const n = new OptionNegotiator();
    expect(n.answer('WILL', 1)).to.deep.equal({ verb: 'DO', option: 1 });
    expect(n.answer('WILL', 1)).to.equal(null);
    expect(n.answer('WONT', 1)).to.deep.equal({ verb: 'DONT', option: 1 });
    expect(n.answer('WONT', 1)).to.equal(null);
    expect(n.answer('DONT', 24)).to.equal(null);
  });
});

describe('telnet login probe against the telnet fake', () => {
  const net = loopbackNetwork();
  const host = '127.0.82.10';
  const password = `pw-${randomBytes(8).toString('hex')}`;
  let fake: TelnetServer;
  const attempt = (c: TrialCredential, signal = noAbort()) => probeTelnetLogin(net, { host, port: fake.port, credential: c, signal, timeoutMs: 3000 });
  afterEach(() => fake?.close());

  it('accepts the right credential at the shell prompt, through every awkward negotiation', async () => {
    fake = await startTelnetServer({ host, users: { admin: password } });
    const o = await attempt(credential('admin', password));
    expect(o.outcome, o.detail).to.equal('accepted');
    expect(o.detail).to.equal('shell prompt "#" after the password');
    expect(o.latencyMs).to.be.greaterThan(0).and.lessThan(3000);
    expect(o.sent).to.contain('admin\n[REDACTED:trial]');
    expect(o.received).to.contain('fake-cam firmware 2.1 \ufffd').and.contain('<IAC DO TTYPE>').and.contain('<IAC SB TTYPE 01 IAC SE>');
    expect(recorded(o)).not.to.contain(password);

    const client = fake.clientBytes()[0]!;
    for (const refusal of [[IAC, WONT, 24], [IAC, WONT, 31], [IAC, WONT, 39]]) expect(occurrences(client, refusal), String(refusal)).to.equal(1);
    expect(occurrences(client, [IAC, DO, 1]), 'DO ECHO once, though WILL ECHO came twice').to.equal(1);
    expect(occurrences(client, [IAC, DO, 3])).to.equal(1);
    expect(occurrences(client, [IAC, SB]), 'no subnegotiation for a refused option').to.equal(0);
    expect(occurrences(client, [IAC, DONT])).to.equal(0);
    expect(client.includes(Buffer.from(`admin\r\n${password}\r\n`))).to.equal(true);
  });

  it('rejects a wrong password on "Login incorrect"', async () => {
    fake = await startTelnetServer({ host, users: { admin: password } });
    const o = await attempt(credential('admin', 'wrong'));
    expect(o.outcome, o.detail).to.equal('rejected');
    expect(o.detail).to.equal('Login incorrect');
    expect(o.received).to.contain('Password: \r\nLogin incorrect\r\n');
    expect(o.latencyMs).to.be.greaterThan(0);
  });

  it('reports the lockout message as locked, with the line that said so', async () => {
    fake = await startTelnetServer({ host, users: { admin: password }, lockoutAfter: 2 });
    const outcomes = [];
    for (const pw of ['wrong-1', 'wrong-2', password]) outcomes.push(await attempt(credential('admin', pw)));
    expect(outcomes.map((o) => o.outcome)).to.deep.equal(['rejected', 'rejected', 'locked']);
    expect(outcomes[2]!.lockoutSignal).to.equal(LOCKOUT_MESSAGE);
    expect(fake.attempts()).to.equal(3);
    for (const o of outcomes) expect(recorded(o)).not.to.contain(password);
  });

  it('is an error with a clear detail when no prompt comes', async () => {
    fake = await startTelnetServer({ host, users: {}, silent: true });
    const o = await probeTelnetLogin(net, { host, port: fake.port, credential: credential('admin', password), signal: noAbort(), timeoutMs: 300 });
    expect(o).to.include({ outcome: 'error', failure: 'timeout', detail: 'no login prompt within 300 ms; last text: ""' });
  });

  it('honours the abort signal', async () => {
    fake = await startTelnetServer({ host, users: {}, silent: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const o = await attempt(credential('admin', password), controller.signal);
    expect(o).to.include({ outcome: 'error', failure: 'aborted' });
    expect(o.latencyMs).to.be.lessThan(1000);
  });

  it('is an error "refused" when nothing listens', async () => {
    const port = await freePort(host);
    const o = await probeTelnetLogin(net, { host, port, credential: credential('admin', password), signal: noAbort(), timeoutMs: 1000 });
    expect(o).to.include({ outcome: 'error', failure: 'refused' });
  });

  it('sees a login prompt, not a shell, in the banner', async () => {
    fake = await startTelnetServer({ host, users: {} });
    const banner = await probeTelnetBanner(net, { host, port: fake.port, signal: noAbort(), timeoutMs: 2000 });
    expect(banner.outcome).to.equal('banner');
    expect(banner).to.include({ shellWithoutLogin: false });
    expect((banner as TelnetBanner).text).to.match(/fake-cam login: $/);
  });
});

describe('telnet probes against real BusyBox telnetd', function () {
  this.timeout(60_000);
  const net = loopbackNetwork();
  const password = randomBytes(12).toString('base64url');
  let login: BusyboxTelnetd;
  let shell: Daemon & { host: string; port: number };
  const attempt = (c: TrialCredential) => probeTelnetLogin(net, { host: login.host, port: login.port, credential: c, signal: noAbort(), timeoutMs: TIMEOUT_MS });

  before(async function () {
    requireBinaries(this, { busybox: 'busybox-static', unshare: 'util-linux', setpriv: 'util-linux', openssl: 'openssl' });
    requireBusyboxApplets(this);
    requireRoot(this, 'bind-mounting fixture users in a private mount namespace');
    login = await startBusyboxLogin('127.0.82.1', { maint: password });
    shell = await startBusyboxShell('127.0.82.2');
  });
  after(async () => {
    await login?.stop();
    await shell?.stop();
  });

  it('accepts the right password at the shell prompt after the MOTD', async () => {
    const o = await attempt(credential('maint', password));
    expect(o.outcome, o.detail).to.equal('accepted');
    expect(o.detail).to.equal('shell prompt "$" after the password');
    expect(o.received).to.contain('jcstar fixture telnetd').and.match(/\$ $/);
    expect(o.sent).to.match(/^IAC /).and.contain('\nmaint\n[REDACTED:trial]');
    expect(o.latencyMs).to.be.greaterThan(0);
    expect(recorded(o)).not.to.contain(password);
  });

  it('rejects a wrong password on "Login incorrect", after BusyBox\'s failure delay', async () => {
    const o = await attempt(credential('maint', `${password}x`));
    expect(o.outcome, o.detail).to.equal('rejected');
    expect(o.detail).to.equal('Login incorrect');
    expect(o.latencyMs).to.be.greaterThan(2000);
    expect(o.received, 'waits for the next prompt before hanging up').to.match(/Login incorrect\r\n.*login: $/);
    expect(recorded(o)).not.to.contain(password);
  });

  it('rejects an unknown user the same way', async () => {
    const o = await attempt(credential(`nobody-${randomBytes(3).toString('hex')}`, password));
    expect(o.outcome, o.detail).to.equal('rejected');
    expect(o.detail).to.equal('Login incorrect');
  });

  it('counts both failures in busybox login\'s own syslog', async () => {
    const failures = () => login.authLog().split('\n').filter((l) => l.includes('invalid password for'));
    // syslogd writes what login sent it in its own time.
    for (let i = 0; i < 20 && failures().length < 2; i++) await sleep(100);
    const lines = failures();
    expect(lines, login.authLog()).to.have.length(2);
    expect(lines[0]).to.contain("'maint'");
    expect(lines[1]).to.contain("'UNKNOWN'");
  });

  it('finds no shell without login where telnetd runs login', async () => {
    const banner = await probeTelnetBanner(net, { host: login.host, port: login.port, signal: noAbort(), timeoutMs: 3000 });
    expect(banner.outcome).to.equal('banner');
    expect(banner).to.include({ shellWithoutLogin: false });
    expect((banner as TelnetBanner).text).to.match(/login: $/);
  });

  it('finds the BusyBox shell that telnetd hands out without login', async () => {
    const banner = await probeTelnetBanner(net, { host: shell.host, port: shell.port, signal: noAbort(), timeoutMs: 3000 });
    expect(banner.outcome).to.equal('banner');
    const { text, shellWithoutLogin, latencyMs } = banner as TelnetBanner;
    expect(shellWithoutLogin, text).to.equal(true);
    expect(text).to.match(/BusyBox v1\.\d+.* built-in shell \(ash\)/).and.match(/\$ $/);
    expect(latencyMs).to.be.greaterThan(0).and.lessThan(3000);
  });

  it('reports such a shell as accepted "before login" by the login probe', async () => {
    const o = await probeTelnetLogin(net, { host: shell.host, port: shell.port, credential: credential('maint', password), signal: noAbort(), timeoutMs: TIMEOUT_MS });
    expect(o.outcome, o.detail).to.equal('accepted');
    expect(o.detail).to.equal('shell prompt "$" before login');
    expect(o.sent).not.to.contain('maint');
  });
});
