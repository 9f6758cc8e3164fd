import { existsSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { toCsv } from '../../harness/checklist/csv.js';
import { neutraliseFormula } from '../../harness/checklist/formula-guard.js';
import { CHECKLIST_FIELDS, ChecklistLayout, loadChecklistLayout } from '../../harness/checklist/layout.js';
import { checklistRows } from '../../harness/checklist/rows.js';
import { writeChecklist } from '../../harness/checklist/write.js';
import type { Manifest } from '../../harness/evidence/manifest.js';
import type { Results } from '../../harness/results/schema.js';
import { interrupted, sampleResults } from '../fixtures/results/sample.js';
import { jcstar } from '../support/cli.js';
import { tempDir } from '../support/run-profile.js';
import { parseCsv } from './csv-parse.js';
import { finishedRunFolder, readUnchanged } from './run-folder.js';

const INJECTION = '=HYPERLINK("http://attacker.example/","click")';
const TRANSCRIPT = 'artifacts/S1.1-02/telnet-transcript.txt';

/** The sample camera, with a reason quoting device text that looks like a formula and PSTI recognition on S1.1-05. */
function sampleWithRecognition(): Results {
  const results: Results = structuredClone(sampleResults);
  const s104 = results.requirements.find((r) => r.id === 'S1.1-04')!;
  s104.reason = INJECTION;
  results.requirements.find((r) => r.id === 'S1.1-13')!.reason = 'banner\u0000\u0007\u202egnp.exe\ud800';
  results.requirements.find((r) => r.id === 'S1.1-10')!.reason = 'x'.repeat(40000);
  const s105 = results.requirements.find((r) => r.id === 'S1.1-05')!;
  s105.recognition = { scheme: 'UK PSTI', statement: { path: 'artifacts/documents/psti-statement.pdf', sha256: 'a'.repeat(64), declared: 'psti-statement.pdf' }, issuedOn: '2026-01-15', note: 'statement of compliance dated 2026-01-15' };
  return results;
}

async function readSheet(file: string, index: number): Promise<ExcelJS.Worksheet> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  return book.worksheets[index]!;
}

function cellTexts(sheet: ExcelJS.Worksheet): string[][] {
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    rows.push(Array.from({ length: sheet.columnCount }, (_, i) => {
      const value = row.getCell(i + 1).value;
      return value == null ? '' : String(value);
    }));
  });
  return rows;
}

