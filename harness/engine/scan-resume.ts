import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TcpScanResume } from '../inventory/surface.js';
import type { TcpScanProgress } from '../inventory/types.js';
import { parsePortRanges } from '../probes/tcp/port-ranges.js';

/** The TCP scan's progress, kept in the run folder while it runs, so that an interrupted run can be resumed. */
export const TCP_PROGRESS_FILE = 'tcp-scan.progress.json';

export class ResumeError extends Error {}

export function tcpProgressSaver(runDir: string, runId: string): (progress: TcpScanProgress) => void {
  const file = join(runDir, TCP_PROGRESS_FILE);
  return (progress) => {
    // Written aside and renamed, so that a Ctrl-C mid-write leaves the last whole record.
    writeFileSync(`${file}.tmp`, `${JSON.stringify({ run: runId, progress })}\n`);
    renameSync(`${file}.tmp`, file);
  };
}

/** The TCP scan of an earlier run folder (`--resume DIR`), for the same target and port list. */
export function loadTcpResume(runDir: string, address: string, ports: string): TcpScanResume {
  const file = join(runDir, TCP_PROGRESS_FILE);
  if (!existsSync(file)) throw new ResumeError(`${runDir} holds no TCP scan to resume (${TCP_PROGRESS_FILE} is missing)`);
  let saved: TcpScanResume;
  try {
    saved = JSON.parse(readFileSync(file, 'utf8')) as TcpScanResume;
  } catch {
    throw new ResumeError(`${file} is not readable JSON`);
  }
  const { progress } = saved;
  if (typeof saved.run !== 'string' || !progress || typeof progress.done !== 'string' || !Array.isArray(progress.open)) {
    throw new ResumeError(`${file} is not a TCP scan progress record`);
  }
  if (progress.host !== address) throw new ResumeError(`${runDir} scanned ${progress.host}, not ${address}: a scan resumes only on its own target`);
  if (progress.ports !== ports) throw new ResumeError(`${runDir} scanned ports ${progress.ports}, not ${ports}: a scan resumes only with the same port list`);
  // A finished scan is not resumed: its answers would be passed off as this run's.
  if (progress.done === progress.ports) throw new ResumeError(`the TCP scan of ${runDir} finished; there is nothing to resume, so run without --resume`);
  return saved;
}

/** "TCP scan: 12000 of 65535 ports, 3 open" — for the progress line of a long scan. */
export function describeScanProgress(progress: TcpScanProgress): string {
  return `TCP scan: ${parsePortRanges(progress.done).length} of ${parsePortRanges(progress.ports).length} ports, ${progress.open.length} open`;
}
