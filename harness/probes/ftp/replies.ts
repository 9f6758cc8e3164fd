import { StringDecoder } from 'node:string_decoder';
import { NetError } from '../../net/errors.js';

/** One complete FTP reply: its code and every line, the first and last with the code in front. */
export interface FtpReply {
  code: number;
  lines: string[];
}

export function replyText(reply: FtpReply): string {
  return reply.lines.join('\n');
}

/** A reply longer than this is not an FTP server talking; it is refused rather than buffered. */
const MAX_LINES = 200;
const MAX_LINE = 4096;

/**
 * Splits the control connection into replies (RFC 959 §4.2). A multi-line reply opens with
 * "nnn-" and ends only at a line that starts with the same code and a space; the lines between may
 * say anything, including other codes or the same code followed by something else.
 */
export class FtpReplyReader {
  readonly #decoder = new StringDecoder('utf8');
  #partial = '';
  #open: FtpReply | null = null;

  /** The replies that `chunk` completes; throws NetError 'protocol' on what cannot be a reply. */
  push(chunk: Buffer): FtpReply[] {
    const replies: FtpReply[] = [];
    const lines = (this.#partial + this.#decoder.write(chunk)).split('\n');
    this.#partial = lines.pop()!;
    if (this.#partial.length > MAX_LINE) throw new NetError('protocol', `reply line longer than ${MAX_LINE} characters`);
    for (const raw of lines) {
      const line = raw.replace(/\r$/, '');
      if (this.#open) {
        this.#open.lines.push(line);
        if (line.startsWith(`${this.#open.code} `) || line === String(this.#open.code)) {
          replies.push(this.#open);
          this.#open = null;
        } else if (this.#open.lines.length > MAX_LINES) {
          throw new NetError('protocol', `multi-line ${this.#open.code} reply longer than ${MAX_LINES} lines`);
        }
        continue;
      }
      const head = /^([1-5]\d\d)([ -]|$)/.exec(line);
      if (!head) throw new NetError('protocol', `not an FTP reply: ${JSON.stringify(line.slice(0, 80))}`);
      const reply = { code: Number(head[1]), lines: [line] };
      if (head[2] === '-') this.#open = reply;
      else replies.push(reply);
    }
    return replies;
  }
}
