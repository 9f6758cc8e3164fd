import { expect } from 'chai';
import { AttackSurface } from '../../harness/inventory/surface.js';
import { modelDesignationOf, namesFirmware, showsDesignation } from '../../harness/checks/model-number/designation.js';
import type { DeviceStatement } from '../../harness/inventory/types.js';
import { statementsFrom } from '../../harness/probes/self-description/identity-statements.js';
import { descriptionStatements, deviceUrl } from '../../harness/probes/self-description/upnp-description.js';
import suite from '../../suites/S1.1-10-model-number.js';
import { checkContext, identity, type TestCheckContext } from '../support/check-context.js';
import { DEVICE, profileFrom } from '../support/run-profile.js';

const HOST = '127.0.99.10';
const base = { device: { ...DEVICE, vendor: 'ACME', model: 'IPC-200', firmware: '1.4.2' }, target: { host: HOST }, scope: [`${HOST}/32`] };
const designated = { ...base, declarations: { productInformation: { modelDesignation: 'ACME IPC-200' } } };

function text(value: string, field: DeviceStatement['field'] = 'text'): DeviceStatement {
  return { source: 'test', port: 80, transport: 'tcp', field, value };
}

async function run(ctx: TestCheckContext, id = 'S1.1-10/model-number/device') {
  const check = suite.plan(ctx.profile, new AttackSurface()).find((c) => c.spec.id === id)!;
  return check.body(ctx);
}

const mdns = (txt: Record<string, string>) => identity(5353, 'mdns', { transport: 'udp', details: Object.fromEntries(Object.entries(txt).map(([k, v]) => [`mdns.txt.${k}`, v])) });

describe('S1.1-10 model designation matching', () => {
  it('is tolerant of case, spaces, hyphens and the vendor name, but not of a longer designation', async () => {
    const d = modelDesignationOf(await profileFrom(designated));
    expect(d.declared).to.equal('ACME IPC-200');
    expect(d.from).to.equal('declarations.productInformation.modelDesignation');
    for (const shown of ['ACME IPC-200 Network Camera', 'acme ipc200', 'Welcome to IPC 200!', 'IPC_200', '[IPC-200]']) {
      expect(showsDesignation(text(shown), d), shown).not.to.equal(null);
    }
    for (const other of ['IPC-2000', 'IPC-200-W', 'XIPC-200', 'IPC-20', 'IPC-300']) {
      expect(showsDesignation(text(other), d), other).to.equal(null);
    }
    expect(showsDesignation(text('IPC-200', 'model'), d)).not.to.equal(null);
    expect(showsDesignation(text('ACME IPC200', 'model'), d)).not.to.equal(null);
    // A model field shows it as a whole word among others (a printer's make-and-model); a vendor field never does.
    expect(showsDesignation(text('ACME NetCam IPC-200', 'model'), d)).not.to.equal(null);
    expect(showsDesignation(text('IPC-200-W', 'model'), d)).to.equal(null);
    expect(showsDesignation(text('IPC-200', 'vendor'), d)).to.equal(null);
  });

  it('falls back to device.model without a declared designation', async () => {
    const d = modelDesignationOf(await profileFrom(base));
    expect(d).to.include({ declared: 'IPC-200', from: 'device.model' });
    expect(showsDesignation(text('ACME IPC-200', 'model'), d)).not.to.equal(null);
  });

  it('reads a firmware version inside a longer statement, but not a different one', () => {
    expect(namesFirmware(text('V1.4.2 build 20260101', 'firmware'), '1.4.2')).to.equal(true);
    expect(namesFirmware(text('1.4.2', 'firmware'), 'v1.4.2')).to.equal(true);
    expect(namesFirmware(text('1.4.21', 'firmware'), '1.4.2')).to.equal(false);
    expect(namesFirmware(text('11.4.2', 'firmware'), '1.4.2')).to.equal(false);
    expect(namesFirmware(text('1.4.2.1', 'firmware'), '1.4.2')).to.equal(false);
  });
});

