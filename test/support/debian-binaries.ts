/**
 * Every program the tests start, with the Debian package that owns it (what `dpkg -S` names). startDaemon and
 * requireBinaries accept only these names, and test/ci/packages.test.ts checks each against the package list
 * that .ci/run installs, so that a test cannot start a daemon a fresh CI machine lacks.
 */
export const DEBIAN_BINARIES = {
  // Debian's own Python by its full path: `python3` on PATH may be a pyenv or venv one without python3-cryptography.
  '/usr/bin/python3': 'python3-minimal',
  busybox: 'busybox-static',
  chpasswd: 'passwd',
  chronyd: 'chrony',
  cpio: 'cpio',
  'coap-client-notls': 'libcoap3-bin',
  'coap-client-openssl': 'libcoap3-bin',
  'coap-server-notls': 'libcoap3-bin',
  'coap-server-openssl': 'libcoap3-bin',
  dnsmasq: 'dnsmasq-base',
  dropbear: 'dropbear-bin',
  dropbearkey: 'dropbear-bin',
  ip: 'iproute2',
  lighttpd: 'lighttpd',
  mosquitto: 'mosquitto',
  mosquitto_passwd: 'mosquitto',
  nginx: 'nginx',
  nft: 'nftables',
  nmap: 'nmap',
  openssl: 'openssl',
  setpriv: 'util-linux',
  sh: 'dash',
  snmpd: 'snmpd',
  snmpget: 'snmp',
  snmpwalk: 'snmp',
  ss: 'iproute2',
  ssh: 'openssh-client',
  'ssh-audit': 'ssh-audit',
  'ssh-keygen': 'openssh-client',
  sshd: 'openssh-server',
  swupdate: 'swupdate',
  testssl: 'testssl.sh',
  unshare: 'util-linux',
  vsftpd: 'vsftpd',
} as const;

export type DebianBinary = keyof typeof DEBIAN_BINARIES;

/** lighttpd modules load from here by name (`server.modules += ("mod_openssl")`). */
export const LIGHTTPD_MODULE_DIR = '/usr/lib/lighttpd';

/** Python modules the tests import (`from <module> import …` in inline scripts), with the Debian package that owns them. */
export const DEBIAN_PYTHON_MODULES = {
  cryptography: 'python3-cryptography',
} as const;

/** Debian's Python modules live here; dpkg -S names the package that owns each one. */
export const DEBIAN_PYTHON_DIR = '/usr/lib/python3/dist-packages';
