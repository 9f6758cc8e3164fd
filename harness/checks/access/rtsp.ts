import { probeRtspDescribe, type RtspDescribeResult } from '../../probes/rtsp/describe.js';
import type { Service } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import type { CheckOutcome } from '../../verdicts/outcome.js';
import { judgeAccess, subjectOf, type Reach, type Trial } from './judge.js';

const MAX_PATHS = 8;

function classify(result: RtspDescribeResult): { reach: Reach; answer: string } {
  if (result.outcome === 'error') return { reach: 'unanswered', answer: result.detail };
  const status = `RTSP ${result.status} ${result.reason}`;
  // The stream description is what a player needs to pull the video: having it is having the stream.
  const sdp = /application\/sdp/i.test(result.headers['content-type'] ?? '') || /^v=0\r?$/m.test(result.body);
  if (result.status >= 200 && result.status < 300) return sdp ? { reach: 'reached', answer: `${status} with an SDP stream description` } : { reach: 'other', answer: `${status} without SDP` };
  if (result.status === 401 || result.status === 403) return { reach: 'refused', answer: status };
  if (result.status === 404) return { reach: 'absent', answer: status };
  return { reach: 'other', answer: status };
}

/** S1.1-01 on an RTSP service: DESCRIBE of each declared stream path (or /) without credentials. */
export async function checkRtspAccess(ctx: CheckContext, service: Service): Promise<CheckOutcome> {
  const paths = (service.paths?.length ? service.paths : ['/']).slice(0, MAX_PATHS);
  const trials: Trial[] = [];
  for (const path of paths) {
    if (ctx.signal.aborted) break;
    const result = await probeRtspDescribe(ctx.net, { host: ctx.profile.target.address, port: service.port, path, signal: ctx.signal, timeoutMs: ctx.policy.budgets.replyTimeoutMs });
    const { reach, answer } = classify(result);
    const evidence = ctx.evidence.record({
      kind: 'observation',
      summary: `DESCRIBE ${path} without credentials → ${answer}`,
      target: ctx.target,
      sent: result.sent,
      received: result.received,
      data: { resource: path, reach, status: result.outcome === 'answered' ? result.status : null },
      artifacts: result.rawReceived?.length ? [{ name: `describe-${path.replace(/[^A-Za-z0-9]+/g, '-')}-response.bin`, bytes: result.rawReceived, mediaType: 'application/octet-stream' }] : [],
    });
    trials.push({ resource: path, reach, protected: false, answer, seq: evidence.seq });
  }
  return judgeAccess(ctx, subjectOf(service), trials, service.paths?.length ? '' : 'declare the stream paths under services[].paths');
}
