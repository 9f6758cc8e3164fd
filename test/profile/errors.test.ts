import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { packageRoot } from '../../harness/paths.js';
import { formatProblem, ProfileError } from '../../harness/profile/errors.js';
import { loadProfile, parseProfile, type LoadOptions, type Lookup } from '../../harness/profile/load.js';

/** Fixture paths as a user would type them, so messages read like the CLI's. */
function fixture(name: string): string {
  return relative(process.cwd(), join(packageRoot, 'test', 'fixtures', 'profiles', name));
}

async function profileError(pending: Promise<unknown>): Promise<ProfileError> {
  try {
    await pending;
  } catch (err) {
    expect(err).to.be.instanceOf(ProfileError);
    return err as ProfileError;
  }
  return expect.fail('expected a ProfileError');
}

const unresolvable: Lookup = async (host) => {
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
};
const ADMIN_ENV = { CAM_ADMIN_PASSWORD: 'not-the-real-one' };

interface Case {
  title: string;
  fixture: string;
  options?: LoadOptions;
  /** The whole message after `FILE:`. */
  expected: string;
}

const cases: Case[] = [
  {
    title: 'policy overrides that contradict each other',
    fixture: 'policy-contradiction.yaml',
    expected: '12:5: policy.bruteForce.parallelAttempts: expected fewer than bruteForce.maxAttempts (5), found 10',
  },
  {
    title: 'YAML syntax error',
    fixture: 'yaml-syntax-error.yaml',
    expected: '4:13: YAML syntax error: Nested mappings are not allowed in compact mappings',
  },
  {
    title: 'unknown key close to a known one',
    fixture: 'unknown-key.yaml',
    expected: '2:3: device.vender: unknown key; did you mean "vendor"?',
  },
  {
    title: 'unknown key with no close match',
    fixture: 'unknown-key-no-suggestion.yaml',
    expected: '7:3: device.colour: unknown key; expected one of: vendor, model, firmware, unit, category, mac, state',
  },
  {
    title: 'missing required field',
    fixture: 'missing-field.yaml',
    expected: '2:3: device.firmware: required field is missing',
  },
  {
    title: 'wrong type',
    fixture: 'wrong-type.yaml',
    expected: '3:10: device.model: expected a string, found a number (200)',
  },
  {
    title: 'value outside an enum',
    fixture: 'bad-enum.yaml',
    expected:
      '12:15: services[0].protocol: expected one of http, https, ssh, telnet, mqtt, mqtts, coap, coaps, rtsp, rtsps, ftp, ftps, snmp, upnp, other, found "htp"; did you mean "http"?',
  },
  {
    title: 'scope entry that is not an IP or CIDR',
    fixture: 'bad-scope.yaml',
    expected: '11:5: scope[1]: expected an IP address or CIDR (e.g. 192.0.2.10 or 192.0.2.0/24), found "10.0.0.0/33"',
  },
  {
    title: 'port out of range',
    fixture: 'port-out-of-range.yaml',
    expected: '12:42: services[1].port: expected an integer from 1 to 65535, found 70000',
  },
  {
    title: 'target outside the scope',
    fixture: 'target-outside-scope.yaml',
    expected:
      '8:9: target.host: 192.168.1.5 is outside the scope (127.0.0.1/32); add it to scope or correct the address',
  },
  {
    title: 'target name that does not resolve',
    fixture: 'target-unresolvable.yaml',
    options: { lookup: unresolvable },
    expected: '8:9: target.host: cannot resolve "cam.lab" (ENOTFOUND)',
  },
  {
    title: 'target name resolving outside the scope',
    fixture: 'target-unresolvable.yaml',
    options: { lookup: async () => ['192.168.1.20', '10.1.1.1'] },
    expected:
      '8:9: target.host: cam.lab (10.1.1.1) is outside the scope (192.168.1.0/24); add it to scope or correct the address',
  },
  {
    title: 'unset environment variable',
    fixture: 'env-unset.yaml',
    options: { env: {} },
    expected: '13:15: credentials.admin.password: environment variable CAM_ADMIN_PASSWORD is not set',
  },
  {
    title: 'unreadable secret file',
    fixture: 'secret-file-missing.yaml',
    expected: '13:15: credentials.admin.password: cannot read secret file "secrets/pw.txt" (ENOENT)',
  },
  {
    title: 'literal password instead of a reference',
    fixture: 'literal-password.yaml',
    expected:
      '13:15: credentials.admin.password: expected a reference ${env:NAME} or ${file:PATH}, so that the secret stays out of the YAML, found a literal string',
  },
  {
    title: 'duplicate service name',
    fixture: 'duplicate-service.yaml',
    expected: '19:11: services[2].name: duplicate service name "web-admin" (first declared on line 11)',
  },
  {
    title: 'duplicate port on the same transport (the udp one is fine)',
    fixture: 'duplicate-port.yaml',
    expected: '13:40: services[2].port: port 8443/tcp is already declared by service "web-admin"',
  },
  {
    title: 'service naming an unknown credential',
    fixture: 'unknown-credential.yaml',
    options: { env: ADMIN_ENV },
    expected: '15:17: services[0].credential: no credential named "admn"; did you mean "admin"?',
  },
  {
    title: 'empty file',
    fixture: 'empty.yaml',
    expected: '1:1: the profile is empty; expected a mapping with device, target and scope',
  },
  {
    title: 'top level that is not a mapping',
    fixture: 'top-level-list.yaml',
    expected: '1:1: expected a mapping at the top level, found a list',
  },
];

