import { spawnSync } from 'node:child_process';
import { createHash, createPublicKey } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { expect } from 'chai';
import { createBundle } from '../../harness/bundle/create.js';
import { signEnvelope } from '../../harness/bundle/dsse.js';
import { keyIdOf, loadPrivateKey, loadPublicKey } from '../../harness/bundle/keys.js';
import { readTar, writeTar, type TarEntry } from '../../harness/bundle/tar.js';
import { verifyBundle } from '../../harness/bundle/verify.js';
import { UsageError } from '../../harness/cli/usage-error.js';
import { JCSTAR, jcstar } from '../support/cli.js';
import { filesUnder } from '../support/run-folder.js';
import { tempDir } from '../support/run-profile.js';
import { realRunFolder } from './real-run.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('jcstar keygen, bundle and verify', function () {
  this.timeout(120000);
  let runDir: string;
  let keys: string;
  let otherKeys: string;
  let bundlePath: string;
  let archive: Buffer;
  let pub: string;

  /** Writes `entries` as a bundle and runs jcstar verify on it. */
  async function verifyEntries(entries: TarEntry[]) {
    const path = join(tempDir(), 'changed.tar');
    writeFileSync(path, Buffer.concat(writeTar(entries)));
    return jcstar(['verify', path, '--key', pub]);
  }

  before(async () => {
    runDir = join(tempDir(), 'cam-01');
    cpSync(await realRunFolder(), runDir, { recursive: true });
    keys = join(tempDir(), 'keys');
    otherKeys = join(tempDir(), 'other-keys');
    pub = join(keys, 'jcstar-signing.pub');
    for (const dir of [keys, otherKeys]) expect((await jcstar(['keygen', '--out', dir])).code).to.equal(0);
    const made = await jcstar(['bundle', runDir, '--key', join(keys, 'jcstar-signing.key')]);
    expect(made.code, made.stderr).to.equal(0);
    bundlePath = `${runDir}.jcstar-bundle.tar`;
    expect(made.stdout).to.equal(`${bundlePath}\n`);
    archive = readFileSync(bundlePath);
  });

  for (const command of ['keygen', 'bundle', 'verify']) {
    it(`${command} has --help`, async () => {
      const r = await jcstar([command, '--help']);
      expect([r.code, r.stdout.split('\n')[0]]).to.deep.equal([0, `Usage: jcstar ${command} [options]${command === 'keygen' ? '' : command === 'bundle' ? ' <run-dir>' : ' <bundle>'}`]);
    });
  }

  it('keygen writes a 0600 PKCS#8 key and an SPKI public key, prints the key id, and never overwrites', async () => {
    expect(statSync(join(keys, 'jcstar-signing.key')).mode & 0o777).to.equal(0o600);
    expect(readFileSync(join(keys, 'jcstar-signing.key'), 'utf8')).to.match(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(readFileSync(pub, 'utf8')).to.match(/^-----BEGIN PUBLIC KEY-----\n/);
    const again = await jcstar(['keygen', '--out', keys]);
    expect(again.code).to.equal(2);
    expect(again.stderr).to.equal(`jcstar: ${join(keys, 'jcstar-signing.key')} and ${pub} already exist(s); jcstar never overwrites a key\n`);
    const dir = join(tempDir(), 'k');
    const fresh = await jcstar(['keygen', '--out', dir]);
    const der = createPublicKey(readFileSync(join(dir, 'jcstar-signing.pub'))).export({ type: 'spki', format: 'der' });
    expect(fresh.stdout).to.equal(`${sha(der)}\n`);
  });

  it('bundles every file of the run folder under run/, with the envelope first', () => {
    const onDisk = filesUnder(runDir).map((f) => `run/${relative(runDir, f).split(sep).join('/')}`).sort();
    expect(readTar(archive).map((e) => e.path)).to.deep.equal(['attestation.dsse.json', ...onDisk]);
    expect(onDisk).to.include.members(['run/manifest.json', 'run/results.json', 'run/evidence.jsonl', 'run/profile.yaml']);
    expect(onDisk.filter((p) => p.startsWith('run/artifacts/')).length).to.be.greaterThan(3);
  });

  it('verifies a bundle of a real run: exit 0 and a summary', async () => {
    const r = await jcstar(['verify', bundlePath, '--key', pub]);
    expect(r.code, r.stdout).to.equal(0);
    const files = readTar(archive).length - 1;
    const keyId = sha(createPublicKey(readFileSync(pub)).export({ type: 'spki', format: 'der' }));
    expect(r.stdout).to.match(new RegExp(`^VALID: ${bundlePath.replace(/[.]/g, '\\.')}\n  signed test result: WARNED \\(\\d+ passed, \\d+ warned, 0 failed\\)\n  key ${keyId}; ${files} file\\(s\\) under run/\n  the signature verifies, run/manifest.json is the signed subject, and every file matches the manifest\n$`));
    const json = JSON.parse((await jcstar(['verify', bundlePath, '--key', pub, '--json'])).stdout);
    expect([json.valid, json.problems, json.files, json.result.result]).to.deep.equal([true, [], files, 'WARNED']);
  });

  it('finds a one-byte change in every file of the archive, naming the file', () => {
    const publicKey = loadPublicKey(pub);
    const entries = readTar(archive);
    const manifest = JSON.parse(entries.find((e) => e.path === 'run/manifest.json')!.bytes.toString()) as { files: Array<{ path: string; sha256: string }> };
    for (const entry of entries) {
      const at = entry.offset + Math.floor(entry.bytes.length / 2);
      const changed = Buffer.from(archive);
      changed[at] ^= 1;
      const report = verifyBundle(changed, publicKey);
      expect(report.valid, entry.path).to.equal(false);
      if (entry.path === 'attestation.dsse.json') {
        expect(report.problems.map((p) => p.file), entry.path).to.deep.equal(['attestation.dsse.json']);
      } else if (entry.path === 'run/manifest.json') {
        expect(report.problems[0]).to.deep.equal({
          code: 'subject',
          file: 'run/manifest.json',
          message: `changed: run/manifest.json (sha256 ${sha(changed.subarray(entry.offset, entry.offset + entry.bytes.length))}, the signed statement says ${sha(entry.bytes)})`,
        });
      } else {
        const listed = manifest.files.find((f) => `run/${f.path}` === entry.path)!;
        const actual = sha(changed.subarray(entry.offset, entry.offset + entry.bytes.length));
        expect(report.problems, entry.path).to.deep.equal([{ code: 'changed', file: entry.path, message: `changed: ${entry.path} (sha256 ${actual}, manifest says ${listed.sha256})` }]);
      }
    }
  });

  it('finds a one-byte change anywhere in the signed envelope', () => {
    const publicKey = loadPublicKey(pub);
    const envelope = readTar(archive)[0]!;
    for (let i = 0; i < envelope.bytes.length; i += 7) {
      const changed = Buffer.from(archive);
      changed[envelope.offset + i] ^= 1;
      const report = verifyBundle(changed, publicKey);
      expect(report.valid, `byte ${i}`).to.equal(false);
      expect(report.problems.every((p) => p.file === 'attestation.dsse.json'), `byte ${i}: ${report.problems.map((p) => p.message)}`).to.equal(true);
    }
  });

  it('exits 1 on a changed results.json and names it', async () => {
    const entries = readTar(archive).map((e) => (e.path === 'run/results.json' ? { path: e.path, bytes: Buffer.concat([e.bytes.subarray(0, -1), Buffer.from(' ')]) } : e));
    const r = await verifyEntries(entries);
    expect(r.code).to.equal(1);
    expect(r.stdout).to.match(/^INVALID: .*changed\.tar\n/);
    expect(r.stdout).to.match(/\n {2}✗ changed: run\/results\.json \(sha256 [0-9a-f]{64}, manifest says [0-9a-f]{64}\)\n$/);
  });

  it('exits 1 on a removed file, naming it', async () => {
    const r = await verifyEntries(readTar(archive).filter((e) => e.path !== 'run/evidence.jsonl'));
    expect(r.code).to.equal(1);
    expect(r.stdout.split('\n').filter((l) => l.includes('✗'))).to.deep.equal(['  ✗ removed: run/evidence.jsonl (listed in the manifest, missing)']);
  });

  it('exits 1 on added files, naming each', async () => {
    const entries = [...readTar(archive), { path: 'run/artifacts/extra.bin', bytes: Buffer.from('x') }, { path: 'notes.txt', bytes: Buffer.from('y') }];
    const r = await verifyEntries(entries);
    expect(r.code).to.equal(1);
    expect(r.stdout.split('\n').filter((l) => l.includes('✗'))).to.deep.equal([
      '  ✗ added: notes.txt (not part of an evidence bundle)',
      '  ✗ added: run/artifacts/extra.bin (not in the manifest)',
    ]);
  });

  it('exits 1 on a bundle without its envelope', async () => {
    const r = await verifyEntries(readTar(archive).slice(1));
    expect(r.code).to.equal(1);
    expect(r.stdout.split('\n').filter((l) => l.includes('✗'))).to.deep.equal(['  ✗ removed: attestation.dsse.json (the bundle holds no signature)']);
  });

  it('exits 1 with a wrong key', async () => {
    const r = await jcstar(['verify', bundlePath, '--key', join(otherKeys, 'jcstar-signing.pub'), '--json']);
    expect(r.code).to.equal(1);
    expect(JSON.parse(r.stdout).problems).to.deep.equal([{ code: 'signature', file: 'attestation.dsse.json', message: 'signature does not verify with this key' }]);
  });

  it('exits 1 on a truncated archive', async () => {
    const path = join(tempDir(), 'cut.tar');
    writeFileSync(path, archive.subarray(0, archive.length - 1000));
    const r = await jcstar(['verify', path, '--key', pub]);
    expect(r.code).to.equal(1);
    expect(r.stdout).to.equal(`INVALID: ${path}\n  key ${verifyBundle(archive, loadPublicKey(pub)).keyId}; 0 file(s) under run/\n  ✗ archive truncated\n`);
  });

  it('exits 1 on an archive over the size cap, without reading it', async () => {
    const path = join(tempDir(), 'huge.tar');
    writeFileSync(path, '');
    truncateSync(path, 512 * 2 ** 20 + 1); // sparse: no disk used
    const r = await jcstar(['verify', path, '--key', pub]);
    expect(r.code).to.equal(1);
    expect(r.stdout.split('\n').filter((l) => l.includes('✗'))).to.deep.equal([`  ✗ archive is ${512 * 2 ** 20 + 1} bytes, over the 512 MiB jcstar bundles are held to`]);
  });

  it('exits 2 on usage errors: no key, an unreadable key, a missing bundle', async () => {
    expect((await jcstar(['verify', bundlePath])).code).to.equal(2);
    const noKey = await jcstar(['verify', bundlePath, '--key', '/nonexistent/key.pub']);
    expect([noKey.code, noKey.stderr]).to.deep.equal([2, 'jcstar: cannot read the public key /nonexistent/key.pub: ENOENT\n']);
    const notKey = await jcstar(['verify', bundlePath, '--key', join(runDir, 'results.json')]);
    expect([notKey.code, notKey.stderr]).to.deep.equal([2, `jcstar: ${join(runDir, 'results.json')} is not a PEM public key\n`]);
    const noBundle = await jcstar(['verify', '/nonexistent.tar', '--key', pub]);
    expect([noBundle.code, noBundle.stderr]).to.deep.equal([2, 'jcstar: cannot read the bundle /nonexistent.tar: ENOENT\n']);
    const folder = await jcstar(['verify', runDir, '--key', pub]);
    expect([folder.code, folder.stderr]).to.deep.equal([2, `jcstar: the bundle ${runDir} is not a file\n`]);
    const keysIntoFile = await jcstar(['keygen', '--out', join(runDir, 'results.json')]);
    expect([keysIntoFile.code, keysIntoFile.stderr]).to.deep.equal([2, `jcstar: cannot write the key pair into ${join(runDir, 'results.json')}: EEXIST\n`]);
  });

  it('bundle refuses a run folder that no longer matches its manifest or holds a link, and never overwrites an archive', async () => {
    const dir = join(tempDir(), 'edited');
    cpSync(runDir, dir, { recursive: true });
    writeFileSync(join(dir, 'results.json'), `${readFileSync(join(dir, 'results.json'), 'utf8')} `);
    writeFileSync(join(dir, 'notes.txt'), 'added later');
    const r = await jcstar(['bundle', dir, '--key', join(keys, 'jcstar-signing.key')]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(new RegExp(`^jcstar bundle: ${dir} does not match its manifest; nothing was signed:\n  changed: results\\.json \\(sha256 [0-9a-f]{64}, manifest says [0-9a-f]{64}\\)\n  added: notes\\.txt \\(not in the manifest\\)\n$`));
    expect(existsSync(`${dir}.jcstar-bundle.tar`)).to.equal(false);
    const linked = join(tempDir(), 'linked');
    cpSync(runDir, linked, { recursive: true });
    symlinkSync('/etc/hostname', join(linked, 'artifacts', 'link.bin'));
    const link = await jcstar(['bundle', linked, '--key', join(keys, 'jcstar-signing.key')]);
    expect([link.code, link.stderr]).to.deep.equal([2, `jcstar: ${join(linked, 'artifacts', 'link.bin')} is not a regular file; a run folder holds only files and folders\n`]);
    const again = await jcstar(['bundle', runDir, '--key', join(keys, 'jcstar-signing.key'), '--out', bundlePath]);
    expect([again.code, again.stderr]).to.deep.equal([2, `jcstar: cannot write ${bundlePath}: EEXIST\n`]);
    expect(basename(bundlePath)).to.equal('cam-01.jcstar-bundle.tar');
  });

  describe('a bundle re-signed with the right key', () => {
    const IN_TOTO = 'application/vnd.in-toto+json';

    /** The signed statement of the bundle made in before(). */
    function signedStatement(): Record<string, unknown> {
      const envelope = JSON.parse(readTar(archive)[0]!.bytes.toString()) as { payload: string };
      return JSON.parse(Buffer.from(envelope.payload, 'base64').toString()) as Record<string, unknown>;
    }

    /** The bundle with its envelope replaced by `envelope`, checked with the signer's public key. */
    function verifyWithEnvelope(envelope: unknown) {
      const entries = readTar(archive).map((e) => (e.path === 'attestation.dsse.json' ? { path: e.path, bytes: Buffer.from(JSON.stringify(envelope)) } : e));
      return verifyBundle(Buffer.concat(writeTar(entries)), loadPublicKey(pub));
    }

    /** Signs `payload` with the signer's own key, so that only what was signed is wrong. */
    function resign(payload: string, options: { payloadType?: string; keyid?: string } = {}) {
      const keyId = keyIdOf(loadPublicKey(pub));
      return signEnvelope(options.payloadType ?? IN_TOTO, Buffer.from(payload), loadPrivateKey(join(keys, 'jcstar-signing.key')), options.keyid ?? keyId);
    }

    const problem = (code: string, message: string) => [{ code, file: 'attestation.dsse.json', message }];

    it('is valid when nothing is changed but the re-signing', () => {
      const report = verifyWithEnvelope(resign(JSON.stringify(signedStatement())));
      expect([report.valid, report.problems, report.result?.result]).to.deep.equal([true, [], 'WARNED']);
    });

    it('is invalid with another payloadType', () => {
      const report = verifyWithEnvelope(resign(JSON.stringify(signedStatement()), { payloadType: 'application/json' }));
      expect(report.problems).to.deep.equal(problem('statement', 'payloadType is application/json, not application/vnd.in-toto+json'));
    });

    it('is invalid when the signed statement is not a test-result, and reports no result', () => {
      const report = verifyWithEnvelope(resign(JSON.stringify({ ...signedStatement(), predicateType: 'https://slsa.dev/provenance/v1' })));
      expect(report.problems).to.deep.equal(problem('statement', 'the signed payload is not an in-toto https://in-toto.io/attestation/test-result/v0.1 statement'));
      expect(report.result).to.equal(null);
      expect(verifyWithEnvelope(resign('not json')).problems).to.deep.equal(problem('statement', 'the signed payload is not JSON'));
    });

    it('is invalid when the subject is another file than manifest.json', () => {
      const statement = signedStatement();
      const [subject] = statement.subject as Array<{ digest: { sha256: string } }>;
      const report = verifyWithEnvelope(resign(JSON.stringify({ ...statement, subject: [{ name: 'results.json', digest: subject!.digest }] })));
      expect(report.problems).to.deep.equal(problem('statement', 'the signed statement has no manifest.json subject with a sha256'));
    });

    it('is invalid when the keyid names another key', () => {
      const report = verifyWithEnvelope(resign(JSON.stringify(signedStatement()), { keyid: 'another-key' }));
      expect(report.problems).to.deep.equal(problem('envelope', `the signature's keyid another-key is not this key's id ${keyIdOf(loadPublicKey(pub))}`));
    });

    it('is invalid with a second signature, even one that verifies', () => {
      const envelope = resign(JSON.stringify(signedStatement()));
      const other = signEnvelope(IN_TOTO, Buffer.from(JSON.stringify(signedStatement())), loadPrivateKey(join(otherKeys, 'jcstar-signing.key')), 'other');
      for (const signatures of [[...envelope.signatures, ...other.signatures], [...other.signatures, ...envelope.signatures], [...envelope.signatures, ...envelope.signatures]]) {
        const report = verifyWithEnvelope({ ...envelope, signatures });
        expect([report.valid, report.problems, report.result]).to.deep.equal([false, problem('envelope', 'the envelope carries 2 signatures; jcstar signs with one'), null]);
      }
    });
  });

  it('bundle refuses a folder whose archive would pass the size cap, headers and padding included', () => {
    const key = loadPrivateKey(join(keys, 'jcstar-signing.key'));
    const outcome = createBundle(runDir, key);
    if (!('blocks' in outcome)) throw new Error('the run folder should bundle');
    const size = outcome.blocks.reduce((n, b) => n + b.length, 0);
    expect(size).to.equal(archive.length);
    expect('blocks' in createBundle(runDir, key, size)).to.equal(true);
    const refusal = `${runDir} makes a bundle over ${size - 1} bytes; jcstar verify reads at most that`;
    expect(() => createBundle(runDir, key, size - 1)).to.throw(UsageError, refusal);
    const fileBytes = filesUnder(runDir).reduce((n, f) => n + statSync(f).size, 0);
    const refusedEarly = `${runDir} makes a bundle over ${fileBytes} bytes; jcstar verify reads at most that`;
    expect(() => createBundle(runDir, key, fileBytes)).to.throw(UsageError, refusedEarly);
  });

  it('bundle leaves no archive and no partial file behind when the write fails', () => {
    const dir = join(tempDir(), 'small-disk');
    mkdirSync(dir);
    const out = join(dir, 'cam-01.tar');
    // A file size limit (dash's ulimit -f counts 512-byte blocks: 8 KiB) makes the write fail part way with EFBIG, as a full disk would.
    const r = spawnSync('sh', ['-c', 'ulimit -f 16 && exec "$@"', 'sh', process.execPath, JCSTAR, 'bundle', runDir, '--key', join(keys, 'jcstar-signing.key'), '--out', out], {
      encoding: 'utf8',
      timeout: 60000,
    });
    expect(archive.length).to.be.greaterThan(8 * 1024);
    expect([r.status, r.stderr]).to.deep.equal([2, `jcstar: cannot write ${out}: EFBIG\n`]);
    expect(readdirSync(dir)).to.deep.equal([]);
  });
});
