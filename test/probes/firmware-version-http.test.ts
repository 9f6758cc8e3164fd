import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect } from 'chai';
import { readFirmwareVersion } from '../../harness/probes/firmware-version/read.js';
import { checkContext, type TestCheckContext } from '../support/check-context.js';
import { requireBinaries } from '../support/daemons.js';
import { startLighttpd, type Lighttpd } from '../support/lighttpd.js';
import { DEVICE, tempDir } from '../support/run-profile.js';

/**
 * The firmware version read over HTTP(S) with the declared credential: real lighttpd with Basic (plain and
 * TLS) and Digest (htdigest), and an in-process hostile server with bodies past the bounds.
 */

const USER = 'admin';
const PASSWORD = `pw-${randomBytes(9).toString('base64url')}`;
const QUIET = { portScan: { tcpPorts: '' }, budgets: { replyTimeoutMs: 3000 } };
const ENV = { WEB_PASSWORD: PASSWORD };

function document(host: string, service: Record<string, unknown>) {
  return { device: DEVICE, target: { host }, scope: [`${host}/32`], services: [{ name: 'web', credential: 'admin', ...service }], credentials: { admin: { username: USER, password: '${env:WEB_PASSWORD}' } }, policy: QUIET };
}

function expectNoPassword(ctx: TestCheckContext): void {
  const text = JSON.stringify(ctx.recorded);
  expect(text).to.not.contain(PASSWORD);
  expect(text).to.not.contain(Buffer.from(`${USER}:${PASSWORD}`).toString('base64'));
}

describe('firmware version over HTTP(S) against real lighttpd (Basic, Digest)', function () {
  this.timeout(30000);
  let plain: Lighttpd;
  let secure: Lighttpd;

  before(async function () {
    requireBinaries(this, { lighttpd: 'lighttpd', openssl: 'openssl' });
    const dir = tempDir('jcstar-version-http-');
    const userfile = join(dir, 'htdigest');
    writeFileSync(userfile, `${USER}:jcstar-fw:${createHash('md5').update(`${USER}:jcstar-fw:${PASSWORD}`).digest('hex')}\n`);
    const auth = `
server.modules += ("mod_auth", "mod_authn_file")
auth.backend = "htdigest"
auth.backend.htdigest.userfile = "${userfile}"
auth.require = (
  "/digest/" => ("method" => "digest", "realm" => "jcstar-fw", "require" => "valid-user"),
  "/api/" => ("method" => "basic", "realm" => "jcstar-fw", "require" => "valid-user"),
)`;
    const documents = {
      'api/version.json': JSON.stringify({ system: { firmware: { version: '2.4.1' } }, model: 'IPC-200' }),
      'api/banner.txt': 'ACME IPC-200 firmware V2.4.1 build 77\n',
      'digest/version.txt': '2.4.1\n',
    };
    plain = await startLighttpd('127.0.171.1', auth, documents);
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=jcstar-test'], { stdio: 'ignore' });
    secure = await startLighttpd('127.0.171.2', `${auth}\nserver.modules += ("mod_openssl")\nssl.engine = "enable"\nssl.pemfile = "${cert}"\nssl.privkey = "${key}"`, documents);
  });
  after(async () => {
    await plain?.stop();
    await secure?.stop();
  });

  it('reads the version at a JSON pointer over HTTPS with Basic, and records one exchange without the password', async () => {
    const ctx = await checkContext(document(secure.host, { protocol: 'https', port: secure.port, auth: 'basic' }), [], ENV);
    const reading = await readFirmwareVersion(ctx, { http: { service: 'web', path: '/api/version.json', jsonPointer: '/system/firmware/version' } });
    expect(reading).to.deep.include({ ok: true, version: '2.4.1', method: `GET https://127.0.171.2:${secure.port}/api/version.json /system/firmware/version` });
    expect(ctx.recorded).to.have.length(1);
    const [item] = ctx.recorded;
    expect(item!.kind).to.equal('exchange');
    expect(item!.summary).to.equal(`Firmware version over http (GET https://127.0.171.2:${secure.port}/api/version.json /system/firmware/version) → "2.4.1"`);
    expect(item!.data).to.deep.include({ channel: 'http', service: 'web', ok: true, version: '2.4.1', status: 200, auth: 'basic', truncated: false });
    expect(item!.sent).to.contain('Authorization: Basic base64(admin:[REDACTED:');
    expectNoPassword(ctx);
  });

  it('reads the version with a pattern over plain HTTP with Digest, answering lighttpd\'s challenge', async () => {
    const ctx = await checkContext(document(plain.host, { protocol: 'http', port: plain.port, auth: 'digest' }), [], ENV);
    const reading = await readFirmwareVersion(ctx, { http: { service: 'web', path: '/digest/version.txt' } });
    expect(reading).to.deep.include({ ok: true, version: '2.4.1', method: `GET http://127.0.171.1:${plain.port}/digest/version.txt` });
    expect(ctx.recorded[0]!.received).to.match(/^HTTP\/1\.1 401 Unauthorized\r\n/);
    expect(ctx.recorded[0]!.sent).to.contain('Authorization: Digest username="admin", realm="jcstar-fw"');
    expectNoPassword(ctx);
  });

  it('takes a pattern\'s group from a text answer', async () => {
    const ctx = await checkContext(document(plain.host, { protocol: 'http', port: plain.port, auth: 'basic' }), [], ENV);
    const reading = await readFirmwareVersion(ctx, { http: { service: 'web', path: '/api/banner.txt', pattern: 'firmware V(\\S+)' } });
    expect(reading).to.deep.include({ ok: true, version: '2.4.1', method: `GET http://127.0.171.1:${plain.port}/api/banner.txt ~ /firmware V(\\S+)/` });
  });

  it('says the declared credential was answered 401 when it no longer works (an expired password)', async () => {
    const ctx = await checkContext(document(plain.host, { protocol: 'http', port: plain.port, auth: 'basic' }), [], { WEB_PASSWORD: 'expired-password' });
    const reading = await readFirmwareVersion(ctx, { http: { service: 'web', path: '/api/version.json', jsonPointer: '/system/firmware/version' } });
    expect(reading).to.deep.include({ ok: false, reason: 'GET /api/version.json answered 401 Unauthorized with the declared credential' });
    expect(ctx.recorded[0]!.data).to.deep.include({ ok: false, status: 401 });
    expect(ctx.recorded[0]!.summary).to.match(/→ not read: GET \/api\/version\.json answered 401 Unauthorized with the declared credential$/);
  });

  it('says so when the pattern matches nothing, quoting the answer', async () => {
    const ctx = await checkContext(document(plain.host, { protocol: 'http', port: plain.port, auth: 'basic' }), [], ENV);
    const reading = await readFirmwareVersion(ctx, { http: { service: 'web', path: '/api/banner.txt', pattern: 'version=(\\d+)' } });
    expect(reading).to.deep.include({ ok: false, reason: `pattern version=(\\d+) matched nothing in 'ACME IPC-200 firmware V2.4.1 build 77'` });
  });

  it('says which HTTP logins it cannot read through, without sending anything', async () => {
    const ctx = await checkContext(document(plain.host, { protocol: 'http', port: plain.port, auth: 'form', login: { path: '/login' } }), [], ENV);
    expect(await readFirmwareVersion(ctx, { http: { service: 'web', path: '/api/version.json' } })).to.deep.include({
      ok: false,
      reason: 'jcstar reads the version over HTTP with Basic, Digest or no authentication; web declares form',
    });
    expect(ctx.recorded[0]!.sent).to.equal(null);
  });

  it('ends a read at once when the check is aborted', async () => {
    const ctx = await checkContext(document(plain.host, { protocol: 'http', port: plain.port, auth: 'basic' }), [], ENV);
    const aborted = new AbortController();
    aborted.abort();
    const reading = await readFirmwareVersion({ ...ctx, signal: aborted.signal }, { http: { service: 'web', path: '/api/version.json' } });
    expect(reading).to.deep.include({ ok: false, reason: 'GET /api/version.json: aborted' });
  });

  it('refuses a read over a service that is not declared, or is not HTTP, without sending anything', async () => {
    const ctx = await checkContext(document(plain.host, { protocol: 'ssh', port: plain.port, auth: 'password' }), [], ENV);
    expect(await readFirmwareVersion(ctx, { http: { service: 'web', path: '/' } })).to.deep.include({ ok: false, reason: 'update.version reads over http, but service web is ssh', method: 'http on web' });
    expect(await readFirmwareVersion(ctx, { http: { service: 'admin-ui', path: '/' } })).to.deep.include({ ok: false, reason: 'update.version names service admin-ui, which the profile does not declare' });
    expect(ctx.recorded.map((r) => r.kind)).to.deep.equal(['note', 'note']);
  });
});

