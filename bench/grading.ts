/**
 * Grading time: jcstar's full grading of one TLS port (versions, suites per version and preference,
 * groups, DHE primes, certificate chain, renegotiation, compression, judged against the crypto rules)
 * against testssl.sh on the same port, and of one SSH port against ssh-audit. Findings must agree before
 * a time counts: jcstar's (version, suite) pairs must equal testssl.sh's, and its SSH lists ssh-audit's.
 *
 *   npm run bench:grading [-- --rounds 3]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { effectiveCryptoRules } from '../harness/crypto/effective.js';
import { judgeSsh } from '../harness/crypto/judge-ssh.js';
import { judgeTls } from '../harness/crypto/judge-tls.js';
import { GuardedNetwork } from '../harness/net/network.js';
import { probeSshHostKeySizes } from '../harness/probes/ssh/host-key-sizes.js';
import { probeSshAlgorithms } from '../harness/probes/ssh/kexinit.js';
import { probeTls } from '../harness/probes/tls/probe.js';
import { ScopeGuard } from '../harness/scope/guard.js';
import { testCertificates } from '../test/support/certificates.js';
import { startOpenSsh } from '../test/support/openssh.js';
import { tempDir } from '../test/support/run-profile.js';
import { observedPairs, testsslCipherPairs } from '../test/support/testssl.js';
import { startTlsNginx, type TlsConfig } from '../test/support/tls-servers.js';

const HOST = '127.0.91.2';
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const rounds = Math.max(1, Math.min(Number(values.rounds), 10));
// The policy's default connection rate (200/s) applies, as in a real run.
const net = new GuardedNetwork(new ScopeGuard([`${HOST}/32`]), { connectionsPerSecond: 200, authAttemptsPerSecond: 5, connectTimeoutMs: 3000 });
const { rules } = effectiveCryptoRules();
const signal = new AbortController().signal;

const seconds = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function jcstarTls(port: number): Promise<{ seconds: number; pairs: Set<string>; findings: number; handshakes: number }> {
  const started = process.hrtime.bigint();
  const certs = await testCertificates();
  const observed = await probeTls(net, { host: HOST, port, serverName: null, transport: 'implicit', timeoutMs: 5000, signal, now: new Date(), trustAnchors: [certs.root.der] });
  if (observed.outcome !== 'observed') throw new Error(`jcstar: ${observed.failure}: ${observed.detail}`);
  const findings = judgeTls(observed, rules);
  const time = seconds(started);
  const pairs = observedPairs(observed);
  return { seconds: time, pairs, findings: findings.length, handshakes: observed.handshakes };
}

function testsslFull(port: number): number {
  const file = join(tempDir('jcstar-bench-testssl-'), 'full.json');
  const started = process.hrtime.bigint();
  const run = spawnSync('testssl', ['--jsonfile', file, '--warnings', 'batch', '--color', '0', '--quiet', '--sneaky', `${HOST}:${port}`], { encoding: 'utf8', timeout: 600_000 });
  const time = seconds(started);
  if (run.status !== 0 && !readFileSync(file, 'utf8').includes('scanTime')) throw new Error(`testssl failed (${run.status}): ${run.stderr}`);
  return time;
}

async function benchTls(config: TlsConfig): Promise<void> {
  const certs = await testCertificates();
  const nginx = await startTlsNginx(HOST, certs.leaf, config);
  try {
    const oracle = await testsslCipherPairs(HOST, nginx.port);
    const runs = [];
    for (let i = 0; i < rounds; i++) runs.push(await jcstarTls(nginx.port));
    const same = [...runs[0]!.pairs].sort().join() === [...oracle.pairs].sort().join();
    if (!same) throw new Error(`findings differ: jcstar ${[...runs[0]!.pairs].sort().join(', ')} vs testssl.sh ${[...oracle.pairs].sort().join(', ')}`);
    const full = testsslFull(nginx.port);
    const jcstar = median(runs.map((r) => r.seconds));
    console.log(
      `TLS, nginx ${config}: ${oracle.pairs.size} (version, suite) pairs, identical in both tools; jcstar ${runs[0]!.handshakes} hellos, ${runs[0]!.findings} findings\n` +
        `  testssl.sh full run         ${full.toFixed(1)} s\n` +
        `  testssl.sh -E (pairs only)  ${oracle.seconds.toFixed(1)} s\n` +
        `  jcstar full grading         ${jcstar.toFixed(2)} s (median of ${rounds})\n` +
        `  jcstar / testssl.sh full    ${(jcstar / full).toFixed(3)}×; jcstar / testssl.sh -E ${(jcstar / oracle.seconds).toFixed(3)}×`,
    );
  } finally {
    await nginx.stop();
  }
}

async function benchSsh(): Promise<void> {
  const sshd = await startOpenSsh(HOST, {});
  try {
    const times: number[] = [];
    let lists = '';
    for (let i = 0; i < rounds; i++) {
      const started = process.hrtime.bigint();
      const algorithms = await probeSshAlgorithms(net, { host: HOST, port: sshd.port, signal, timeoutMs: 5000 });
      if (algorithms.outcome !== 'observed') throw new Error(`jcstar: ${algorithms.failure}: ${algorithms.detail}`);
      const hostKeys = await probeSshHostKeySizes(net, { host: HOST, port: sshd.port, algorithms: algorithms.hostKey, signal, timeoutMs: 5000 });
      judgeSsh(algorithms, hostKeys, rules);
      times.push(seconds(started));
      lists = [algorithms.kex, algorithms.hostKey, algorithms.encryptionStoC, algorithms.macStoC].map((l) => [...l].sort().join()).join('|');
    }
    const auditTimes: number[] = [];
    let audited = '';
    for (let i = 0; i < rounds; i++) {
      const started = process.hrtime.bigint();
      const run = spawnSync('ssh-audit', ['-j', '-t', '10', '-p', String(sshd.port), HOST], { encoding: 'utf8', timeout: 60_000 });
      auditTimes.push(seconds(started));
      const report = JSON.parse(run.stdout) as { kex: { algorithm: string }[]; key: { algorithm: string }[]; enc: string[]; mac: string[] };
      audited = [report.kex.map((k) => k.algorithm), report.key.map((k) => k.algorithm), report.enc, report.mac].map((l) => [...l].sort().join()).join('|');
    }
    if (lists !== audited) throw new Error(`SSH lists differ:\n  jcstar    ${lists}\n  ssh-audit ${audited}`);
    const jcstar = median(times);
    const audit = median(auditTimes);
    console.log(
      `SSH, OpenSSH: kex, host key, cipher and MAC lists identical in both tools\n` +
        `  ssh-audit -j                ${audit.toFixed(2)} s (median of ${rounds})\n` +
        `  jcstar full grading         ${jcstar.toFixed(3)} s (median of ${rounds})\n` +
        `  jcstar / ssh-audit          ${(jcstar / audit).toFixed(3)}×`,
    );
  } finally {
    await sshd.stop();
  }
}

await benchTls('legacy');
await benchTls('modern');
await benchSsh();
