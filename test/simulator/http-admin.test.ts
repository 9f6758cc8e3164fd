import { startTestDevice } from './helpers.js';
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { type SimulatedDevice, type SimulatorMode } from '../../harness/simulator/device.js';
import { httpCall, service, tlsFor, type ClientTls, type HttpCallOptions } from './helpers.js';

for (const mode of ['secure', 'insecure'] as SimulatorMode[]) {
  describe(`simulator web-admin (${mode})`, () => {
    let device: SimulatedDevice;
    let port: number;
    let tls: ClientTls | undefined;
    const call = (path: string, options: HttpCallOptions = {}) => httpCall(port, path, { ...options, tls });

    before(async () => {
      device = await startTestDevice({ mode });
      port = service(device, 'web-admin').port;
      tls = tlsFor(device, 'web-admin');
    });
    after(async () => {
      await device?.close();
    });

    it('serves a public landing page without secrets', async () => {
      const res = await call('/');
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/^text\/html/);
      expect(res.body).to.contain('<title>ACME SIM-CAM</title>');
      expect(res.body).not.to.contain(device.admin.password === 'admin' ? 'admin/admin' : device.admin.password);
    });

    for (const path of ['/admin', '/api/status', '/api/firmware']) {
      it(`challenges ${path} without credentials`, async () => {
        const res = await call(path);
        expect(res.status).to.equal(401);
        expect(res.headers['www-authenticate']).to.equal('Basic realm="SIM-CAM"');
      });

      it(`rejects random wrong credentials on ${path}`, async () => {
        const res = await call(path, { auth: { username: 'admin', password: randomUUID() } });
        expect(res.status).to.equal(401);
        expect(res.headers['www-authenticate']).to.equal('Basic realm="SIM-CAM"');
      });

      it(`accepts the device's admin login on ${path}`, async () => {
        const res = await call(path, { auth: device.admin });
        expect(res.status).to.equal(200);
      });
    }

    it('returns the status JSON to an authenticated client', async () => {
      const res = await call('/api/status', { auth: device.admin });
      expect(res.headers['content-type']).to.equal('application/json');
      expect(JSON.parse(res.body)).to.deep.equal({ model: 'SIM-CAM', firmware: '1.2.0' });
    });

    it(mode === 'insecure' ? 'accepts the universal default admin/admin' : 'rejects admin/admin', async () => {
      const res = await call('/admin', { auth: { username: 'admin', password: 'admin' } });
      expect(res.status).to.equal(mode === 'insecure' ? 200 : 401);
    });

    it('rejects a wrong username with the right password', async () => {
      const res = await call('/admin', { auth: { username: 'operator', password: device.admin.password } });
      expect(res.status).to.equal(401);
    });

    it('POST /login sets a session cookie that opens /admin', async () => {
      const body = new URLSearchParams({ username: device.admin.username, password: device.admin.password }).toString();
      const login = await call('/login', { method: 'POST', body });
      expect(login.status).to.equal(302);
      expect(login.headers.location).to.equal('/admin');
      const setCookie = login.headers['set-cookie'];
      expect(setCookie).to.be.an('array').with.lengthOf(1);
      const cookie = String((setCookie as string[])[0]).split(';')[0] ?? '';
      expect(cookie).to.match(/^SIMSESSION=[0-9a-f]{48}$/);
      const admin = await call('/admin', { headers: { Cookie: cookie } });
      expect(admin.status).to.equal(200);
      expect(admin.body).to.contain('SIM-CAM administration');
    });

    it('POST /login with a wrong password is refused without a cookie', async () => {
      const body = new URLSearchParams({ username: device.admin.username, password: randomUUID() }).toString();
      const res = await call('/login', { method: 'POST', body });
      expect(res.status).to.equal(401);
      expect(res.headers['set-cookie']).to.equal(undefined);
    });

    it('a forged session cookie does not open /admin', async () => {
      const res = await call('/admin', { headers: { Cookie: `SIMSESSION=${'0'.repeat(48)}` } });
      expect(res.status).to.equal(401);
    });

    it('counts requests that carry credentials, not anonymous ones', async () => {
      const before = device.authAttempts['web-admin'] ?? 0;
      await call('/admin');
      expect(device.authAttempts['web-admin']).to.equal(before);
      await call('/admin', { auth: { username: 'admin', password: randomUUID() } });
      await call('/api/status', { auth: device.admin });
      await call('/login', { method: 'POST', body: 'username=admin&password=nope' });
      expect(device.authAttempts['web-admin']).to.equal(before + 3);
    });

    it('reads the running firmware at /api/firmware for an authenticated client', async () => {
      const res = await call('/api/firmware', { auth: device.admin });
      expect(res.headers['content-type']).to.equal('application/json');
      expect(JSON.parse(res.body)).to.deep.equal({ model: 'SIM-CAM', firmware: '1.2.0' });
    });

    it('starts an update check on an authenticated POST /api/update/check, and only then', async () => {
      expect((await call('/api/update/check', { method: 'POST' })).status).to.equal(401);
      expect((await call('/api/update/check', { method: 'POST', auth: { username: 'admin', password: randomUUID() } })).status).to.equal(401);
      expect((await call('/api/update/check')).status).to.equal(404);
      const res = await call('/api/update/check', { method: 'POST', auth: device.admin });
      expect(res.status).to.equal(202);
      expect(JSON.parse(res.body)).to.deep.equal({ checking: true });
    });

    it('answers unknown paths with 404', async () => {
      const res = await call('/cgi-bin/nothing');
      expect(res.status).to.equal(404);
    });
  });
}
