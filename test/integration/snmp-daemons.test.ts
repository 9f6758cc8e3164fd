import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { CheckResult } from '../../harness/results/schema.js';
import { requireBinaries } from '../support/daemons.js';
import { filesUnder } from '../support/run-folder.js';
import { DEVICE, runProfile } from '../support/run-profile.js';
import { SNMPD_BINARIES, startSnmpd, type Snmpd } from '../support/snmpd.js';

/**
 * S1.1-01, -02 and -12 on real net-snmp snmpd, each agent on a 127.0.91.x of its own: (a) a v2c agent that
 * answers "public" fails all three; (b) a v3-only agent with an authPriv user passes all three, with the
 * declared user as positive control.
 */

const QUIET = { portScan: { tcpPorts: '' }, budgets: { replyTimeoutMs: 1500 } };
const CHECKS = ['S1.1-01', 'S1.1-02', 'S1.1-12'];
const AUTH_PASS = `auth-${randomBytes(9).toString('base64url')}`;
const PRIV_PASS = `priv-${randomBytes(9).toString('base64url')}`;
const V3_USER = { name: 'ops', auth: 'SHA-256', authPassword: AUTH_PASS, priv: 'AES', privPassword: PRIV_PASS } as const;

function document(agent: { host: string; port: number }, service: Record<string, unknown>, credentials: Record<string, unknown> = {}) {
  return { device: DEVICE, target: { host: agent.host }, scope: [`${agent.host}/32`], services: [{ name: 'snmp', protocol: 'snmp', port: agent.port, ...service }], credentials, policy: QUIET };
}

const V3_CREDENTIAL = { 'snmp-ops': { snmpv3: { user: 'ops', authProtocol: 'sha256', authPassword: '${env:SNMP_AUTH}', privProtocol: 'aes', privPassword: '${env:SNMP_PRIV}' } } };

async function run(doc: Record<string, unknown>, env: Record<string, string> = {}) {
  const outcome = await runProfile(doc, { only: CHECKS, env });
  const check = (id: string): CheckResult => outcome.results.checks.find((c) => c.id === id)!;
  return { runDir: outcome.runDir, access: check('S1.1-01/unauthenticated-access/snmp'), defaults: check('S1.1-02/default-credentials/snmp'), plaintext: check('S1.1-12/plaintext/snmp') };
}

