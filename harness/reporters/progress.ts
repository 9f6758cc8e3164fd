import type { ProgressEvent } from '../engine/progress.js';
import { VERDICT_STYLE } from './verdict-style.js';

/** Off a terminal, a long check's activity is logged at most this often. */
const ACTIVITY_LOG_MS = 10_000;

/** Live progress on stderr: one line per finished check, and a transient "running" line on a terminal. */
export function progressPrinter(stream: NodeJS.WriteStream, color: boolean): (event: ProgressEvent) => void {
  const tty = stream.isTTY === true;
  let lastActivity = 0;
  const paint = (verdict: keyof typeof VERDICT_STYLE, text: string) => (color ? `\x1b[${VERDICT_STYLE[verdict].ansi}m${text}\x1b[0m` : text);
  return (event) => {
    switch (event.type) {
      case 'planned':
        stream.write(`jcstar: ${event.total} check(s) planned\n`);
        break;
      case 'check-start':
        if (tty) stream.write(`\r\x1b[K[${event.index + 1}/${event.total}] running ${event.id} …`);
        break;
      case 'check-end': {
        const head = `[${event.index + 1}/${event.total}] ${paint(event.verdict, event.verdict.padEnd(14))} ${event.id} (${(event.durationMs / 1000).toFixed(1)} s)`;
        stream.write(`${tty ? '\r\x1b[K' : ''}${head}\n      ${event.reason}\n`);
        break;
      }
      case 'activity':
        if (tty) stream.write(`\r\x1b[K      ${event.id}: ${event.text}`);
        else if (Date.now() - lastActivity >= ACTIVITY_LOG_MS) {
          lastActivity = Date.now();
          stream.write(`      ${event.id}: ${event.text}\n`);
        }
        break;
      case 'aborted':
        stream.write(`${tty ? '\r\x1b[K' : ''}jcstar: run aborted: ${event.reason}\n`);
        break;
    }
  };
}
