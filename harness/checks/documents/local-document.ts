import { open } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import type { CheckContext } from '../../suite/context.js';

/** A referenced document larger than this is named, not attached: evidence is not an archive of manuals. */
const MAX_DOCUMENT_BYTES = 32 * 1024 * 1024;

const MEDIA_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export type DocumentAttachment =
  | { reference: string; attached: true; sha256: string; bytes: number; evidenceSeq: number }
  | { reference: string; attached: false; problem: string | null };

/** An http(s) address is where users read it, not a local file to attach. */
export const isWebAddress = (reference: string) => /^https?:\/\//i.test(reference);

/**
 * Attaches a local document a declaration refers to (relative to the profile) as an artifact, so the store
 * hashes it. A web address is left alone (only publicPages are ever fetched); a file that cannot be read is a problem.
 */
export async function attachDocument(ctx: CheckContext, declaration: string, reference: string): Promise<DocumentAttachment> {
  if (isWebAddress(reference)) return { reference, attached: false, problem: null };
  const path = resolve(ctx.profile.baseDir, reference);
  let bytes: Buffer;
  try {
    const file = await open(path, 'r');
    try {
      const stat = await file.stat();
      const size = stat.size;
      if (!stat.isFile()) return { reference, attached: false, problem: `${reference} is not a file` };
      if (size > MAX_DOCUMENT_BYTES) return { reference, attached: false, problem: `${reference} is ${size} bytes, over the ${MAX_DOCUMENT_BYTES}-byte limit for an attached document` };
      bytes = await file.readFile();
    } finally {
      await file.close();
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { reference, attached: false, problem: `${reference} cannot be read (${code === 'ENOENT' ? 'no such file' : code ?? (err as Error).message})` };
  }
  const record = ctx.evidence.record({
    kind: 'note',
    summary: `document referenced by ${declaration}: ${reference} (${bytes.length} bytes, attached)`,
    artifacts: [{ name: basename(path), bytes, mediaType: MEDIA_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream' }],
    data: { declaration, document: reference },
  });
  const artifact = record.artifacts[0];
  return { reference, attached: true, sha256: artifact?.sha256 ?? '', bytes: bytes.length, evidenceSeq: record.seq };
}
