/** An HTTP- or RTSP-style reply as far as a bounded read holds it: status line, header fields, body start. */
export interface MessageHead {
  version: string;
  status: number;
  /** Lower-case names; repeated fields joined with ", ". */
  fields: Record<string, string>;
  /** Every WWW-Authenticate value, one per challenge field. */
  challenges: string[];
  body: Buffer;
}

const STATUS_LINE = /^(HTTP|RTSP)\/(\d(?:\.\d)?)\s+(\d{3})/;

/** The reply's head, or null when it does not start with an HTTP or RTSP status line. */
export function readMessageHead(reply: Buffer): MessageHead | null {
  const text = reply.toString('latin1');
  const status = STATUS_LINE.exec(text);
  if (status === null) return null;
  const headEnd = text.indexOf('\r\n\r\n');
  const head = headEnd < 0 ? text : text.slice(0, headEnd);
  const fields: Record<string, string> = {};
  const challenges: string[] = [];
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'www-authenticate') challenges.push(value);
    fields[name] = name in fields ? `${fields[name]}, ${value}` : value;
  }
  return { version: `${status[1]}/${status[2]}`, status: Number(status[3]), fields, challenges, body: headEnd < 0 ? Buffer.alloc(0) : reply.subarray(headEnd + 4) };
}

/**
 * The header section has ended, and so has the body when Content-Length gives it. Without a length an
 * HTTP body runs to the close (what the bounded read holds by then is enough), while an RTSP message
 * has none (RFC 2326 §12.14): `withoutLength` says which.
 */
export function messageComplete(reply: Buffer, withoutLength: 'runs-to-close' | 'no-body' = 'runs-to-close'): boolean {
  const headEnd = reply.indexOf('\r\n\r\n');
  if (headEnd < 0) return false;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(reply.subarray(0, headEnd).toString('latin1'));
  if (length === null) return withoutLength === 'no-body';
  return reply.length - headEnd - 4 >= Number(length[1]);
}

/** basic or digest, by the first challenge scheme jcstar's checks can speak. */
export function challengeScheme(challenges: string[]): 'basic' | 'digest' | null {
  for (const c of challenges) {
    const scheme = c.split(/\s/)[0]?.toLowerCase();
    if (scheme === 'basic' || scheme === 'digest') return scheme;
  }
  return null;
}
