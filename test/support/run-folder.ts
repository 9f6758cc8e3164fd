import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { expect } from 'chai';

export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Every line of the log is JSON, and the manifest lists every other file with its true hash. */
export function expectValidRunFolder(runDir: string): void {
  for (const line of readFileSync(join(runDir, 'evidence.jsonl'), 'utf8').split('\n').filter(Boolean)) {
    expect(() => JSON.parse(line), line).not.to.throw();
  }
  const manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8')) as { files: Array<{ path: string; sha256: string }> };
  const onDisk = filesUnder(runDir).map((f) => relative(runDir, f).split(sep).join('/')).filter((f) => f !== 'manifest.json').sort();
  expect(manifest.files.map((f) => f.path)).to.deep.equal(onDisk);
  for (const f of manifest.files) {
    expect(createHash('sha256').update(readFileSync(join(runDir, f.path))).digest('hex'), f.path).to.equal(f.sha256);
  }
}