describe('SNMP access and default communities against real net-snmp snmpd', function () {
  this.timeout(60000);
  let agent: Snmpd | undefined;
  before(function () {
    requireBinaries(this, SNMPD_BINARIES);
  });
  afterEach(async () => {
    await agent?.stop();
    agent = undefined;
  });

  it('(a) FAILs S1.1-01, -02 and -12 on a v2c agent that answers "public"', async () => {
    agent = await startSnmpd({ host: '127.0.91.1', communities: ['public'] });
    const { access, defaults, plaintext } = await run(document(agent, { auth: 'community', credential: 'ro' }, { ro: { password: '${env:SNMP_COMMUNITY}' } }), { SNMP_COMMUNITY: 'public' });

    expect(access.verdict, access.reason).to.equal('FAIL');
    expect(access.reason).to.match(/^snmp: sysDescr\.0 over SNMPv1 with the community "public" \(get-response error-status=0; evidence #\d+\), sysDescr\.0 over SNMPv2c with the community "public" \(get-response error-status=0; evidence #\d+\) reachable without authentication$/);
    const random = access.evidence.filter((e) => e.data?.role === 'random community');
    expect(random.map((e) => `${e.data?.version} ${e.data?.outcome}`).sort()).to.deep.equal(['v1 no-answer', 'v2c no-answer']);
    expect(access.evidence.find((e) => e.data?.role === 'the community managers send by default' && e.data?.version === 'v2c')!.received).to.match(/^SNMPv2c community="public" GetResponse .* 1\.3\.6\.1\.2\.1\.1\.1\.0 = OCTET STRING "Linux /);

    expect(defaults.verdict, defaults.reason).to.equal('FAIL');
    expect(defaults.reason).to.match(/^snmp answered the universal default community "public" \(entry snmp-public; source: nmap's snmp-brute community list, .+\) over SNMPv1 and SNMPv2c; see evidence SNMPv1 #\d+, SNMPv2c #\d+$/);
    const positive = defaults.evidence.filter((e) => e.data?.role === 'positive control');
    expect(positive.map((e) => e.data?.outcome)).to.deep.equal(['answered', 'answered']);

    expect(plaintext.verdict, plaintext.reason).to.equal('FAIL');
  });

  it('(b) PASSes S1.1-01, -02 and -12 on a v3-only agent with an authPriv user (SHA-256/AES), and never records its passphrases', async () => {
    agent = await startSnmpd({ host: '127.0.91.2', users: [V3_USER] });
    const { access, defaults, plaintext, runDir } = await run(document(agent, { auth: 'usm', credential: 'snmp-ops' }, V3_CREDENTIAL), { SNMP_AUTH: AUTH_PASS, SNMP_PRIV: PRIV_PASS });

    expect(access.verdict, access.reason).to.equal('PASS');
    expect(access.reason).to.match(
      /^snmp refused sysDescr\.0 over SNMPv1 with a random community \(no answer, while the agent answered SNMPv3 engine discovery \(evidence #\d+\); evidence #\d+\), .*sysDescr\.0 over SNMPv3 as an unknown user \(noAuthNoPriv\) \(Report usmStatsUnknownUserNames; evidence #\d+\) without credentials$/,
    );
    const unknown = access.evidence.find((e) => e.data?.role === 'unknown user')!;
    expect(unknown.data).to.deep.include({ outcome: 'report', counter: 'unknownUserNames', securityLevel: 'noAuthNoPriv' });
    expect(unknown.received).to.match(/^SNMPv3 msgID=\d+ flags=0x00 securityModel=3 engineID=80001f88[0-9a-f]+ .* Report .* 1\.3\.6\.1\.6\.3\.15\.1\.1\.3\.0 = Counter32 \d+$/);

    expect(defaults.verdict, defaults.reason).to.equal('PASS');
    expect(defaults.reason).to.match(/^snmp refused a random community and all 16 universal SNMP communities of list defaults-[\d.]+ over SNMPv1 and v2c \(no answer, while the declared SNMPv3 user "ops" was answered \(evidence #\d+\); negative control evidence SNMPv1 #\d+, SNMPv2c #\d+\)$/);
    const positive = defaults.evidence.find((e) => e.data?.role === 'positive control')!;
    expect(positive.data).to.deep.include({ outcome: 'answered', securityLevel: 'authPriv', authProtocol: 'HMAC-SHA-256-192', privProtocol: 'CFB128-AES-128', user: 'ops' });
    expect(positive.received).to.match(/GetResponse .* OCTET STRING "Linux .* \(decrypted\) \(tag verified\)$/);
    expect(defaults.evidence.filter((e) => String(e.data?.role).startsWith('default ')).length).to.equal(32);

    expect(plaintext.verdict, plaintext.reason).to.equal('PASS');
    for (const file of filesUnder(runDir)) {
      const text = readFileSync(file).toString('latin1');
      expect(text.includes(AUTH_PASS) || text.includes(PRIV_PASS), file).to.equal(false);
    }
  });

  it('S1.1-02 is INCONCLUSIVE "check the profile" when the declared USM passphrase is wrong: the agent reports usmStatsWrongDigests', async () => {
    agent = await startSnmpd({ host: '127.0.91.3', users: [V3_USER] });
    const { defaults, access } = await run(document(agent, { auth: 'usm', credential: 'snmp-ops' }, V3_CREDENTIAL), { SNMP_AUTH: 'not-the-passphrase', SNMP_PRIV: PRIV_PASS });
    expect(defaults.verdict, defaults.reason).to.equal('INCONCLUSIVE');
    expect(defaults.reason).to.match(/^the declared SNMPv3 user "ops" \(credential "snmp-ops"\) was not answered on snmp: Report usmStatsWrongDigests \(evidence #\d+\); check the profile/);
    expect(defaults.evidence.some((e) => String(e.data?.role).startsWith('default '))).to.equal(false);
    // S1.1-01 needs no credential: discovery shows the agent alive.
    expect(access.verdict, access.reason).to.equal('PASS');
  });

  it('PASSes S1.1-01 and -02 on a v2c agent with a strong community, shown alive by the declared one, within the policy\'s bound on defaults', async () => {
    const community = `c-${randomBytes(9).toString('hex')}`;
    agent = await startSnmpd({ host: '127.0.91.4', communities: [community] });
    const doc = document(agent, { auth: 'community', credential: 'ro' }, { ro: { password: '${env:SNMP_COMMUNITY}' } });
    const { access, defaults, plaintext } = await run({ ...doc, policy: { ...QUIET, defaultCredentials: { maxAttemptsPerService: 3 } } }, { SNMP_COMMUNITY: community });
    expect(access.verdict, access.reason).to.equal('PASS');
    expect(defaults.verdict, defaults.reason).to.equal('PASS');
    expect(defaults.reason).to.match(/^snmp refused a random community and all 3 universal SNMP communities .* \(no answer, while the declared community was answered over SNMPv1 and SNMPv2c/);
    // The policy bounds the communities tried; each goes out over v1 and v2c.
    expect(defaults.evidence.filter((e) => String(e.data?.role).startsWith('default ')).map((e) => e.data?.role).sort()).to.deep.equal(
      ['default snmp-private', 'default snmp-private', 'default snmp-public', 'default snmp-public', 'default snmp-snmpd', 'default snmp-snmpd'],
    );
    expect(plaintext.verdict, plaintext.reason).to.equal('FAIL');
  });

  it('is INCONCLUSIVE on both when nothing answers at all: silence is no refusal', async () => {
    const { access, defaults } = await run(document({ host: '127.0.91.5', port: 161 }, { auth: 'community' }));
    expect(access.verdict, access.reason).to.equal('INCONCLUSIVE');
    expect(access.reason).to.match(/^snmp: no answer to a random community or "public" \(evidence SNMPv1 #\d+, SNMPv2c #\d+, SNMPv1 #\d+, SNMPv2c #\d+\), and nothing showed the agent alive: SNMPv3 engine discovery no SNMP answer within 1500 ms/);
    expect(defaults.verdict, defaults.reason).to.equal('INCONCLUSIVE');
    expect(defaults.reason).to.match(/^snmp: neither a random community nor any of 16 universal communities got an answer .* and nothing showed the agent alive/);
  });
});
