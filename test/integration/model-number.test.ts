import { randomBytes } from 'node:crypto';
import { AttackSurface } from '../../harness/inventory/surface.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { expect } from 'chai';
import type { CheckResult } from '../../harness/results/schema.js';
import suite from '../../suites/S1.1-10-model-number.js';
import { checkContext, identity } from '../support/check-context.js';
import { requireBinaries } from '../support/daemons.js';
import { startNginx, type Nginx } from '../support/nginx.js';
import { DEVICE, runProfile } from '../support/run-profile.js';
import { SNMPD_BINARIES, startSnmpd, type Snmpd } from '../support/snmpd.js';
import { deviceDescription, startUpnpDevice, type UpnpDevice } from '../support/upnp-device.js';

/**
 * S1.1-10 on real daemons and an in-process UPnP device, each on a 127.0.93.x of its own: the model the
 * device shows on its web UI (nginx), in its UPnP description and in SNMP's sysDescr (net-snmp snmpd),
 * against the declared designation.
 */

const DEVICE_MODEL = { ...DEVICE, vendor: 'ACME', model: 'IPC-200', firmware: '1.4.2' };
const QUIET = { portScan: { tcpPorts: '' }, budgets: { replyTimeoutMs: 1500 } };
const DECLARED = { productInformation: { modelDesignation: 'ACME IPC-200' } };

function document(host: string, services: Array<Record<string, unknown>>, credentials: Record<string, unknown> = {}) {
  return { device: DEVICE_MODEL, target: { host }, scope: [`${host}/32`], services, credentials, declarations: DECLARED, policy: QUIET };
}

async function modelCheck(doc: Record<string, unknown>, env: Record<string, string> = {}): Promise<{ device: CheckResult; requirement: { verdict: string; reason: string } }> {
  const { results } = await runProfile(doc, { only: ['S1.1-10'], env });
  const requirement = results.requirements.find((r) => r.id === 'S1.1-10')!;
  return { device: results.checks.find((c) => c.id === 'S1.1-10/model-number/device')!, requirement };
}

