import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { packageRoot } from '../../../harness/paths.js';
import { listenPort, requireBinaries, startDaemon, superviseDaemon, type Daemon } from '../daemons.js';
import { tempDir } from '../run-profile.js';
import { FIXTURE_HARDWARE, firmwarePayload } from './images.js';

/**
 * A device whose update client is SWUpdate's suricatta, polling a hawkBit server every second, and whose
 * installed firmware is a file that BusyBox httpd serves at /version ("version=1.3.0" on its first line).
 *
 * secure: Debian's swupdate; images must carry a CMS signature that verifies against `signingCertFile` (-k),
 *   the server certificate must verify against `caFile` (suricatta's cafile), and images older than the
 *   running version are refused (-N).
 * insecure: Debian's swupdate source rebuilt with its pkg.swupdate.nosigning profile (build-insecure.sh): no
 *   signature check at all, -x (any server certificate), no -N. It still checks each file's sha256 against
 *   sw-description, so a flipped payload byte is refused by both.
 *
 * After an install, the device "reboots" as a real one would: swupdate is restarted with -N at the new
 * version and `-c 2`, which makes suricatta report the action finished with success to the server.
 * suricatta 2022.12 now and then reports the opposite of what its installer did, in both directions:
 * - "Update successful" for an image its installer has just refused: the device reboots into the old
 *   firmware and reports failure (`-c 3`), as a bootloader fallback would;
 * - "Error processing update chunk" (and failure to the server) for an image its installer has just
 *   written: the device reboots into the new firmware and reports nothing more, the server having been
 *   told failure already. Without that reboot suricatta holds the install as "pending testing" and ignores
 *   every later offer.
 */

export type SwupdateMode = 'secure' | 'insecure';

export interface SwupdateDeviceOptions {
  mode: SwupdateMode;
  /** suricatta's url: the hawkBit server's scheme, host and port, e.g. https://127.0.0.1:8443. */
  serverUrl: string;
  tenant?: string;
  controllerId: string;
  /** The firmware version installed at the start. */
  runningVersion: string;
  /** secure: PEM of the CA the hawkBit server's certificate must chain to. */
  caPem?: string;
  /** secure: PEM of the certificate images are signed with (or its CA), SWUpdate's -k. */
  signingCertPem?: string;
  /** Where /version is served; default 127.0.0.1. */
  host?: string;
  /** A network namespace the test created; the device's processes run there (the server must be reachable from it). */
  netns?: string;
  /** The web server's port; needed in a network namespace, a free one otherwise. */
  webPort?: number;
}

export interface SwupdateDevice {
  mode: SwupdateMode;
  /** Host and port of the web server that shows the installed version. */
  address: { host: string; port: number };
  versionUrl: string;
  /** The file an image's rawfile handler must write (images.ts buildSwu's installPath). */
  firmwarePath: string;
  /** The first line of the installed firmware file, as /version shows it. */
  installedVersion(): string | null;
  /** How many times the device rebooted into an image its installer installed. */
  reboots(): number;
  /** swupdate's output since the device started (bounded), for failure messages. */
  log(): string;
  close(): Promise<void>;
}

/** Where build-insecure.sh puts the nosigning swupdate; JCSTAR_SWUPDATE_NOSIGNING overrides. */
export function insecureSwupdatePath(): string {
  return process.env.JCSTAR_SWUPDATE_NOSIGNING ?? join(packageRoot, '.cache', 'swupdate-nosigning', 'swupdate');
}

/** Skips (or, under CI, fails) unless this mode's device and its images can be made here. */
export function requireSwupdateDevice(ctx: Mocha.Context, mode: SwupdateMode): void {
  requireBinaries(ctx, { swupdate: 'swupdate', busybox: 'busybox-static', cpio: 'cpio', openssl: 'openssl' });
  if (mode === 'insecure') requireInsecureSwupdate(ctx);
}

/** Skips (or, under CI, fails) unless the insecure swupdate has been built. */
function requireInsecureSwupdate(ctx: Mocha.Context): void {
  if (existsSync(insecureSwupdatePath())) return;
  const what = `the insecure swupdate (${insecureSwupdatePath()})`;
  if (process.env.CI) throw new Error(`${what} missing under CI; .ci/run must build it`);
  console.warn(`      ⚠ skipped: ${what} not built; run (as root, with a deb-src entry): apt-get build-dep -y -P pkg.swupdate.nosigning,nodoc swupdate && test/support/swupdate/build-insecure.sh`);
  ctx.skip();
}

