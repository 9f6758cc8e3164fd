import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { toCsv } from './csv.js';
import type { FinishedRun } from './finished-run.js';
import type { ChecklistLayout } from './layout.js';
import { checklistRows, evidenceRows } from './rows.js';

export const CHECKLIST_XLSX = 'checklist.xlsx';
export const CHECKLIST_CSV = 'checklist.csv';

const header = (c: { ja: string; en: string }) => `${c.ja} / ${c.en}`;

/** The note on the layout, and on an incomplete run, which no reader of the table should miss. */
function noteLines(run: FinishedRun, layout: ChecklistLayout): string[] {
  const { status, statusReason } = run.results.run;
  const detail = statusReason ? `${status}: ${statusReason}` : status;
  const incomplete = status === 'complete' ? [] : [layout.incompleteRun.ja, layout.incompleteRun.en].map((t) => t.replace('{status}', detail));
  return [...incomplete, layout.note.ja, layout.note.en];
}

function workbook(run: FinishedRun, layout: ChecklistLayout): ExcelJS.Workbook {
  const book = new ExcelJS.Workbook();
  book.creator = `${run.results.tool.name} ${run.results.tool.version}`;
  book.created = new Date(run.results.finishedAt);

  // Values are written as strings, never as formulas: exceljs stores them as text cells, so device text
  // that looks like a formula stays text in the workbook (the CSV, which has no cell types, is guarded instead).
  const checklist = book.addWorksheet(layout.sheets.checklist, { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }] });
  checklist.columns = layout.columns.map((c) => ({ header: header(c), key: c.field, width: c.width }));
  for (const row of checklistRows(run, layout)) checklist.addRow(Object.fromEntries(layout.columns.map((c) => [c.field, row[c.field]])));
  checklist.getRow(1).font = { bold: true };
  checklist.eachRow((row) => (row.alignment = { vertical: 'top', wrapText: true }));

  const evidence = book.addWorksheet(layout.sheets.evidence, { views: [{ state: 'frozen', ySplit: 1 }] });
  evidence.columns = layout.evidenceColumns.map((c) => ({ header: header(c), key: c.field, width: c.width }));
  for (const row of evidenceRows(run)) evidence.addRow(Object.fromEntries(layout.evidenceColumns.map((c) => [c.field, row[c.field]])));
  evidence.getRow(1).font = { bold: true };

  const note = book.addWorksheet(layout.sheets.note);
  note.columns = [{ width: 120 }];
  for (const line of [...noteLines(run, layout), `layout ${layout.version} · run ${run.results.run.id} · ${run.results.device.vendor} ${run.results.device.model} ${run.results.device.firmware}`]) {
    note.addRow([line]).alignment = { wrapText: true };
  }
  return book;
}

function csvRows(run: FinishedRun, layout: ChecklistLayout): string[][] {
  const rows = checklistRows(run, layout).map((row) => layout.columns.map((c) => row[c.field]));
  // A CSV has no second sheet: the note that this is not the official layout follows the table. RFC 4180
  // wants the same number of fields on every line.
  const padded = (cells: string[]) => [...cells, ...Array<string>(Math.max(0, layout.columns.length - cells.length)).fill('')];
  return [layout.columns.map(header), ...rows, padded([]), padded([layout.sheets.note, noteLines(run, layout).join(' ')])];
}

/** Writes checklist.xlsx and checklist.csv into `out`; returns their paths. */
export async function writeChecklist(run: FinishedRun, layout: ChecklistLayout, out: string): Promise<string[]> {
  mkdirSync(out, { recursive: true });
  const xlsx = join(out, CHECKLIST_XLSX);
  const csv = join(out, CHECKLIST_CSV);
  await workbook(run, layout).xlsx.writeFile(xlsx);
  writeFileSync(csv, toCsv(csvRows(run, layout)));
  return [xlsx, csv];
}
