import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { GuardedNetwork } from '../../harness/net/network.js';
import type { AuthObservation } from '../../harness/probes/auth-observation.js';
import { probeRtspDescribe } from '../../harness/probes/rtsp/describe.js';
import { probeRtspLogin, rtspAuthScheme } from '../../harness/probes/rtsp/login.js';
import { RtspMessageReader, asResponse, field, type RtspMessage } from '../../harness/probes/rtsp/message.js';
import { ScopeGuard } from '../../harness/scope/guard.js';
import { Secret } from '../../harness/secrets/secret.js';
import { startRtspServer, type RtspServerOptions, type RunningRtspServer } from '../../harness/simulator/fakes/rtsp-server.js';

const USER = 'admin';
const PASSWORD = randomBytes(12).toString('base64url');
const net = new GuardedNetwork(new ScopeGuard(['127.0.86.0/24']), { connectionsPerSecond: 200, authAttemptsPerSecond: 200, connectTimeoutMs: 2000 });
const signal = new AbortController().signal;

function login(server: { host: string; port: number }, password: string, path = '/stream1', username = USER): Promise<AuthObservation> {
  return probeRtspLogin(net, { host: server.host, port: server.port, path, credential: { username, password: new Secret(password, 'trial') }, signal, timeoutMs: 2000 });
}

function expectNoSecrets(observation: { sent: string; received: string }): void {
  const text = `${observation.sent}\n${observation.received}`;
  expect(text).to.not.contain(PASSWORD);
  expect(text).to.not.contain(Buffer.from(`${USER}:${PASSWORD}`).toString('base64'));
  expect(observation.sent).to.not.match(/response="[0-9a-f]{32}"/);
}

/** A plain RTSP exchange from the test side, outside the harness: writes `text`, collects `count` messages (2 s at most). */
async function raw(server: { host: string; port: number }, text: string | Buffer, count = 1): Promise<RtspMessage[]> {
  const socket = connect(server.port, server.host);
  const reader = new RtspMessageReader();
  const messages: RtspMessage[] = [];
  socket.on('error', () => {});
  socket.write(text);
  let timer: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve) => {
    timer = setTimeout(resolve, 2000);
    socket.on('data', (chunk: Buffer) => {
      messages.push(...reader.push(chunk));
      if (messages.length >= count) resolve();
    });
    socket.on('close', () => resolve());
  });
  clearTimeout(timer);
  socket.destroy();
  return messages;
}

async function fake(options: Omit<RtspServerOptions, 'username' | 'password'>): Promise<RunningRtspServer> {
  return startRtspServer({ username: USER, password: PASSWORD, ...options });
}

describe('RTSP framing', () => {
  it('splits responses fed byte by byte or several to a chunk, with continuation lines and bodies', () => {
    const wire = Buffer.from('RTSP/1.0 200 OK\r\nCSeq: 1\r\nX-Long: a\r\n b\r\nContent-Length: 3\r\n\r\nsdpRTSP/1.0 404 Not Found\r\nCSeq: 2\r\n\r\n');
    const reader = new RtspMessageReader();
    const messages = [...wire].flatMap((byte) => reader.push(Buffer.from([byte])));
    expect(messages.map(asResponse).map((r) => [r.status, r.reason, field(r, 'cseq'), field(r, 'x-long'), r.body.toString()])).to.deep.equal([
      [200, 'OK', '1', 'a b', 'sdp'],
      [404, 'Not Found', '2', undefined, ''],
    ]);
  });

  it('refuses framing it cannot follow', () => {
    expect(() => new RtspMessageReader().push(Buffer.from('RTSP/1.0 200 OK\r\nContent-Length: -1\r\n\r\n'))).to.throw(/Content-Length/);
    expect(() => new RtspMessageReader().push(Buffer.from('RTSP/1.0 200 OK\r\nno colon\r\n\r\n'))).to.throw(/malformed RTSP header/);
    expect(() => asResponse({ startLine: 'HTTP/1.1 200 OK', fields: [], body: Buffer.alloc(0) })).to.throw(/not an RTSP response/);
  });

  it('answers Digest when offered, even beside Basic, else Basic', () => {
    expect(rtspAuthScheme(['Basic realm="cam"', 'Digest realm="cam", nonce="n"'])?.scheme).to.equal('digest');
    expect(rtspAuthScheme(['Basic realm="cam"'])).to.deep.equal({ scheme: 'basic' });
    expect(rtspAuthScheme(['Bearer realm="cam"'])).to.equal(null);
  });
});

