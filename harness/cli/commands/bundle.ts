import type { Command } from 'commander';
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { createBundle } from '../../bundle/create.js';
import { loadPrivateKey } from '../../bundle/keys.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../usage-error.js';

function cannotWrite(out: string, err: unknown): UsageError {
  return new UsageError(`cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
}

/**
 * Block by block, so that the archive is never held twice in memory. The name is taken first ('wx': an existing
 * file is never overwritten); the archive is written beside it and renamed over it once whole, so a failed write
 * (a full disk) leaves no partial archive behind.
 */
function writeArchive(out: string, blocks: Buffer[]): void {
  try {
    closeSync(openSync(out, 'wx'));
  } catch (err) {
    throw cannotWrite(out, err);
  }
  const partial = join(dirname(out), `.${basename(out)}.${process.pid}.partial`);
  try {
    const fd = openSync(partial, 'wx');
    try {
      for (const block of blocks) for (let at = 0; at < block.length; ) at += writeSync(fd, block, at);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, out);
  } catch (err) {
    rmSync(partial, { force: true });
    rmSync(out, { force: true });
    throw cannotWrite(out, err);
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
