import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { RunRecord } from '../../harness/evidence/records.js';
import { readRecords } from '../../harness/evidence/store.js';
import { copyRunFolder } from '../../harness/rejudge/out-folder.js';
import { tempDir } from '../support/run-profile.js';

const START = { type: 'check-start', at: '2026-12-03T00:00:00.000Z', checkId: 'S1.1-12/crypto/web' } as const;
const END: RunRecord = { type: 'run-end', at: '2026-12-03T00:00:01.000Z', status: 'interrupted', statusReason: 'SIGINT' };

describe('re-judging: the copy of a run folder', () => {
  function runFolder(log: string): string {
    const dir = join(tempDir(), 'run');
    mkdirSync(join(dir, 'artifacts'), { recursive: true });
    writeFileSync(join(dir, 'evidence.jsonl'), log);
    writeFileSync(join(dir, 'artifacts', '00001-0-hellos.txt'), 'ClientHello → ServerHello\n');
    writeFileSync(join(dir, 'profile.yaml'), 'device: {}\n');
    return dir;
  }

  it('copies the log, artifacts and profile byte for byte and appends the new records after them', () => {
    const log = `${JSON.stringify(START)}\n`;
    const run = runFolder(log);
    const out = copyRunFolder(run, join(tempDir(), 'out'), [END]);
    expect(readFileSync(join(out, 'evidence.jsonl'), 'utf8')).to.equal(`${log}${JSON.stringify(END)}\n`);
    expect(readFileSync(join(out, 'artifacts', '00001-0-hellos.txt'), 'utf8')).to.equal('ClientHello → ServerHello\n');
    expect(readFileSync(join(out, 'profile.yaml'), 'utf8')).to.equal('device: {}\n');
    expect(readFileSync(join(run, 'evidence.jsonl'), 'utf8')).to.equal(log);
  });

  it('leaves out a torn last line (a hard kill), which would otherwise become a corrupt line in the middle', () => {
    const run = runFolder(`${JSON.stringify(START)}\n{"type":"verdict","at":"2026-12-`);
    const out = copyRunFolder(run, join(tempDir(), 'out'), [END]);
    expect(readRecords(out)).to.deep.equal([START, END]);
  });
});
