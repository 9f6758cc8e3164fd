import { expect } from 'chai';
import { ProfileError } from '../../harness/profile/errors.js';
import { parseProfile } from '../../harness/profile/load.js';

/** SNMPv3 USM credentials in the profile: resolution, one-line errors, and passphrases kept as Secrets. */

const ENV = { SNMP_AUTH: 'auth-passphrase-1', SNMP_PRIV: 'priv-passphrase-2' };

function profileText(snmpv3: string, service = 'protocol: snmp, port: 161, auth: usm, credential: ops'): string {
  return [
    'device: { vendor: ACME, model: R1, firmware: "1.0", unit: U1, category: router }',
    'target: { host: 127.0.0.1 }',
    'scope: [127.0.0.1/32]',
    'services:',
    `  - { name: snmp, ${service} }`,
    'credentials:',
    '  ops:',
    '    snmpv3:',
    ...snmpv3.split('\n').map((l) => `      ${l}`),
    '',
  ].join('\n');
}

async function problems(text: string, env: Record<string, string> = ENV): Promise<string[]> {
  try {
    await parseProfile(text, { file: 'p.yaml', path: null, env });
  } catch (err) {
    expect(err).to.be.instanceOf(ProfileError);
    return (err as ProfileError).message.split('\n');
  }
  return expect.fail('expected a ProfileError');
}

describe('profile: SNMPv3 USM credentials', () => {
  it('resolves an authPriv user, its passphrases as Secrets the redactor receives', async () => {
    const text = profileText('user: ops\nauthProtocol: sha256\nauthPassword: ${env:SNMP_AUTH}\nprivProtocol: aes\nprivPassword: ${env:SNMP_PRIV}');
    const profile = await parseProfile(text, { file: 'p.yaml', path: null, env: ENV });
    const user = profile.credentials.ops!.snmpv3!;
    expect(user.user).to.equal('ops');
    expect(user.authProtocol).to.equal('sha256');
    expect(user.authPassword.reveal()).to.equal(ENV.SNMP_AUTH);
    expect(user.privacy?.protocol).to.equal('aes');
    expect(String(user.privacy?.password)).to.equal('[REDACTED:credentials.ops.snmpv3.privPassword]');
    expect(profile.secrets.map((s) => s.reveal())).to.include.members([ENV.SNMP_AUTH, ENV.SNMP_PRIV]);
  });

  it('resolves an authNoPriv user without privacy', async () => {
    const profile = await parseProfile(profileText('user: ops\nauthProtocol: md5\nauthPassword: ${env:SNMP_AUTH}'), { file: 'p.yaml', path: null, env: ENV });
    expect(profile.credentials.ops!.snmpv3).to.not.have.property('privacy');
  });

  it('refuses privProtocol without privPassword, in one line', async () => {
    expect(await problems(profileText('user: ops\nauthProtocol: sha\nauthPassword: ${env:SNMP_AUTH}\nprivProtocol: des'))).to.deep.equal([
      'p.yaml:12:7: credentials.ops.snmpv3.privProtocol: privProtocol des needs privPassword, the privacy passphrase',
    ]);
  });

  it('refuses privPassword without privProtocol', async () => {
    expect(await problems(profileText('user: ops\nauthProtocol: sha\nauthPassword: ${env:SNMP_AUTH}\nprivPassword: ${env:SNMP_PRIV}'))).to.deep.equal([
      'p.yaml:12:7: credentials.ops.snmpv3.privPassword: privPassword needs privProtocol (des or aes)',
    ]);
  });

  it('refuses a passphrase shorter than RFC 3414 allows, without showing it', async () => {
    const lines = await problems(profileText('user: ops\nauthProtocol: sha\nauthPassword: ${env:SNMP_AUTH}'), { SNMP_AUTH: 'short' });
    expect(lines).to.deep.equal(['p.yaml:11:21: credentials.ops.snmpv3.authPassword: expected a passphrase of at least 8 characters (RFC 3414 §11.2), found a shorter one']);
  });

  it('refuses a literal passphrase without echoing it', async () => {
    const lines = await problems(profileText('user: ops\nauthProtocol: sha\nauthPassword: hunter2-literal'));
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^p\.yaml:11:21: credentials\.ops\.snmpv3\.authPassword: expected a reference \$\{env:NAME\} or \$\{file:PATH\}.*, found a literal string$/);
    expect(lines[0]).to.not.contain('hunter2');
  });

  it('refuses an unknown authentication protocol', async () => {
    const lines = await problems(profileText('user: ops\nauthProtocol: sha1\nauthPassword: ${env:SNMP_AUTH}'));
    expect(lines).to.deep.equal(['p.yaml:10:21: credentials.ops.snmpv3.authProtocol: expected one of md5, sha, sha224, sha256, sha384, sha512, found "sha1"; did you mean "sha"?']);
  });

  it('refuses auth usm whose credential has no snmpv3 user, and auth usm on another protocol', async () => {
    const noUser = profileText('user: ops\nauthProtocol: sha\nauthPassword: ${env:SNMP_AUTH}').replace('credential: ops', 'credential: plain') + '  plain: { password: "${env:SNMP_AUTH}" }\n';
    expect(await problems(noUser)).to.deep.equal(['p.yaml:5:69: services[0].credential: auth usm needs a credential with snmpv3 (user, authProtocol, authPassword); "plain" has none']);
    const ssh = profileText('user: ops\nauthProtocol: sha\nauthPassword: ${env:SNMP_AUTH}', 'protocol: ssh, port: 22, auth: usm, credential: ops');
    expect(await problems(ssh)).to.deep.equal(['p.yaml:5:50: services[0].auth: auth usm is SNMPv3 user-based security; snmp is ssh']);
  });
});