describe('profile loader: malformed profiles', () => {
  for (const c of cases) {
    it(`reports ${c.title}`, async () => {
      const file = fixture(c.fixture);
      const error = await profileError(loadProfile(file, c.options));
      expect(error.message).to.equal(`${file}:${c.expected}`);
      expect(error.problems).to.have.length(1);
    });
  }

  it('reports a bad date and a bad URL in declarations', async () => {
    const file = fixture('bad-declarations.yaml');
    const error = await profileError(loadProfile(file));
    expect(error.message).to.equal(
      [
        `${file}:12:13: declarations.supportPeriod.endsOn: expected a date as YYYY-MM-DD, found "2030-02-30"`,
        `${file}:13:10: declarations.supportPeriod.url: expected a URL such as https://example.com/, found "example.com/support"`,
      ].join('\n'),
    );
  });

  it('reports a profile file that does not exist', async () => {
    const file = fixture('no-such-profile.yaml');
    const error = await profileError(loadProfile(file));
    expect(error.message).to.equal(`${file}:1:1: cannot read profile: no such file (ENOENT)`);
  });

  it('reports a tab used as indentation, with the location yaml gives', async () => {
    const error = await profileError(parseProfile('device:\n  vendor: Acme\n\tmodel: Cam 1\n', { file: 'devices/x.yaml' }));
    expect(error.message).to.equal('devices/x.yaml:3:1: YAML syntax error: Tabs are not allowed as indentation');
  });

  it('reports every schema problem, one per line, in line order', async () => {
    const file = fixture('many-problems.yaml');
    const error = await profileError(loadProfile(file));
    expect(error.message).to.equal(
      [
        `${file}:3:10: device.model: expected a string, found a list`,
        // The misspelt key is not also reported as a missing "category".
        `${file}:6:3: device.categroy: unknown key; did you mean "category"?`,
        `${file}:9:8: scope: expected a non-empty list, found an empty list`,
        `${file}:11:11: services[0].name: expected a lowercase name (letters, digits, - _ .), found "Web Admin"`,
        `${file}:13:11: services[0].port: expected an integer from 1 to 65535, found 0`,
        `${file}:15:16: services[0].transport: expected one of tcp, udp, found "sctp"; did you mean "tcp"?`,
        `${file}:18:18: policy.bruteForce.maxAttempts: expected an integer from 1 to 500, found 1000`,
      ].join('\n'),
    );
    expect(error.problems.map((p) => p.line)).to.deep.equal([3, 6, 9, 11, 13, 15, 18]);
  });

  it('reports every semantic problem together, in line order', async () => {
    const text = [
      'device: { vendor: Acme, model: Cam 1, firmware: "1.0", unit: SN-1, category: router }',
      'target: { host: 192.0.2.7 }',
      'scope: [127.0.0.1/32]',
      'services:',
      '  - { name: web, protocol: https, port: 443, auth: form, credential: root }',
      '  - { name: web, protocol: http, port: 443, auth: basic }',
      'credentials:',
      '  admin: { password: "${env:ROUTER_PW}" }',
    ].join('\n');
    const error = await profileError(parseProfile(text, { file: 'router.yaml', env: {} }));
    expect(error.message).to.equal(
      [
        'router.yaml:2:17: target.host: 192.0.2.7 is outside the scope (127.0.0.1/32); add it to scope or correct the address',
        'router.yaml:5:70: services[0].credential: no credential named "root"; expected one of: admin',
        'router.yaml:6:13: services[1].name: duplicate service name "web" (first declared on line 5)',
        'router.yaml:6:40: services[1].port: port 443/tcp is already declared by service "web"',
        'router.yaml:8:22: credentials.admin.password: environment variable ROUTER_PW is not set',
      ].join('\n'),
    );
  });

  it('formats a problem without a field path as FILE:LINE:COL: MESSAGE', () => {
    const problem = { file: 'a.yaml', line: 2, column: 5, path: '', message: 'YAML syntax error: oops' };
    expect(formatProblem(problem)).to.equal('a.yaml:2:5: YAML syntax error: oops');
    expect(formatProblem({ ...problem, path: 'device' })).to.equal('a.yaml:2:5: device: YAML syntax error: oops');
  });
});

