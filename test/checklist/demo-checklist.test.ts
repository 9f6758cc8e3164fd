import { join } from 'node:path';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { readUnchanged } from './run-folder.js';
import { loadChecklistLayout } from '../../harness/checklist/layout.js';
import { writeChecklist } from '../../harness/checklist/write.js';
import type { RunOutcome } from '../../harness/engine/run.js';
import { startSimulatedDevice } from '../../harness/simulator/device.js';
import { runProfile, tempDir } from '../support/run-profile.js';

const WORDS = { PASS: '適合', FAIL: '不適合', NOT_APPLICABLE: '要確認', INCONCLUSIVE: '要確認', MANUAL: '要確認', ERROR: '要確認' } as const;

describe('the demo\'s checklist (insecure simulated device)', function () {
  this.timeout(180000);
  let run: RunOutcome;
  let sheet: ExcelJS.Worksheet;
  const layout = loadChecklistLayout();
  const cell = (row: ExcelJS.Row, field: string) => String(row.getCell(layout.columns.findIndex((c) => c.field === field) + 1).value);
  before(async () => {
    const device = await startSimulatedDevice({ mode: 'insecure' });
    try {
      const { document, env } = device.profileDocument();
      run = await runProfile(document, { env });
    } finally {
      await device.close();
    }
    const out = tempDir('jcstar-demo-checklist-');
    await writeChecklist(readUnchanged(run.runDir), layout, out);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(out, 'checklist.xlsx'));
    sheet = book.worksheets[0]!;
  });

  it('reads back with 16 rows, each with the verdict word for its requirement\'s verdict', () => {
    const read: Array<[string, string, string]> = [];
    sheet.eachRow((row, n) => {
      if (n > 1) read.push([cell(row, 'id'), cell(row, 'verdict'), cell(row, 'jcstarVerdict')]);
    });
    expect(read).to.have.length(16);
    expect(read).to.deep.equal(run.results.requirements.map((r) => [r.id, WORDS[r.verdict], r.verdict]));
    expect(read.find(([id]) => id === 'S1.1-02')!.slice(1)).to.deep.equal(['不適合', 'FAIL']);
  });

  it('backs S1.1-02\'s FAIL with the evidence log\'s hash from the manifest', () => {
    let evidence = '';
    sheet.eachRow((row) => {
      if (cell(row, 'id') === 'S1.1-02') evidence = cell(row, 'evidence');
    });
    const { manifest } = readUnchanged(run.runDir);
    expect(evidence.split('\n')).to.include(`evidence.jsonl  sha256:${manifest.files.find((f) => f.path === 'evidence.jsonl')!.sha256}`);
  });
});
