import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse, stringify } from 'yaml';
import type { RunOutcome } from '../../harness/engine/run.js';
import { readRecords, sha256 } from '../../harness/evidence/store.js';
import type { RejudgeRecord } from '../../harness/evidence/records.js';
import { cataloguePath } from '../../harness/paths.js';
import type { Results } from '../../harness/results/schema.js';
import { startSimulatedDevice } from '../../harness/simulator/device.js';
import { jcstar, type CliResult } from '../support/cli.js';
import { validateResultsJson } from '../support/results-schema.js';
import { expectValidRunFolder } from '../support/run-folder.js';
import { runProfile, tempDir } from '../support/run-profile.js';

const CRYPTO_CHECKS = ['S1.1-12/crypto/web-admin', 'S1.1-12/crypto/ssh', 'S1.1-12/crypto/telemetry'];
const CERTIFICATE_CHECKS = ['S1.1-12/crypto/web-admin', 'S1.1-12/crypto/telemetry'];
const BRUTE_FORCE_CHECKS = ['S1.1-04/brute-force/web-admin', 'S1.1-04/brute-force/ssh', 'S1.1-04/brute-force/telemetry'];

/**
 * Throws on, and logs, every way of connecting, binding or sending: what `jcstar report --rules` must never do.
 * Builtins are patched for CommonJS and, through syncBuiltinESMExports, for the ES module imports jcstar uses.
 * dgram.createSocket alone opens no OS socket (libuv creates it on bind or send); it is logged with its caller,
 * since the coap library makes its global agent's UDP socket object when any command loads it.
 */
const NO_SOCKETS = `
const fs = require('node:fs');
const log = process.env.JCSTAR_SOCKET_LOG;
function refuse(name) {
  return function () {
    fs.appendFileSync(log, name + '\\n');
    throw new Error('socket opened during the test: ' + name);
  };
}
const net = require('node:net'), tls = require('node:tls'), dgram = require('node:dgram'), http = require('node:http'), https = require('node:https');
net.Socket.prototype.connect = refuse('net.Socket.connect');
net.connect = net.createConnection = refuse('net.createConnection');
net.Server.prototype.listen = refuse('net.Server.listen');
tls.connect = refuse('tls.connect');
dgram.Socket.prototype.bind = refuse('dgram.bind');
dgram.Socket.prototype.send = refuse('dgram.send');
dgram.Socket.prototype.connect = refuse('dgram.connect');
const createSocket = dgram.createSocket;
dgram.createSocket = function (...args) {
  const caller = /node_modules\\/coap\\/dist\\/index\\.js/.test(new Error().stack) ? "coap's global agent, at import" : 'jcstar';
  fs.appendFileSync(log, 'dgram.createSocket by ' + caller + '\\n');
  return createSocket.apply(this, args);
};
http.request = http.get = refuse('http.request');
https.request = https.get = refuse('https.request');
require('node:module').syncBuiltinESMExports();
`;

let guards = 0;
function withoutSockets(dir: string): { env: Record<string, string>; log: string } {
  const preload = join(dir, 'no-sockets.cjs');
  writeFileSync(preload, NO_SOCKETS);
  const log = join(dir, `sockets-${guards++}.log`);
  return { env: { NODE_OPTIONS: `--require ${preload}`, JCSTAR_SOCKET_LOG: log }, log };
}

/** Whatever the guard saw, but the unbound UDP socket object coap's global agent makes when the CLI loads. */
const opened = (sockets: string[]) => sockets.filter((line) => line !== "dgram.createSocket by coap's global agent, at import");

/** The shipped rule set with one change: a new version whose certificates need RSA keys of 3072 bits. */
function stricterRules(dir: string): string {
  const rules = parse(readFileSync(cataloguePath('crypto', 'crypto-rules.yaml'), 'utf8')) as { version: string; changelog: unknown[]; certificate: { minRsaBits: number } };
  rules.version = 'crypto-2027.01-test';
  rules.changelog.unshift({ version: rules.version, date: '2027-01-01', changes: ['Certificates: RSA keys need 3072 bits.'] });
  rules.certificate.minRsaBits = 3072;
  const path = join(dir, 'stricter-rules.yaml');
  writeFileSync(path, stringify(rules));
  return path;
}

