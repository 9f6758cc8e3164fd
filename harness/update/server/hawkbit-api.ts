import type { DeviceFeedback } from '../types.js';
import { answerEmpty, answerJson, jsonBody, type Exchange } from './exchange.js';
import type { OfferBoard } from './offers.js';

/**
 * The part of hawkBit's Direct Device Integration API (https://eclipse.dev/hawkbit/apis/ddi_api/) that
 * an update client needs to find, fetch and report on one deployment, in the shape SWUpdate's suricatta
 * (suricatta/server_hawkbit.c, 2022.12) reads:
 * - the poll: `config.polling.sleep` as "HH:MM:SS" (a reply without it is refused as malformed), and
 *   `_links.deploymentBase.href` only while an image is offered;
 * - the deployment: `id`, `deployment.update` (suricatta asserts it is a string) and `deployment.chunks[]`
 *   with `part`, `name`, `version` and `artifacts[]` of `filename` (only *.swu are installed),
 *   `hashes.sha1` (compared with the download), `size` (an integer) and `_links.download.href` or
 *   `_links["download-http"].href`;
 * - feedback: POST …/deploymentBase/{id}/feedback with `status.execution`, `status.result.finished` and
 *   `status.details[]`; and PUT …/configData with the device's attributes, which is accepted.
 */

export interface HawkbitSettings {
  tenant: string;
  /** Only this controller is answered; absent: any. */
  controllerId?: string;
  pollSeconds: number;
}

const MAX_DETAILS = 64;
const MAX_DETAIL_CHARS = 512;
const CONTROLLER_PATH = /^\/([^/]+)\/controller\/v1\/([^/]+)(?:\/(configData|deploymentBase\/([^/]+)(\/feedback)?))?\/?$/;

/** hawkBit announces the poll interval as a duration "HH:MM:SS". */
export function pollingSleep(seconds: number): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value.slice(0, MAX_DETAIL_CHARS) : undefined;
}

/** DeviceFeedback from a feedback body; fields the device left out stay absent. */
export function feedbackOf(actionId: string, body: unknown, at: string): DeviceFeedback {
  const status = (body as { status?: { execution?: unknown; result?: { finished?: unknown }; details?: unknown } } | null)?.status;
  const details = Array.isArray(status?.details) ? status.details : [];
  return {
    at,
    actionId,
    execution: text(status?.execution),
    finished: text(status?.result?.finished),
    details: details.slice(0, MAX_DETAILS).map((d) => text(d) ?? JSON.stringify(d).slice(0, MAX_DETAIL_CHARS)),
  };
}

/** Answers a DDI request; false when the path is none of the API's (the caller answers 404). */
export async function answerHawkbit(exchange: Exchange, settings: HawkbitSettings, offers: OfferBoard, onFeedback: (f: DeviceFeedback) => void): Promise<boolean> {
  const match = CONTROLLER_PATH.exec(exchange.pathname);
  if (!match) return false;
  const [, tenant, controllerId, resource, actionId, feedback] = match;
  if (tenant!.toLowerCase() !== settings.tenant.toLowerCase() || (settings.controllerId !== undefined && controllerId !== settings.controllerId)) return false;
  const method = exchange.request.method;
  const base = `${exchange.origin}/${tenant}/controller/v1/${controllerId}`;
  const offer = offers.current;

  if (resource === undefined && method === 'GET') {
    const links = offer ? { deploymentBase: { href: `${base}/deploymentBase/${offer.id}` } } : {};
    answerJson(exchange, 200, { config: { polling: { sleep: pollingSleep(settings.pollSeconds) } }, _links: links });
    return true;
  }
  if (resource === 'configData' && method === 'PUT') {
    if ((await jsonBody(exchange)) !== undefined) answerEmpty(exchange, 200);
    return true;
  }
  if (actionId !== undefined && feedback && method === 'POST') {
    const body = await jsonBody(exchange);
    if (body === undefined) return true;
    onFeedback(feedbackOf(actionId, body, new Date().toISOString()));
    answerEmpty(exchange, 200);
    return true;
  }
  if (actionId !== undefined && !feedback && method === 'GET') {
    if (!offer || offer.id !== actionId) return false;
    const url = exchange.downloadUrl(offer);
    answerJson(exchange, 200, {
      id: offer.id,
      deployment: {
        download: 'forced',
        update: 'forced',
        chunks: [{
          part: 'os',
          name: 'jcstar',
          version: offer.variant.version,
          artifacts: [{
            filename: offer.fileName,
            hashes: offer.hashes,
            size: offer.variant.bytes.length,
            // Both names carry the one URL the attempt serves from, whichever a client reads.
            _links: { download: { href: url }, 'download-http': { href: url } },
          }],
        }],
      },
    });
    return true;
  }
  return false;
}
