import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { readTar, writeTar } from '../../harness/bundle/tar.js';
import { packageRoot } from '../../harness/paths.js';
import { jcstar } from '../support/cli.js';
import { requireBinaries } from '../support/daemons.js';
import { tempDir } from '../support/run-profile.js';
import { realRunFolder } from './real-run.js';

/**
 * Verification without jcstar, as a lab would do it (the README shows this script): Python's own tarfile reads
 * the archive, `cryptography` checks the Ed25519 signature over the DSSE PAE it computes itself, and hashlib
 * checks the subject digest and every file against the manifest.
 */
const VERIFY_PY = `
import base64, hashlib, json, sys, tarfile
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

bundle, pub = sys.argv[1], sys.argv[2]
with tarfile.open(bundle, "r:") as tar:
    files = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}
env = json.loads(files["attestation.dsse.json"])
body = base64.b64decode(env["payload"], validate=True)
ptype = env["payloadType"].encode()
pae = b"DSSEv1 %d %s %d %s" % (len(ptype), ptype, len(body), body)
key = load_pem_public_key(open(pub, "rb").read())
assert isinstance(key, Ed25519PublicKey)
try:
    key.verify(base64.b64decode(env["signatures"][0]["sig"], validate=True), pae)
except InvalidSignature:
    sys.exit("signature does not verify")
statement = json.loads(body)
manifest = files["run/manifest.json"]
if statement["subject"][0]["digest"]["sha256"] != hashlib.sha256(manifest).hexdigest():
    sys.exit("manifest.json is not the signed subject")
listed = json.loads(manifest)["files"]
for f in listed:
    if hashlib.sha256(files.get("run/" + f["path"], b"")).hexdigest() != f["sha256"]:
        sys.exit("changed or removed: run/" + f["path"])
extra = set(files) - {"attestation.dsse.json", "run/manifest.json"} - {"run/" + f["path"] for f in listed}
if extra:
    sys.exit("added: " + ", ".join(sorted(extra)))
print(statement["predicate"]["result"], len(listed), "files verified")
`;

function python(bundle: string, pub: string) {
  return spawnSync('/usr/bin/python3', ['-c', VERIFY_PY, bundle, pub], { encoding: 'utf8', timeout: 30000 });
}

it('the README shows the Python verification script the tests run', () => {
  expect(readFileSync(join(packageRoot, 'README.md'), 'utf8')).to.contain(`\`\`\`python\n${VERIFY_PY.trim()}\n\`\`\``);
});

describe('an evidence bundle verified without jcstar (Python cryptography)', function () {
  this.timeout(120000);
  let bundle: string;
  let pub: string;
  let files: number;

  before(async function () {
    requireBinaries(this, { '/usr/bin/python3': 'python3-minimal' });
    if (spawnSync('/usr/bin/python3', ['-c', 'import cryptography.hazmat.primitives.asymmetric.ed25519']).status !== 0) {
      if (process.env.CI) throw new Error('python3-cryptography missing under CI; .ci/run must install it');
      console.warn('      ⚠ skipped: python3-cryptography not installed; run: apt-get install -y python3-cryptography');
      this.skip();
    }
    const runDir = await realRunFolder();
    const dir = tempDir();
    expect((await jcstar(['keygen', '--out', join(dir, 'keys')])).code).to.equal(0);
    pub = join(dir, 'keys', 'jcstar-signing.pub');
    bundle = join(dir, 'run.tar');
    const made = await jcstar(['bundle', runDir, '--key', join(dir, 'keys', 'jcstar-signing.key'), '--out', bundle]);
    expect(made.code, made.stderr).to.equal(0);
    files = readTar(readFileSync(bundle)).length - 2;
  });

  it('verifies the signature over PAE, the subject digest and every file', () => {
    const r = python(bundle, pub);
    expect([r.status, r.stderr]).to.deep.equal([0, '']);
    expect(r.stdout).to.equal(`WARNED ${files} files verified\n`);
  });

  it('rejects it with another key, and names a changed file', async () => {
    const other = join(tempDir(), 'keys');
    await jcstar(['keygen', '--out', other]);
    const wrong = python(bundle, join(other, 'jcstar-signing.pub'));
    expect([wrong.status, wrong.stderr]).to.deep.equal([1, 'signature does not verify\n']);
    const entries = readTar(readFileSync(bundle)).map((e) => (e.path === 'run/evidence.jsonl' ? { path: e.path, bytes: Buffer.from(e.bytes).fill(0x20, 0, 1) } : e));
    const changed = join(tempDir(), 'changed.tar');
    writeFileSync(changed, Buffer.concat(writeTar(entries)));
    const r = python(changed, pub);
    expect([r.status, r.stderr]).to.deep.equal([1, 'changed or removed: run/evidence.jsonl\n']);
  });
});
