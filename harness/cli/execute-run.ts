import { resolve } from 'node:path';
import { runChecks } from '../engine/run.js';
import type { DeviceProfile } from '../profile/types.js';
import { progressPrinter } from '../reporters/progress.js';
import { renderRequirementTable } from '../reporters/table.js';
import { exitCodeFor } from './exit-codes.js';
import { abortOnSigint } from './interrupt.js';

export interface RunFlags {
  out?: string;
  resume?: string;
  json?: boolean;
  color: boolean;
}

/** Shared by `run` and `demo`: progress on stderr, the table on stdout (stderr with --json), exit code. */
export async function executeRun(profile: DeviceProfile, only: string[] | null, flags: RunFlags): Promise<number> {
  const interrupt = abortOnSigint(process.stderr);
  try {
    const { runDir, results } = await runChecks({
      profile,
      only,
      out: flags.out,
      resume: flags.resume,
      reportsDir: resolve('reports'),
      signal: interrupt.signal,
      onProgress: progressPrinter(process.stderr, flags.color),
    });
    const human = flags.json ? process.stderr : process.stdout;
    human.write(`\n${renderRequirementTable(results, { color: flags.color && human.isTTY === true })}\n`);
    process.stderr.write(`jcstar: run folder ${runDir} (results.json, report.html, junit.xml, manifest.json)\n`);
    if (flags.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return exitCodeFor(results);
  } finally {
    interrupt.dispose();
  }
}
