import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listenPort, type Daemon, type ListenPlacement } from './daemons.js';
import { fixtureUsersScript, startNamespacedDaemon } from './fixture-users.js';

export interface VsftpdOptions {
  /** Connections from one address beyond this are greeted with "421 There are too many connections…". */
  maxPerIp?: number;
  /** Lines of a multi-line 220 greeting. */
  banner?: string[];
  /** TLS with a fresh self-signed certificate, and logins and data refused until the client has started it. */
  forceTls?: boolean;
  /** Implicit FTPS: TLS from the first byte, anonymous sessions included, with a fresh self-signed certificate. */
  implicitTls?: boolean;
  /** The factory FTP of many devices: anonymous logins (anonymous/ftp) allowed, read-only, into a folder holding `files`. */
  anonymous?: { files: Record<string, string> };
}

export interface Vsftpd extends Daemon {
  host: string;
  port: number;
  /** vsftpd's own log: with log_ftp_protocol every command and reply, and one OK LOGIN or FAIL LOGIN line per password tried. */
  ftpLog(): string;
}

/**
 * Debian's vsftpd on a loopback address of its own, local users (and anonymous ones only when asked), authenticating `users` through
 * the stock PAM service (pam_unix reads the bind-mounted shadow; pam_shells and ftpusers let them in).
 */
export async function startVsftpd(host: string, users: Record<string, string>, options: VsftpdOptions & ListenPlacement = {}): Promise<Vsftpd> {
  const { dir, mountCommands } = fixtureUsersScript(users, 'jcstar-vsftpd-');
  mkdirSync(join(dir, 'empty'));
  const port = await listenPort(host, options);
  const log = join(dir, 'vsftpd.log');
  const lines = [
    'listen=YES',
    'listen_ipv6=NO',
    `listen_address=${host}`,
    `listen_port=${port}`,
    'background=NO',
    `anonymous_enable=${options.anonymous ? 'YES' : 'NO'}`,
    'local_enable=YES',
    'write_enable=NO',
    'pam_service_name=vsftpd',
    `secure_chroot_dir=${dir}/empty`,
    // Its seccomp filter is known to end sessions with "500 OOPS: child died" under some kernels and
    // container runtimes; these fixtures exercise the login, not the sandbox.
    'seccomp_sandbox=NO',
    'syslog_enable=NO',
    'xferlog_enable=YES',
    'xferlog_std_format=NO',
    `vsftpd_log_file=${log}`,
    'log_ftp_protocol=YES',
  ];
  if (options.anonymous) {
    // vsftpd refuses an anonymous root the ftp user could write to: root owns it.
    const root = join(dir, 'anonymous');
    mkdirSync(root, { mode: 0o755 });
    for (const [name, content] of Object.entries(options.anonymous.files)) writeFileSync(join(root, name), content, { mode: 0o644 });
    lines.push(`anon_root=${root}`, 'no_anon_password=NO', 'anon_world_readable_only=YES');
  }
  if (options.maxPerIp) lines.push(`max_per_ip=${options.maxPerIp}`);
  if (options.forceTls || options.implicitTls) {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${host}`, '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    lines.push('ssl_enable=YES', `rsa_cert_file=${dir}/cert.pem`, `rsa_private_key_file=${dir}/key.pem`);
  }
  if (options.forceTls) lines.push('force_local_logins_ssl=YES', 'force_local_data_ssl=YES');
  if (options.implicitTls) lines.push('implicit_ssl=YES', 'allow_anon_ssl=YES');
  if (options.banner) {
    writeFileSync(join(dir, 'banner'), `${options.banner.join('\n')}\n`);
    lines.push(`banner_file=${dir}/banner`);
  }
  writeFileSync(join(dir, 'vsftpd.conf'), `${lines.join('\n')}\n`);
  const daemon = await startNamespacedDaemon(`${mountCommands} && exec vsftpd ${dir}/vsftpd.conf`, host, port, { netns: options.netns });
  return { ...daemon, host, port, ftpLog: () => (existsSync(log) ? readFileSync(log, 'utf8') : '') };
}
