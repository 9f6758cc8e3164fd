import { parseAuthHeader } from '../../../probes/digest/challenge.js';
import { probeRtspDescribe, type RtspDescribeResult } from '../../../probes/rtsp/describe.js';
import type { Service } from '../../../profile/types.js';
import type { CheckContext } from '../../../suite/context.js';
import { fail, inconclusive, pass, type CheckOutcome } from '../../../verdicts/outcome.js';

const MAX_PATHS = 8;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * What DESCRIBE without credentials showed over plain TCP. basic: a 401 offering Basic, which sends the
 * password base64-encoded; digest: a 401 offering Digest only; stream: the SDP came without credentials.
 */
type Finding = 'basic' | 'digest' | 'stream' | 'redirected' | 'unclear' | 'unanswered';

interface PathResult {
  path: string;
  finding: Finding;
  answer: string;
  seq: number;
}

function classify(result: RtspDescribeResult): { finding: Finding; answer: string } {
  if (result.outcome === 'error') return { finding: 'unanswered', answer: result.detail };
  const status = `RTSP ${result.status} ${result.reason}`.trim();
  if (REDIRECTS.has(result.status)) {
    const location = result.headers.location ?? '';
    return /^rtsps:\/\//i.test(location) ? { finding: 'redirected', answer: `${status} → ${location}` } : { finding: 'unclear', answer: `${status} → ${location || '(no Location)'}, not to RTSPS` };
  }
  if (result.status === 401) {
    const schemes = parseAuthHeader(result.headers['www-authenticate'] ?? '').map((i) => i.scheme.toLowerCase());
    if (schemes.includes('basic')) return { finding: 'basic', answer: `${status}, WWW-Authenticate: Basic` };
    if (schemes.includes('digest')) return { finding: 'digest', answer: `${status}, WWW-Authenticate: Digest` };
    return { finding: 'unclear', answer: `${status} without a Basic or Digest challenge` };
  }
  if (result.status >= 200 && result.status < 300) return { finding: 'stream', answer: `${status}, stream description without credentials` };
  return { finding: 'unclear', answer: status };
}

function list(results: PathResult[]): string {
  return results.map((r) => `${r.path} (${r.answer}; evidence #${r.seq})`).join(', ');
}

/**
 * S1.1-12 on a plain-RTSP service: DESCRIBE of each stream path without credentials. Basic auth puts the
 * password on the wire; Digest keeps it off, but the stream itself, an asset, still crosses unencrypted.
 * Only a redirect to rtsps:// passes.
 */
export async function checkRtspPlaintext(ctx: CheckContext, service: Service): Promise<CheckOutcome> {
  const paths = (service.paths?.length ? service.paths : ['/']).slice(0, MAX_PATHS);
  const results: PathResult[] = [];
  for (const path of paths) {
    if (ctx.signal.aborted) break;
    const result = await probeRtspDescribe(ctx.net, { host: ctx.profile.target.address, port: service.port, path, signal: ctx.signal, timeoutMs: ctx.policy.budgets.replyTimeoutMs });
    const { finding, answer } = classify(result);
    const seq = ctx.evidence.record({
      kind: 'exchange',
      summary: `RTSP DESCRIBE ${path} over plain TCP, no credentials → ${answer}`,
      target: ctx.target,
      sent: result.sent,
      received: result.received || (result.outcome === 'error' ? result.detail : ''),
      data: { path, finding, status: result.outcome === 'answered' ? result.status : null },
    }).seq;
    results.push({ path, finding, answer, seq });
  }
  const where = `${service.port}/tcp`;
  const basic = results.filter((r) => r.finding === 'basic');
  if (basic.length) return fail(`${service.name}: RTSP Basic authentication over plain TCP exposes the password: ${list(basic)}`);
  const stream = results.filter((r) => r.finding === 'stream');
  if (stream.length) return fail(`${service.name}: RTSP on ${where} hands out the stream description without credentials, and the stream, an asset, is not encrypted: ${list(stream)}`);
  const digest = results.filter((r) => r.finding === 'digest');
  if (digest.length) return fail(`${service.name}: RTSP over plain TCP on ${where}: Digest keeps the password off the wire, but the stream, an asset, is not encrypted: ${list(digest)}`);
  if (results.length && results.every((r) => r.finding === 'redirected')) return pass(`${service.name}: every stream path redirects to RTSPS: ${list(results)}`);
  return inconclusive(`${service.name}: no stream path showed how it is protected on ${where}: ${list(results)}${service.paths?.length ? '' : '; declare the stream paths under services[].paths'}`);
}