describe('jcstar checklist', function () {
  this.timeout(60000);
  const layout = loadChecklistLayout();
  const column = (field: string) => layout.columns.findIndex((c) => c.field === field);

  it('the layout names every field once and a verdict word for every verdict', () => {
    expect(layout.columns.map((c) => c.field)).to.deep.equal([...CHECKLIST_FIELDS]);
    expect(Object.fromEntries(Object.entries(layout.verdicts).map(([v, w]) => [v, w.ja]))).to.deep.equal({
      PASS: '適合', FAIL: '不適合', NOT_APPLICABLE: '要確認', INCONCLUSIVE: '要確認', MANUAL: '要確認', ERROR: '要確認',
    });
  });

  it('refuses a layout with an unknown field, a repeated column or a sheet name Excel would refuse', () => {
    const issues = (change: (l: Record<string, any>) => void) => {
      const copy = structuredClone(layout) as Record<string, any>;
      change(copy);
      const parsed = ChecklistLayout.safeParse(copy);
      return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues(() => undefined)).to.deep.equal([]);
    expect(issues((l) => (l.columns[0].field = 'serial'))).to.have.length(1).and.to.match(/^columns\.0\.field: /);
    expect(issues((l) => l.columns.push(l.columns[0]))).to.deep.equal(['columns: a field appears in two columns']);
    expect(issues((l) => (l.sheets.evidence = '証跡/Evidence'))).to.deep.equal(['sheets.evidence: Excel allows 1 to 31 characters, none of * ? : \\ / [ ]']);
  });

  it('guards a cell that starts like a formula, the full-width ＝＋－＠ Japanese Excel also reads as one included', () => {
    const cells = ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '＝1+1', '＋1', '－1', '＠SUM(A1)', 'a=1', '1-2', 'テスト'];
    expect(cells.map(neutraliseFormula)).to.deep.equal([
      "'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "'\rx", "'＝1+1", "'＋1", "'－1", "'＠SUM(A1)", 'a=1', '1-2', 'テスト',
    ]);
    expect(toCsv([['＝HYPERLINK("x")', 'ok']])).to.equal('\uFEFF"\'＝HYPERLINK(""x"")",ok\r\n');
  });

  describe('on the sample camera', () => {
    let runDir: string;
    let out: string;
    let manifest: Manifest;
    before(async () => {
      runDir = finishedRunFolder(sampleWithRecognition(), [TRANSCRIPT]);
      manifest = JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8'));
      out = tempDir('jcstar-checklist-out-');
      await writeChecklist(readUnchanged(runDir), layout, out);
    });

    it('writes one row per requirement with the verdict words, the jcstar verdict beside them', async () => {
      const rows = cellTexts(await readSheet(join(out, 'checklist.xlsx'), 0));
      expect(rows).to.have.length(17);
      expect(rows[0]![0]).to.equal('項目ID / ID');
      const verdicts = Object.fromEntries(rows.slice(1).map((r) => [r[column('id')], [r[column('verdict')], r[column('jcstarVerdict')]]]));
      expect(verdicts).to.deep.equal({
        'S1.1-01': ['要確認', 'MANUAL'],
        'S1.1-02': ['不適合', 'FAIL'],
        'S1.1-03': ['要確認', 'MANUAL'],
        'S1.1-04': ['要確認', 'INCONCLUSIVE'],
        'S1.1-05': ['みなし適合', 'deemed met (UK PSTI); jcstar: PASS'],
        'S1.1-06': ['要確認', 'MANUAL'],
        'S1.1-07': ['要確認', 'MANUAL'],
        'S1.1-08': ['要確認', 'ERROR'],
        'S1.1-09': ['要確認', 'INCONCLUSIVE'],
        'S1.1-10': ['要確認', 'INCONCLUSIVE'],
        'S1.1-11': ['要確認', 'INCONCLUSIVE'],
        'S1.1-12': ['不適合', 'FAIL'],
        'S1.1-13': ['要確認', 'INCONCLUSIVE'],
        'S1.1-14': ['要確認', 'MANUAL'],
        'S1.1-15': ['要確認', 'MANUAL'],
        'S1.1-16': ['適合', 'PASS'],
      });
    });

    it('names the evidence files with the SHA-256 the manifest gives them, and the observed basis', async () => {
      const rows = cellTexts(await readSheet(join(out, 'checklist.xlsx'), 0));
      const s102 = rows.find((r) => r[0] === 'S1.1-02')!;
      const hash = (path: string) => manifest.files.find((f) => f.path === path)!.sha256;
      expect(s102[column('evidence')]!.split('\n')).to.deep.equal([
        `${TRANSCRIPT}  sha256:${hash(TRANSCRIPT)}`,
        `evidence.jsonl  sha256:${hash('evidence.jsonl')}`,
        `profile.yaml  sha256:${hash('profile.yaml')}`,
      ]);
      expect(s102[column('basis')]).to.equal('実機で観測 / observed');
      expect(s102[column('declaration')]).to.equal('defaultPasswordScheme: {"scheme":"unique-per-device","format":"12 chars, upper/lower/digits"}');
      expect(s102[column('toSupply')]).to.match(/^不適合の修正と再試験: 1 check\(s\) failed\nfix the finding and test again: 1 check\(s\) failed\n技術文書: S1\.1-02 /);
    });

    it('says what a deemed-met requirement rests on: the PSTI statement of compliance', async () => {
      const rows = cellTexts(await readSheet(join(out, 'checklist.xlsx'), 0));
      const s105 = rows.find((r) => r[0] === 'S1.1-05')!;
      expect(s105[column('evidence')]).to.contain(`artifacts/documents/psti-statement.pdf  sha256:${'a'.repeat(64)}`);
      expect(s105[column('toSupply')]).to.equal(
        'PSTI 法適合宣言書 (statement of compliance): artifacts/documents/psti-statement.pdf (statement of compliance dated 2026-01-15)\n' +
          'the UK PSTI statement of compliance: artifacts/documents/psti-statement.pdf (statement of compliance dated 2026-01-15)',
      );
    });

    it('lists what a person must still review, and the reason where jcstar could not decide', async () => {
      const rows = cellTexts(await readSheet(join(out, 'checklist.xlsx'), 0));
      const byId = (id: string) => rows.find((r) => r[0] === id)!;
      expect(byId('S1.1-03')[column('toSupply')]!.split('\n').slice(0, 2)).to.deep.equal(['申告内容の確認: authenticationChange', "a person's review of the declarations: authenticationChange"]);
      expect(byId('S1.1-09')[column('toSupply')]!.split('\n').slice(0, 2)).to.deep.equal([
        '判定できなかった理由への対応: no automated check yet and nothing declared in the profile',
        'what jcstar could not decide: no automated check yet and nothing declared in the profile',
      ]);
      expect(byId('S1.1-09')[column('basis')]).to.equal('なし / none');
      expect(byId('S1.1-09')[column('evidence')]).to.equal('');
    });

    it('keeps device text that looks like a formula as text: a string cell in the workbook, an apostrophe in the CSV', async () => {
      const sheet = await readSheet(join(out, 'checklist.xlsx'), 0);
      let cell: ExcelJS.Cell | undefined;
      sheet.eachRow((row) => {
        if (row.getCell(1).value === 'S1.1-04') cell = row.getCell(column('reason') + 1);
      });
      expect(cell!.type).to.equal(ExcelJS.ValueType.String);
      expect(cell!.value).to.equal(INJECTION);
      const csv = parseCsv(readFileSync(join(out, 'checklist.csv'), 'utf8').replace(/^\uFEFF/, ''));
      expect(csv.find((r) => r[0] === 'S1.1-04')![column('reason')]).to.equal(`'${INJECTION}`);
    });

    it('shows control and bidi characters from the device as escapes, and bounds a cell below Excel\'s limit', async () => {
      const rows = cellTexts(await readSheet(join(out, 'checklist.xlsx'), 0));
      expect(rows.find((r) => r[0] === 'S1.1-13')![column('reason')]).to.equal('banner\\x00\\x07\\u202egnp.exe\ufffd');
      const long = rows.find((r) => r[0] === 'S1.1-10')![column('reason')]!;
      expect(long).to.equal(`${'x'.repeat(32000)}… (truncated; see results.json)`);
    });

    it('writes a CSV in UTF-8 with a BOM that reads back to the same table, then the note on the layout', async () => {
      const bytes = readFileSync(join(out, 'checklist.csv'));
      expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
      const csv = parseCsv(bytes.toString('utf8').slice(1));
      const xlsx = cellTexts(await readSheet(join(out, 'checklist.xlsx'), 0));
      const unguarded = csv.slice(0, 17).map((r) => r.map((c) => c.replace(/^'(?=[=+\-@])/, '')));
      expect(unguarded).to.deep.equal(xlsx);
      expect(csv[17]).to.deep.equal(Array(layout.columns.length).fill(''));
      expect(csv.every((r) => r.length === layout.columns.length)).to.equal(true);
      expect(csv[18]![0]).to.equal('注記 (Note)');
      expect(csv[18]![1]).to.contain('The official IPA checklist column layout is not public here');
    });

    it('lists every file of the manifest with its SHA-256 on the Evidence sheet, and the note on its own sheet', async () => {
      const rows = cellTexts(await readSheet(join(out, 'checklist.xlsx'), 1));
      expect(rows[0]).to.deep.equal(['ファイル / File', 'SHA-256 / SHA-256', 'バイト数 / Bytes']);
      expect(rows.slice(1)).to.deep.equal(manifest.files.map((f) => [f.path, f.sha256, String(f.bytes)]));
      const note = cellTexts(await readSheet(join(out, 'checklist.xlsx'), 2));
      expect(note[1]![0]).to.equal(layout.note.en);
    });
  });

  it('keeps a FAIL beside a PSTI recognition as 不適合: the statement does not excuse what the device was seen doing', () => {
    const results: Results = structuredClone(sampleResults);
    Object.assign(results.requirements.find((r) => r.id === 'S1.1-02')!, { recognition: { scheme: 'UK PSTI', statement: null, issuedOn: null, note: '' } });
    const manifest: Manifest = { tool: results.tool, runId: results.run.id, status: 'complete', createdAt: results.finishedAt, files: [] };
    const row = checklistRows({ dir: '/nonexistent', results, manifest }, layout).find((r) => r.id === 'S1.1-02')!;
    expect([row.verdict, row.jcstarVerdict]).to.deep.equal(['不適合', 'UK PSTI recognition declared; jcstar: FAIL']);
    expect(row.toSupply.split('\n')).to.deep.equal([
      'PSTI 法適合宣言書 (statement of compliance): not attached to the run; attach it or give its URL',
      'the UK PSTI statement of compliance: not attached to the run; attach it or give its URL',
      `不適合の修正と再試験: ${results.requirements.find((r) => r.id === 'S1.1-02')!.reason}`,
      `fix the finding and test again: ${results.requirements.find((r) => r.id === 'S1.1-02')!.reason}`,
    ]);
  });

  it('deems only a PASS met beside a PSTI recognition: an ERROR or an INCONCLUSIVE keeps its own word', () => {
    for (const verdict of ['ERROR', 'INCONCLUSIVE'] as const) {
      const results: Results = structuredClone(sampleResults);
      Object.assign(results.requirements.find((r) => r.id === 'S1.1-02')!, { verdict, recognition: { scheme: 'UK PSTI', statement: null, issuedOn: null, note: '' } });
      const manifest: Manifest = { tool: results.tool, runId: results.run.id, status: 'complete', createdAt: results.finishedAt, files: [] };
      const row = checklistRows({ dir: '/nonexistent', results, manifest }, layout).find((r) => r.id === 'S1.1-02')!;
      expect([row.verdict, row.jcstarVerdict]).to.deep.equal([layout.verdicts[verdict].ja, `UK PSTI recognition declared; jcstar: ${verdict}`]);
    }
  });

  it('says on the note sheet and in the CSV that an interrupted run\'s results are incomplete', async () => {
    const out = tempDir('jcstar-checklist-out-');
    await writeChecklist(readUnchanged(finishedRunFolder(interrupted())), layout, out);
    const note = cellTexts(await readSheet(join(out, 'checklist.xlsx'), 2));
    expect(note.slice(0, 2).map((r) => r[0])).to.deep.equal([
      'この試験は完了していません (interrupted: stopped by the operator (SIGINT))。結果は不完全です。',
      'This run did not complete (interrupted: stopped by the operator (SIGINT)); its results are incomplete.',
    ]);
    const csv = parseCsv(readFileSync(join(out, 'checklist.csv'), 'utf8').slice(1));
    expect(csv.at(-1)![1]).to.match(/^この試験は完了していません .* This run did not complete \(interrupted: stopped by the operator \(SIGINT\)\); its results are incomplete\. /);
  });

  describe('CLI', () => {
    it('has --help that says where the layout lives and that the official one is not public here', async () => {
      const r = await jcstar(['checklist', '--help']);
      expect(r.code).to.equal(0);
      expect(r.stdout).to.contain('Usage: jcstar checklist [options] <run-dir>');
      expect(r.stdout).to.contain('The official IPA checklist layout is not public here; the layout is catalogue/checklist/layout.yaml.');
    });

    it('writes both files into --out and leaves the run folder as its manifest hashed it', async () => {
      const runDir = finishedRunFolder(sampleResults);
      const before = readFileSync(join(runDir, 'manifest.json'), 'utf8');
      const out = tempDir('jcstar-checklist-cli-');
      const r = await jcstar(['checklist', runDir, '--out', out]);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stderr).to.equal(`wrote ${join(out, 'checklist.xlsx')}\nwrote ${join(out, 'checklist.csv')}\n`);
      expect(existsSync(join(runDir, 'checklist.xlsx'))).to.equal(false);
      expect(readFileSync(join(runDir, 'manifest.json'), 'utf8')).to.equal(before);
    });

    it('exits 2 with a clear message on a run folder without results.json', async () => {
      const runDir = finishedRunFolder(sampleResults);
      rmSync(join(runDir, 'results.json'));
      const r = await jcstar(['checklist', runDir, '--out', tempDir()]);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.equal(`jcstar: ${runDir} holds no results.json (run \`jcstar report ${runDir}\` to rebuild it from evidence.jsonl)\n`);
    });

    it('exits 1 on a run folder changed since its manifest, naming every changed, added and removed file, and writes nothing', async () => {
      const runDir = finishedRunFolder(sampleResults, [TRANSCRIPT]);
      const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as Results;
      results.requirements.find((q) => q.id === 'S1.1-02')!.verdict = 'PASS';
      writeFileSync(join(runDir, 'results.json'), JSON.stringify(results));
      writeFileSync(join(runDir, 'notes.txt'), 'added later\n');
      rmSync(join(runDir, TRANSCRIPT));
      const out = tempDir('jcstar-checklist-cli-');
      const r = await jcstar(['checklist', runDir, '--out', out]);
      expect(r.code).to.equal(1);
      const lines = r.stderr.split('\n');
      expect(lines[0]).to.equal(`jcstar checklist: ${runDir} does not match its manifest; nothing was written:`);
      expect(lines.slice(1)).to.have.length(4);
      expect(lines[1]).to.equal(`  removed: ${TRANSCRIPT} (listed in the manifest, missing)`);
      expect(lines[2]).to.match(/^ {2}changed: results\.json \(sha256 [0-9a-f]{64}, manifest says [0-9a-f]{64}\)$/);
      expect(lines.slice(3)).to.deep.equal(['  added: notes.txt (not in the manifest)', '']);
      expect(readdirSync(out)).to.deep.equal([]);
    });

    it('exits 2 on a manifest that is not one, naming what is wrong', async () => {
      const runDir = finishedRunFolder(sampleResults);
      writeFileSync(join(runDir, 'manifest.json'), '{"runId": "x", "files": []}');
      const r = await jcstar(['checklist', runDir, '--out', tempDir()]);
      expect([r.code, r.stderr]).to.deep.equal([2, `jcstar: ${join(runDir, 'manifest.json')} is not a jcstar manifest: tool: Invalid input: expected object, received undefined\n`]);
    });

    it('exits 2 rather than write into the run folder', async () => {
      const runDir = finishedRunFolder(sampleResults);
      const r = await jcstar(['checklist', runDir, '--out', join(runDir, 'views')]);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.equal(`jcstar: --out ${join(runDir, 'views')}: inside the run folder, whose files its manifest hashes; choose a folder outside it\n`);
    });

    it('exits 2 on --out a folder inside the run folder whose name starts with two dots, or a link into it', async () => {
      const runDir = finishedRunFolder(sampleResults);
      const dotted = await jcstar(['checklist', runDir, '--out', join(runDir, '..views')]);
      expect([dotted.code, dotted.stderr]).to.deep.equal([2, `jcstar: --out ${join(runDir, '..views')}: inside the run folder, whose files its manifest hashes; choose a folder outside it\n`]);
      const link = join(tempDir(), 'into-run');
      symlinkSync(runDir, link);
      const linked = await jcstar(['checklist', runDir, '--out', join(link, 'views')]);
      expect([linked.code, linked.stderr]).to.deep.equal([2, `jcstar: --out ${join(link, 'views')}: inside the run folder, whose files its manifest hashes; choose a folder outside it\n`]);
      expect(existsSync(join(runDir, '..views'))).to.equal(false);
      expect(existsSync(join(runDir, 'views'))).to.equal(false);
      const sibling = `${runDir}..views`;
      expect((await jcstar(['checklist', runDir, '--out', sibling])).code).to.equal(0);
      expect(readdirSync(sibling)).to.deep.equal(['checklist.csv', 'checklist.xlsx']);
    });
  });
});
