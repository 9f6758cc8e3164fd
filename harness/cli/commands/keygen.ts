import type { Command } from 'commander';
import { resolve } from 'node:path';
import { writeKeyPair } from '../../bundle/keys.js';

export function registerKeygen(program: Command): void {
  program
    .command('keygen')
    .description('make an Ed25519 key pair for signing evidence bundles (jcstar-signing.key, mode 0600, and jcstar-signing.pub)')
    .requiredOption('--out <dir>', 'folder to write the key pair into (made if missing; existing keys are never overwritten)')
    .action((opts: { out: string }) => {
      const { privatePath, publicPath, keyId } = writeKeyPair(resolve(opts.out));
      process.stderr.write(`private key ${privatePath} (keep it secret)\npublic key  ${publicPath} (give it to whoever verifies)\n`);
      process.stdout.write(`${keyId}\n`);
    });
}
