import type { Command } from 'commander';
import { loadCatalogue } from '../../catalogue/load.js';

export function registerRequirements(program: Command): void {
  program
    .command('requirements')
    .description('list the ★1 requirement catalogue (IDs, titles, evaluation type, ETSI mapping)')
    .option('--json', 'print the catalogue as JSON')
    .action((opts: { json?: boolean }) => {
      const catalogue = loadCatalogue();
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(catalogue, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${catalogue.scheme} ${catalogue.level} catalogue ${catalogue.version} (${catalogue.basis})\n`);
      process.stdout.write('* = not confirmed by the reference; check against the official IPA document\n\n');
      for (const r of catalogue.requirements) {
        const mark = (ok: boolean) => (ok ? ' ' : '*');
        process.stdout.write(
          `${r.id}  ${r.evaluation.padEnd(11)}${mark(r.confirmed.evaluation)} ${r.title.en}${mark(r.confirmed.title)}` +
            `${r.title.ja ? ` / ${r.title.ja}` : ''}\n           ETSI EN 303 645 ${r.etsi.join(', ') || '—'}${mark(r.confirmed.mapping)}` +
            `  TS 103 701 ${r.ts103701.join(', ') || '—'}${r.tags.length ? `  [${r.tags.join(', ')}]` : ''}\n`,
        );
      }
    });
}
