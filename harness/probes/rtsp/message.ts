import { NetError } from '../../net/errors.js';

/** An RTSP/1.0 message as framed on the wire (RFC 2326 §4): start line, header fields, Content-Length body. */
export interface RtspMessage {
  startLine: string;
  /** Header fields in the order sent, names as sent. */
  fields: Array<[string, string]>;
  body: Buffer;
}

export interface RtspResponse extends RtspMessage {
  status: number;
  reason: string;
}

/** What jcstar's DESCRIBE asks for: the stream's SDP description. */
export const DESCRIBE_FIELDS: Record<string, string> = { Accept: 'application/sdp', 'User-Agent': 'jcstar' };

const MAX_HEAD = 16 * 1024;
const MAX_BODY = 1024 * 1024;
const STATUS_LINE = /^RTSP\/\d\.\d\s+(\d{3})(?:\s+(.*))?$/;
const BODY_EXCERPT = 512;

export function fieldValues(message: RtspMessage, name: string): string[] {
  const key = name.toLowerCase();
  return message.fields.filter(([n]) => n.toLowerCase() === key).map(([, v]) => v);
}

export function field(message: RtspMessage, name: string): string | undefined {
  return fieldValues(message, name)[0];
}

/** Header fields keyed by lower-case name, repeated fields joined with ", " as node:http does. */
export function fieldRecord(message: RtspMessage): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of message.fields) {
    const key = name.toLowerCase();
    record[key] = key in record ? `${record[key]}, ${value}` : value;
  }
  return record;
}

/** Splits a byte stream into RTSP messages; throws NetError('protocol') on framing it cannot follow. */
export class RtspMessageReader {
  #buffer = Buffer.alloc(0);

  push(chunk: Buffer): RtspMessage[] {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    const messages: RtspMessage[] = [];
    for (;;) {
      const headEnd = this.#buffer.indexOf('\r\n\r\n');
      if (headEnd < 0) {
        if (this.#buffer.length > MAX_HEAD) throw new NetError('protocol', `RTSP header section exceeds ${MAX_HEAD} bytes`);
        return messages;
      }
      const [startLine = '', ...lines] = this.#buffer.subarray(0, headEnd).toString('latin1').split('\r\n');
      const fields: Array<[string, string]> = [];
      for (const line of lines) {
        const last = fields.at(-1);
        if (/^[ \t]/.test(line) && last) {
          last[1] = `${last[1]} ${line.trim()}`;
          continue;
        }
        const colon = line.indexOf(':');
        if (colon <= 0) throw new NetError('protocol', `malformed RTSP header line: ${JSON.stringify(line.slice(0, 80))}`);
        fields.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
      }
      const lengthText = fields.find(([n]) => n.toLowerCase() === 'content-length')?.[1] ?? '0';
      const length = /^\d+$/.test(lengthText) ? Number(lengthText) : NaN;
      if (!(length <= MAX_BODY)) throw new NetError('protocol', `unusable RTSP Content-Length: ${JSON.stringify(lengthText.slice(0, 40))}`);
      const bodyStart = headEnd + 4;
      if (this.#buffer.length < bodyStart + length) return messages;
      messages.push({ startLine, fields, body: Buffer.from(this.#buffer.subarray(bodyStart, bodyStart + length)) });
      this.#buffer = this.#buffer.subarray(bodyStart + length);
    }
  }
}

export function asResponse(message: RtspMessage): RtspResponse {
  const m = STATUS_LINE.exec(message.startLine);
  if (!m) throw new NetError('protocol', `not an RTSP response: ${JSON.stringify(message.startLine.slice(0, 80))}`);
  return { ...message, status: Number(m[1]), reason: m[2] ?? '' };
}

export function formatRtspMessage(startLine: string, fields: Array<[string, string]>, body = ''): string {
  return [startLine, ...fields.map(([n, v]) => `${n}: ${v}`), '', body].join('\r\n');
}

/** Status line, fields and a body excerpt, for transcripts. */
export function describeRtspResponse(response: RtspResponse): string {
  return formatRtspMessage(response.startLine, response.fields, response.body.subarray(0, BODY_EXCERPT).toString('utf8'));
}

/** The request URL: rtsp://host:port/path, with an IPv6 literal in brackets. */
export function rtspUrl(host: string, port: number, path: string): string {
  return `rtsp://${host.includes(':') ? `[${host}]` : host}:${port}${path.startsWith('/') ? path : `/${path}`}`;
}