describe('RTSP login against the in-process fake camera', function () {
  this.timeout(20000);

  describe('Digest', () => {
    let server: RunningRtspServer;
    before(async () => (server = await fake({ host: '127.0.86.1', auth: 'digest' })));
    after(() => server.close());

    it('accepts the right password with one credential attempt on one connection', async () => {
      const before = server.attempts();
      const observation = await login(server, PASSWORD);
      expect([observation.outcome, observation.detail]).to.deep.equal(['accepted', 'RTSP 200 to Digest MD5']);
      expect(server.attempts() - before).to.equal(1);
      const url = `rtsp://127.0.86.1:${server.port}/stream1`;
      expect(observation.sent).to.contain(`DESCRIBE ${url} RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\n`);
      expect(observation.sent).to.contain(`DESCRIBE ${url} RTSP/1.0\r\nCSeq: 2\r\n`);
      expect(observation.sent).to.match(new RegExp(`Authorization: Digest username="admin", realm="jcstar fake camera", uri="${url}", algorithm=MD5, nonce="[0-9a-f]{32}", nc=00000001, cnonce="[0-9a-f]{32}", qop=auth, response="<MD5 response over \\[REDACTED:trial\\]>"`));
      expect(observation.received).to.match(/^RTSP\/1\.0 401 Unauthorized\r\nCSeq: 1\r\n/);
      expect(observation.received).to.contain('RTSP/1.0 200 OK\r\nCSeq: 2\r\n');
      expect(observation.received).to.contain('a=rtpmap:96 H264/90000');
      expect(observation.rawReceived!.toString('latin1')).to.match(/^RTSP\/1\.0 401 [\s\S]*RTSP\/1\.0 200 OK[\s\S]*a=control:trackID=1\r\n$/);
      expectNoSecrets(observation);
    });

    it('rejects a wrong password and a wrong user', async () => {
      const wrong = await login(server, `${PASSWORD}x`);
      expect([wrong.outcome, wrong.detail]).to.deep.equal(['rejected', 'RTSP 401 to Digest MD5']);
      const stranger = await login(server, PASSWORD, '/stream1', 'root');
      expect(stranger.outcome).to.equal('rejected');
      expectNoSecrets(wrong);
    });

    it('is an error for a stream that does not exist', async () => {
      const observation = await login(server, PASSWORD, '/nope');
      expect([observation.outcome, observation.failure, observation.detail]).to.deep.equal(['error', 'protocol', 'RTSP 404 before any credential was sent']);
    });
  });

  describe('Basic', () => {
    let server: RunningRtspServer;
    before(async () => (server = await fake({ host: '127.0.86.2', auth: 'basic' })));
    after(() => server.close());

    it('accepts the right password and rejects a wrong one', async () => {
      const right = await login(server, PASSWORD);
      expect([right.outcome, right.detail]).to.deep.equal(['accepted', 'RTSP 200 to Basic']);
      expect(right.sent).to.contain('Authorization: Basic base64(admin:[REDACTED:trial])');
      const wrong = await login(server, 'admin');
      expect([wrong.outcome, wrong.detail]).to.deep.equal(['rejected', 'RTSP 401 to Basic']);
      expect(server.attempts()).to.equal(2);
      expectNoSecrets(right);
    });
  });

  describe('lockout', () => {
    it('locks every client out after consecutive failures, the right credential included, then recovers', async () => {
      const server = await fake({ host: '127.0.86.3', auth: 'basic', lockoutAfter: 3, lockoutMs: 1500 });
      try {
        for (let i = 0; i < 3; i++) expect((await login(server, `wrong-${i}`)).outcome).to.equal('rejected');
        const locked = await login(server, PASSWORD);
        expect([locked.outcome, locked.detail]).to.deep.equal(['locked', 'RTSP 423 before any credential was sent']);
        expect(locked.lockoutSignal).to.match(/^RTSP 423 Retry-After: [12]$/);

        const authorization = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
        const [refused] = await raw(server, `DESCRIBE rtsp://127.0.86.3:${server.port}/stream1 RTSP/1.0\r\nCSeq: 7\r\nAuthorization: ${authorization}\r\n\r\n`);
        expect(refused!.startLine).to.equal('RTSP/1.0 423 Locked');
        expect(field(refused!, 'CSeq')).to.equal('7');
        expect(field(refused!, 'Retry-After')).to.match(/^[12]$/);

        await sleep(1600);
        const recovered = await login(server, PASSWORD);
        expect([recovered.outcome, recovered.detail]).to.deep.equal(['accepted', 'RTSP 200 to Basic']);
        expect(server.attempts()).to.equal(3 + 1 + 1);
      } finally {
        await server.close();
      }
    });

    it('holds Digest clients off too, and counts failures only while consecutive', async () => {
      const server = await fake({ host: '127.0.86.4', auth: 'digest', lockoutAfter: 2, lockoutMs: 1000 });
      try {
        expect((await login(server, 'wrong')).outcome).to.equal('rejected');
        expect((await login(server, PASSWORD)).outcome).to.equal('accepted');
        expect((await login(server, 'wrong')).outcome).to.equal('rejected');
        expect((await login(server, 'wrong')).outcome).to.equal('rejected');
        const locked = await login(server, PASSWORD);
        expect([locked.outcome, locked.lockoutSignal]).to.deep.equal(['locked', 'RTSP 423 Retry-After: 1']);
        await sleep(1100);
        expect((await login(server, PASSWORD)).outcome).to.equal('accepted');
      } finally {
        await server.close();
      }
    });
  });
});

