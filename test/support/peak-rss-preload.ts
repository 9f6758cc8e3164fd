import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Loaded into a jcstar child process with `node --import`: as the process exits, it writes its own
 * peak resident set size (VmHWM, in kB, from /proc/self/status) to the file named by JCSTAR_PEAK_RSS_FILE.
 */
const out = process.env.JCSTAR_PEAK_RSS_FILE;
if (out) {
  process.on('exit', () => {
    const peak = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    writeFileSync(out, peak ?? 'unknown');
  });
}
