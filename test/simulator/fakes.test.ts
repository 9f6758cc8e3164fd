import { expect } from 'chai';
import { connect, type Socket } from 'node:net';
import { startFirstUseDevice, type FirstUseDevice } from '../../harness/simulator/fakes/first-use-device.js';
import { startFormLoginServer, type FormLoginServer } from '../../harness/simulator/fakes/form-login-server.js';
import { startTokenApiServer, type TokenApiServer } from '../../harness/simulator/fakes/token-api-server.js';
import { HOST, delay, httpCall, rawExchange, waitFor, type HttpResult } from './helpers.js';

const PASSWORD = 'fake-login-pw-1';

function firstCookie(res: HttpResult): string {
  const header = res.headers['set-cookie'];
  return String(Array.isArray(header) ? header[0] : header).split(';')[0] ?? '';
}

function csrfOf(html: string): string {
  return /name="csrf_token" value="([0-9a-f]+)"/.exec(html)?.[1] ?? '';
}

/** GET /login: the session cookie and the page's CSRF token. */
async function openSession(port: number): Promise<{ cookie: string; csrf: string }> {
  const page = await httpCall(port, '/login');
  return { cookie: firstCookie(page), csrf: csrfOf(page.body) };
}

function postLogin(port: number, session: { cookie: string; csrf: string } | null, username: string, password: string): Promise<HttpResult> {
  const fields: Record<string, string> = { username, password, ...(session ? { csrf_token: session.csrf } : {}) };
  return httpCall(port, '/login', { method: 'POST', body: new URLSearchParams(fields).toString(), headers: session ? { Cookie: session.cookie } : {} });
}

function openIdleSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: HOST, port });
    socket.on('error', () => { /* a reset at close() is expected */ });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

async function expectStillServing(port: number, path: string): Promise<void> {
  const junk = await rawExchange(port, Buffer.from('\x16\x03\x01\x00\xff garbage \r\n\r\n'));
  expect(junk.closedByServer).to.equal(true);
  expect((await httpCall(port, path)).status).to.be.within(200, 499);
}

describe('fake: form login server', () => {
  let fake: FormLoginServer;
  before(async () => {
    fake = await startFormLoginServer({ host: HOST, username: 'admin', password: PASSWORD });
  });
  after(async () => {
    await fake?.close();
  });

  it('serves a login form with a per-session CSRF token and a session cookie', async () => {
    const a = await httpCall(fake.port, '/login');
    const b = await httpCall(fake.port, '/login');
    expect(a.status).to.equal(200);
    expect(a.body).to.contain('<input type="password" name="password"');
    expect(firstCookie(a)).to.match(/^session=[0-9a-f]{32}$/);
    expect(csrfOf(a.body)).to.match(/^[0-9a-f]{32}$/);
    expect(csrfOf(b.body)).not.to.equal(csrfOf(a.body));
    const again = await httpCall(fake.port, '/login', { headers: { Cookie: firstCookie(a) } });
    expect(again.headers['set-cookie']).to.equal(undefined);
    expect(csrfOf(again.body)).to.equal(csrfOf(a.body));
  });

  it('refuses a login without a session, or with another session\'s token, as a CSRF failure', async () => {
    const a = await openSession(fake.port);
    const b = await openSession(fake.port);
    for (const res of [await postLogin(fake.port, null, 'admin', PASSWORD), await postLogin(fake.port, { cookie: a.cookie, csrf: b.csrf }, 'admin', PASSWORD)]) {
      expect(res.status).to.equal(403);
      expect(res.body).to.equal('CSRF check failed\n');
    }
  });

  it('redirects the right credential to /dashboard with an auth cookie that opens it', async () => {
    const login = await postLogin(fake.port, await openSession(fake.port), 'admin', PASSWORD);
    expect(login.status).to.equal(302);
    expect(login.headers.location).to.equal('/dashboard');
    const auth = firstCookie(login);
    expect(auth).to.match(/^auth=[0-9a-f]{48}$/);
    const dashboard = await httpCall(fake.port, '/dashboard', { headers: { Cookie: auth } });
    expect([dashboard.status, dashboard.body.includes('<h1>Dashboard</h1>')]).to.deep.equal([200, true]);
    const anonymous = await httpCall(fake.port, '/dashboard', { headers: { Cookie: 'auth=0000' } });
    expect([anonymous.status, anonymous.headers.location]).to.deep.equal([302, '/login']);
  });

  it('shows the form again on a wrong credential, and counts every login POST', async () => {
    const before = fake.attempts();
    const res = await postLogin(fake.port, await openSession(fake.port), 'admin', 'wrong');
    expect(res.status).to.equal(200);
    expect(res.body).to.contain('Invalid username or password');
    expect(res.body).to.contain('name="csrf_token"');
    await postLogin(fake.port, null, 'admin', 'wrong');
    expect(fake.attempts()).to.equal(before + 2);
  });

  it('survives garbage and closes idle connections on close()', async () => {
    await expectStillServing(fake.port, '/login');
    const other = await startFormLoginServer({ host: HOST, username: 'a', password: 'b' });
    const idle = await openIdleSocket(other.port);
    let closed = false;
    idle.on('close', () => (closed = true));
    await other.close();
    expect(await waitFor(() => closed, 2000)).to.equal(true);
  });
});