describe('profile loader: secrets never leak into messages', () => {
  const CANARY = 'canary-7f3a-Pa55w0rd';
  const head = [
    'device: { vendor: Acme, model: Cam 1, firmware: "1.0", unit: SN-1, category: network-camera }',
    'target: { host: 127.0.0.1 }',
    'scope: [127.0.0.1/32]',
  ].join('\n');

  function expectNoCanary(error: ProfileError): void {
    expect(error.message).to.not.include(CANARY);
    expect(JSON.stringify(error.problems)).to.not.include(CANARY);
    expect(String(error.stack)).to.not.include(CANARY);
  }

  it('keeps an environment secret out of messages about other problems', async () => {
    const text = `${head.replace('127.0.0.1 }', '10.9.9.9 }')}\ncredentials:\n  admin:\n    password: \${env:CAM_ADMIN_PASSWORD}\n    colour: red\n`;
    const error = await profileError(parseProfile(text, { file: 'cam.yaml', env: { CAM_ADMIN_PASSWORD: CANARY } }));
    expect(error.problems).to.have.length(1); // schema stage stops before secrets are even read
    expectNoCanary(error);
    const semantic = await profileError(
      parseProfile(text.replace('    colour: red\n', ''), { file: 'cam.yaml', env: { CAM_ADMIN_PASSWORD: CANARY } }),
    );
    expect(semantic.message).to.include('outside the scope');
    expectNoCanary(semantic);
  });

  it('never echoes a literal password, whatever shape it is written in', async () => {
    const literal = await profileError(loadProfile(fixture('literal-password.yaml')));
    expect(literal.message).to.not.include('canary-Lit3ral-Pa55');
    const variants = [
      `password: ${CANARY}`,
      `password: "${CANARY}"`,
      `key: ${CANARY}`,
      `password: [${CANARY}]`,
      `pasword: ${CANARY}`,
      `password: ${CANARY}: oops`,
    ];
    for (const line of variants) {
      const text = `${head}\ncredentials:\n  admin:\n    ${line}\n`;
      expectNoCanary(await profileError(parseProfile(text, { file: 'cam.yaml', env: {} })));
    }
  });

  it('refuses a user name or password in an address, without echoing them', async () => {
    const text = [
      head,
      'declarations:',
      `  supportPeriod: { endsOn: "2030-01-31", url: "https://vendor:${CANARY}@acme.example/support" }`,
      'publicPages:',
      `  - { url: "http://psirt:${CANARY}@acme.example/vdp", purpose: vulnerability-disclosure }`,
    ].join('\n');
    const error = await profileError(parseProfile(text, { file: 'cam.yaml' }));
    const refused = 'expected an address without a user name or password (jcstar reads pages anonymously and prints addresses in its reports)';
    expect(error.message).to.equal(
      [`cam.yaml:5:47: declarations.supportPeriod.url: ${refused}, found "https://…@acme.example/support"`, `cam.yaml:7:12: publicPages[0].url: ${refused}, found "http://…@acme.example/vdp"`].join('\n'),
    );
    expectNoCanary(error);
  });

  it('does not echo a numeric literal password either', async () => {
    const text = `${head}\ncredentials:\n  admin:\n    password: 73519024\n`;
    const error = await profileError(parseProfile(text, { file: 'cam.yaml' }));
    expect(error.message).to.equal(
      'cam.yaml:6:15: credentials.admin.password: expected a reference ${env:NAME} or ${file:PATH}, so that the secret stays out of the YAML, found a number',
    );
  });
});

