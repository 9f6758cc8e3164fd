import { updateRequest, type UpdateChannel, type UpdateResponse } from './update-transport.js';

/**
 * The device side of hawkBit's Direct Device Integration API, as far as a firmware update needs it:
 * poll the controller resource, read the deployment it links to, download its artifact, report feedback.
 * https://eclipse.dev/hawkbit/apis/ddi_api/
 */

export interface HawkbitEndpoint {
  /** The update server as the device is configured with it, e.g. https://127.0.0.2:8443. */
  server: URL;
  tenant: string;
  controllerId: string;
}

/** The artifact a deployment asks the device to install (the first of its first chunk). */
export interface OfferedArtifact {
  actionId: string;
  filename: string;
  size: number | null;
  sha256: string | null;
  /** `download` (meant for HTTPS) and `download-http`, as the server gave them. */
  links: { download?: string; 'download-http'?: string };
}

type Step<T> = { ok: true; value: T } | { ok: false; reason: string };

const MAX_JSON_BYTES = 64 * 1024;

function controllerBase(endpoint: HawkbitEndpoint): string {
  const server = endpoint.server.href.replace(/\/+$/, '');
  return `${server}/${encodeURIComponent(endpoint.tenant)}/controller/v1/${encodeURIComponent(endpoint.controllerId)}`;
}

async function getJson(url: URL, channel: UpdateChannel): Promise<Step<unknown>> {
  const exchange = await updateRequest(url, { method: 'GET', maxBytes: MAX_JSON_BYTES }, channel);
  if (!exchange.ok) return exchange;
  const { response } = exchange;
  if (response.status !== 200) return { ok: false, reason: `GET ${url.pathname}: HTTP ${response.status}` };
  if (!response.complete) return { ok: false, reason: `GET ${url.pathname}: the answer broke off` };
  try {
    return { ok: true, value: JSON.parse(response.body.toString('utf8')) as unknown };
  } catch {
    return { ok: false, reason: `GET ${url.pathname}: the answer is not JSON` };
  }
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function href(link: unknown): string | undefined {
  const value = record(link).href;
  return typeof value === 'string' ? value : undefined;
}

function resolveLink(link: string, base: URL): Step<URL> {
  try {
    return { ok: true, value: new URL(link, base) };
  } catch {
    return { ok: false, reason: `unusable link ${JSON.stringify(link.slice(0, 200))}` };
  }
}

/** The deploymentBase link of the controller resource, or null when the server has nothing to install. */
export async function pollController(endpoint: HawkbitEndpoint, channel: UpdateChannel): Promise<Step<URL | null>> {
  const url = new URL(controllerBase(endpoint));
  const answer = await getJson(url, channel);
  if (!answer.ok) return answer;
  const link = href(record(record(answer.value)._links).deploymentBase);
  return link === undefined ? { ok: true, value: null } : resolveLink(link, url);
}

/** The artifact a deploymentBase resource offers. */
export async function readDeployment(deploymentBase: URL, channel: UpdateChannel): Promise<Step<OfferedArtifact>> {
  const answer = await getJson(deploymentBase, channel);
  if (!answer.ok) return answer;
  const action = record(answer.value);
  const actionId = typeof action.id === 'string' || typeof action.id === 'number' ? String(action.id) : null;
  if (actionId === null) return { ok: false, reason: 'the deployment has no action id' };
  const chunks = record(action.deployment).chunks;
  const artifacts = Array.isArray(chunks) ? record(chunks[0]).artifacts : undefined;
  const artifact = Array.isArray(artifacts) ? record(artifacts[0]) : null;
  if (artifact === null) return { ok: false, reason: `deployment ${actionId} offers no artifact` };
  const links = record(artifact._links);
  const sha256 = record(artifact.hashes).sha256;
  return {
    ok: true,
    value: {
      actionId,
      filename: typeof artifact.filename === 'string' ? artifact.filename : 'firmware',
      size: typeof artifact.size === 'number' && Number.isSafeInteger(artifact.size) ? artifact.size : null,
      sha256: typeof sha256 === 'string' ? sha256.toLowerCase() : null,
      links: { download: href(links.download), 'download-http': href(links['download-http']) },
    },
  };
}

/** Downloads an artifact from `link` (relative links resolve against the server). */
export async function downloadArtifact(link: string, endpoint: HawkbitEndpoint, maxBytes: number, channel: UpdateChannel): Promise<Step<UpdateResponse>> {
  const url = resolveLink(link, endpoint.server);
  if (!url.ok) return url;
  const exchange = await updateRequest(url.value, { method: 'GET', maxBytes }, channel);
  if (!exchange.ok) return exchange;
  if (exchange.response.status !== 200) return { ok: false, reason: `download ${url.value.href}: HTTP ${exchange.response.status}` };
  return { ok: true, value: exchange.response };
}

/** Closes the action with its result, at deploymentBase/{id}/feedback on the configured server. */
export async function sendFeedback(endpoint: HawkbitEndpoint, actionId: string, finished: 'success' | 'failure', details: string[], channel: UpdateChannel): Promise<Step<number>> {
  const url = new URL(`${controllerBase(endpoint)}/deploymentBase/${encodeURIComponent(actionId)}/feedback`);
  const json = { id: actionId, status: { execution: 'closed', result: { finished }, details } };
  const exchange = await updateRequest(url, { method: 'POST', json, maxBytes: MAX_JSON_BYTES }, channel);
  return exchange.ok ? { ok: true, value: exchange.response.status } : exchange;
}