describe('S1.1-10 what identification read', () => {
  it('maps details, products and banners to statements, each with its port and field', () => {
    const statements = statementsFrom([
      identity(22, 'ssh', { product: 'dropbear_2022.83', banner: 'SSH-2.0-dropbear_2022.83' }),
      identity(80, 'http', { banner: 'ACME IPC-200', details: { 'http.title': 'ACME IPC-200', 'http.server': 'lighttpd/1.4.69' } }),
      mdns({ md: 'IPC-200', mf: 'ACME', fw: '1.4.2', id: 'aa:bb' }),
      identity(1900, 'ssdp', { transport: 'udp', details: { 'ssdp.server': 'Linux/5.10 UPnP/1.0 IPC-200/1.4.2', 'ssdp.location': 'http://127.0.99.10:49152/desc.xml' } }),
    ]);
    const by = (field: string) => statements.filter((s) => s.field === field).map((s) => `${s.port}/${s.transport} ${s.value}`);
    expect(by('model')).to.deep.equal(['5353/udp IPC-200']);
    expect(by('vendor')).to.deep.equal(['5353/udp ACME']);
    expect(by('firmware')).to.deep.equal(['5353/udp 1.4.2']);
    // The title that is also the banner is stated once; unknown keys (mdns id, ssdp location) are not statements.
    expect(by('text')).to.deep.equal([
      '22/tcp dropbear_2022.83',
      '22/tcp SSH-2.0-dropbear_2022.83',
      '80/tcp ACME IPC-200',
      '80/tcp lighttpd/1.4.69',
      '1900/udp Linux/5.10 UPnP/1.0 IPC-200/1.4.2',
    ]);
    expect(statements.find((s) => s.field === 'model')!.source).to.equal('mdns 5353/udp mDNS TXT mdns.txt.md');
  });

  it('reads the root device of a UPnP description, never its serial number, and a version-like modelNumber as text', () => {
    const xml = `<?xml version="1.0"?><root xmlns="urn:schemas-upnp-org:device-1-0"><device>
      <friendlyName>Front door &amp; garden</friendlyName><manufacturer>ACME</manufacturer><modelName>IPC-200</modelName>
      <modelNumber>2.0</modelNumber><serialNumber>SN-123456</serialNumber><softwareVersion>1.4.2</softwareVersion>
      <deviceList><device><modelName>Embedded</modelName></device></deviceList></device></root>`;
    const statements = descriptionStatements(xml, 'upnp description 49152/tcp /desc.xml', { port: 49152, transport: 'tcp' });
    expect(statements.map((s) => [s.field, s.value])).to.deep.equal([
      ['text', 'Front door & garden'],
      ['vendor', 'ACME'],
      ['model', 'IPC-200'],
      ['text', '2.0'],
      ['firmware', '1.4.2'],
    ]);
    expect(JSON.stringify(statements)).not.to.include('SN-123456');
  });

  it('fetches a UPnP description only from the device itself', () => {
    expect(deviceUrl('http://127.0.99.10:49152/desc.xml', HOST)).to.deep.include({ host: HOST, port: 49152, tls: false, path: '/desc.xml' });
    expect(deviceUrl('https://[::1]/d.xml?x=1', '::1')).to.deep.include({ host: '::1', port: 443, tls: true, path: '/d.xml?x=1' });
    expect(deviceUrl('http://192.0.2.7:49152/desc.xml', HOST)).to.equal(null);
    expect(deviceUrl('file:///etc/passwd', HOST)).to.equal(null);
    expect(deviceUrl('not a url', HOST)).to.equal(null);
  });
});

