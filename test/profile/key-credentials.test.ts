import { expect } from 'chai';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../harness/paths.js';
import { ProfileError, formatProblem } from '../../harness/profile/errors.js';
import { parseProfile } from '../../harness/profile/load.js';
import { selfMadeClientCertificate } from '../../harness/checks/key-login/self-made-certificate.js';

const header = [
  'device: { vendor: Acme, model: Hub 1, firmware: "1.0", unit: SN-1, category: smart-home-hub }',
  'target: { host: 127.0.0.1 }',
  'scope: [127.0.0.1/32]',
  'credentials:',
].join('\n');
let CERT: string;
let KEY: string;

async function problems(text: string, dir: string, env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  try {
    await parseProfile(text, { file: 'hub.yaml', baseDir: dir, env });
  } catch (err) {
    expect(err).to.be.instanceOf(ProfileError);
    return (err as ProfileError).problems.map(formatProblem);
  }
  return expect.fail('expected a ProfileError');
}

describe('profile loader: client certificates and pre-shared keys', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jcstar-key-credentials-'));
    const pair = await selfMadeClientCertificate();
    CERT = pair.certificate.reveal();
    KEY = pair.key.reveal();
    await writeFile(join(dir, 'client.pem'), CERT);
    await writeFile(join(dir, 'client-key.pem'), KEY);
    await writeFile(join(dir, 'other-key.pem'), (await selfMadeClientCertificate()).key.reveal());
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('resolves clientCertificate, clientKey and psk, and hands the key and the PSK to the redactor but not the certificate', async () => {
    const text = [
      header,
      '  broker:',
      '    username: hub',
      '    password: ${env:BROKER_PASSWORD}',
      '    clientCertificate: ${file:client.pem}',
      '    clientKey: ${file:client-key.pem}',
      '  coaps-psk:',
      '    psk: { identity: hub-01, key: "${env:COAP_PSK}", keyFormat: hex }',
      '  coaps-text:',
      '    psk: { identity: hub-02, key: "${env:COAP_TEXT}" }',
    ].join('\n');
    const profile = await parseProfile(text, { file: 'hub.yaml', baseDir: dir, env: { BROKER_PASSWORD: 'pw-1', COAP_PSK: '0a1B2c', COAP_TEXT: 'secretPSK' } });
    const broker = profile.credentials.broker!;
    expect(broker.clientCertificate?.reveal()).to.equal(CERT.replace(/\r?\n$/, ''));
    expect(broker.clientKey?.reveal()).to.equal(KEY.replace(/\r?\n$/, ''));
    const psk = profile.credentials['coaps-psk']!.psk!;
    expect(psk.identity).to.equal('hub-01');
    expect(psk.keyFormat).to.equal('hex');
    expect(psk.key.reveal()).to.equal('0a1B2c');
    expect(profile.credentials['coaps-text']!.psk!.keyFormat).to.equal('text');
    expect(profile.secrets.map((s) => s.label)).to.deep.equal([
      'credentials.broker.password',
      'credentials.broker.clientKey',
      'credentials.coaps-psk.psk.key',
      'credentials.coaps-text.psk.key',
    ]);
    expect(JSON.stringify(profile.credentials)).to.not.include('0a1B2c').and.not.include(KEY.split('\n')[1]!);
  });

  it('refuses a clientCertificate without clientKey and a clientKey without clientCertificate, each at its key', async () => {
    const text = [header, '  a:', '    clientCertificate: ${file:client.pem}', '  b:', '    clientKey: ${file:client-key.pem}'].join('\n');
    expect(await problems(text, dir)).to.deep.equal([
      'hub.yaml:6:5: credentials.a.clientCertificate: a clientCertificate needs clientKey, the PEM private key that goes with it',
      'hub.yaml:8:5: credentials.b.clientKey: a clientKey needs clientCertificate, the PEM certificate it belongs to',
    ]);
  });

  it('refuses files that are not PEM, and a hex PSK that is not hex, without quoting either', async () => {
    const text = [
      header,
      '  a:',
      '    clientCertificate: ${file:client-key.pem}',
      '    clientKey: ${file:client.pem}',
      '  b:',
      '    psk: { identity: hub-01, key: "${env:COAP_PSK}", keyFormat: hex }',
    ].join('\n');
    const found = await problems(text, dir, { COAP_PSK: 'not-hex-at-all' });
    expect(found).to.deep.equal([
      'hub.yaml:6:24: credentials.a.clientCertificate: expected a PEM certificate (-----BEGIN CERTIFICATE-----)',
      'hub.yaml:7:16: credentials.a.clientKey: expected a PEM private key (-----BEGIN … PRIVATE KEY-----)',
      'hub.yaml:9:35: credentials.b.psk.key: keyFormat is hex, but the key is not an even number of hex digits',
    ]);
    expect(found.join('\n')).to.not.include('not-hex-at-all');
  });

  it('refuses a certificate and key that are not one pair, at the key, without quoting it', async () => {
    const text = [header, '  a:', '    clientCertificate: ${file:client.pem}', '    clientKey: ${file:other-key.pem}'].join('\n');
    const found = await problems(text, dir);
    expect(found).to.deep.equal(['hub.yaml:7:16: credentials.a.clientKey: clientCertificate and clientKey do not make a usable TLS client pair (key values mismatch)']);
  });

  it('refuses a literal PSK without echoing it', async () => {
    const found = await problems([header, '  b:', '    psk: { identity: hub-01, key: hunter2-psk }'].join('\n'), dir);
    expect(found).to.have.length(1);
    expect(found[0]).to.match(/^hub\.yaml:6:35: credentials\.b\.psk\.key: expected a reference/);
    expect(found[0]).to.not.include('hunter2-psk');
  });

  it('refuses a service declared auth: psk whose credential has no psk, at the service', async () => {
    const text = [
      header,
      '  web:',
      '    username: admin',
      '    password: ${env:PW}',
      'services:',
      '  - { name: coaps, protocol: coaps, port: 5684, auth: psk, credential: web }',
    ].join('\n');
    expect(await problems(text, dir, { PW: 'x-secret' })).to.deep.equal([
      'hub.yaml:9:72: services[0].credential: auth: psk needs a credential with psk (identity and key); "web" has none',
    ]);
  });

  it('loads devices/example-hub.yaml, with its key files and environment in place', async () => {
    const base = join(dir, 'hub');
    await mkdir(join(base, 'certs'), { recursive: true });
    await mkdir(join(base, 'keys'));
    await writeFile(join(base, 'certs', 'client.pem'), CERT);
    await writeFile(join(base, 'certs', 'client-key.pem'), KEY);
    await writeFile(join(base, 'keys', 'id_ed25519'), 'ssh key\n');
    const text = await readFile(join(packageRoot, 'devices', 'example-hub.yaml'), 'utf8');
    const lookup = async () => ['192.0.2.20'];
    const profile = await parseProfile(text, { file: 'example-hub.yaml', baseDir: base, env: { BROKER_PASSWORD: 'b-pw', COAP_PSK: 'c-psk' }, lookup });
    expect(profile.services.map((s) => [s.name, s.auth])).to.deep.equal([['broker', 'password'], ['coaps', 'psk'], ['maintenance', 'publickey']]);
    expect(profile.credentials['coaps-psk']!.psk).to.include({ identity: 'hub-01', keyFormat: 'text' });
  });
});