const VERSION_LINE = /^version=([0-9][0-9A-Za-z.+~-]*)$/m;
/** suricatta's own verdicts on an attempt, logged just before it sends its feedback. */
const SURICATTA_SUCCEEDED = 'Update successful, executing post-update actions';
const SURICATTA_FAILED = 'Error processing update chunk';
/** What the installer (SWUpdate's main process) logs once it has written an image. */
const INSTALLER_SUCCEEDED = 'SWUPDATE successful';
/**
 * suricatta repeats a `-c` report every 10 s until it can also store the state (server_handle_initial_state);
 * a repeat would go to whatever action the server offers by then. The report has gone out: start again
 * without -c, as the next boot would.
 */
const REPORT_RETRY = 'until retrying';
const LOG_LIMIT = 256 * 1024;
/** Kept from each stream's last chunk: a marker split across two chunks is still seen, and never seen twice. */
const CARRY = Math.max(SURICATTA_SUCCEEDED.length, SURICATTA_FAILED.length, INSTALLER_SUCCEEDED.length, REPORT_RETRY.length) - 1;
/**
 * How long after what suricatta said the power goes: time for the request it is in (its feedback) to finish,
 * and, after its error (stderr), for the installer's verdict (stdout) to arrive.
 */
const SETTLE_MS: Record<Said, number> = { succeeded: 300, failed: 1000, reported: 300 };

/** What suricatta said last: it reported the attempt succeeded or failed, or its `-c` report went out. */
type Said = 'succeeded' | 'failed' | 'reported';