/** The default policy with one change: a new version that allows 50,000 guesses a day, not 100,000. */
function stricterPolicy(dir: string): string {
  const policy = parse(readFileSync(cataloguePath('policy', 'default-policy.yaml'), 'utf8')) as { version: string; bruteForce: { maxGuessesPerDay: number } };
  policy.version = 'policy-2027.01-test';
  policy.bruteForce.maxGuessesPerDay = 50000;
  const path = join(dir, 'stricter-policy.yaml');
  writeFileSync(path, stringify(policy));
  return path;
}

const resultsOf = (dir: string): Results => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results;
const verdictsOf = (results: Results) => results.checks.map((c) => [c.id, c.verdict, c.reason]);

describe('jcstar report --rules: re-judging a recorded run without the device', function () {
  this.timeout(120000);
  let run: RunOutcome;
  let work: string;
  let originalLog: string;

  before(async () => {
    // The recorded run: the secure simulated device's S1.1-12, whose TLS certificates are RSA 2048, and its
    // S1.1-04, whose lockouts allow 80,000 to 90,000 guesses a day.
    const device = await startSimulatedDevice({ mode: 'secure' });
    try {
      const { document, env } = device.profileDocument();
      // A change of the profile's own, which re-judging must apply on top of the new rules.
      const crypto = { permit: [{ rule: 'tls.cipherSuites', value: 'TLS_RSA_WITH_AES_128_GCM_SHA256', justification: 'the 2019 companion app offers nothing else' }] };
      run = await runProfile({ ...document, crypto }, { env, only: ['S1.1-04', 'S1.1-12'] });
    } finally {
      await device.close();
    }
    work = tempDir('jcstar-rejudge-');
    originalLog = sha256(readFileSync(join(run.runDir, 'evidence.jsonl')));
    expect(run.results.rules.crypto).to.equal('crypto-2026.12+profile');
    for (const id of [...CRYPTO_CHECKS, ...BRUTE_FORCE_CHECKS]) expect(run.results.checks.find((c) => c.id === id)?.verdict, id).to.equal('PASS');
    for (const id of BRUTE_FORCE_CHECKS) expect(run.results.checks.find((c) => c.id === id)!.reason).to.match(/^[a-z-]+: lockout; .*; [\d,]+ guesses\/day projected \(policy limit 100,000\)$/);
  });

  async function report(args: string[]): Promise<CliResult & { sockets: string[] }> {
    const guard = withoutSockets(work);
    const result = await jcstar(['report', run.runDir, ...args], { env: guard.env });
    return { ...result, sockets: existsSync(guard.log) ? readFileSync(guard.log, 'utf8').trim().split('\n') : [] };
  }

  it('the socket guard catches a socket opened through an ES module import (control)', async () => {
    const guard = withoutSockets(work);
    const { spawnSync } = await import('node:child_process');
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', "import { connect } from 'node:net'; try { connect(9, '127.0.0.1'); } catch {}"], {
      env: { ...process.env, ...guard.env },
    });
    expect(child.status).to.equal(0);
    expect(readFileSync(guard.log, 'utf8')).to.equal('net.createConnection\n');
    const udp = spawnSync(process.execPath, ['--input-type=module', '-e', "import { createSocket } from 'node:dgram'; try { createSocket('udp4').send('x', 9, '127.0.0.1'); } catch {}"], {
      env: { ...process.env, ...guard.env },
    });
    expect(udp.status).to.equal(0);
    expect(opened(readFileSync(guard.log, 'utf8').trim().split('\n'))).to.deep.equal(['net.createConnection', 'dgram.createSocket by jcstar', 'dgram.send']);
  });

  it('under the same rules, gives the same verdicts and lists no change, opening no socket', async () => {
    const out = join(work, 'same');
    const result = await report(['--rules', cataloguePath('crypto', 'crypto-rules.yaml'), '--out', out]);
    expect(opened(result.sockets)).to.deep.equal([]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.include('re-judged 3 check(s) under crypto rules crypto-2026.12+profile (the run was judged under crypto-2026.12+profile)\nno verdict changed\n');
    const results = resultsOf(out);
    expect(verdictsOf(results)).to.deep.equal(verdictsOf(run.results));
    expect(results.requirements.map((r) => r.verdict)).to.deep.equal(run.results.requirements.map((r) => r.verdict));
    expect(results.rules).to.deep.equal(run.results.rules);
    expect(validateResultsJson(results)).to.deep.equal([]);
    expectValidRunFolder(out);
  });

  it('under a stricter rule set, flips the RSA 2048 certificates PASS → FAIL and lists them, opening no socket', async () => {
    const out = join(work, 'stricter');
    const result = await report(['--rules', stricterRules(work), '--out', out]);
    expect(opened(result.sockets)).to.deep.equal([]);
    expect(result.code, result.stderr).to.equal(1);
    const results = resultsOf(out);
    expect(results.rules.crypto).to.equal('crypto-2027.01-test+profile');
    for (const id of CERTIFICATE_CHECKS) {
      const check = results.checks.find((c) => c.id === id)!;
      expect(check.verdict, id).to.equal('FAIL');
      expect(check.reason, id).to.match(/RSA key of 2048 bits.*\(rules crypto-2027\.01-test\+profile\)$/);
      expect(result.stdout).to.include(`  ${id} (S1.1-12): PASS → FAIL: ${check.reason}\n`);
      // The re-judging note sits next to the stored observation, which is unchanged.
      expect(check.evidence.at(-1)!.summary).to.match(/^re-judged under crypto-2027\.01-test\+profile: 1 fail \(evidence #\d+\)$/);
      expect(check.evidence.at(-1)!.data!.rules).to.deep.include({ version: 'crypto-2027.01-test+profile', changes: [{ kind: 'permit', rule: 'tls.cipherSuites', value: 'TLS_RSA_WITH_AES_128_GCM_SHA256', justification: 'the 2019 companion app offers nothing else' }] });
    }
    expect(results.checks.find((c) => c.id === 'S1.1-12/crypto/ssh')!.verdict).to.equal('PASS');
    expect(results.requirements.find((r) => r.id === 'S1.1-12')!.verdict).to.equal('FAIL');
    expect(result.stdout).to.match(/\n {2}requirement S1\.1-12: \w+ → FAIL: /);
    // Every other check kept its verdict, and says why.
    const untouched = run.results.checks.filter((c) => !CRYPTO_CHECKS.includes(c.id));
    for (const check of untouched) {
      expect(results.checks.find((c) => c.id === check.id)!.verdict).to.equal(check.verdict);
      const why = BRUTE_FORCE_CHECKS.includes(check.id) ? 'not re-judged: no policy given' : 'not re-judged: needs the device';
      expect(result.stdout).to.include(`  ${check.id}: ${why}\n`);
    }
    const rejudge = readRecords(out).find((r): r is RejudgeRecord => r.type === 'rejudge')!;
    expect(rejudge.source).to.deep.equal({ runDir: run.runDir, evidenceSha256: originalLog });
    expect(rejudge.rejudged).to.deep.equal(CRYPTO_CHECKS);
    expect(rejudge.changes.map((c) => [c.checkId, c.from, c.to])).to.deep.equal(CERTIFICATE_CHECKS.map((id) => [id, 'PASS', 'FAIL']));
    // The copy's log begins with the run's log, byte for byte; the original run folder is unchanged.
    const original = readFileSync(join(run.runDir, 'evidence.jsonl'), 'utf8');
    expect(readFileSync(join(out, 'evidence.jsonl'), 'utf8').startsWith(original)).to.equal(true);
    expect(sha256(readFileSync(join(run.runDir, 'evidence.jsonl')))).to.equal(originalLog);
    expect(resultsOf(run.runDir).rules.crypto).to.equal('crypto-2026.12+profile');
    expectValidRunFolder(out);
  });

  it('under the same policy, gives the same verdicts; under a lower guesses-a-day limit, flips the lockouts PASS → FAIL', async () => {
    const same = await report(['--policy', cataloguePath('policy', 'default-policy.yaml'), '--out', join(work, 'same-policy')]);
    expect(opened(same.sockets)).to.deep.equal([]);
    expect(same.code, same.stderr).to.equal(0);
    expect(same.stdout).to.include(`re-judged 3 check(s) under policy ${run.results.rules.policy} (the run was judged under ${run.results.rules.policy})\nno verdict changed\n`);
    expect(verdictsOf(resultsOf(join(work, 'same-policy')))).to.deep.equal(verdictsOf(run.results));

    const out = join(work, 'stricter-policy');
    const result = await report(['--policy', stricterPolicy(work), '--out', out]);
    expect(opened(result.sockets)).to.deep.equal([]);
    expect(result.code, result.stderr).to.equal(1);
    const results = resultsOf(out);
    // The profile's own overrides (the inventory's ports) go on top, as in the run.
    expect(results.rules.policy).to.equal('policy-2027.01-test+profile');
    expect(results.rules.crypto).to.equal(run.results.rules.crypto);
    for (const id of BRUTE_FORCE_CHECKS) {
      const old = run.results.checks.find((c) => c.id === id)!;
      const check = results.checks.find((c) => c.id === id)!;
      expect(check.verdict, id).to.equal('FAIL');
      expect(check.reason).to.equal(old.reason.replace(/^([a-z-]+): lockout; /, '$1: lockout too weak; ').replace('(policy limit 100,000)', '(policy limit 50,000)'));
      expect(result.stdout).to.include(`  ${id} (S1.1-04): PASS → FAIL: ${check.reason}\n`);
    }
    expect(results.requirements.find((r) => r.id === 'S1.1-04')!.verdict).to.equal('FAIL');
    for (const id of CRYPTO_CHECKS) expect(result.stdout).to.include(`  ${id}: not re-judged: no crypto rules given\n`);
    expectValidRunFolder(out);
  });

  it('rebuilding the re-judged folder gives the same results (they come from its log alone)', async () => {
    const out = join(work, 'stricter');
    const before = resultsOf(out);
    const result = await jcstar(['report', out]);
    expect(result.code, result.stderr).to.equal(1);
    expect(verdictsOf(resultsOf(out))).to.deep.equal(verdictsOf(before));
    expect(resultsOf(out).rules.crypto).to.equal('crypto-2027.01-test+profile');
  });

  it('judges a re-judged folder again, keeping the earlier re-judging: both new versions show', async () => {
    const out = join(work, 'stricter-twice');
    const result = await jcstar(['report', join(work, 'stricter'), '--policy', stricterPolicy(work), '--out', out]);
    expect(result.code, result.stderr).to.equal(1);
    const results = resultsOf(out);
    expect(results.rules).to.deep.equal({ ...run.results.rules, crypto: 'crypto-2027.01-test+profile', policy: 'policy-2027.01-test+profile' });
    const verdicts = Object.fromEntries(results.checks.map((c) => [c.id, c.verdict]));
    expect([...CERTIFICATE_CHECKS, ...BRUTE_FORCE_CHECKS].map((id) => verdicts[id])).to.deep.equal(['FAIL', 'FAIL', 'FAIL', 'FAIL', 'FAIL']);
    expect(verdicts['S1.1-12/crypto/ssh']).to.equal('PASS');
  });

  it('refuses --rules without --out, a rule file that is not a full rule set, and a non-empty --out (exit 2)', async () => {
    const noOut = await report(['--rules', cataloguePath('crypto', 'crypto-rules.yaml')]);
    expect(noOut.code).to.equal(2);
    expect(noOut.stderr).to.equal('jcstar: --rules writes the re-judged run into a new folder, so that the run as judged stays unchanged: give --out DIR\n');
    const partial = join(work, 'partial.yaml');
    writeFileSync(partial, stringify({ id: 'jcstar-crypto', version: 'x' }));
    const invalid = await report(['--rules', partial, '--out', join(work, 'never')]);
    expect(invalid.code).to.equal(2);
    expect(invalid.stderr).to.match(/^jcstar: --rules .*partial\.yaml: /);
    expect(existsSync(join(work, 'never'))).to.equal(false);
    const taken = await report(['--rules', cataloguePath('crypto', 'crypto-rules.yaml'), '--out', join(work, 'same')]);
    expect(taken.code).to.equal(2);
    expect(taken.stderr).to.match(/is not empty; choose a new --out folder/);
  });

  it('refuses an --out inside the run folder before writing anything (exit 2), so that the run stays as its manifest hashed it', async () => {
    const before = readFileSync(join(run.runDir, 'manifest.json'));
    const inside = join(run.runDir, 'artifacts', 'rejudged');
    const r = await report(['--rules', cataloguePath('crypto', 'crypto-rules.yaml'), '--out', inside]);
    expect([r.code, r.stderr]).to.deep.equal([2, `jcstar: --out ${inside}: inside the run folder, whose files its manifest hashes; choose a folder outside it\n`]);
    expect(existsSync(inside)).to.equal(false);
    expect(readFileSync(join(run.runDir, 'manifest.json'))).to.deep.equal(before);
  });
});
