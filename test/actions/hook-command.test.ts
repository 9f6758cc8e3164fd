import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { OUTPUT_LIMIT, describeHookEnd, runHookCommand } from '../../harness/actions/hook-command.js';
import { Secret } from '../../harness/secrets/secret.js';

const node = (script: string, ...args: string[]) => [process.execPath, '-e', script, ...args];
const run = (argv: string[], timeoutSeconds = 10, options: { secrets?: Secret[]; signal?: AbortSignal } = {}) =>
  runHookCommand({ run: argv, timeoutSeconds }, { signal: options.signal ?? new AbortController().signal, secrets: options.secrets ?? [] });

/** Whether a process with this pid still exists (and is not a zombie waiting to be reaped). */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 40; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await sleep(50);
  }
  return false;
}

describe('lab-host hook commands', () => {
  it('runs the argv without a shell and reports its exit status and output', async () => {
    const o = await run(node('process.stdout.write(process.argv[1]); process.stderr.write("warn"); process.exit(3)', '$HOME; echo not-a-shell'));
    expect(o).to.deep.include({ exitCode: 3, signal: null, timedOut: false, spawnError: null, stdout: '$HOME; echo not-a-shell', stderr: 'warn', truncated: false });
    expect(describeHookEnd(o, 10)).to.equal('exited with status 3');
  });

  it('kills the whole process group at the timeout, children included', async () => {
    const argv = node('const c = require("child_process").spawn("sleep", ["30"], { stdio: "ignore" }); console.log(c.pid); setInterval(() => {}, 1000)');
    const o = await run(argv, 1);
    expect(o.timedOut).to.equal(true);
    expect(o.exitCode).to.equal(null);
    expect(o.signal).to.equal('SIGTERM');
    expect(o.durationMs).to.be.within(900, 4000);
    expect(describeHookEnd(o, 1)).to.equal('did not finish within its timeout of 1 s and was killed');
    const child = Number(o.stdout.trim());
    expect(child).to.be.greaterThan(0);
    expect(await gone(child), `grandchild ${child} still runs`).to.equal(true);
  });

  it('stops a command when the check is aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const o = await run(node('setInterval(() => {}, 1000)'), 30, { signal: controller.signal });
    expect(o).to.deep.include({ timedOut: false, exitCode: null, signal: 'SIGTERM' });
    expect(o.durationMs).to.be.below(3000);
  });

  it('keeps at most 64 KiB of each stream', async () => {
    const o = await run(node('process.stdout.write("x".repeat(200000)); process.stderr.write("y".repeat(70000))'));
    expect(o.exitCode).to.equal(0);
    expect(o.stdout).to.equal('x'.repeat(OUTPUT_LIMIT));
    expect(o.stderr).to.equal('y'.repeat(OUTPUT_LIMIT));
    expect(o.truncated).to.equal(true);
  });

  it('redacts every secret of the profile from the output and the argv', async () => {
    const secret = new Secret('Pdu-Admin-Pw-42', 'pdu-password');
    const o = await run(node('console.log("login ok, password=" + process.argv[1] + " b64=" + Buffer.from(process.argv[1]).toString("base64")); console.error(process.argv[1])', 'Pdu-Admin-Pw-42'), 10, { secrets: [secret] });
    expect(o.stdout).to.equal('login ok, password=[REDACTED:pdu-password] b64=[REDACTED:pdu-password]\n');
    expect(o.stderr).to.equal('[REDACTED:pdu-password]\n');
    expect(o.argv.at(-1)).to.equal('[REDACTED:pdu-password]');
  });

  it('reports a program that does not exist without throwing', async () => {
    const o = await run(['/nonexistent/jcstar-pdu', 'off']);
    expect(o.exitCode).to.equal(null);
    expect(o.timedOut).to.equal(false);
    expect(o.spawnError).to.match(/ENOENT/);
    expect(describeHookEnd(o, 10)).to.match(/^could not be started: .*ENOENT/);
  });
});