describe('firmware version over HTTP from a hostile server', function () {
  this.timeout(30000);
  let server: Server;
  let port: number;
  const HOST = '127.0.171.3';

  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/big') {
        // 512 KiB: the version is at the start, the rest padding past the 64 KiB bound.
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end(`fw 5.0.2\n${'#'.repeat(512 * 1024)}`);
        return;
      }
      // Without end: a body that would fill memory.
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      const chunk = Buffer.alloc(64 * 1024, 0x41);
      const pump = () => {
        while (res.write(chunk)) if (res.destroyed) return;
        res.once('drain', pump);
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('reads from the first 64 KiB of a 512 KiB answer and says the answer was cut', async () => {
    const ctx = await checkContext(document(HOST, { protocol: 'http', port, auth: 'none' }), [], ENV);
    const reading = await readFirmwareVersion(ctx, { http: { service: 'web', path: '/big', pattern: '^fw (\\S+)' } });
    expect(reading).to.deep.include({ ok: true, version: '5.0.2' });
    expect(ctx.recorded[0]!.data).to.deep.include({ truncated: true });
    expect(ctx.recorded[0]!.summary).to.match(/→ "5\.0\.2" \(answer cut at 64 KiB\)$/);
  });

  it('stops reading an answer without end and says why', async () => {
    const ctx = await checkContext(document(HOST, { protocol: 'http', port, auth: 'none' }), [], ENV);
    const reading = await readFirmwareVersion(ctx, { http: { service: 'web', path: '/endless' } });
    expect(reading).to.deep.include({ ok: false, reason: 'GET /endless: response body longer than 1048576 bytes; jcstar stopped reading' });
  });
});
