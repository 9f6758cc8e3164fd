import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBaseCryptoRules } from '../../harness/crypto/load.js';
import { packageRoot } from '../../harness/paths.js';
import { loadDefaultPolicy } from '../../harness/policy/load.js';
import { loadProfile, parseProfile } from '../../harness/profile/load.js';
import { Secret } from '../../harness/secrets/secret.js';

const EXAMPLE = join(packageRoot, 'devices', 'example-camera.yaml');
const ADMIN_PASSWORD = 'example-admin-pw';

const minimal = [
  'device: { vendor: Acme, model: Cam 1, firmware: "1.0", unit: SN-1, category: network-camera }',
  'target: { host: 127.0.0.1 }',
  'scope: [127.0.0.1/32]',
].join('\n');

describe('profile loader: valid profiles', () => {
  describe('devices/example-camera.yaml', () => {
    const load = () => loadProfile(EXAMPLE, { env: { CAM_ADMIN_PASSWORD: ADMIN_PASSWORD } });

    it('loads, recording where it came from', async () => {
      const profile = await load();
      const text = await readFile(EXAMPLE, 'utf8');
      expect(profile.source).to.deep.equal({
        path: EXAMPLE,
        sha256: createHash('sha256').update(text).digest('hex'),
        text,
      });
      expect(profile.device.category).to.equal('network-camera');
      expect(profile.target).to.deep.equal({ host: '127.0.0.1', address: '127.0.0.1' });
      expect(profile.scope).to.deep.equal(['127.0.0.1/32']);
      expect(profile.declarations.supportPeriod?.endsOn).to.equal('2030-03-31');
    });

    it('resolves secrets into Secret objects that redact themselves', async () => {
      const profile = await load();
      const password = profile.credentials.admin?.password;
      expect(password).to.be.instanceOf(Secret);
      expect(password?.reveal()).to.equal(ADMIN_PASSWORD);
      expect(JSON.stringify(password)).to.equal('"[REDACTED:credentials.admin.password]"');
      expect(profile.credentials.admin).to.include({ name: 'admin', username: 'admin' });
      expect(profile.secrets).to.deep.equal([password]);
      expect(JSON.stringify(profile)).to.not.include(ADMIN_PASSWORD);
    });

    it('fills in each service transport from its protocol', async () => {
      const profile = await load();
      expect(profile.services.map((s) => [s.name, s.protocol, s.port, s.transport])).to.deep.equal([
        ['web-admin', 'https', 8443, 'tcp'],
        ['video', 'rtsp', 554, 'tcp'],
        ['telemetry', 'mqtts', 8883, 'tcp'],
        ['maintenance', 'ssh', 22, 'tcp'],
      ]);
    });

    it('merges its policy override into the default policy', async () => {
      const profile = await load();
      const defaults = loadDefaultPolicy();
      expect(profile.policy.bruteForce.maxAttempts).to.equal(12);
      expect(profile.policy.bruteForce.maxDurationMs).to.equal(defaults.bruteForce.maxDurationMs);
      expect(profile.policy.rateLimit).to.deep.equal(defaults.rateLimit);
      expect(profile.policy.portScan).to.deep.equal(defaults.portScan);
      expect(profile.policy.version).to.equal(`${defaults.version}+profile`);
    });
  });

  it('defaults services, credentials, declarations and policy when absent', async () => {
    const profile = await parseProfile(minimal, { file: 'mem.yaml', path: null });
    expect(profile.source.path).to.equal(null);
    expect(profile.services).to.deep.equal([]);
    expect(profile.credentials).to.deep.equal({});
    expect(profile.declarations).to.deep.equal({});
    expect(profile.secrets).to.deep.equal([]);
    expect(profile.policy).to.deep.equal(loadDefaultPolicy());
  });

  it('judges with the base crypto rules when the profile changes none', async () => {
    const profile = await parseProfile(minimal, { file: 'mem.yaml' });
    const base = loadBaseCryptoRules();
    expect(profile.crypto.version).to.equal(base.rules.version);
    expect(profile.crypto.base).to.deep.equal({ id: base.rules.id, version: base.rules.version, sha256: base.sha256 });
    expect(profile.crypto.changes).to.deep.equal([]);
    expect(profile.crypto.tls).to.deep.equal(base.rules.tls);
  });

  it('applies the crypto section: restrictions freely, permits with their justification', async () => {
    const text = [
      minimal,
      'crypto:',
      '  restrict:',
      '    tls: { versions: [TLSv1.3] }',
      '    certificate: { untrusted: fail }',
      '  permit:',
      '    - rule: ssh.mac',
      '      value: hmac-sha1',
      '      justification: the field service tool only speaks hmac-sha1 until 2027',
    ].join('\n');
    const profile = await parseProfile(text, { file: 'mem.yaml' });
    expect(profile.crypto.version).to.equal(`${loadBaseCryptoRules().rules.version}+profile`);
    expect(profile.crypto.tls.versions.allow).to.deep.equal(['TLSv1.3']);
    expect(profile.crypto.certificate.untrusted).to.equal('fail');
    expect(profile.crypto.ssh.mac.allow).to.include('hmac-sha1');
    expect(profile.crypto.changes).to.deep.equal([
      { kind: 'restrict', rule: 'tls.versions', value: ['TLSv1.3'] },
      { kind: 'restrict', rule: 'certificate.untrusted', value: 'fail' },
      { kind: 'permit', rule: 'ssh.mac', value: 'hmac-sha1', justification: 'the field service tool only speaks hmac-sha1 until 2027' },
    ]);
  });

  it('defaults udp for coap and keeps an explicit transport', async () => {
    const text = `${minimal}\nservices:\n  - { name: coap, protocol: coap, port: 5683, auth: none }\n  - { name: dns, protocol: other, port: 53, auth: none, transport: udp }\n`;
    const profile = await parseProfile(text, { file: 'mem.yaml' });
    expect(profile.services.map((s) => s.transport)).to.deep.equal(['udp', 'udp']);
  });

  it('resolves localhost through DNS and checks every address against the scope', async () => {
    const text = minimal.replace('127.0.0.1 }', 'localhost }').replace('[127.0.0.1/32]', '[127.0.0.1/32, "::1/128"]');
    const profile = await parseProfile(text, { file: 'mem.yaml' });
    expect(profile.target.host).to.equal('localhost');
    expect(profile.target.address).to.be.oneOf(['127.0.0.1', '::1']);
  });

  describe('${file:…} secrets', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'jcstar-profile-'));
      await mkdir(join(dir, 'secrets'));
      await writeFile(join(dir, 'secrets', 'pw.txt'), 'line-one\n');
      await writeFile(join(dir, 'secrets', 'key.pem'), 'KEY\n\n');
    });
    after(() => rm(dir, { recursive: true, force: true }));

    it('reads files relative to the profile, trimming one trailing newline', async () => {
      const profilePath = join(dir, 'cam.yaml');
      const text = `${minimal}\ncredentials:\n  svc:\n    password: \${file:secrets/pw.txt}\n    key: \${file:secrets/key.pem}\n`;
      await writeFile(profilePath, text);
      const profile = await loadProfile(profilePath);
      const svc = profile.credentials.svc;
      expect(svc?.password?.reveal()).to.equal('line-one');
      expect(svc?.key?.reveal()).to.equal('KEY\n');
      expect(String(svc?.key)).to.equal('[REDACTED:credentials.svc.key]');
      expect(profile.secrets).to.have.length(2);
    });

    it('resolves against baseDir for profiles built in memory', async () => {
      const text = `${minimal}\ncredentials:\n  svc:\n    password: \${file:secrets/pw.txt}\n`;
      const profile = await parseProfile(text, { file: '<generated>', baseDir: dir, path: null });
      expect(profile.credentials.svc?.password?.reveal()).to.equal('line-one');
    });
  });
});