describe('fake: form login server lockout', () => {
  let fake: FormLoginServer;
  const lockoutMs = 400;
  before(async () => {
    fake = await startFormLoginServer({ host: HOST, username: 'admin', password: PASSWORD, lockoutAfter: 2, lockoutMs });
  });
  after(async () => {
    await fake?.close();
  });

  it('locks every login after consecutive failures, even the right one and even without CSRF, then recovers', async () => {
    await postLogin(fake.port, await openSession(fake.port), 'admin', 'wrong-1');
    expect((await postLogin(fake.port, await openSession(fake.port), 'admin', 'wrong-2')).status).to.equal(200);
    const lockedAt = Date.now();
    const locked = await postLogin(fake.port, await openSession(fake.port), 'admin', PASSWORD);
    expect([locked.status, locked.body, locked.headers['retry-after']]).to.deep.equal([423, 'Account locked, try again later\n', '1']);
    expect((await postLogin(fake.port, null, 'admin', PASSWORD)).status).to.equal(423);
    await delay(Math.max(0, lockedAt + lockoutMs + 50 - Date.now()));
    expect((await postLogin(fake.port, await openSession(fake.port), 'admin', PASSWORD)).status).to.equal(302);
  });

  it('counts only consecutive failures: a success resets the count', async () => {
    await postLogin(fake.port, await openSession(fake.port), 'admin', 'wrong-1');
    expect((await postLogin(fake.port, await openSession(fake.port), 'admin', PASSWORD)).status).to.equal(302);
    expect((await postLogin(fake.port, await openSession(fake.port), 'admin', 'wrong-2')).status).to.equal(200);
    expect((await postLogin(fake.port, await openSession(fake.port), 'admin', PASSWORD)).status).to.equal(302);
  });
});