describe('S1.1-10 check on a filled surface', () => {
  it('PASSes when an mDNS model field shows the declared model, naming where it was read', async () => {
    const ctx = await checkContext(designated, [mdns({ md: 'IPC-200', fw: '1.4.2' })]);
    const outcome = await run(ctx);
    expect(outcome.verdict, outcome.reason).to.equal('PASS');
    expect(outcome.reason).to.equal('the device shows its model "ACME IPC-200" (declarations.productInformation.modelDesignation): mdns 5353/udp mDNS TXT mdns.txt.md "IPC-200" (evidence #1)');
    expect(outcome.warnings).to.equal(undefined);
    expect(ctx.recorded[0]!.data).to.deep.equal({ statements: statementsFrom(ctx.surface.identities) });
  });

  it('FAILs when a model field names another model and nothing shows the declared one', async () => {
    const ctx = await checkContext(designated, [mdns({ md: 'IPC-300' }), identity(22, 'ssh', { banner: 'SSH-2.0-OpenSSH_9.2p1' })]);
    const outcome = await run(ctx);
    expect(outcome.verdict, outcome.reason).to.equal('FAIL');
    expect(outcome.reason).to.equal('the device names another model than the declared "ACME IPC-200" (declarations.productInformation.modelDesignation): mdns 5353/udp mDNS TXT mdns.txt.md "IPC-300" (evidence #1)');
  });

  it('warns, without failing, when the device states other firmware or a second model name', async () => {
    // The UPnP identity has no LOCATION, so the check asks 1900/udp itself, where nothing answers.
    const ctx = await checkContext({ ...designated, policy: { budgets: { replyTimeoutMs: 300 } } }, [mdns({ md: 'IPC-200', fw: '2.0.0' }), identity(1900, 'upnp', { transport: 'udp', details: { 'upnp.modelName': 'Network Camera' } })]);
    const outcome = await run(ctx);
    expect(outcome.verdict, outcome.reason).to.equal('PASS');
    expect(outcome.warnings).to.deep.equal([
      'the device also names the model "Network Camera" (upnp 1900/udp UPnP description upnp.modelName, evidence #1), not the declared "ACME IPC-200"',
      'the device states firmware "2.0.0" (mdns 5353/udp mDNS TXT mdns.txt.fw, evidence #1), not the firmware under test "1.4.2" (device.firmware): check the profile',
    ]);
  });

  it('is MANUAL when what the device shows names no model', async () => {
    const ctx = await checkContext(designated, [identity(22, 'ssh', { banner: 'SSH-2.0-OpenSSH_9.2p1', product: 'OpenSSH_9.2p1' })]);
    const outcome = await run(ctx);
    expect(outcome.verdict, outcome.reason).to.equal('MANUAL');
    expect(outcome.reason).to.equal('nothing the device shows without a login names its model "ACME IPC-200" (read: identification of 1 open port(s)); a person must check where the user reads it: the web UI after login, or the companion app (評価項目2)');
  });

  it('is INCONCLUSIVE when there is nothing to read', async () => {
    const ctx = await checkContext(designated);
    const outcome = await run(ctx);
    expect(outcome.verdict, outcome.reason).to.equal('INCONCLUSIVE');
    expect(outcome.reason).to.match(/^nothing on the device was there to read its model from/);
    expect(ctx.recorded.map((r) => r.summary)).to.deep.equal(['the inventory did not finish in this run: only the declared services are read']);
  });

  it('leaves the printed label to a person (評価項目1), and says what is missing without a declaration', async () => {
    const declared = await run(await checkContext(designated), 'S1.1-10/model-number/declaration');
    expect(declared).to.deep.equal({ verdict: 'MANUAL', reason: 'a person must check that the label on the product shows the declared model designation "ACME IPC-200"' });
    const undeclared = await run(await checkContext(base), 'S1.1-10/model-number/declaration');
    expect(undeclared).to.deep.equal({ verdict: 'INCONCLUSIVE', reason: 'the profile declares no productInformation.modelDesignation; a person must check that the label on the product shows the model "IPC-200"' });
  });
});
