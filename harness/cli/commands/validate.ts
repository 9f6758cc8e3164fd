import type { Command } from 'commander';
import { loadProfile } from '../../profile/load.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a device profile without touching the device (secrets and host names are resolved)')
    .argument('<profile>', 'device profile (YAML)')
    .option('--json', 'print the resolved profile (secrets redacted) on stdout')
    .action(async (file: string, opts: { json?: boolean }) => {
      const profile = await loadProfile(file);
      const { device, target, scope, services, policy, crypto } = profile;
      process.stderr.write(
        `${file}: valid — ${device.vendor} ${device.model} ${device.firmware} (${device.unit}) at ${target.host}` +
          `${target.host === target.address ? '' : ` (${target.address})`}, ${services.length} service(s), scope ${scope.join(', ')}, policy ${policy.version}, crypto ${crypto.version}\n`,
      );
      if (opts.json) {
        const { source, secrets: _secrets, ...rest } = profile;
        process.stdout.write(`${JSON.stringify({ source: { path: source.path, sha256: source.sha256 }, ...rest }, null, 2)}\n`);
      }
    });
}
