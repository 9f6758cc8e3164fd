import { Command, CommanderError } from 'commander';
import { ProfileError } from '../profile/errors.js';
import { RunFolderError } from '../engine/run-folder.js';
import { ResumeError } from '../engine/scan-resume.js';
import { TOOL_VERSION } from '../version.js';
import { registerBundle } from './commands/bundle.js';
import { registerChecklist } from './commands/checklist.js';
import { registerDemo } from './commands/demo.js';
import { registerDiff } from './commands/diff.js';
import { registerKeygen } from './commands/keygen.js';
import { registerFleet } from './commands/fleet.js';
import { registerMerge } from './commands/merge.js';
import { registerReport } from './commands/report.js';
import { registerRequirements } from './commands/requirements.js';
import { registerRun } from './commands/run.js';
import { registerScheme } from './commands/scheme.js';
import { registerSchema } from './commands/schema.js';
import { registerSimulate } from './commands/simulate.js';
import { registerValidate } from './commands/validate.js';
import { registerVerify } from './commands/verify.js';
import { EXIT } from './exit-codes.js';
import { UsageError } from './usage-error.js';

const program = new Command('jcstar')
  .description('Conformance test harness for the JC-STAR ★1 IoT security label')
  .version(TOOL_VERSION)
  .showHelpAfterError('(run with --help for usage)')
  .addHelpText(
    'after',
    `
Exit codes: 0 no FAIL and no ERROR · 1 at least one FAIL · 2 usage or profile error · 3 harness error or
target unreachable · 130 interrupted (the run folder is still valid). Logs go to stderr.`,
  )
  .exitOverride()
  .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) });

registerDemo(program);
registerRun(program);
registerValidate(program);
registerRequirements(program);
registerReport(program);
registerSchema(program);
registerSimulate(program);
registerDiff(program);
registerKeygen(program);
registerBundle(program);
registerVerify(program);
registerChecklist(program);
registerScheme(program);
registerFleet(program);
registerMerge(program);
for (const command of program.commands) command.exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.exitCode = handle(err);
}

function handle(err: unknown): number {
  if (err instanceof CommanderError) {
    return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  }
  if (err instanceof ProfileError) {
    process.stderr.write(`${err.message}\n`);
    return EXIT.USAGE;
  }
  if (err instanceof UsageError || err instanceof RunFolderError || err instanceof ResumeError) {
    process.stderr.write(`jcstar: ${err.message}\n`);
    return EXIT.USAGE;
  }
  process.stderr.write(`jcstar: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
  return EXIT.HARNESS;
}
