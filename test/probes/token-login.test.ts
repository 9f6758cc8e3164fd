import { expect } from 'chai';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { connect as netConnect, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import forge from 'node-forge';
import { GuardedNetwork } from '../../harness/net/network.js';
import type { AuthObservation, TrialCredential } from '../../harness/probes/auth-observation.js';
import { probeTokenLogin } from '../../harness/probes/http/token-login.js';
import type { LoginSpec } from '../../harness/profile/schema.js';
import { ScopeGuard } from '../../harness/scope/guard.js';
import { Secret } from '../../harness/secrets/secret.js';
import { startTokenApiServer, type TokenApiServer } from '../../harness/simulator/fakes/token-api-server.js';
import { HOST, freePort } from '../simulator/helpers.js';

const TIMEOUT_MS = 3000;
const API_LOGIN: LoginSpec = { path: '/api/login', tokenField: 'data.accessToken' };

function loopbackNetwork(): GuardedNetwork {
  return new GuardedNetwork(new ScopeGuard(['127.0.0.0/8']), { connectionsPerSecond: 1000, authAttemptsPerSecond: 1000, connectTimeoutMs: TIMEOUT_MS });
}

function credential(username: string, password: string): TrialCredential {
  return { username, password: new Secret(password, 'trial') };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, HOST, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

function tracked(server: Server): { close(): Promise<void> } {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return {
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function recorded(o: AuthObservation): string {
  return [JSON.stringify(o), o.rawReceived?.toString('latin1') ?? ''].join('\n');
}

function selfSignedCertificate(): { key: string; cert: string } {
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKey);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 3_600_000);
  const name = [{ name: 'commonName', value: 'fake-device' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.sign(forge.pki.privateKeyFromPem(keys.privateKey), forge.md.sha256.create());
  return { key: keys.privateKey, cert: forge.pki.certificateToPem(cert) };
}

describe('token login probe against the token API fake', () => {
  const net = loopbackNetwork();
  const username = 'admin';
  const password = `pw-${randomBytes(8).toString('hex')}`;
  let fake: TokenApiServer;
  const probe = (c: TrialCredential, login: LoginSpec = API_LOGIN, port = fake.port, tls = false): Promise<AuthObservation> =>
    probeTokenLogin(net, { host: HOST, port, tls, login, credential: c, signal: new AbortController().signal, timeoutMs: TIMEOUT_MS });

  before(async () => {
    fake = await startTokenApiServer({ host: HOST, username, password });
  });
  after(async () => {
    await fake?.close();
  });

  it('accepts the right credential on the token at a dotted path, and records no token', async () => {
    const o = await probe(credential(username, password));
    expect(o.outcome).to.equal('accepted');
    expect(o.detail).to.equal('POST /api/login HTTP 200 with a token in "data.accessToken"');
    const [token] = fake.issuedTokens().slice(-1);
    expect(token).to.be.a('string').with.length.greaterThan(20);
    expect(recorded(o)).not.to.contain(token);
    expect(o.received).to.contain('{"data":{"accessToken":"[REDACTED:access-token]"}}');
    expect(o.rawReceived?.toString('latin1')).to.match(/\r\n\r\n\{"data":\{"accessToken":"\*{43}"\}\}$/);
  });

  it('sends JSON with the password only on the wire, and shows its marker', async () => {
    const o = await probe(credential(username, password));
    expect(o.sent).to.match(/^POST \/api\/login HTTP\/1\.1\r\n/);
    expect(o.sent).to.contain('Content-Type: application/json');
    expect(o.sent).to.match(/\r\n\r\n\{"username":"admin","password":"\[REDACTED:trial\]"\}$/);
    expect(recorded(o)).not.to.contain(password);
  });

  it('rejects a wrong password on 401', async () => {
    const before = fake.attempts();
    const o = await probe(credential(username, 'not-the-password'));
    expect([o.outcome, o.detail]).to.deep.equal(['rejected', 'POST /api/login HTTP 401: refused']);
    expect(o.received).to.contain('{"error":"bad credentials"}');
    expect(fake.attempts()).to.equal(before + 1);
  });

  it('rejects a 2xx without a token where the profile says it is, still masking the token it did get', async () => {
    const o = await probe(credential(username, password), { path: '/api/login' });
    expect([o.outcome, o.detail]).to.deep.equal(['rejected', 'POST /api/login HTTP 200 without a token in "token" (token-like fields: data.accessToken)']);
    expect(recorded(o)).not.to.contain(fake.issuedTokens().at(-1));
    expect(o.received).to.contain('{"data":{"accessToken":"[REDACTED:access-token]"}}');
  });

  it('lets failurePattern override a 2xx', async () => {
    const o = await probe(credential(username, password), { ...API_LOGIN, failurePattern: 'accessToken' });
    expect([o.outcome, o.detail]).to.deep.equal(['rejected', 'POST /api/login HTTP 200: failurePattern matched']);
  });

  it('logs in over TLS, whatever the certificate', async () => {
    const tlsServer = createTlsServer(selfSignedCertificate(), (clear) => {
      const upstream = netConnect({ host: HOST, port: fake.port });
      clear.on('error', () => upstream.destroy());
      upstream.on('error', () => clear.destroy());
      clear.pipe(upstream).pipe(clear);
    });
    const terminator = tracked(tlsServer);
    try {
      const o = await probe(credential(username, password), API_LOGIN, await listen(tlsServer), true);
      expect(o.outcome).to.equal('accepted');
      expect(recorded(o)).not.to.contain(fake.issuedTokens().at(-1));
    } finally {
      await terminator.close();
    }
  });

  it('reports a refused connection as an error', async () => {
    const o = await probe(credential(username, password), API_LOGIN, await freePort());
    expect([o.outcome, o.failure, o.received]).to.deep.equal(['error', 'refused', '']);
  });
});

describe('token login judgement on other answers', () => {
  const net = loopbackNetwork();
  let answer: (res: ServerResponse) => void = (res) => res.end();
  let device: { close(): Promise<void> };
  let port: number;
  const attempt = (login: LoginSpec = { path: '/auth', tokenField: 'token' }): Promise<AuthObservation> =>
    probeTokenLogin(net, { host: HOST, port, tls: false, login, credential: credential('admin', 'guess'), signal: new AbortController().signal, timeoutMs: TIMEOUT_MS });

  before(async () => {
    const server = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => answer(res));
    });
    device = tracked(server);
    port = await listen(server);
  });
  after(async () => {
    await device?.close();
  });

  it('reads 423 as locked, with Retry-After in the signal', async () => {
    answer = (res) => {
      res.writeHead(423, { 'Retry-After': '60', 'Content-Type': 'application/json' });
      res.end('{"error":"locked"}');
    };
    const o = await attempt();
    expect([o.outcome, o.lockoutSignal, o.detail]).to.deep.equal(['locked', 'HTTP 423 Retry-After: 60', 'POST /auth HTTP 423 Retry-After: 60: the device is holding logins off']);
  });

  it('calls a non-JSON 2xx an error, not a verdict', async () => {
    answer = (res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<h1>Welcome</h1>');
    };
    const o = await attempt();
    expect([o.outcome, o.failure]).to.deep.equal(['error', 'protocol']);
    expect(o.detail).to.equal('POST /auth HTTP 200 but the body is not JSON, so there is no "token" to read');
  });

  it('rejects an empty token and calls a 500 an error', async () => {
    answer = (res) => res.end('{"token":""}');
    expect((await attempt()).outcome).to.equal('rejected');
    answer = (res) => {
      res.statusCode = 500;
      res.end();
    };
    expect((await attempt()).detail).to.equal('POST /auth HTTP 500: neither a login verdict nor a lockout');
  });

  it('masks a token that also comes back in a header and a cookie', async () => {
    const token = randomBytes(24).toString('hex');
    answer = (res) => {
      res.writeHead(200, { 'X-Auth-Token': token, 'Set-Cookie': `jwt=${token}; Path=/`, 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ token }));
    };
    const o = await attempt();
    expect(o.outcome).to.equal('accepted');
    expect(recorded(o)).not.to.contain(token);
    expect(o.received).to.contain('x-auth-token: [REDACTED:access-token]');
    expect(o.received).to.contain('set-cookie: jwt=[REDACTED:cookie]; Path=/');
  });

  it('withholds the raw bytes when a chunk boundary splits the token', async () => {
    const token = randomBytes(24).toString('hex');
    answer = (res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(`{"token":"${token.slice(0, 10)}`);
      setTimeout(() => res.end(`${token.slice(10)}"}`), 20);
    };
    const o = await attempt();
    expect(o.outcome).to.equal('accepted');
    expect(o.rawReceived).to.equal(undefined);
    expect(o.detail).to.contain('raw response withheld');
    expect(recorded(o)).not.to.contain(token);
    expect(recorded(o)).not.to.contain(token.slice(10));
  });
});