describe('S1.1-10 on a web UI (real nginx)', function () {
  this.timeout(60000);
  let nginx: Nginx | undefined;
  before(function () {
    requireBinaries(this, { nginx: 'nginx' });
  });
  afterEach(async () => {
    await nginx?.stop();
    nginx = undefined;
  });

  async function serving(host: string, html: string): Promise<Nginx> {
    const started = await startNginx(host, '', 'location = / { index index.html; }\n    location = /index.html { }');
    writeFileSync(join(started.dir, 'htdocs', 'index.html'), html);
    return started;
  }

  it('PASSes the device check when the page shows the declared model, with the page as evidence; the label stays for a person', async () => {
    nginx = await serving('127.0.93.1', '<!DOCTYPE html><html><head><title>Login</title></head><body><header>ACME Network Camera</header><p>Model: IPC-200</p><footer>Firmware 1.4.2</footer></body></html>');
    const { device, requirement } = await modelCheck(document(nginx.host, [{ name: 'web', protocol: 'http', port: nginx.port, auth: 'basic', paths: ['/admin'] }]));
    expect(device.verdict, device.reason).to.equal('PASS');
    expect(device.reason).to.match(/^the device shows its model "ACME IPC-200" \(declarations\.productInformation\.modelDesignation\): http \d+\/tcp \/ page text "Login ACME Network Camera Model: IPC-200 Firmware 1\.4\.2" \(evidence #\d+\)$/);
    const page = device.evidence.find((e) => e.kind === 'exchange')!;
    expect(page.sent).to.match(/^GET \/ HTTP\/1\.1/);
    expect(page.data).to.deep.include({ outcome: 'read', status: 200 });
    // 評価項目1 (the printed label) is a person's: the requirement cannot be PASS on the device check alone.
    expect(requirement.verdict).to.equal('MANUAL');
    expect(requirement.reason).to.match(/^1 passed; 1 check\(s\) need a person to review: S1\.1-10\/model-number\/declaration: /);
  });

  it('FAILs on a UPnP description nginx serves at the LOCATION identification found, when it names another model', async () => {
    nginx = await serving('127.0.93.11', '<!DOCTYPE html><title>Welcome</title>');
    writeFileSync(join(nginx.dir, 'htdocs', 'rootDesc.xml'), deviceDescription({ manufacturer: 'ACME', modelName: 'ACME IPC-300', modelNumber: 'IPC-300', serialNumber: 'SN-9' }));
    const ctx = await checkContext(document(nginx.host, []), [
      identity(1900, 'ssdp', { transport: 'udp', details: { 'ssdp.location': `http://${nginx.host}:${nginx.port}/rootDesc.xml`, 'ssdp.server': 'Linux/5.10 UPnP/1.0 MiniUPnPd/2.3' } }),
    ]);
    const outcome = await suite.plan(ctx.profile, new AttackSurface()).find((c) => c.spec.id === 'S1.1-10/model-number/device')!.body(ctx);
    expect(outcome.verdict, outcome.reason).to.equal('FAIL');
    const seq = ctx.recorded.find((r) => r.summary.startsWith('UPnP device description'))!.seq;
    expect(outcome.reason).to.equal(
      `the device names another model than the declared "ACME IPC-200" (declarations.productInformation.modelDesignation): upnp description ${nginx.port}/tcp /rootDesc.xml modelName "ACME IPC-300" (evidence #${seq}); upnp description ${nginx.port}/tcp /rootDesc.xml modelNumber "IPC-300" (evidence #${seq})`,
    );
    expect(readFileSync(nginx.accessLog, 'utf8')).to.match(/"GET \/rootDesc\.xml HTTP\/1\.1" 200 /);
  });

  it('is MANUAL when the page names another model in text only: a text is no model field to fail on', async () => {
    nginx = await serving('127.0.93.2', '<!DOCTYPE html><title>ACME IPC-300</title><p>Welcome</p>');
    const { device } = await modelCheck(document(nginx.host, [{ name: 'web', protocol: 'http', port: nginx.port, auth: 'basic', paths: ['/admin'] }]));
    expect(device.verdict, device.reason).to.equal('MANUAL');
    expect(device.reason).to.match(/^nothing the device shows without a login names its model "ACME IPC-200" \(read: identification of 1 open port\(s\); http \d+\/tcp \/\); a person must check/);
  });
});

describe('S1.1-10 on a UPnP device (in-process SSDP responder and description)', function () {
  this.timeout(60000);
  let upnp: UpnpDevice | undefined;
  afterEach(async () => {
    await upnp?.close();
    upnp = undefined;
  });

  const description = (model: string) => deviceDescription({ friendlyName: 'Front door', manufacturer: 'ACME', modelName: model, modelNumber: '1.0', serialNumber: 'SN-0042', softwareVersion: '1.4.2' });

  it('PASSes with the description found by M-SEARCH on the declared UPnP service', async () => {
    upnp = await startUpnpDevice('127.0.93.3', description('IPC-200'));
    const { device } = await modelCheck(document(upnp.host, [{ name: 'upnp', protocol: 'upnp', port: upnp.ssdpPort, auth: 'none' }]));
    expect(device.verdict, device.reason).to.equal('PASS');
    expect(device.reason).to.equal(`the device shows its model "ACME IPC-200" (declarations.productInformation.modelDesignation): upnp description ${upnp.httpPort}/tcp /description.xml modelName "IPC-200" (evidence #${device.evidence.find((e) => e.summary.startsWith('UPnP device description'))!.seq})`);
    expect(device.warnings).to.deep.equal([]);
    expect(upnp.searches).to.be.greaterThan(0);
    expect(upnp.fetched).to.deep.equal(['/description.xml']);
    expect(JSON.stringify(device.evidence.map((e) => e.data))).not.to.include('SN-0042');
  });

  it('FAILs when the description names another model, and warns about other firmware', async () => {
    upnp = await startUpnpDevice('127.0.93.4', description('IPC-300').replace('1.4.2', '2.0.0'));
    const { device } = await modelCheck(document(upnp.host, [{ name: 'upnp', protocol: 'upnp', port: upnp.ssdpPort, auth: 'none' }]));
    expect(device.verdict, device.reason).to.equal('FAIL');
    expect(device.reason).to.match(new RegExp(`^the device names another model than the declared "ACME IPC-200" \\(declarations\\.productInformation\\.modelDesignation\\): upnp description ${upnp.httpPort}/tcp /description\\.xml modelName "IPC-300" \\(evidence #\\d+\\)$`));
    expect(device.warnings).to.have.length(1);
    expect(device.warnings[0]).to.match(/^the device states firmware "2\.0\.0" \(upnp description \d+\/tcp \/description\.xml softwareVersion, evidence #\d+\), not the firmware under test "1\.4\.2"/);
  });

  it('PASSes on the SSDP SERVER header when the description cannot be read', async () => {
    upnp = await startUpnpDevice('127.0.93.12', description('IPC-200'), { location: 'http://127.0.93.12:1/missing.xml', server: 'Linux/5.10 UPnP/1.0 IPC-200/1.4.2' });
    const { device } = await modelCheck(document(upnp.host, [{ name: 'upnp', protocol: 'upnp', port: upnp.ssdpPort, auth: 'none' }]));
    expect(device.verdict, device.reason).to.equal('PASS');
    // The inventory's SSDP probe heard the SERVER header; the check reads it from identification.
    const identified = device.evidence.find((e) => e.summary.startsWith('identification read'))!;
    expect(device.reason).to.equal(`the device shows its model "ACME IPC-200" (declarations.productInformation.modelDesignation): ssdp ${upnp.ssdpPort}/udp SSDP SERVER ssdp.server "Linux/5.10 UPnP/1.0 IPC-200/1.4.2" (evidence #${identified.seq})`);
    const fetch = device.evidence.find((e) => e.summary.startsWith('UPnP device description'))!;
    expect(fetch.data).to.deep.include({ outcome: 'no-answer', status: null });
  });

  it('reads a LOCATION identification found, and never fetches one on another host', async () => {
    upnp = await startUpnpDevice('127.0.93.5', description('IPC-200'));
    const doc = document(upnp.host, []);
    const onDevice = await checkContext(doc, [identity(upnp.ssdpPort, 'ssdp', { transport: 'udp', details: { 'ssdp.location': `http://${upnp.host}:${upnp.httpPort}/description.xml` } })]);
    const check = suite.plan(onDevice.profile, new AttackSurface()).find((c) => c.spec.id === 'S1.1-10/model-number/device')!;
    expect((await check.body(onDevice)).verdict).to.equal('PASS');
    expect(upnp.searches).to.equal(0);

    const elsewhere = await checkContext(doc, [identity(upnp.ssdpPort, 'ssdp', { transport: 'udp', details: { 'ssdp.location': `http://127.0.93.6:${upnp.httpPort}/description.xml` } })]);
    const outcome = await check.body(elsewhere);
    expect(outcome.verdict, outcome.reason).to.equal('MANUAL');
    expect(elsewhere.recorded.map((r) => r.summary)).to.include(`UPnP description http://127.0.93.6:${upnp.httpPort}/description.xml is not on the device (127.0.93.5): not fetched`);
    expect(upnp.fetched).to.deep.equal(['/description.xml']);
  });
});

describe('S1.1-10 on SNMP (real net-snmp snmpd)', function () {
  this.timeout(60000);
  let agent: Snmpd | undefined;
  before(function () {
    requireBinaries(this, SNMPD_BINARIES);
  });
  afterEach(async () => {
    await agent?.stop();
    agent = undefined;
  });

  it('PASSes on a sysDescr that names the model, read with the declared community only', async () => {
    const community = `ro-${randomBytes(6).toString('hex')}`;
    agent = await startSnmpd({ host: '127.0.93.7', communities: [community], sysDescr: 'ACME IPC-200 network camera, firmware 1.4.2' });
    const { device } = await modelCheck(
      document(agent.host, [{ name: 'snmp', protocol: 'snmp', port: agent.port, auth: 'community', credential: 'ro' }], { ro: { password: '${env:SNMP_RO}' } }),
      { SNMP_RO: community },
    );
    expect(device.verdict, device.reason).to.equal('PASS');
    expect(device.reason).to.match(new RegExp(`^the device shows its model "ACME IPC-200" \\(declarations\\.productInformation\\.modelDesignation\\): snmp ${agent.port}/udp sysDescr \\(SNMPv2c\\) "ACME IPC-200 network camera, firmware 1\\.4\\.2" \\(evidence #\\d+\\)$`));
    const read = device.evidence.find((e) => e.summary.startsWith('SNMP system group'))!;
    expect(read.data?.statements).to.have.length(2);
    expect(JSON.stringify(device.evidence)).not.to.include(community);
  });

  it('PASSes over SNMPv3 with the declared USM user', async () => {
    const auth = `auth-${randomBytes(9).toString('base64url')}`;
    const priv = `priv-${randomBytes(9).toString('base64url')}`;
    agent = await startSnmpd({ host: '127.0.93.8', users: [{ name: 'ops', auth: 'SHA-256', authPassword: auth, priv: 'AES', privPassword: priv }], sysDescr: 'IPC-200' });
    const credential = { 'snmp-ops': { snmpv3: { user: 'ops', authProtocol: 'sha256', authPassword: '${env:SNMP_AUTH}', privProtocol: 'aes', privPassword: '${env:SNMP_PRIV}' } } };
    const { device } = await modelCheck(document(agent.host, [{ name: 'snmp', protocol: 'snmp', port: agent.port, auth: 'usm', credential: 'snmp-ops' }], credential), { SNMP_AUTH: auth, SNMP_PRIV: priv });
    expect(device.verdict, device.reason).to.equal('PASS');
    expect(device.reason).to.match(/sysDescr \(SNMPv3\) "IPC-200"/);
  });

  it('is MANUAL when sysDescr names no model (net-snmp\'s default names the host\'s kernel)', async () => {
    const community = `ro-${randomBytes(6).toString('hex')}`;
    agent = await startSnmpd({ host: '127.0.93.9', communities: [community] });
    const { device } = await modelCheck(
      document(agent.host, [{ name: 'snmp', protocol: 'snmp', port: agent.port, auth: 'community', credential: 'ro' }], { ro: { password: '${env:SNMP_RO}' } }),
      { SNMP_RO: community },
    );
    expect(device.verdict, device.reason).to.equal('MANUAL');
    expect(device.reason).to.match(new RegExp(`\\(read: identification of 1 open port\\(s\\); snmp ${agent.port}/udp\\)`));
  });
});

describe('S1.1-10 against hostile web UIs and descriptions', function () {
  this.timeout(30000);

  it('follows at most two redirects, and only those that stay on the device', async () => {
    const IDENTIFICATION = ['/', '/rootDesc.xml', '/description.xml', '/onvif/device_service'];
    const host = '127.0.93.10';
    const hops: string[] = [];
    let offDevice = false;
    const server = createServer((req, res) => {
      hops.push(req.url ?? '');
      const port = (server.address() as { port: number }).port;
      const next = offDevice ? `http://127.0.93.99:${port}/` : `/loop${hops.length}`;
      res.writeHead(302, { Location: next }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const doc = document(host, [{ name: 'web', protocol: 'http', port, auth: 'none' }]);
      const looping = (await modelCheck(doc)).device;
      expect(looping.verdict, looping.reason).to.equal('MANUAL');
      // The inventory's identification asks first (it notes a redirect, never follows it); then the page reader.
      expect(hops).to.deep.equal([...IDENTIFICATION, '/', '/loop5', '/loop6']);
      expect(looping.evidence.find((e) => e.kind === 'exchange')!.summary).to.equal(
        `web UI http ${port}/tcp /: GET http://${host}:${port}/ → HTTP 302, GET http://${host}:${port}/loop5 → HTTP 302, GET http://${host}:${port}/loop6 → HTTP 302`,
      );
      hops.length = 0;
      offDevice = true;
      const away = (await modelCheck(doc)).device;
      expect(away.verdict, away.reason).to.equal('MANUAL');
      expect(hops).to.deep.equal([...IDENTIFICATION, '/']);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('reads a 64 KiB description of unclosed elements at once', async () => {
    const { descriptionStatements } = await import('../../harness/probes/self-description/upnp-description.js');
    const hostile = `<root><device>${'<modelName x="'.repeat(4000)}${'<'.repeat(8000)}`;
    const started = Date.now();
    expect(descriptionStatements(hostile, 'test', { port: 1, transport: 'tcp' })).to.deep.equal([]);
    expect(Date.now() - started).to.be.lessThan(500);
  });
});