describe('unauthenticated RTSP DESCRIBE', function () {
  this.timeout(20000);
  let open: RunningRtspServer;
  let guarded: RunningRtspServer;
  before(async () => {
    open = await fake({ host: '127.0.86.5', auth: 'none' });
    guarded = await fake({ host: '127.0.86.6', auth: 'digest' });
  });
  after(async () => {
    await open.close();
    await guarded.close();
  });

  it('returns 200 and the SDP of an open stream', async () => {
    const result = await probeRtspDescribe(net, { host: open.host, port: open.port, path: '/stream1', signal, timeoutMs: 2000 });
    if (result.outcome !== 'answered') throw new Error(result.detail);
    expect([result.status, result.reason]).to.deep.equal([200, 'OK']);
    expect(result.headers).to.include({ cseq: '1', 'content-type': 'application/sdp', 'content-base': `rtsp://127.0.86.5:${open.port}/stream1/` });
    expect(result.body).to.match(/^v=0\r\n[\s\S]*m=video 0 RTP\/AVP 96\r\na=rtpmap:96 H264\/90000\r\n/);
    expect(result.sent).to.equal(`DESCRIBE rtsp://127.0.86.5:${open.port}/stream1 RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\nUser-Agent: jcstar\r\n\r\n`);
    expect(result.rawReceived.toString('latin1')).to.match(/^RTSP\/1\.0 200 OK\r\n/);
    expect(result.rawReceived.toString('latin1').endsWith(result.body)).to.equal(true);
  });

  it('returns the 401 and its challenge for a protected stream', async () => {
    const result = await probeRtspDescribe(net, { host: guarded.host, port: guarded.port, path: '/stream1', signal, timeoutMs: 2000 });
    if (result.outcome !== 'answered') throw new Error(result.detail);
    expect(result.status).to.equal(401);
    expect(result.headers['www-authenticate']).to.match(/^Digest realm="jcstar fake camera", nonce="[0-9a-f]{32}", algorithm=MD5, qop="auth"$/);
    expect(result.body).to.equal('');
  });

  it('lets a login on an open stream count as accepted before any credential was sent', async () => {
    const observation = await login(open, PASSWORD);
    expect([observation.outcome, observation.detail]).to.deep.equal(['accepted', 'RTSP 200 before any credential was sent']);
    expect(observation.sent).to.not.contain('Authorization');
    expect(open.attempts()).to.equal(0);
  });

  it('is an error observation when nothing listens', async () => {
    const result = await probeRtspDescribe(net, { host: '127.0.86.7', port: open.port, path: '/stream1', signal, timeoutMs: 2000 });
    expect(result.outcome).to.equal('error');
    if (result.outcome === 'error') expect(result.failure).to.equal('refused');
  });
});