export async function startSwupdateDevice(options: SwupdateDeviceOptions): Promise<SwupdateDevice> {
  const host = options.host ?? '127.0.0.1';
  const dir = tempDir(`jcstar-swupdate-${options.mode}-`);
  const www = join(dir, 'www');
  const run = join(dir, 'run');
  mkdirSync(www);
  mkdirSync(run);
  const firmwarePath = join(www, 'version');
  writeFileSync(firmwarePath, firmwarePayload(options.runningVersion));
  const config = writeConfig(dir, options);
  const port = await listenPort(host, { netns: options.netns, port: options.webPort });
  let web: Daemon | undefined;
  const client = new SuricattaProcess(options, config, run, firmwarePath);
  try {
    web = await startDaemon('busybox', ['httpd', '-f', '-p', `${host}:${port}`, '-h', www], host, port, { netns: options.netns });
    await client.start(null);
  } catch (err) {
    await client.stop();
    await web?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const versionHost = host.includes(':') ? `[${host}]` : host;
  return {
    mode: options.mode,
    address: { host, port },
    versionUrl: `http://${versionHost}:${port}/version`,
    firmwarePath,
    installedVersion: () => installedVersion(firmwarePath),
    reboots: () => client.reboots,
    log: () => client.output,
    close: async () => {
      await client.stop();
      await web?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function installedVersion(firmwarePath: string): string | null {
  try {
    return VERSION_LINE.exec(readFileSync(firmwarePath, 'utf8'))?.[1] ?? null;
  } catch {
    return null;
  }
}

/** suricatta's section of swupdate's libconfig file; the insecure mode's -x is on the command line. */
function writeConfig(dir: string, options: SwupdateDeviceOptions): string {
  const lines = [
    `url = "${options.serverUrl}";`,
    `tenant = "${options.tenant ?? 'DEFAULT'}";`,
    `id = "${options.controllerId}";`,
    'polldelay = 1;',
    // One quick retry, so that a cut download ends the attempt in seconds rather than minutes.
    'retry = 1;',
    'retrywait = "1";',
    'connection-timeout = 10;',
  ];
  if (options.mode === 'secure') {
    if (!options.caPem || !options.signingCertPem) throw new Error('a secure swupdate device needs caPem and signingCertPem');
    writeFileSync(join(dir, 'server-ca.pem'), options.caPem);
    writeFileSync(join(dir, 'signing.pem'), options.signingCertPem);
    lines.push(`cafile = "${join(dir, 'server-ca.pem')}";`);
  }
  const file = join(dir, 'swupdate.cfg');
  writeFileSync(file, `globals: {\n\tloglevel = 4;\n};\nsuricatta: {\n${lines.map((l) => `\t${l}\n`).join('')}};\n`);
  return file;
}

type Report = '2' | '3' | null;

/** The boot that follows what suricatta said, given whether the installer wrote the image; null: no reboot. */
function nextBoot(said: Said, installerSucceeded: boolean): { report: Report; intoNewFirmware: boolean } | null {
  if (said === 'reported') return { report: null, intoNewFirmware: false };
  if (said === 'succeeded') return installerSucceeded ? { report: '2', intoNewFirmware: true } : { report: '3', intoNewFirmware: false };
  return installerSucceeded ? { report: null, intoNewFirmware: true } : null;
}

/** The swupdate process, restarted after every install as a device reboots into its new firmware. */
class SuricattaProcess {
  reboots = 0;
  output = '';
  private daemon: Daemon | undefined;
  private rebooting: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly options: SwupdateDeviceOptions,
    private readonly config: string,
    private readonly runDir: string,
    private readonly firmwarePath: string,
  ) {}

  /** swupdate's command line; `report` is the state suricatta reports after a reboot: 2 success, 3 failure. */
  private argv(report: Report): string[] {
    const hardware = `${FIXTURE_HARDWARE.board}:${FIXTURE_HARDWARE.revision}`;
    const suricatta = [...(report ? ['-c', report] : []), ...(this.options.mode === 'insecure' ? ['-x'] : [])].join(' ');
    const args = ['-f', this.config, '-H', hardware, '-l', '4', '-u', suricatta];
    if (this.options.mode === 'insecure') return args;
    const running = installedVersion(this.firmwarePath) ?? this.options.runningVersion;
    return [...args, '-k', join(this.config, '..', 'signing.pem'), '-N', running];
  }

  async start(report: Report): Promise<void> {
    // Each device has its own IPC sockets (SWUpdate puts them in $TMPDIR) and a fresh "persistent" state.
    for (const socket of ['sockinstctrl', 'swupdateprog']) rmSync(join(this.runDir, socket), { force: true });
    const program = this.options.mode === 'secure' ? 'swupdate' : insecureSwupdatePath();
    const env = { ...process.env, TMPDIR: this.runDir };
    const argv = this.argv(report);
    let installerSucceeded = false;
    const child: ChildProcess = this.options.netns
      ? spawn('ip', ['netns', 'exec', this.options.netns, program, ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env })
      : spawn(program, argv, { stdio: ['ignore', 'pipe', 'pipe'], env });
    const daemon = superviseDaemon(child);
    this.daemon = daemon;
    const watch = () => {
      let carry = '';
      return (chunk: Buffer) => {
        this.output = (this.output + chunk.toString()).slice(-LOG_LIMIT);
        const text = carry + chunk.toString();
        // A marker counts when it ends in this chunk: one wholly in the carry was counted before.
        const seen = (marker: string) => {
          const at = text.lastIndexOf(marker);
          return at !== -1 && at + marker.length > carry.length;
        };
        installerSucceeded ||= seen(INSTALLER_SUCCEEDED);
        const said: Said | null = seen(SURICATTA_SUCCEEDED) ? 'succeeded' : seen(SURICATTA_FAILED) ? 'failed' : report && seen(REPORT_RETRY) ? 'reported' : null;
        carry = text.slice(-CARRY);
        if (said && !this.rebooting && !this.stopped) {
          this.rebooting = this.restart(said, () => installerSucceeded)
            .catch((err: Error) => void (this.output += `\n# restart failed: ${err.message}\n`))
            .finally(() => (this.rebooting = undefined));
        }
      };
    };
    child.stdout!.on('data', watch());
    child.stderr!.on('data', watch());
    this.output += `\n# ${program} ${argv.join(' ')}\n`;
    const deadline = Date.now() + 5000;
    for (let i = 0; i < 50 && Date.now() < deadline; i++) {
      if (child.exitCode !== null) throw new Error(`swupdate exited with ${child.exitCode}: ${daemon.log()}`);
      if (existsSync(join(this.runDir, 'sockinstctrl'))) return;
      await sleep(100);
    }
    await daemon.stop();
    throw new Error(`swupdate did not start within 5 s: ${daemon.log()}`);
  }

  /** The reboot after what suricatta said, if any: into the new firmware after an install, else into the old. */
  private async restart(said: Said, installerSucceeded: () => boolean): Promise<void> {
    await sleep(SETTLE_MS[said]);
    const boot = nextBoot(said, installerSucceeded());
    if (!boot || this.stopped) return;
    await this.daemon?.stop();
    if (this.stopped) return;
    if (boot.intoNewFirmware) this.reboots++;
    this.output += `\n# reboot: suricatta ${said}, installer ${installerSucceeded() ? 'wrote the image' : 'did not'}\n`;
    await this.start(boot.report);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.rebooting?.catch(() => undefined);
    await this.daemon?.stop();
  }
}
