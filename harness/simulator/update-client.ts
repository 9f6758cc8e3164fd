import type { KeyObject } from 'node:crypto';
import { downloadArtifact, pollController, readDeployment, sendFeedback, type HawkbitEndpoint, type OfferedArtifact } from './update-hawkbit.js';
import { decideInstall, type UpdateBuild } from './update-install.js';
import type { UpdateChannel } from './update-transport.js';

/**
 * The simulated device's update client: a hawkBit DDI poller that checks every second and on demand,
 * installs what its build accepts (see update-install.ts), and reports each action's result back to the
 * server as hawkBit feedback. Installing means the device runs the image's version from then on.
 */

export interface UpdateClientOptions {
  build: UpdateBuild;
  /** The device's address: the client's connections leave from it. */
  localAddress: string;
  endpoint: HawkbitEndpoint;
  /** The CA the update server's certificate chains to (the secure build trusts only it). */
  updateCa: string;
  vendorKey: KeyObject;
  /** The version the device runs at start. */
  firmware: string;
  pollIntervalMs?: number;
}

/** What the client made of one action the server offered. */
export interface UpdateOutcome {
  actionId: string;
  finished: 'success' | 'failure';
  /** The version installed, or why nothing was. */
  detail: string;
  /** HTTP status of the feedback POST, or why it could not be sent. */
  feedback: number | string;
}

export interface UpdateClient {
  /** The version the device runs now. */
  readonly firmware: string;
  readonly outcomes: readonly UpdateOutcome[];
  /** Checks for an update now (or right after the check under way); resolves when that check is done. */
  checkNow(): Promise<void>;
  close(): Promise<void>;
}

export const UPDATE_POLL_INTERVAL_MS = 1000;
/** Polling stops after this long even if the device is never closed (a forgotten `jcstar simulate`). */
const MAX_POLLING_MS = 12 * 60 * 60 * 1000;
/** Far larger than any simulated image; a bigger download is refused unread. */
const MAX_IMAGE_BYTES = 16 * 1024 * 1024;
/** Outcomes kept for inspection; older ones are dropped. */
const MAX_OUTCOMES = 100;

export function startUpdateClient(options: UpdateClientOptions): UpdateClient {
  const abort = new AbortController();
  const channel: UpdateChannel = { localAddress: options.localAddress, ca: options.build === 'secure' ? options.updateCa : null, signal: abort.signal };
  const interval = options.pollIntervalMs ?? UPDATE_POLL_INTERVAL_MS;
  const stopPollingAt = Date.now() + MAX_POLLING_MS;
  let firmware = options.firmware;
  const outcomes: UpdateOutcome[] = [];
  /** What the last closed action offered: the same offer again is not installed twice. */
  let lastClosed: string | null = null;
  let current: Promise<void> | null = null;
  let again: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const finish = async (artifact: OfferedArtifact, finished: 'success' | 'failure', detail: string, details: string[]): Promise<void> => {
    lastClosed = offerKey(artifact);
    const feedback = await sendFeedback(options.endpoint, artifact.actionId, finished, details, channel);
    outcomes.push({ actionId: artifact.actionId, finished, detail, feedback: feedback.ok ? feedback.value : feedback.reason });
    if (outcomes.length > MAX_OUTCOMES) outcomes.shift();
  };

  const check = async (): Promise<void> => {
    const base = await pollController(options.endpoint, channel);
    if (!base.ok || base.value === null || closed) return;
    const offer = await readDeployment(base.value, channel);
    if (!offer.ok || closed) return;
    const artifact = offer.value;
    if (offerKey(artifact) === lastClosed) return;
    const link = artifact.links.download ?? artifact.links['download-http'];
    if (link === undefined) return finish(artifact, 'failure', 'no download link', ['the deployment gives no download link']);
    const download = await downloadArtifact(link, options.endpoint, MAX_IMAGE_BYTES, channel);
    if (closed) return;
    if (!download.ok) return finish(artifact, 'failure', download.reason, [`download refused or failed: ${download.reason}`, `still running ${firmware}`]);
    const decision = decideInstall(artifact, download.value, { build: options.build, running: firmware, vendorKey: options.vendorKey });
    if (!decision.install) return finish(artifact, 'failure', decision.reason, [`image refused: ${decision.reason}`, `still running ${firmware}`]);
    firmware = decision.version;
    return finish(artifact, 'success', decision.version, decision.details);
  };

  const run = (): Promise<void> => {
    if (current) return (again ??= current.then(run));
    current = check()
      .catch(() => { /* every step reports its failures as values; nothing here may stop the poller */ })
      .finally(() => {
        current = null;
        again = null;
      });
    return current;
  };

  const schedule = (): void => {
    if (closed || Date.now() > stopPollingAt) return;
    timer = setTimeout(() => void run().then(schedule), interval);
    timer.unref();
  };
  schedule();

  return {
    get firmware() {
      return firmware;
    },
    outcomes,
    checkNow: () => (closed ? Promise.resolve() : run()),
    close: async () => {
      closed = true;
      clearTimeout(timer);
      abort.abort();
      await current;
    },
  };
}

function offerKey(artifact: OfferedArtifact): string {
  return JSON.stringify([artifact.actionId, artifact.sha256, artifact.size, artifact.links]);
}
