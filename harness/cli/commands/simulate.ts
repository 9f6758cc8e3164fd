import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { startSimulatedDevice } from '../../simulator/device.js';
import { UsageError } from '../usage-error.js';

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('run the built-in simulated device until Ctrl-C, and write a profile for `jcstar run`')
    .option('--insecure', 'universal default passwords and an undeclared debug shell')
    .option('--host <address>', 'loopback address to listen on (default: a random one in 127.0.0.0/8)')
    .option('--write-profile <file>', 'write the device profile (secret references only) to this file')
    .action(async (opts: { insecure?: boolean; host?: string; writeProfile?: string }) => {
      if (opts.host !== undefined && !/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(opts.host)) {
        throw new UsageError(`--host: expected a loopback address in 127.0.0.0/8, found "${opts.host}"`);
      }
      const device = await startSimulatedDevice({ mode: opts.insecure ? 'insecure' : 'secure', host: opts.host });
      const { document, env } = device.profileDocument();
      if (opts.writeProfile) writeFileSync(opts.writeProfile, `# Written by jcstar simulate\n${stringify(document)}`);
      process.stderr.write(
        `jcstar: simulated device (${device.mode}) on ${device.host}: ${device.services.map((s) => `${s.name} ${s.port}/${s.transport}`).join(', ')}\n` +
          `jcstar: its secrets, for the profile's references:\n${Object.entries(env).map(([k, v]) => `export ${k}='${v}'`).join('\n')}\n` +
          `jcstar: ready${opts.writeProfile ? `; profile in ${opts.writeProfile}` : ''} (Ctrl-C to stop)\n`,
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await device.close();
    });
}