describe('RTSP probes against misbehaving servers', function () {
  this.timeout(20000);
  let server: Server;
  let port: number;
  let reply: (request: string, socket: Socket) => void = () => {};
  const sockets = new Set<Socket>();
  const HOST = '127.0.86.8';
  before(async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('data', (chunk: Buffer) => reply(chunk.toString('latin1'), socket));
    });
    await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
    port = (server.address() as { port: number }).port;
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const cseqOf = (request: string) => /CSeq: (\d+)/.exec(request)?.[1];

  it('is an error naming what the 401 offered when it is neither Digest nor Basic', async () => {
    reply = (request, socket) => socket.write(`RTSP/1.0 401 Unauthorized\r\nCSeq: ${cseqOf(request)}\r\nWWW-Authenticate: Bearer realm="cam"\r\n\r\n`);
    const observation = await login({ host: HOST, port }, PASSWORD);
    expect([observation.outcome, observation.failure, observation.detail]).to.deep.equal(['error', 'protocol', 'RTSP 401 offered neither Digest nor Basic (WWW-Authenticate: Bearer realm="cam")']);
  });

  it('reconnects when the server closes after its challenge, and skips a stale response', async () => {
    reply = (request, socket) => {
      if (!request.includes('Authorization')) {
        socket.end(`RTSP/1.0 401 Unauthorized\r\nCSeq: ${cseqOf(request)}\r\nWWW-Authenticate: Basic realm="cam"\r\nConnection: close\r\n\r\n`);
        return;
      }
      socket.write(`RTSP/1.0 500 Stale\r\nCSeq: 99\r\n\r\nRTSP/1.0 200 OK\r\nCSeq: ${cseqOf(request)}\r\n\r\n`);
    };
    const observation = await login({ host: HOST, port }, PASSWORD);
    expect([observation.outcome, observation.detail]).to.deep.equal(['accepted', 'RTSP 200 to Basic']);
    expect(observation.sent).to.match(/CSeq: 1\r\n[\s\S]*DESCRIBE [^\r]+\r\nCSeq: 1\r\n[\s\S]*Authorization: Basic base64/);
  });

  it('is a protocol error on garbage and a timeout on silence', async () => {
    reply = (_request, socket) => socket.write('SSH-2.0-OpenSSH_9.2\r\n\r\n');
    const garbage = await login({ host: HOST, port }, PASSWORD);
    expect([garbage.outcome, garbage.failure]).to.deep.equal(['error', 'protocol']);
    expect(garbage.detail).to.equal('not an RTSP response: "SSH-2.0-OpenSSH_9.2"');
    expect(garbage.rawReceived!.toString('latin1')).to.equal('SSH-2.0-OpenSSH_9.2\r\n\r\n');

    reply = () => {};
    const silent = await probeRtspLogin(net, { host: HOST, port, path: '/', credential: { username: USER, password: new Secret(PASSWORD, 'trial') }, signal, timeoutMs: 300 });
    expect([silent.outcome, silent.failure]).to.deep.equal(['error', 'timeout']);
  });

  it('stops at once when aborted', async () => {
    reply = () => {};
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const observation = await probeRtspLogin(net, { host: HOST, port, path: '/', credential: { username: USER, password: new Secret(PASSWORD, 'trial') }, signal: controller.signal, timeoutMs: 5000 });
    expect([observation.outcome, observation.failure]).to.deep.equal(['error', 'aborted']);
    expect(Date.now() - started).to.be.below(2000);
  });
});

describe('fake RTSP server robustness', function () {
  this.timeout(20000);
  let server: RunningRtspServer;
  before(async () => (server = await fake({ host: '127.0.86.9', auth: 'digest' })));
  after(() => server.close());

  it('answers OPTIONS without credentials, echoing CSeq, and refuses other methods and paths', async () => {
    const url = `rtsp://127.0.86.9:${server.port}`;
    const [options, play, missing] = await raw(
      server,
      `OPTIONS ${url}/stream1 RTSP/1.0\r\nCSeq: 41\r\n\r\nPLAY ${url}/stream1 RTSP/1.0\r\nCSeq: 42\r\n\r\nDESCRIBE ${url}/other RTSP/1.0\r\nCSeq: 43\r\n\r\n`,
      3,
    );
    expect([options!.startLine, field(options!, 'CSeq'), field(options!, 'Public')]).to.deep.equal(['RTSP/1.0 200 OK', '41', 'OPTIONS, DESCRIBE']);
    expect([play!.startLine, field(play!, 'CSeq')]).to.deep.equal(['RTSP/1.0 405 Method Not Allowed', '42']);
    expect([missing!.startLine, field(missing!, 'CSeq')]).to.deep.equal(['RTSP/1.0 404 Not Found', '43']);
  });

  it('answers garbage with 400 and a close, survives resets, and keeps serving', async () => {
    const [garbage] = await raw(server, Buffer.concat([randomBytes(64), Buffer.from('\r\n\r\n')]));
    expect(garbage!.startLine).to.equal('RTSP/1.0 400 Bad Request');
    const [noCseq] = await raw(server, 'OPTIONS * RTSP/1.0\r\n\r\n');
    expect(noCseq!.startLine).to.equal('RTSP/1.0 400 Bad Request');
    const [oversized] = await raw(server, `OPTIONS * RTSP/1.0\r\nX: ${'a'.repeat(20_000)}`);
    expect(oversized!.startLine).to.equal('RTSP/1.0 400 Bad Request');
    const reset = connect(server.port, server.host);
    reset.on('error', () => {});
    await new Promise((resolve) => reset.once('connect', resolve));
    reset.write('DESCRIBE rtsp://x/stream1 RTSP/1.0\r\nCSe');
    reset.resetAndDestroy();
    expect((await login(server, PASSWORD)).outcome).to.equal('accepted');
  });

  it('close() ends open connections', async () => {
    const other = await fake({ host: '127.0.86.10', auth: 'none' });
    const socket = connect(other.port, other.host);
    socket.on('error', () => {});
    await new Promise((resolve) => socket.once('connect', resolve));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    await other.close();
    await Promise.race([closed, sleep(2000).then(() => { throw new Error('socket still open after close()'); })]);
  });
});
