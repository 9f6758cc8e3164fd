import { basicAuthorization } from '../../probes/http/basic-auth.js';
import { randomBytes } from 'node:crypto';
import { classifyNetError } from '../../net/errors.js';
import { httpExchange } from '../../probes/http/exchange.js';
import type { UpdateSettings } from '../../profile/types.js';
import type { CheckContext } from '../../suite/context.js';
import type { ImageVariant } from '../../update/types.js';

type Upload = Extract<NonNullable<UpdateSettings['mechanism']>, { upload: unknown }>['upload'];

/** What the device answered to an uploaded image. */
export interface UploadAnswer {
  status: number | null;
  detail: string;
  bytesSent: number;
}

/** Uploading takes longer than a login reply: a device may verify the whole image before it answers. */
const UPLOAD_TIMEOUT_FLOOR_MS = 60_000;

/**
 * Plays the user uploading an image through the device's web UI, with the service's credential over HTTP
 * Basic (or none). `cut` sends the first half only, as a download cut off half way would deliver it.
 */
export async function uploadImage(ctx: CheckContext, upload: Upload, variant: ImageVariant, cut: boolean, waitSeconds: number): Promise<UploadAnswer> {
  const service = ctx.profile.services.find((s) => s.name === upload.service)!;
  const credential = service.credential === undefined ? undefined : ctx.profile.credentials[service.credential];
  const image = cut ? variant.bytes.subarray(0, Math.floor(variant.bytes.length / 2)) : variant.bytes;
  const boundary = `jcstar-${randomBytes(8).toString('hex')}`;
  const body = upload.field
    ? Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${upload.field}"; filename="update.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`), image, Buffer.from(`\r\n--${boundary}--\r\n`)])
    : image;
  const basic = service.auth === 'basic' && credential?.username !== undefined && credential.password !== undefined;
  if (basic) await ctx.net.authAttempt(ctx.signal);
  const target = { host: ctx.profile.target.address, port: service.port, protocol: service.protocol, transport: service.transport };
  const sent = `${upload.method} ${upload.path} (${image.length} image bytes${upload.field ? ` in form field ${upload.field}` : ''}, sha256 ${variant.sha256}${cut ? ', cut at half' : ''})`;
  try {
    const res = await httpExchange(ctx.net, {
      host: target.host,
      port: service.port,
      tls: service.protocol === 'https',
      method: upload.method,
      path: upload.path,
      headers: {
        'Content-Type': upload.field ? `multipart/form-data; boundary=${boundary}` : 'application/octet-stream',
        ...(basic ? { Authorization: basicAuthorization(credential!.username!, credential!.password!) } : {}),
      },
      body,
      signal: ctx.signal,
      timeoutMs: Math.max(UPLOAD_TIMEOUT_FLOOR_MS, waitSeconds * 1000),
    });
    const detail = `HTTP ${res.status} ${res.body.toString('utf8').slice(0, 200)}`;
    ctx.evidence.record({ kind: 'exchange', summary: `uploaded ${variant.attempt} image → HTTP ${res.status}`, target, sent, received: detail, data: { attempt: variant.attempt, status: res.status } });
    return { status: res.status, detail, bytesSent: image.length };
  } catch (err) {
    const { message } = classifyNetError(err);
    ctx.evidence.record({ kind: 'exchange', summary: `uploaded ${variant.attempt} image → ${message}`, target, sent, data: { attempt: variant.attempt, status: null } });
    return { status: null, detail: message, bytesSent: image.length };
  }
}
