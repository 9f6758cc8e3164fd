import { startTestDevice } from './helpers.js';
import { expect } from 'chai';
import { X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { ProfileDocument, SECRET_REF } from '../../harness/profile/schema.js';
import { DEBUG_SHELL_PORT, startSimulatedDevice, type SimulatedDevice, type SimulatorMode } from '../../harness/simulator/device.js';
import { profileFrom, tempDir } from '../support/run-profile.js';
import { freePort, httpCall, service, tcpProbe, webAdminCall } from './helpers.js';

interface DeclaredService {
  name: string;
  protocol: string;
  port: number;
  transport: string;
  auth: string;
  credential?: string;
  paths?: string[];
  trustAnchors?: string[];
}

for (const mode of ['secure', 'insecure'] as SimulatorMode[]) {
  describe(`simulated device (${mode})`, () => {
    let device: SimulatedDevice;
    before(async () => {
      device = await startTestDevice({ mode });
    });
    after(async () => {
      await device?.close();
    });

    it('listens on 127.0.0.1 with the expected services', () => {
      expect(device.mode).to.equal(mode);
      expect(device.host).to.equal('127.0.0.1');
      const names = device.services.map((s) => s.name);
      expect(names).to.deep.equal(mode === 'secure' ? ['web-admin', 'ssh', 'telemetry', 'coap'] : ['web-admin', 'ssh', 'telemetry', 'coap', 'debug']);
      for (const s of device.services) expect(s.port).to.be.within(1, 65535);
      expect(new Set(device.services.map((s) => `${s.transport}/${s.port}`)).size).to.equal(device.services.length);
    });

    it('starts every authAttempts counter at zero', () => {
      expect(Object.keys(device.authAttempts).sort()).to.deep.equal(device.services.map((s) => s.name).sort());
      for (const n of Object.values(device.authAttempts)) expect(n).to.equal(0);
    });

    it('produces a profile document that the profile schema accepts', () => {
      const { document } = device.profileDocument();
      const parsed = ProfileDocument.parse(document);
      expect(parsed.device).to.deep.equal({ vendor: 'ACME', model: 'SIM-CAM', firmware: '1.2.0', unit: 'SIM-0001', category: 'network-camera', mac: '02:00:5e:00:00:01' });
      expect(parsed.target).to.deep.equal({ host: '127.0.0.1' });
      expect(parsed.scope).to.deep.equal(['127.0.0.1/32']);
      expect(parsed.policy).to.deep.equal({ portScan: { tcpPorts: String(DEBUG_SHELL_PORT) }, udpScan: { payloadTable: false } });
    });

    it('declares exactly the declared services, with their live ports', () => {
      const services = device.profileDocument().document.services as DeclaredService[];
      const declared = device.services.filter((s) => s.declared);
      expect(services.map((s) => s.name)).to.deep.equal(declared.map((s) => s.name));
      for (const s of services) {
        const live = service(device, s.name);
        expect(s).to.deep.include({ protocol: live.protocol, port: live.port, transport: live.transport, auth: live.auth });
      }
      const byName = Object.fromEntries(services.map((s) => [s.name, s]));
      expect(byName['web-admin']).to.deep.include({ credential: 'admin', paths: ['/admin', '/api/status', '/api/firmware'] });
      expect(byName.telemetry).to.deep.include({ credential: 'admin' });
      expect(byName.ssh).to.deep.include({ credential: 'ssh' });
      expect(byName.coap).not.to.have.property('credential');
      for (const plain of ['ssh', 'coap']) expect(byName[plain]).not.to.have.property('trustAnchors');
    });

    if (mode === 'secure') {
      it('serves the admin UI over HTTPS and telemetry over MQTT over TLS, naming the device CA as their trust anchor', async () => {
        expect(device.services.map((s) => [s.name, s.protocol])).to.deep.equal([['web-admin', 'https'], ['ssh', 'ssh'], ['telemetry', 'mqtts'], ['coap', 'coap']]);
        const anchor = device.trustAnchor!;
        expect(isAbsolute(anchor.path)).to.equal(true);
        const byName = Object.fromEntries((device.profileDocument().document.services as DeclaredService[]).map((s) => [s.name, s]));
        expect(byName['web-admin']!.trustAnchors).to.deep.equal([anchor.path]);
        expect(byName.telemetry!.trustAnchors).to.deep.equal([anchor.path]);
        // The file holds exactly the CA certificate, and the profile loader takes it.
        expect(readFileSync(anchor.path, 'utf8')).to.equal(anchor.pem);
        const ca = new X509Certificate(anchor.pem);
        expect(ca.ca).to.equal(true);
        expect(ca.subject).to.equal('O=ACME\nCN=ACME SIM-CAM device CA');
        const { document, env } = device.profileDocument();
        const profile = await profileFrom(document, env);
        expect(profile.services.filter((s) => s.trustAnchors).map((s) => [s.name, s.trustAnchors])).to.deep.equal([['web-admin', [anchor.path]], ['telemetry', [anchor.path]]]);
      });
    } else {
      it('speaks plain HTTP and MQTT, with no CA', () => {
        expect(device.services.map((s) => [s.name, s.protocol])).to.deep.equal([['web-admin', 'http'], ['ssh', 'ssh'], ['telemetry', 'mqtt'], ['coap', 'coap'], ['debug', 'telnet']]);
        expect(device.trustAnchor).to.equal(null);
        for (const s of device.profileDocument().document.services as DeclaredService[]) expect(s, s.name).not.to.have.property('trustAnchors');
      });
    }

    it('keeps passwords out of the document and in env', () => {
      const { document, env } = device.profileDocument();
      expect(document.credentials).to.deep.equal({
        admin: { username: device.admin.username, password: '${env:JCSTAR_SIM_ADMIN_PASSWORD}' },
        ssh: { username: device.ssh.username, password: '${env:JCSTAR_SIM_SSH_PASSWORD}' },
      });
      const { JCSTAR_SIM_UNIT2_PASSWORD: secondUnit, ...own } = env;
      expect(own).to.deep.equal({ JCSTAR_SIM_ADMIN_PASSWORD: device.admin.password, JCSTAR_SIM_SSH_PASSWORD: device.ssh.password });
      if (mode === 'secure') {
        // The second simulated unit of the fleet has a password of its own, also only in env.
        expect(secondUnit).to.match(/^[A-Za-z0-9]{20}$/).and.not.equal(device.admin.password);
        expect(document.fleet).to.deep.equal([{ unit: 'SIM-0002', mac: '02:00:5e:00:00:02', initialPassword: '${env:JCSTAR_SIM_UNIT2_PASSWORD}' }]);
        expect(JSON.stringify(document)).not.to.contain(secondUnit);
      } else {
        expect(secondUnit).to.equal(undefined);
      }
      for (const cred of Object.values(document.credentials as Record<string, { password: string }>)) {
        expect(cred.password).to.match(SECRET_REF);
      }
      if (mode === 'secure') expect(JSON.stringify(document)).not.to.contain(device.admin.password);
    });

    it(`has the ${mode} declarations`, () => {
      const declarations = device.profileDocument().document.declarations as Record<string, unknown>;
      if (mode === 'insecure') {
        expect(declarations).to.deep.equal({
          supportPeriod: { endsOn: '2030-03-31', url: 'https://acme.example/support' },
          productInformation: { url: 'https://acme.example/products/sim-cam', modelDesignation: 'ACME SIM-CAM' },
          updateMechanism: {
            method: 'automatic',
            description: 'The camera polls the ACME update server (hawkBit DDI) and installs new firmware on its own; Web admin > Maintenance > Check now asks at once',
          },
          updateProcedure: { url: 'https://acme.example/sim-cam/update', description: 'Updates install automatically; the page lists releases and how to check for one at once' },
          updateIntegrity: { mechanism: 'none: the image is installed as downloaded, over HTTP or HTTPS, without certificate, hash or signature check', antiRollback: false },
        });
        return;
      }
      expect(Object.keys(declarations).sort()).to.deep.equal(
        [
          'accessControl', 'authenticationChange', 'bruteForceMitigation', 'communicationProtection', 'defaultPasswordScheme',
          'productInformation', 'resilience', 'secureStorage', 'supportPeriod', 'updateIntegrity', 'updateMechanism', 'updateProcedure',
          'userDataDeletion', 'vulnerabilityDisclosurePolicy',
        ].sort(),
      );
      const protection = declarations.communicationProtection as { description: string; cryptoReference: string };
      expect(protection.description).to.contain('TLS 1.2 and 1.3').and.to.contain('SSH');
      expect(protection.cryptoReference).to.match(/^CRYPTREC /);
      expect(declarations.defaultPasswordScheme).to.deep.include({ scheme: 'unique-per-device' });
      expect(declarations.bruteForceMitigation).to.deep.include({ method: 'lockout', unlockAfterSeconds: 7 });
      expect(declarations.vulnerabilityDisclosurePolicy).to.deep.equal({
        url: 'https://acme.example/psirt', contact: 'psirt@acme.example', acknowledgeWithinDays: 5, statusUpdateEveryDays: 30,
      });
      expect(declarations.supportPeriod).to.deep.equal({ endsOn: '2030-03-31', url: 'https://acme.example/support' });
      expect(declarations.updateMechanism).to.deep.include({ method: 'automatic' });
      expect(declarations.updateIntegrity).to.deep.equal({
        mechanism: 'Ed25519 signature of the vendor key over the image manifest, which binds the payload SHA-256, verified before install; HTTPS only, to a server certified by the ACME update CA',
        antiRollback: true,
      });
    });

    it('returns a fresh copy of the document on every call', () => {
      const first = device.profileDocument().document;
      (first.services as DeclaredService[]).length = 0;
      expect((device.profileDocument().document.services as DeclaredService[]).length).to.be.greaterThan(0);
    });
  });
}

describe('simulated device lifecycle', () => {
  it('gives each secure start its own 20-character password', async () => {
    const a = await startTestDevice({ mode: 'secure' });
    const b = await startTestDevice({ mode: 'secure' });
    try {
      expect(a.admin.username).to.equal('admin');
      expect(a.admin.password).to.match(/^[A-Za-z0-9]{20}$/);
      expect(b.admin.password).to.match(/^[A-Za-z0-9]{20}$/);
      expect(a.admin.password).not.to.equal(b.admin.password);
      // Each device accepts only its own password.
      expect((await webAdminCall(a, '/admin', { auth: b.admin })).status).to.equal(401);
      expect((await webAdminCall(a, '/admin', { auth: a.admin })).status).to.equal(200);
      // Each has a CA of its own.
      expect(a.trustAnchor!.pem).not.to.equal(b.trustAnchor!.pem);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('uses fixed ports when asked', async () => {
    const webPort = await freePort();
    const sshPort = await freePort();
    const device = await startTestDevice({ mode: 'insecure', ports: { 'web-admin': webPort, ssh: sshPort, telemetry: 0 } });
    try {
      expect(service(device, 'web-admin').port).to.equal(webPort);
      expect(service(device, 'ssh').port).to.equal(sshPort);
      expect((await httpCall(webPort, '/')).status).to.equal(200);
    } finally {
      await device.close();
    }
  });

  it('rejects unknown service names in ports', async () => {
    let error: unknown;
    try {
      await startTestDevice({ mode: 'secure', ports: { telnet: 2323 } });
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).message).to.contain('unknown service telnet');
  });

  it('fails cleanly, releasing what it opened, when a fixed port is taken', async () => {
    const first = await startTestDevice({ mode: 'secure' });
    try {
      const taken = service(first, 'telemetry').port;
      const webPort = await freePort();
      let error: unknown;
      try {
        await startTestDevice({ mode: 'secure', ports: { 'web-admin': webPort, telemetry: taken } });
      } catch (err) {
        error = err;
      }
      expect((error as NodeJS.ErrnoException | undefined)?.code).to.equal('EADDRINUSE');
      // The web server the failed start had opened is gone again.
      expect(await tcpProbe(webPort)).to.equal('ECONNREFUSED');
    } finally {
      await first.close();
    }
  });

  it('keeps its CA file while it runs and removes it on close()', async () => {
    const device = await startTestDevice({ mode: 'secure' });
    const path = device.trustAnchor!.path;
    expect(existsSync(path)).to.equal(true);
    await device.close();
    expect(existsSync(path)).to.equal(false);
  });

  it('removes its CA file when a start fails', async () => {
    const first = await startTestDevice({ mode: 'secure' });
    // A scratch folder of the test's own as os.tmpdir(), so that only the failed start can write there.
    const scratch = tempDir('jcstar-sim-tmp-');
    const tmpdir = process.env.TMPDIR;
    process.env.TMPDIR = scratch;
    try {
      let error: unknown;
      await startTestDevice({ mode: 'secure', ports: { telemetry: service(first, 'telemetry').port } }).catch((err: unknown) => (error = err));
      expect((error as NodeJS.ErrnoException | undefined)?.code).to.equal('EADDRINUSE');
      expect(readdirSync(scratch)).to.deep.equal([]);
    } finally {
      if (tmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmpdir;
      await first.close();
    }
  });

  it('close() releases every TCP port and can be called twice', async () => {
    const device = await startTestDevice({ mode: 'insecure' });
    const tcpPorts = device.services.filter((s) => s.transport === 'tcp').map((s) => s.port);
    for (const port of tcpPorts) expect(await tcpProbe(port)).to.equal('connected');
    await device.close();
    await device.close();
    for (const port of tcpPorts) expect(await tcpProbe(port)).to.equal('ECONNREFUSED');
  });
});

describe('simulator: default address and debug port', () => {
  it('binds a loopback address of its own and keeps the undeclared shell on 2323', async () => {
    const device = await startSimulatedDevice({ mode: 'insecure' });
    try {
      expect(device.host).to.match(/^127\.\d+\.\d+\.\d+$/);
      expect(device.services.find((s) => s.name === 'debug')?.port).to.equal(DEBUG_SHELL_PORT);
      const { document } = device.profileDocument();
      expect(document.scope).to.deep.equal([`${device.host}/32`]);
      expect(document.target).to.deep.equal({ host: device.host });
    } finally {
      await device.close();
    }
  });
});
