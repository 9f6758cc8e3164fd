import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { parseHandsOn, withHandsOn } from '../../harness/cli/hands-on.js';
import { UsageError } from '../../harness/cli/usage-error.js';
import { ProfileError } from '../../harness/profile/errors.js';
import { parseProfile } from '../../harness/profile/load.js';
import { tempDir } from '../support/run-profile.js';

const base = {
  device: { vendor: 'ACME', model: 'U-1', firmware: '1.2.0', unit: 'u1', category: 'router' },
  target: { host: '127.0.0.1' },
  scope: ['127.0.0.1/32'],
  services: [{ name: 'web', protocol: 'https', port: 8443, auth: 'basic', credential: 'admin' }],
  credentials: { admin: { username: 'admin', password: '${env:PW}' } },
};

async function problems(document: Record<string, unknown>, baseDir: string): Promise<string[]> {
  try {
    await parseProfile(stringify(document), { file: join(baseDir, 'p.yaml'), path: null, env: { PW: 'pw-123456', KEY: 'key' } });
  } catch (err) {
    expect(err).to.be.instanceOf(ProfileError);
    return (err as Error).message.split('\n').map((l) => l.replace(/^.*?p\.yaml:\d+:\d+: /, ''));
  }
  return [];
}

describe('profile: update and hooks sections', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'fw-1.3.0.img'), 'image');
  writeFileSync(join(dir, 'vendor.pub'), 'key');

  it('resolves image files against the profile and the server key as a redacted secret', async () => {
    const profile = await parseProfile(
      stringify({
        ...base,
        update: {
          handsOn: true,
          version: { http: { service: 'web', path: '/api/version', jsonPointer: '/firmware' } },
          mechanism: { pull: { protocol: 'hawkbit', controllerId: 'u1' } },
          server: { address: '127.0.0.2', port: 8080, tls: false, redirect: 'device-setting' },
          images: { format: 'jcstar-image', genuine: { file: 'fw-1.3.0.img', version: '1.3.0' }, signingKey: 'vendor.pub' },
        },
      }),
      { file: join(dir, 'p.yaml'), path: null, env: { PW: 'pw-123456' } },
    );
    expect(profile.update?.images?.genuine.file).to.equal(join(dir, 'fw-1.3.0.img'));
    expect(profile.update?.waitSeconds).to.equal(120);
    expect(profile.handsOn).to.deep.equal(['update']);
  });

  it('names, one line each, a missing image, an unknown service, an unknown hook and an incomplete hands-on section', async () => {
    const found = await problems(
      {
        ...base,
        update: {
          handsOn: true,
          version: { ssh: { service: 'shell', command: 'cat /etc/version' } },
          trigger: { hook: 'kick' },
          images: { format: 'swu', genuine: { file: 'missing.swu', version: '2' }, signingKey: 'vendor.pub' },
        },
      },
      dir,
    );
    expect(found).to.deep.equal([
      'update.handsOn: hands-on update tests also need update.mechanism',
      'update.version.ssh.service: no service named "shell" in services',
      'update.trigger.hook: no command named "kick" in hooks.commands',
      `update.images.genuine.file: no such file: ${join(dir, 'missing.swu')}`,
    ]);
  });

  it('refuses a literal server key', async () => {
    const found = await problems({ ...base, update: { server: { address: '127.0.0.2', port: 1, certificate: 'vendor.pub', key: 'BEGIN PRIVATE', redirect: 'dns' } } }, dir);
    expect(found[0]).to.match(/^update\.server\.key: expected a reference \$\{env:NAME\} or \$\{file:PATH\}/);
  });

  it('--hands-on takes update, resilience and reset, and adds to what the profile opts into', async () => {
    expect(parseHandsOn('reset,update')).to.deep.equal(['reset', 'update']);
    expect(() => parseHandsOn('update,firmware')).to.throw(UsageError, '--hands-on: expected a comma-separated list of update, resilience, reset, found "update,firmware"');
    const profile = await parseProfile(stringify(base), { file: join(dir, 'p.yaml'), path: null, env: { PW: 'pw-123456' } });
    expect(withHandsOn(profile, ['reset', 'update']).handsOn).to.deep.equal(['update', 'reset']);
  });
});