describe('fake: token API server', () => {
  let fake: TokenApiServer;
  const login = (body: string) => httpCall(fake.port, '/api/login', { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
  before(async () => {
    fake = await startTokenApiServer({ host: HOST, username: 'admin', password: PASSWORD });
  });
  after(async () => {
    await fake?.close();
  });

  it('answers the right credential with a fresh token at data.accessToken', async () => {
    const a = await login(JSON.stringify({ username: 'admin', password: PASSWORD }));
    const b = await login(JSON.stringify({ username: 'admin', password: PASSWORD }));
    expect(a.status).to.equal(200);
    const token = (JSON.parse(a.body) as { data: { accessToken: string } }).data.accessToken;
    expect(token).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.parse(b.body)).not.to.deep.equal(JSON.parse(a.body));
    expect(fake.issuedTokens().slice(-2)).to.deep.equal([token, (JSON.parse(b.body) as { data: { accessToken: string } }).data.accessToken]);
  });

  it('answers a wrong credential 401, malformed JSON 400, other paths and methods 404/405', async () => {
    const before = fake.attempts();
    const wrong = await login(JSON.stringify({ username: 'admin', password: 'nope' }));
    expect([wrong.status, wrong.body]).to.deep.equal([401, '{"error":"bad credentials"}']);
    expect((await login('{"username":')).status).to.equal(400);
    expect((await login('"just a string"')).status).to.equal(400);
    expect(fake.attempts()).to.equal(before + 3);
    expect((await httpCall(fake.port, '/api/login')).status).to.equal(405);
    expect((await httpCall(fake.port, '/api/other')).status).to.equal(404);
  });

  it('puts the token where tokenField says', async () => {
    const flat = await startTokenApiServer({ host: HOST, username: 'u', password: 'p', tokenField: 'token' });
    try {
      const res = await httpCall(flat.port, '/api/login', { method: 'POST', body: '{"username":"u","password":"p"}', headers: { 'Content-Type': 'application/json' } });
      expect(JSON.parse(res.body)).to.deep.equal({ token: flat.issuedTokens()[0] });
    } finally {
      await flat.close();
    }
  });

  it('survives garbage', async () => {
    await expectStillServing(fake.port, '/api/login');
  });
});

describe('fake: first-use device', () => {
  let device: FirstUseDevice;
  const admin = (password: string) => ({ username: 'admin', password });
  beforeEach(async () => {
    device = await startFirstUseDevice({ host: HOST });
  });
  afterEach(async () => {
    await device?.close();
  });

  it('refuses normal operation until a password is set, whatever credentials are offered', async () => {
    expect(device.state()).to.deep.equal({ passwordSet: false });
    for (const auth of [undefined, admin('admin'), admin('')]) {
      const page = await httpCall(device.port, '/admin', { auth });
      expect([page.status, page.headers.location]).to.deep.equal([302, '/setup']);
      const api = await httpCall(device.port, '/api/status', { auth });
      expect([api.status, api.body]).to.deep.equal([403, '{"error":"set a password first"}']);
      expect(api.headers['www-authenticate']).to.equal(undefined);
    }
    expect(device.attempts()).to.equal(4);
  });

  it('offers a set-password form and refuses a password shorter than 8 characters', async () => {
    const setup = await httpCall(device.port, '/setup');
    expect(setup.status).to.equal(200);
    expect(setup.body).to.match(/<form method="post" action="\/setup">[\s\S]*<input type="password" name="password"/);
    const short = await httpCall(device.port, '/setup', { method: 'POST', body: 'password=1234567' });
    expect([short.status, short.body]).to.deep.equal([400, '{"error":"password must be at least 8 characters"}']);
    expect((await httpCall(device.port, '/setup', { method: 'POST', body: 'other=field' })).status).to.equal(400);
    expect(device.state().passwordSet).to.equal(false);
  });

  it('after the password is set, needs HTTP Basic admin:<password> and closes /setup', async () => {
    const set = await httpCall(device.port, '/setup', { method: 'POST', body: new URLSearchParams({ password: PASSWORD }).toString() });
    expect([set.status, set.headers.location]).to.deep.equal([303, '/admin']);
    expect(device.state()).to.deep.equal({ passwordSet: true });

    const anonymous = await httpCall(device.port, '/admin');
    expect([anonymous.status, anonymous.headers['www-authenticate']]).to.deep.equal([401, 'Basic realm="FIRST-USE"']);
    expect((await httpCall(device.port, '/admin', { auth: admin('admin') })).status).to.equal(401);
    expect((await httpCall(device.port, '/admin', { auth: { username: 'root', password: PASSWORD } })).status).to.equal(401);
    expect((await httpCall(device.port, '/admin', { auth: admin(PASSWORD) })).status).to.equal(200);
    expect((await httpCall(device.port, '/api/status', { auth: admin(PASSWORD) })).body).to.equal('{"status":"ok"}');

    expect((await httpCall(device.port, '/setup')).status).to.equal(403);
    const reset = await httpCall(device.port, '/setup', { method: 'POST', body: 'password=attacker-chosen' });
    expect([reset.status, reset.body]).to.deep.equal([403, '{"error":"password already set"}']);
    expect((await httpCall(device.port, '/admin', { auth: admin(PASSWORD) })).status).to.equal(200);
  });

  it('takes the password as JSON too', async () => {
    const set = await httpCall(device.port, '/setup', { method: 'POST', body: JSON.stringify({ password: PASSWORD }), headers: { 'Content-Type': 'application/json' } });
    expect([set.status, set.body]).to.deep.equal([200, '{"status":"password set"}']);
    expect((await httpCall(device.port, '/api/status', { auth: admin(PASSWORD) })).status).to.equal(200);
  });

  it('survives garbage', async () => {
    await expectStillServing(device.port, '/setup');
    expect(device.state().passwordSet).to.equal(false);
  });
});
