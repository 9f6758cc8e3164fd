import { expect } from 'chai';
import type { CheckResult } from '../../harness/results/schema.js';
import { expectValidRunFolder } from '../support/run-folder.js';
import { DEVICE, runProfile } from '../support/run-profile.js';
import { GARBAGE_SSH_HOST_KEYS, startCertificateMisbehaving, startKexinitThenGarbage, type HostileServer } from './hostile-servers.js';

/**
 * S1.1-12 against devices that break the crypto handshake where the rules need a key: a verdict with a
 * reason every time, never PASS, never a crash or a hang.
 */
const HOST = '127.0.0.1';

async function protection(service: Record<string, unknown>): Promise<CheckResult> {
  const profile = {
    device: DEVICE,
    target: { host: HOST },
    scope: [`${HOST}/32`],
    services: [{ name: 'dut', ...service }],
    policy: { portScan: { tcpPorts: '' }, budgets: { replyTimeoutMs: 800, connectTimeoutMs: 800, checkMs: 30000 } },
  };
  const started = Date.now();
  const { results, runDir } = await runProfile(profile, { only: ['S1.1-12'] });
  expect(Date.now() - started, 'bounded in time').to.be.below(40_000);
  expectValidRunFolder(runDir);
  const check = results.checks.find((c) => c.id === 'S1.1-12/crypto/dut');
  if (!check) throw new Error(`no crypto check among ${results.checks.map((c) => c.id).join(', ')}`);
  expect(results.requirements.find((r) => r.id === 'S1.1-12')!.verdict).to.not.equal('PASS');
  return check;
}

describe('S1.1-12 on hostile devices', function () {
  this.timeout(60_000);
  const servers: HostileServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('FAILs a TLS server that sends an empty Certificate message on an ECDHE_RSA suite', async () => {
    const server = await startCertificateMisbehaving(HOST, 'empty');
    servers.push(server);
    const check = await protection({ protocol: 'https', port: server.port, auth: 'basic' });
    expect(check.verdict, check.reason).to.equal('FAIL');
    expect(check.reason).to.equal(
      'the server sent no certificate on TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (an empty Certificate message on TLSv1.2), so clients cannot authenticate it (rules crypto-2026.12)',
    );
    const observation = check.evidence.find((e) => e.kind === 'observation')!;
    expect(observation.data!.certificateMessage).to.deep.equal({ version: 'TLSv1.2', suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', content: 'empty', detail: null });
    expect(observation.summary).to.include('certificate not read on TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (empty Certificate message)');
  });

  it('is INCONCLUSIVE on a TLS server whose Certificate message does not parse, naming why', async () => {
    const server = await startCertificateMisbehaving(HOST, 'malformed');
    servers.push(server);
    const check = await protection({ protocol: 'https', port: server.port, auth: 'basic' });
    expect(check.verdict, check.reason).to.equal('INCONCLUSIVE');
    expect(check.reason).to.equal(
      'the Certificate message on TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 could not be parsed (Certificate is truncated) (rules crypto-2026.12)',
    );
    // The rest of the observation stands: the suite and the version were read.
    const versions = check.evidence.find((e) => e.kind === 'observation')!.data!.versions as Array<{ version: string; cipherSuites: Array<{ name: string }> }>;
    expect(versions.find((v) => v.version === 'TLSv1.2')!.cipherSuites.map((s) => s.name)).to.deep.equal(['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']);
  });

  it('is INCONCLUSIVE on an SSH server that sends a KEXINIT and then garbage, naming each host key it could not read', async () => {
    const server = await startKexinitThenGarbage(HOST);
    servers.push(server);
    const check = await protection({ protocol: 'ssh', port: server.port, auth: 'password' });
    expect(check.verdict, check.reason).to.equal('INCONCLUSIVE');
    expect(check.reason).to.match(/^host key ecdsa-sha2-nistp256 offered, but its size was not read: \w+: .+; host key rsa-sha2-512 offered, but its size was not read: \w+: .+ \(rules crypto-2026\.12\)$/);
    const observation = check.evidence.find((e) => e.kind === 'observation')!;
    expect(observation.data!.hostKey).to.deep.equal(GARBAGE_SSH_HOST_KEYS);
    expect((observation.data!.hostKeys as Array<{ outcome: string }>).map((k) => k.outcome)).to.deep.equal(['error', 'error', 'error']);
  });
});
