import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readFinishedRun, refuseChangedRun } from '../../checklist/finished-run.js';
import { refuseInsideRun } from '../out-outside-run.js';
import { renderSchemeHtml } from '../../reporters/scheme-html.js';
import { renderSchemeTable } from '../../reporters/scheme-table.js';
import { loadScheme, schemeIds } from '../../schemes/load.js';
import { schemeView } from '../../schemes/view.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../usage-error.js';

export function registerScheme(program: Command): void {
  program
    .command('scheme')
    .description('view a finished run through another label scheme (UK PSTI, Singapore CLS Level 1, NISTIR 8425)')
    .argument('[run-dir]', 'run folder holding results.json and manifest.json')
    .option('--scheme <id>', 'scheme to view the run through (see --list)')
    .option('--list', 'list the available schemes')
    .option('--json', 'print the view as JSON on stdout instead of a table')
    .option('--out <dir>', 'also write scheme-<id>.json and scheme-<id>.html into this folder (never the run folder)')
    .addHelpText('after', '\nExit codes: 0 no scheme requirement FAILs · 1 at least one FAILs, or the run folder no longer matches its manifest · 2 usage error.')
    .action((dir: string | undefined, opts: { scheme?: string; list?: boolean; json?: boolean; out?: string }) => {
      if (opts.list) {
        for (const id of schemeIds()) {
          const scheme = loadScheme(id);
          process.stdout.write(`${id.padEnd(12)} ${scheme.name} (${scheme.requirements.length} requirements, mapping ${scheme.version})\n`);
        }
        return;
      }
      if (!dir) throw new UsageError('scheme: give a run folder (or --list)');
      if (!opts.scheme) throw new UsageError(`scheme: --scheme <id> is required; known: ${schemeIds().join(', ')}`);
      const scheme = loadScheme(opts.scheme);
      const run = readFinishedRun(dir);
      if ('problems' in run) return refuseChangedRun('scheme', run);
      const view = schemeView(run.results, scheme);
      if (opts.out) {
        const out = resolve(opts.out);
        refuseInsideRun(out, run.dir);
        mkdirSync(out, { recursive: true });
        writeFileSync(join(out, `scheme-${scheme.id}.json`), `${JSON.stringify(view, null, 2)}\n`);
        writeFileSync(join(out, `scheme-${scheme.id}.html`), renderSchemeHtml(view));
        process.stderr.write(`wrote ${join(out, `scheme-${scheme.id}.json`)}\nwrote ${join(out, `scheme-${scheme.id}.html`)}\n`);
      }
      process.stdout.write(opts.json ? `${JSON.stringify(view, null, 2)}\n` : renderSchemeTable(view));
      process.exitCode = view.requirements.some((r) => r.verdict === 'FAIL') ? EXIT.FAIL : EXIT.OK;
    });
}
