import type { CryptoFinding } from '../crypto/finding.js';
import { RULES } from '../crypto/schema.js';
import type { CheckResult, EvidenceItem, InterfaceEntry, Results } from '../results/schema.js';
import type { RemedyField } from './remedies-schema.js';

/** One thing a FAIL check names, with the evidence records that show it. */
export interface OffendingItem {
  /** Stable across runs: no port a simulator or DHCP may change, unless the port is the item. */
  key: string;
  item: string;
  seqs: number[];
  rule?: string;
  fields: Partial<Record<RemedyField, string>>;
}

/** Check kinds whose FAIL names undeclared interfaces, read from the run's interface table. */
const INVENTORY_KINDS = new Set(['interface-inventory', 'unused-interfaces']);

export const checkKind = (check: CheckResult): string => check.id.split('/')[1] ?? check.id;
export const checkSubject = (check: CheckResult): string => check.id.split('/').at(-1) ?? check.id;

/** The evidence records a reason cites ("evidence #217"), among the check's own. */
function citedSeqs(text: string, evidence: EvidenceItem[]): number[] {
  const own = new Set(evidence.map((e) => e.seq));
  return [...text.matchAll(/evidence #(\d+)/g)].map((m) => Number(m[1])).filter((seq) => own.has(seq));
}

function targetFields(check: CheckResult): Partial<Record<RemedyField, string>> {
  const t = check.target;
  if (!t || t.port === null) return {};
  return { port: String(t.port), transport: t.transport ?? 'tcp', service: t.protocol };
}

function isCryptoFinding(value: unknown): value is CryptoFinding {
  const f = value as CryptoFinding;
  return typeof f?.item === 'string' && typeof f?.rule === 'string' && typeof f?.severity === 'string';
}

/**
 * What a crypto finding names, without the rule's reason, so a reworded rule or a re-judgement under other
 * rules leaves the key alone. Logs from before `subject` was recorded: a judged list's item reads
 * "<name> (<why>)…" and its names (versions, suites, groups, SSH algorithms) hold no " (", so the name is
 * what precedes the first one. Other rules carry no reason in item.
 */
function cryptoSubject(f: CryptoFinding): string {
  if (typeof f.subject === 'string' && f.subject !== '') return f.subject;
  const judged = (RULES as Record<string, { kind: string } | undefined>)[f.rule]?.kind === 'judged';
  const reason = f.item.indexOf(' (');
  return judged && reason > 0 ? f.item.slice(0, reason) : f.item;
}

/** S1.1-12 crypto checks record their judged items in a note: each failed item is one finding. */
function cryptoItems(check: CheckResult): OffendingItem[] {
  const note = check.evidence.filter((e) => Array.isArray(e.data?.findings)).at(-1);
  if (!note) return [];
  const failed = (note.data!.findings as unknown[]).filter(isCryptoFinding).filter((f) => f.severity === 'fail');
  const seqs = [...new Set([note.seq, ...citedSeqs(note.summary, check.evidence)])].sort((a, b) => a - b);
  return failed.map((f) => ({ key: `${check.id} ${f.rule} ${cryptoSubject(f)}`, item: f.item, rule: f.rule, seqs, fields: targetFields(check) }));
}

function mentionsPort(e: EvidenceItem, row: InterfaceEntry): boolean {
  const data = e.data as { identity?: { port?: number; transport?: string }; rows?: Array<{ port: number; transport: string }>; open?: unknown } | null;
  if (!data) return false;
  if (data.identity?.port === row.port && data.identity.transport === row.transport) return true;
  if (Array.isArray(data.rows) && data.rows.some((r) => r.port === row.port && r.transport === row.transport)) return true;
  return row.transport === e.target?.protocol && Array.isArray(data.open) && data.open.includes(row.port);
}

/** The inventory FAILs on undeclared open ports: each one is a finding, named as the interface table names it. */
function inventoryItems(check: CheckResult, results: Results): OffendingItem[] {
  const transport = check.target?.protocol;
  const undeclared = results.interfaces.filter(
    (i) => i.declared === null && i.state === 'open' && (checkKind(check) === 'unused-interfaces' || i.transport === transport),
  );
  return undeclared.map((row) => {
    const debug = row.debug?.split(',')[0];
    const service = row.service ?? 'unknown';
    const item = `${row.port}/${row.transport} ${service}${row.banner ? ` "${row.banner}"` : ''}${row.debug ? ` (known debug or factory service: ${row.debug})` : ''}`;
    return {
      key: `${check.id} ${row.port}/${row.transport}`,
      item,
      seqs: check.evidence.filter((e) => mentionsPort(e, row)).map((e) => e.seq),
      fields: { port: String(row.port), transport: row.transport, service, ...(debug ? { debug } : {}) },
    };
  });
}

/** A FAIL with no named items is one finding: the check's subject, with the evidence its reason cites. */
function wholeCheck(check: CheckResult): OffendingItem {
  const fields = targetFields(check);
  const subject = checkSubject(check);
  const cited = citedSeqs(check.reason, check.evidence);
  const last = check.evidence.at(-1);
  return {
    key: check.id,
    item: fields.port ? `${subject} (${fields.port}/${fields.transport} ${fields.service})` : subject,
    seqs: cited.length > 0 ? cited : last ? [last.seq] : [],
    fields,
  };
}

export function offendingItems(check: CheckResult, results: Results): OffendingItem[] {
  const named = INVENTORY_KINDS.has(checkKind(check)) ? inventoryItems(check, results) : cryptoItems(check);
  return named.length > 0 ? named : [wholeCheck(check)];
}
