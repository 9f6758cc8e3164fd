import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Artifact } from '../results/schema.js';
import type { Redactor } from './redactor.js';
import type { EvidenceInput, EvidenceRecord, RunRecord } from './records.js';

export const EVIDENCE_FILE = 'evidence.jsonl';
const EXCERPT_LIMIT = 4096;

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function excerpt(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  return text.length > EXCERPT_LIMIT ? `${text.slice(0, EXCERPT_LIMIT)}… [${text.length - EXCERPT_LIMIT} more characters in the artifact]` : text;
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
}

/**
 * Append-only evidence log of one run. Each record is one synchronous line write, so an interrupted
 * run leaves a log whose every line is complete JSON. Secrets are redacted here, as they are recorded.
 */
export class EvidenceStore {
  readonly #fd: number;
  #seq = 0;
  #closed = false;

  private constructor(readonly runDir: string, readonly redactor: Redactor) {
    mkdirSync(join(runDir, 'artifacts'), { recursive: true });
    this.#fd = openSync(join(runDir, EVIDENCE_FILE), 'a');
  }

  static open(runDir: string, redactor: Redactor): EvidenceStore {
    return new EvidenceStore(runDir, redactor);
  }

  /**
   * Redaction covers what can carry device or secret content (evidence excerpts, data, artifacts,
   * verdict reasons); IDs and titles are built by the harness from profile names and stay legible.
   */
  write(record: RunRecord): void {
    if (this.#closed) throw new Error('evidence store is closed');
    const safe = record.type === 'verdict' ? { ...record, reason: this.redactor.text(record.reason) } : record;
    writeSync(this.#fd, `${JSON.stringify(safe)}\n`);
  }

  record(checkId: string, requirement: string | null, input: EvidenceInput): EvidenceRecord {
    const seq = this.#seq++;
    const artifacts = (input.artifacts ?? []).map((a, i) => this.#attach(seq, i, a));
    const record: EvidenceRecord = {
      type: 'evidence',
      seq,
      at: new Date().toISOString(),
      checkId,
      requirement,
      kind: input.kind,
      summary: this.redactor.text(input.summary),
      target: input.target ?? null,
      sent: excerpt(input.sent === undefined || input.sent === null ? null : this.redactor.text(input.sent)),
      received: excerpt(input.received === undefined || input.received === null ? null : this.redactor.text(input.received)),
      artifacts,
      data: input.data ? this.redactor.value(input.data) : null,
    };
    this.write(record);
    return record;
  }

  #attach(seq: number, index: number, input: { name: string; bytes: Buffer | string; mediaType: string }): Artifact {
    const raw = typeof input.bytes === 'string' ? Buffer.from(input.bytes) : input.bytes;
    const bytes = this.redactor.bytes(raw);
    const path = join('artifacts', `${String(seq).padStart(5, '0')}-${index}-${safeName(input.name)}`);
    writeFileSync(join(this.runDir, path), bytes);
    return { name: input.name, path, sha256: sha256(bytes), bytes: bytes.length, mediaType: input.mediaType };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    fsyncSync(this.#fd);
    closeSync(this.#fd);
  }
}

/** Reads a run's log back; a torn last line (from a hard kill) is ignored rather than fatal. */
export function readRecords(runDir: string): RunRecord[] {
  const lines = readFileSync(join(runDir, EVIDENCE_FILE), 'utf8').split('\n');
  const records: RunRecord[] = [];
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as RunRecord);
    } catch (err) {
      if (i < lines.length - 2) throw new Error(`${EVIDENCE_FILE} line ${i + 1} is corrupt: ${(err as Error).message}`);
    }
  }
  return records;
}
