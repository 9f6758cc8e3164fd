import { readFileSync } from 'node:fs';
import { performDeviceAction } from '../../actions/device-action.js';
import type { UpdateSettings } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import { madeUpCertificateFor } from '../../update/server/made-up-certificates.js';
import { startUpdateServer, type UpdateServer } from '../../update/server/update-server.js';
import type { DeviceFeedback, ImageVariant, ServeMode, UpdateRequestRecord } from '../../update/types.js';
import { awaitDeviceResponse, traceOffer } from './device-response.js';
import { uploadImage } from './upload.js';

/** What the device did with one image jcstar put in its way. */
export interface Delivered {
  requests: UpdateRequestRecord[];
  feedback: DeviceFeedback[];
  contacted: boolean;
  fetched: boolean;
  /** The device refused the channel or the image outright (TLS failure, a plain link not followed, an upload answered 4xx). */
  refusal: string | null;
  /** It is busy with the image (downloaded it, or reported on it): the version gets the whole wait to change. */
  busy: boolean;
  /** The image could not be put before the device at all (an upload answered 503, a connection failure). */
  deliveryFailure: string | null;
  /** Whether a refusal has shown by now (a failure report may come while the version is read). */
  refusedNow(): boolean;
  trigger: string | null;
  /** The attempt is judged: stop offering (a device still reporting on it is not cut off before). */
  done(): void;
}

/** How images reach the device: jcstar's update server (the device pulls), or an upload as the user would. */
export interface Delivery {
  deliver(ctx: CheckContext, variant: ImageVariant, mode: ServeMode): Promise<Delivered>;
  close(ctx: CheckContext): Promise<void>;
}

export async function openDelivery(ctx: CheckContext, update: UpdateSettings): Promise<Delivery> {
  const mechanism = update.mechanism!;
  if ('upload' in mechanism) return uploadDelivery(mechanism.upload, update.waitSeconds);
  const server = update.server!;
  const updateServer = await startUpdateServer({
    address: server.address,
    port: server.port,
    plainPort: server.plainPort,
    tls: server.tls ? (server.certificate && server.key ? { certificate: readFileSync(server.certificate, 'utf8'), key: server.key.reveal() } : await madeUpCertificateFor(server.address)) : null,
    guard: ctx.net.guard,
    protocol: mechanism.pull.protocol,
    tenant: mechanism.pull.tenant,
    controllerId: mechanism.pull.controllerId,
    manifestPath: mechanism.pull.manifestPath,
  });
  const made = server.tls && !server.certificate ? '; no genuine certificate was given, so it presents one jcstar made up' : '';
  ctx.evidence.record({ kind: 'note', summary: `jcstar's update server listens at ${updateServer.urls.api}${updateServer.urls.plain ? ` and ${updateServer.urls.plain}` : ''} and answers only clients in the scope${made}`, data: { urls: updateServer.urls, redirect: server.redirect } });
  return serverDelivery(updateServer, update);
}

function serverDelivery(server: UpdateServer, update: UpdateSettings): Delivery {
  const manifestPath = update.mechanism && 'pull' in update.mechanism && update.mechanism.pull.protocol === 'manifest' ? (update.mechanism.pull.manifestPath ?? '/manifest.json') : null;
  return {
    async deliver(ctx, variant, mode) {
      const since = server.requests.length;
      const sinceFeedback = server.feedback.length;
      const offered = () => traceOffer(server, { offerId: server.offer(variant, mode), device: ctx.profile.target.address, since, sinceFeedback, mode, manifestPath });
      let trace = offered();
      let trigger: string | null = null;
      if (update.trigger) {
        const done = await performDeviceAction(ctx, update.trigger, {});
        trigger = `${done.action}: ${done.ok ? 'done' : 'failed'} (${done.detail})`;
      }
      await awaitDeviceResponse(trace, update.waitSeconds * 1000, ctx.signal);
      // A final report on an offer the device never took up is its report on an earlier one: suricatta, back
      // from an install, reports its state on whatever action is offered then. The image is offered once more.
      if (trace.final() && !trace.tookUp() && !trace.download()) {
        ctx.evidence.record({ kind: 'note', summary: `the device reported "${trace.final()!.finished}" on an offer it never took up (a report on an earlier action); the image is offered again` });
        trace = offered();
        await awaitDeviceResponse(trace, update.waitSeconds * 1000, ctx.signal);
      }
      const busy = trace.download() !== null || trace.final() !== null;
      const refusal = () => trace.certificateRefusal() ?? (mode.plainDownloadLink && trace.tookUp() && !trace.download() ? 'it took up the offer and never fetched the plain-HTTP download link it was given' : null);
      return {
        get requests() {
          return trace.requests();
        },
        get feedback() {
          return trace.feedback();
        },
        get contacted() {
          return trace.requests().length > 0;
        },
        get fetched() {
          return trace.download() !== null;
        },
        get refusal() {
          return refusal();
        },
        deliveryFailure: null,
        busy,
        refusedNow: () => trace.certificateRefusal() !== null || trace.final()?.finished === 'failure',
        trigger,
        done: () => server.withdraw(),
      };
    },
    async close(ctx) {
      await server.close();
      ctx.evidence.record({ kind: 'observation', summary: `the update server saw ${server.requests.length} request(s) and ${server.feedback.length} feedback report(s)${server.dropped.requests + server.dropped.connections > 0 ? `; beyond its bounds it dropped ${server.dropped.requests} record(s) and ${server.dropped.connections} connection(s)` : ''}`, data: { requests: server.requests, feedback: server.feedback, dropped: server.dropped } });
    },
  };
}

/** Upload answers that reject the image itself; any other error (401, 429, 5xx…) leaves the attempt undecided. */
const REJECTS_IMAGE = new Set([400, 406, 409, 412, 413, 415, 422]);

function uploadDelivery(upload: Extract<NonNullable<UpdateSettings['mechanism']>, { upload: unknown }>['upload'], waitSeconds: number): Delivery {
  return {
    async deliver(ctx, variant, mode) {
      const answer = await uploadImage(ctx, upload, variant, mode.cutAtHalf, waitSeconds);
      const status = answer.status;
      const refusal = status !== null && REJECTS_IMAGE.has(status) ? `the upload was answered ${answer.detail.slice(0, 120)}` : null;
      const deliveryFailure = status === null ? `the upload failed: ${answer.detail}` : status >= 400 && !REJECTS_IMAGE.has(status) ? `the upload was answered ${answer.detail.slice(0, 120)}, which does not say the image was refused` : null;
      return { requests: [], feedback: [], contacted: status !== null, fetched: status !== null, refusal, deliveryFailure, busy: refusal === null && deliveryFailure === null, refusedNow: () => refusal !== null || deliveryFailure !== null, trigger: null, done: () => {} };
    },
    async close() {},
  };
}
