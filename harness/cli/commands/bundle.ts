import type { Command } from 'commander';
import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { createBundle } from '../../bundle/create.js';
import { loadPrivateKey } from '../../bundle/keys.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../usage-error.js';

/** Block by block, so that the archive is never held twice in memory; an existing file is never overwritten. */
function writeArchive(out: string, blocks: Buffer[]): void {
  let fd: number;
  try {
    fd = openSync(out, 'wx');
  } catch (err) {
    throw new UsageError(`cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    for (const block of blocks) writeSync(fd, block);
  } finally {
    closeSync(fd);
  }
}

export function registerBundle(program: Command): void {
  program
    .command('bundle')
    .description('sign a run folder into one evidence archive: run/… plus a DSSE-signed in-toto test-result statement over its manifest')
    .argument('<run-dir>', 'run folder holding manifest.json')
    .requiredOption('--key <file>', 'Ed25519 private key (PEM, from jcstar keygen)')
    .option('--out <file>', 'archive to write (default: <run-dir>.jcstar-bundle.tar next to the folder; never overwritten)')
    .addHelpText('after', '\nExit codes: 0 written · 1 the run folder no longer matches its manifest (nothing signed) · 2 usage')
    .action((dir: string, opts: { key: string; out?: string }) => {
      const runDir = resolve(dir);
      const out = resolve(opts.out ?? `${runDir}.jcstar-bundle.tar`);
      const outcome = createBundle(runDir, loadPrivateKey(resolve(opts.key)));
      if (!('blocks' in outcome)) {
        process.stderr.write(`jcstar bundle: ${runDir} does not match its manifest; nothing was signed:\n`);
        for (const p of outcome.problems) process.stderr.write(`  ${p.message}\n`);
        process.exitCode = EXIT.FAIL;
        return;
      }
      writeArchive(out, outcome.blocks);
      const p = outcome.statement.predicate;
      process.stderr.write(
        `signed ${runDir} with key ${outcome.keyId}: ${p.result} (${p.passedTests.length} passed, ${p.warnedTests.length} warned, ${p.failedTests.length} failed)\n`,
      );
      process.stdout.write(`${out}\n`);
    });
}