describe('profile loader: crypto rule changes', () => {
  const head = [
    'device: { vendor: Acme, model: Cam 1, firmware: "1.0", unit: SN-1, category: router }',
    'target: { host: 127.0.0.1 }',
    'scope: [127.0.0.1/32]',
    'crypto:',
  ];
  const load = (...lines: string[]) => profileError(parseProfile([...head, ...lines].join('\n'), { file: 'cam.yaml' }));

  it('refuses a restriction that loosens and a permit that loosens nothing, each at its value', async () => {
    const error = await load(
      '  restrict:',
      '    tls:',
      '      versions: [TLSv1.2, TLSv1.1]',
      '      minDhePrimeBits: 1024',
      '  permit:',
      '    - { rule: tls.versions, value: TLSv1.3, justification: "the app needs TLS 1.3" }',
    );
    expect(error.message).to.equal(
      [
        'cam.yaml:7:27: crypto.restrict.tls.versions[1]: TLSv1.1 is not allowed by the base rule tls.versions (crypto-2026.12), and restrict can only narrow it; to allow it, add a crypto.permit entry with a justification',
        'cam.yaml:8:24: crypto.restrict.tls.minDhePrimeBits: 1024 is below the base minimum of 2048 (tls.minDhePrimeBits, crypto-2026.12), and restrict can only raise it; to lower it, add a crypto.permit entry with a justification',
        'cam.yaml:10:36: crypto.permit[0].value: TLSv1.3 is already allowed by tls.versions (crypto-2026.12); permit only what the rules warn about or forbid',
      ].join('\n'),
    );
  });

  it('refuses a permit without a justification, or with one too short to mean anything', async () => {
    const error = await load(
      '  permit:',
      '    - { rule: tls.cipherSuites, value: TLS_RSA_WITH_AES_128_GCM_SHA256 }',
      '    - rule: tls.cipherSuites',
      '      value: TLS_RSA_WITH_AES_256_GCM_SHA384',
      '      justification: legacy',
    );
    expect(error.message).to.equal(
      [
        'cam.yaml:6:7: crypto.permit[0].justification: required field is missing',
        'cam.yaml:9:22: crypto.permit[1].justification: expected a string of at least 10 characters, found "legacy"',
      ].join('\n'),
    );
  });

  it('suggests the rule meant by a misspelt permit, and names the versions a restriction may use', async () => {
    const permit = await load('  permit:', '    - { rule: tls.ciphersuites, value: TLS_RSA_WITH_AES_128_GCM_SHA256, justification: "long enough reason" }');
    expect(permit.problems).to.have.length(1);
    expect(permit.message).to.match(/^cam\.yaml:6:15: crypto\.permit\[0\]\.rule: expected one of tls\.versions, tls\.cipherSuites, .*, ssh\.minRsaHostKeyBits, found "tls\.ciphersuites"; did you mean "tls\.cipherSuites"\?$/);
    const restrict = await load('  restrict:', '    tls: { versions: [TLSv1.4] }', '    ssh: { macs: [hmac-sha1] }');
    expect(restrict.message).to.equal(
      [
        'cam.yaml:6:23: crypto.restrict.tls.versions[0]: expected one of SSLv3, TLSv1.0, TLSv1.1, TLSv1.2, TLSv1.3, found "TLSv1.4"; did you mean "TLSv1.0"?',
        'cam.yaml:7:12: crypto.restrict.ssh.macs: unknown key; did you mean "mac"?',
      ].join('\n'),
    );
  });
});

describe('profile loader: trust anchors', () => {
  it('names a trust-anchor file that is missing or holds no certificate, at its entry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jcstar-anchors-'));
    writeFileSync(join(dir, 'notes.pem'), 'not a certificate\n');
    const text = [
      'device: { vendor: Acme, model: Cam 1, firmware: "1.0", unit: SN-1, category: router }',
      'target: { host: 127.0.0.1 }',
      'scope: [127.0.0.1/32]',
      'services:',
      '  - { name: web, protocol: https, port: 443, auth: basic, trustAnchors: [vendor-ca.pem, notes.pem] }',
    ].join('\n');
    const error = await profileError(parseProfile(text, { file: join(dir, 'cam.yaml') }));
    expect(error.problems.map((p) => `${p.line}:${p.column}: ${p.path}: ${p.message}`)).to.deep.equal([
      `5:74: services[0].trustAnchors[0]: cannot use ${join(dir, 'vendor-ca.pem')} as a trust anchor: no such file`,
      `5:89: services[0].trustAnchors[1]: cannot use ${join(dir, 'notes.pem')} as a trust anchor: it holds no PEM certificate`,
    ]);
  });
});
