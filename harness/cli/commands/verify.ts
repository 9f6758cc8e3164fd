import type { Command } from 'commander';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { keyIdOf, loadPublicKey } from '../../bundle/keys.js';
import { MAX_BUNDLE_BYTES } from '../../bundle/problems.js';
import { verifyBundle, type VerifyReport } from '../../bundle/verify.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../usage-error.js';

function readArchive(path: string): Buffer | string {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new UsageError(`the bundle ${path} is not a file`);
    size = stat.size;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read the bundle ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (size > MAX_BUNDLE_BYTES) return `archive is ${size} bytes, over the ${MAX_BUNDLE_BYTES / 2 ** 20} MiB jcstar bundles are held to`;
  return readFileSync(path);
}

function summary(bundle: string, report: VerifyReport): string {
  const lines = [`${report.valid ? 'VALID' : 'INVALID'}: ${bundle}`];
  if (report.result) {
    const r = report.result;
    lines.push(`  signed test result: ${r.result} (${r.passed} passed, ${r.warned} warned, ${r.failed} failed)`);
  }
  lines.push(`  key ${report.keyId}; ${report.files} file(s) under run/`);
  for (const p of report.problems) lines.push(`  ✗ ${p.message}`);
  if (report.valid) lines.push('  the signature verifies, run/manifest.json is the signed subject, and every file matches the manifest');
  return `${lines.join('\n')}\n`;
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('check an evidence bundle: the archive, the DSSE signature, the signed manifest digest and every file\'s SHA-256')
    .argument('<bundle>', 'archive written by jcstar bundle')
    .requiredOption('--key <file>', 'the signer\'s Ed25519 public key (PEM)')
    .option('--json', 'print the verification report as JSON on stdout')
    .addHelpText('after', '\nExit codes: 0 valid · 1 invalid (each file changed, added or removed is named) · 2 usage (missing argument, unreadable key or bundle)')
    .action((file: string, opts: { key: string; json?: boolean }) => {
      const bundle = resolve(file);
      const publicKey = loadPublicKey(resolve(opts.key));
      const archive = readArchive(bundle);
      const report: VerifyReport =
        typeof archive === 'string'
          ? { valid: false, keyId: keyIdOf(publicKey), problems: [{ code: 'archive', message: archive }], result: null, files: 0 }
          : verifyBundle(archive, publicKey);
      process.stdout.write(opts.json ? `${JSON.stringify({ bundle, ...report }, null, 2)}\n` : summary(bundle, report));
      process.exitCode = report.valid ? EXIT.OK : EXIT.FAIL;
    });
}
