import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { GuardedNetwork } from '../../harness/net/network.js';
import type { AuthObservation } from '../../harness/probes/auth-observation.js';
import { parseAuthHeader } from '../../harness/probes/digest/challenge.js';
import { digestResponse } from '../../harness/probes/digest/response.js';
import { probeHttpDigest, type HttpDigestProbe } from '../../harness/probes/http/digest-auth.js';
import { ScopeGuard } from '../../harness/scope/guard.js';
import { Secret } from '../../harness/secrets/secret.js';
import { requireBinaries } from '../support/daemons.js';
import { startLighttpd, type Lighttpd } from '../support/lighttpd.js';
import { tempDir } from '../support/run-profile.js';

const USER = 'admin';
const PASSWORD = randomBytes(12).toString('base64url');
const net = new GuardedNetwork(new ScopeGuard(['127.0.81.0/24']), { connectionsPerSecond: 100, authAttemptsPerSecond: 100, connectTimeoutMs: 2000 });

function attempt(host: string, port: number, path: string, password: string, tls = false): Promise<AuthObservation> {
  const probe: HttpDigestProbe = {
    host, port, tls, path,
    credential: { username: USER, password: new Secret(password, 'trial') },
    signal: new AbortController().signal,
    timeoutMs: 3000,
  };
  return probeHttpDigest(net, probe);
}

/** Nothing derived from the password — neither it nor the response hash — may reach a transcript. */
function expectNoSecrets(observation: AuthObservation): void {
  const text = `${observation.sent}\n${observation.received}\n${observation.detail}`;
  expect(text).to.not.contain(PASSWORD);
  expect(observation.sent).to.not.match(/response="[0-9a-f]{32,}"/);
}

const htdigest = (realm: string, hash: 'md5' | 'sha256') => `${USER}:${realm}:${createHash(hash).update(`${USER}:${realm}:${PASSWORD}`).digest('hex')}`;

describe('HTTP Digest login against real lighttpd (mod_auth, htdigest backend)', function () {
  this.timeout(30000);
  let plain: Lighttpd;
  let secure: Lighttpd;

  before(async function () {
    requireBinaries(this, { lighttpd: 'lighttpd', openssl: 'openssl' });
    const dir = tempDir('jcstar-htdigest-');
    const userfile = join(dir, 'htdigest');
    writeFileSync(userfile, [htdigest('jcstar-md5', 'md5'), htdigest('jcstar-sha', 'sha256'), htdigest('jcstar-sha', 'md5'), ''].join('\n'));
    const auth = `
server.modules += ("mod_auth", "mod_authn_file")
auth.backend = "htdigest"
auth.backend.htdigest.userfile = "${userfile}"
auth.require = (
  "/private/" => ("method" => "digest", "realm" => "jcstar-md5", "require" => "valid-user"),
  "/modern/" => ("method" => "digest", "realm" => "jcstar-sha", "require" => "valid-user", "algorithm" => "SHA-256|MD5"),
  "/basic/" => ("method" => "basic", "realm" => "jcstar-basic", "require" => "valid-user"),
)`;
    const documents = { 'private/index.html': 'private\n', 'modern/index.html': 'modern\n', 'basic/index.html': 'basic\n' };
    plain = await startLighttpd('127.0.81.1', auth, documents);

    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=jcstar-test'], { stdio: 'ignore' });
    secure = await startLighttpd('127.0.81.2', `${auth}\nserver.modules += ("mod_openssl")\nssl.engine = "enable"\nssl.pemfile = "${cert}"\nssl.privkey = "${key}"`, documents);
  });
  after(async () => {
    await plain?.stop();
    await secure?.stop();
  });

  it('accepts the right password, answering the MD5 challenge lighttpd sent', async () => {
    const observation = await attempt(plain.host, plain.port, '/private/index.html', PASSWORD);
    expect(observation.outcome, observation.detail).to.equal('accepted');
    expect(observation.detail).to.equal('HTTP 200 to Digest MD5');
    expect(observation.received).to.match(/^HTTP\/1\.1 401 Unauthorized\r\n/);
    expect(observation.received).to.match(/^www-authenticate: Digest realm="jcstar-md5", charset="UTF-8", algorithm=MD5, nonce="[^"]+", qop="auth"\r$/m);
    expect(observation.received).to.contain('HTTP/1.1 200 OK');
    expect(observation.sent).to.contain(`Authorization: Digest username="admin", realm="jcstar-md5", uri="/private/index.html", algorithm=MD5`);
    expect(observation.sent).to.contain('response="<MD5 response over [REDACTED:trial]>"');
    expect(observation.rawReceived!.toString('latin1')).to.match(/^HTTP\/1\.1 401 [\s\S]*HTTP\/1\.1 200 OK[\s\S]*private\n$/);
    expectNoSecrets(observation);
  });

  it('rejects a wrong password, and lighttpd logs it as one', async () => {
    const observation = await attempt(plain.host, plain.port, '/private/index.html', `${PASSWORD}x`);
    expect([observation.outcome, observation.detail]).to.deep.equal(['rejected', 'HTTP 401 to Digest MD5']);
    expect(plain.log()).to.contain('digest: auth failed for admin: wrong password');
    // No latency bound: lighttpd holds a refusal until its next one-second tick (auth.delay-invalid-creds), anywhere from 0 to 1 s.
    expectNoSecrets(observation);
  });

  it('picks SHA-256 when lighttpd offers SHA-256 and MD5 challenges, and is accepted', async () => {
    const observation = await attempt(plain.host, plain.port, '/modern/index.html', PASSWORD);
    expect(observation.received).to.match(/www-authenticate: Digest realm="jcstar-sha", [^\r]*algorithm=SHA-256, [^\r]*, Digest realm="jcstar-sha", [^\r]*algorithm=MD5/);
    expect([observation.outcome, observation.detail]).to.deep.equal(['accepted', 'HTTP 200 to Digest SHA-256']);
    expect(observation.sent).to.contain('algorithm=SHA-256');
    expect(observation.sent).to.contain('response="<SHA-256 response over [REDACTED:trial]>"');
    const wrong = await attempt(plain.host, plain.port, '/modern/index.html', 'admin');
    expect(wrong.outcome).to.equal('rejected');
  });

  it('works over TLS whatever the certificate', async () => {
    const observation = await attempt(secure.host, secure.port, '/private/index.html', PASSWORD, true);
    expect([observation.outcome, observation.detail]).to.deep.equal(['accepted', 'HTTP 200 to Digest MD5']);
    const wrong = await attempt(secure.host, secure.port, '/private/index.html', 'admin', true);
    expect(wrong.outcome).to.equal('rejected');
    expectNoSecrets(observation);
  });

  it('is an error, not a refusal, when the 401 offers only Basic', async () => {
    const observation = await attempt(plain.host, plain.port, '/basic/index.html', PASSWORD);
    expect(observation.outcome).to.equal('error');
    expect(observation.failure).to.equal('protocol');
    expect(observation.detail).to.equal('HTTP 401 offered no Digest challenge jcstar can answer (WWW-Authenticate: Basic realm="jcstar-basic", charset="UTF-8")');
    expect(observation.sent).to.not.contain('Authorization');
  });

  it('reports a path that asks for no credentials as accepted before any was sent', async () => {
    const observation = await attempt(plain.host, plain.port, '/', PASSWORD);
    expect([observation.outcome, observation.detail]).to.deep.equal(['accepted', 'HTTP 200 before any credential was sent']);
    expect(observation.sent).to.not.contain('Authorization');
  });
});

