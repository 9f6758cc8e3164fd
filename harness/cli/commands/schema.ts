import type { Command } from 'commander';
import { SCHEMAS } from '../../schemas/generate.js';
import { UsageError } from '../usage-error.js';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description(`print a published JSON Schema (${Object.keys(SCHEMAS).join(' or ')})`)
    .argument('<name>', Object.keys(SCHEMAS).join(' | '))
    .action((name: string) => {
      const make = SCHEMAS[name as keyof typeof SCHEMAS];
      if (!make) throw new UsageError(`schema: unknown schema "${name}"; expected one of ${Object.keys(SCHEMAS).join(', ')}`);
      process.stdout.write(`${JSON.stringify(make(), null, 2)}\n`);
    });
}
