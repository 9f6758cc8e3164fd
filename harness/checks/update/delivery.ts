import { readFileSync } from 'node:fs';
import { performDeviceAction } from '../../actions/device-action.js';
import type { UpdateSettings } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import { madeUpCertificateFor } from '../../update/server/made-up-certificates.js';
import { startUpdateServer, type UpdateServer } from '../../update/server/update-server.js';
import type { DeviceFeedback, ImageVariant, ServeMode, UpdateRequestRecord } from '../../update/types.js';
import { awaitDeviceResponse } from './device-response.js';
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
  return {
    async deliver(ctx, variant, mode) {
      const since = { requests: server.requests.length, feedback: server.feedback.length };
      server.offer(variant, mode);
      {
        let trigger: string | null = null;
        if (update.trigger) {
          const done = await performDeviceAction(ctx, update.trigger, {});
          trigger = `${done.action}: ${done.ok ? 'done' : 'failed'} (${done.detail})`;
        }
        const response = await awaitDeviceResponse(server, since, update.waitSeconds * 1000, ctx.signal);
        const mine = () => server.requests.slice(since.requests).filter((r) => r.inScope);
        const fetched = () => mine().some((r) => r.servedSha256 !== undefined && (r.imageBytesSent ?? 0) > 0);
        const plainLinkIgnored = () => (mode.plainDownloadLink && mine().length > 0 && !fetched() ? 'it never fetched the plain-HTTP download link it was given' : null);
        const refusedNow = () => response.refusal !== null || server.feedback.slice(since.feedback).some((f) => f.finished === 'failure');
        return {
          get requests() {
            return server.requests.slice(since.requests);
          },
          get feedback() {
            return server.feedback.slice(since.feedback);
          },
          get contacted() {
            return mine().length > 0;
          },
          get fetched() {
            return fetched();
          },
          get refusal() {
            return response.refusal ?? plainLinkIgnored();
          },
          busy: response.download !== null || response.final !== null,
          refusedNow,
          trigger,
          done: () => server.withdraw(),
        };
      }
    },
    async close(ctx) {
      ctx.evidence.record({ kind: 'observation', summary: `the update server saw ${server.requests.length} request(s) and ${server.feedback.length} feedback report(s)`, data: { requests: server.requests, feedback: server.feedback } });
      await server.close();
    },
  };
}

function uploadDelivery(upload: Extract<NonNullable<UpdateSettings['mechanism']>, { upload: unknown }>['upload'], waitSeconds: number): Delivery {
  return {
    async deliver(ctx, variant, mode) {
      const answer = await uploadImage(ctx, upload, variant, mode.cutAtHalf, waitSeconds);
      const refusal = answer.status !== null && answer.status >= 400 ? `the upload was answered ${answer.detail.slice(0, 120)}` : null;
      return { requests: [], feedback: [], contacted: answer.status !== null, fetched: answer.status !== null, refusal, busy: refusal === null, refusedNow: () => refusal !== null, trigger: null, done: () => {} };
    },
    async close() {},
  };
}
