import type { GuardedNetwork } from '../../net/network.js';
import { classifyNetError } from '../../net/errors.js';
import { elapsed, type AuthObservation } from '../auth-observation.js';
import { RtspConnection } from './connection.js';
import { DESCRIBE_FIELDS, describeRtspResponse, fieldRecord, rtspUrl } from './message.js';

export interface RtspDescribeProbe {
  host: string;
  port: number;
  path: string;
  signal: AbortSignal;
  timeoutMs: number;
}

/** What the server answered to a DESCRIBE without credentials, whatever the status. */
export interface RtspDescribeReply {
  outcome: 'answered';
  status: number;
  reason: string;
  /** Lower-case names; repeated fields joined with ", ". */
  headers: Record<string, string>;
  body: string;
  sent: string;
  received: string;
  rawReceived: Buffer;
  latencyMs: number;
}

export type RtspDescribeResult = RtspDescribeReply | (AuthObservation & { outcome: 'error' });

/** One unauthenticated DESCRIBE: does the stream description (and so the stream) need credentials? */
export async function probeRtspDescribe(net: GuardedNetwork, probe: RtspDescribeProbe): Promise<RtspDescribeResult> {
  const started = process.hrtime.bigint();
  const url = rtspUrl(probe.host, probe.port, probe.path);
  let connection: RtspConnection | undefined;
  try {
    connection = await RtspConnection.open(net, probe.host, probe.port, probe);
    const response = await connection.request('DESCRIBE', url, DESCRIBE_FIELDS, probe);
    return {
      outcome: 'answered',
      status: response.status,
      reason: response.reason,
      headers: fieldRecord(response),
      body: response.body.toString('utf8'),
      sent: connection.sent.join('\r\n'),
      received: describeRtspResponse(response),
      rawReceived: connection.rawReceived,
      latencyMs: elapsed(started),
    };
  } catch (err) {
    const e = classifyNetError(err);
    return {
      outcome: 'error',
      failure: e.failure,
      detail: e.message,
      latencyMs: elapsed(started),
      sent: connection?.sent.join('\r\n') ?? '',
      received: '',
      ...(connection?.rawReceived.length ? { rawReceived: connection.rawReceived } : {}),
    };
  } finally {
    connection?.close();
  }
}