describe('HTTP Digest login against a server that holds clients off', function () {
  const HOST = '127.0.81.3';
  let server: Server;
  let port: number;
  const authorizations: string[] = [];

  before(async () => {
    server = createServer((req, res) => {
      const authorization = req.headers.authorization;
      if (!authorization) {
        res.writeHead(401, { 'WWW-Authenticate': 'Digest realm="cam", nonce="n-42", qop="auth", algorithm=MD5', 'Content-Length': 0 }).end();
        return;
      }
      authorizations.push(authorization);
      res.writeHead(429, { 'Retry-After': '30', 'Content-Length': 0 }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
    port = (server.address() as { port: number }).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reports 429 as locked with its Retry-After, after a well-formed Digest answer', async () => {
    const observation = await attempt(HOST, port, '/admin', PASSWORD);
    expect(observation.outcome).to.equal('locked');
    expect(observation.detail).to.equal('HTTP 429 to Digest MD5');
    expect(observation.lockoutSignal).to.equal('HTTP 429 Retry-After: 30');
    expect(authorizations).to.have.length(1);
    const [sent] = parseAuthHeader(authorizations[0]!);
    const p = sent!.params;
    expect([sent!.scheme, p.username, p.realm, p.nonce, p.uri, p.qop, p.nc]).to.deep.equal(['Digest', USER, 'cam', 'n-42', '/admin', 'auth', '00000001']);
    expect(p.response).to.equal(
      digestResponse({ algorithm: 'MD5', username: USER, realm: 'cam', password: PASSWORD, nonce: 'n-42', method: 'GET', uri: '/admin', qop: 'auth', nc: '00000001', cnonce: p.cnonce! }),
    );
    expectNoSecrets(observation);
  });

  it('is an error with the reason when nothing listens', async () => {
    const observation = await attempt('127.0.81.4', port, '/admin', PASSWORD);
    expect([observation.outcome, observation.failure]).to.deep.equal(['error', 'refused']);
  });
});
