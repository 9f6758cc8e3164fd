import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CheckContext } from '../../suite/context.js';
import type { UpdateSettings } from '../../profile/types.js';
import { readFirmwareVersion } from '../../probes/firmware-version/read.js';
import { performDeviceAction } from '../../actions/device-action.js';
import { startUpdateServer, type UpdateServer } from '../../update/server/server.js';
import { imageVariant, makeAttackVariants } from '../../update/variants.js';
import { verifyImage } from '../../update/verify-image.js';
import type { ImageVariant, UpdateAttempt, VersionReading } from '../../update/types.js';
import { ATTACKS, ATTEMPT_TITLES, serveModeFor } from './attempt-plan.js';
import { awaitDeviceResponse, type DeviceResponse } from './device-response.js';
import { versionChanged, type AttemptRecord } from './attempt-record.js';

/** Everything the hands-on update trial established, shared by the S1.1-06 and S1.1-08 checks of one run. */
export interface UpdateTrialResult {
  /** Why no attempt could be judged (profile gap, genuine image does not verify, version unreadable); else null. */
  blocked: string | null;
  attempts: AttemptRecord[];
  /** Some attempt changed the running version: the device's update path works, so its refusals mean something. */
  updatePathWorks: boolean;
}

type RunningVersion = Extract<VersionReading, { ok: true }>;

/** Version polls while an image may be being applied. */
const SETTLE_POLL_MS = 1000;
/** After a final report or a refused certificate, the device gets this long to show a change anyway. */
const GRACE_MS = 2000;

/**
 * The hands-on trial, run once per run by whichever update check needs it first. Every attack that reuses
 * the genuine image is served before the genuine image itself: once the device runs the genuine version,
 * a tampered copy it took could no longer be told apart. The control still decides whether any refusal
 * counts (updatePathWorks), and the rollback comes last, once the device runs the newer version.
 */
export class UpdateTrial {
  #result: Promise<UpdateTrialResult> | null = null;

  obtain(ctx: CheckContext): Promise<UpdateTrialResult> {
    this.#result ??= runTrial(ctx).catch((err: unknown) => ({ blocked: `the update trial failed: ${(err as Error).message}`, attempts: [], updatePathWorks: false }));
    return this.#result;
  }
}

async function runTrial(ctx: CheckContext): Promise<UpdateTrialResult> {
  const update = ctx.profile.update;
  const missing = handsOnGap(update);
  if (missing || !update?.images || !update.server || !update.version) return { blocked: missing ?? 'incomplete update section', attempts: [], updatePathWorks: false };
  const { images } = update;
  const genuine = readFileSync(images.genuine.file);
  const checked = verifyImage(images.format, genuine, images.signingKey);
  ctx.evidence.record({ kind: 'observation', summary: `the profile's genuine image ${checked.ok ? 'verifies' : 'does not verify'} with the declared signing key`, data: { file: images.genuine.file, format: images.format, verification: checked } });
  if (!checked.ok) return { blocked: `the profile's genuine image does not verify with update.images.signingKey (${checked.reason}); fix the profile before any attack can be judged`, attempts: [], updatePathWorks: false };

  const variants = new Map<UpdateAttempt, ImageVariant>();
  for (const v of makeAttackVariants({ format: images.format, genuine, genuineVersion: images.genuine.version, signingKeyPem: readFileSync(images.signingKey, 'utf8') })) variants.set(v.attempt, v);
  for (const attempt of ['genuine', 'untrusted-certificate', 'plain-http', 'cut-download'] as const) variants.set(attempt, imageVariant(attempt, images.format, genuine, images.genuine.version));
  if (images.older) variants.set('rollback', imageVariant('rollback', images.format, readFileSync(images.older.file), images.older.version));

  const server = await startUpdateServer({
    address: update.server.address,
    port: update.server.port,
    plainPort: update.server.plainPort,
    tls: update.server.tls ? (update.server.certificate && update.server.key ? { certificate: readFileSync(update.server.certificate, 'utf8'), key: update.server.key.reveal() } : null) : null,
    guard: ctx.net.guard,
    protocol: 'pull' in update.mechanism! ? update.mechanism.pull.protocol : 'manifest',
    ...('pull' in update.mechanism! ? { tenant: update.mechanism.pull.tenant, controllerId: update.mechanism.pull.controllerId, manifestPath: update.mechanism.pull.manifestPath } : {}),
  });
  ctx.evidence.record({ kind: 'note', summary: `jcstar's update server listens at ${server.urls.api}${server.urls.plain ? ` and ${server.urls.plain}` : ''}; it answers only clients in the scope`, data: { urls: server.urls, redirect: update.server.redirect } });
  const attempts: AttemptRecord[] = [];
  try {
    const first = await readFirmwareVersion(ctx, update.version);
    if (!first.ok) return { blocked: `the running firmware version cannot be read (${first.reason}): without it no update can be judged`, attempts, updatePathWorks: false };
    let version: RunningVersion = first;
    for (const attempt of [...ATTACKS, 'genuine', 'rollback'] as const) {
      if (ctx.signal.aborted) break;
      const record = await runAttempt(ctx, update, server, attempt, variants.get(attempt) ?? null, version);
      attempts.push(record);
      if (record.after?.ok) version = record.after;
      // A device that took an attack now runs the image's version, and would hide the next attack that
      // states it: serving the older genuine image puts it back, where the device allows rollback at all.
      const older = variants.get('rollback');
      if (older && versionChanged(record) && ATTACKS.includes(attempt as (typeof ATTACKS)[number]) && older.version !== version.version) {
        const restore: AttemptRecord = { ...(await runAttempt(ctx, update, server, 'rollback', older, version)), purpose: 'restore' };
        attempts.push(restore);
        if (restore.after?.ok) version = restore.after;
      }
    }
  } finally {
    ctx.evidence.record({ kind: 'observation', summary: `the update server saw ${server.requests.length} request(s) and ${server.feedback.length} feedback report(s)`, data: { requests: server.requests, feedback: server.feedback } });
    await server.close();
  }
  return { blocked: null, attempts, updatePathWorks: attempts.some(versionChanged) };
}

/** What a profile lacks for the hands-on trial, or null. */
export function handsOnGap(update: UpdateSettings | null): string | null {
  const needs = (['version', 'mechanism', 'server', 'images'] as const).filter((k) => !update?.[k]);
  return needs.length > 0 ? `the hands-on update trial needs ${needs.map((k) => `update.${k}`).join(', ')} in the profile` : null;
}

async function runAttempt(ctx: CheckContext, update: UpdateSettings, server: UpdateServer, attempt: UpdateAttempt, variant: ImageVariant | null, before: RunningVersion): Promise<AttemptRecord> {
  const started = Date.now();
  const base: AttemptRecord = { attempt, purpose: 'test', skipped: null, image: null, mode: null, before, after: null, requests: [], feedback: [], fetched: false, refusedChannel: null, contacted: false, trigger: null, healthy: null, durationMs: 0 };
  const mode = serveModeFor(attempt, update);
  if ('notApplicable' in mode) return { ...base, skipped: { reason: mode.notApplicable, notApplicable: true } };
  if ('needs' in mode) return { ...base, skipped: { reason: mode.needs, notApplicable: false } };
  if (!variant) return { ...base, skipped: { reason: attempt === 'rollback' ? 'the rollback test needs an older, genuinely signed image: give update.images.older' : `no ${attempt} image could be made`, notApplicable: false } };
  if (variant.version === before.version) {
    return { ...base, skipped: { reason: `the device already runs ${before.version}, the version ${ATTEMPT_TITLES[attempt]} states: taking it could not be seen`, notApplicable: false } };
  }
  const requestsBefore = server.requests.length;
  const feedbackBefore = server.feedback.length;
  server.offer(variant, mode);
  const waitMs = update.waitSeconds * 1000;
  let trigger: string | null = null;
  try {
    if (update.trigger) {
      const done = await performDeviceAction(ctx, update.trigger, {});
      trigger = `${done.action}: ${done.ok ? 'done' : 'failed'} (${done.detail})`;
    }
    const response = await awaitDeviceResponse(server, { requests: requestsBefore, feedback: feedbackBefore }, waitMs, ctx.signal);
    const after = await settle(ctx, update, server, before, response, feedbackBefore, waitMs);
    const requests = server.requests.slice(requestsBefore);
    const contacted = requests.some((r) => r.inScope);
    const download = requests.find((r) => r.inScope && r.servedSha256 !== undefined && (r.imageBytesSent ?? 0) > 0);
    return {
      ...base,
      image: { sha256: variant.sha256, version: variant.version, description: variant.description },
      mode,
      after,
      requests,
      feedback: server.feedback.slice(feedbackBefore),
      fetched: download !== undefined,
      refusedChannel: response.refusal ?? (mode.plainDownloadLink && contacted && !download ? 'it never fetched the plain-HTTP download link it was given' : null),
      contacted,
      trigger,
      healthy: after.ok,
      durationMs: Date.now() - started,
    };
  } finally {
    server.withdraw();
    const record = `${attempt}: served ${variant.sha256.slice(0, 16)}…`;
    ctx.evidence.record({ kind: 'note', summary: `update attempt ${record} (${ATTEMPT_TITLES[attempt]})`, data: { attempt, image: { sha256: variant.sha256, version: variant.version, description: variant.description }, mode, trigger } });
  }
}

/**
 * Reads the version until it changes or the wait is over. A refusal (a failure report, a refused
 * channel) shortens the wait to a grace; a success report does not, since clients report success for
 * images they then reject: only the version read from the device counts. A device that showed nothing at
 * all has already had the whole wait.
 */
async function settle(ctx: CheckContext, update: UpdateSettings, server: UpdateServer, before: RunningVersion, response: DeviceResponse, feedbackSince: number, waitMs: number): Promise<VersionReading> {
  const started = Date.now();
  const refused = () => response.refusal !== null || server.feedback.slice(feedbackSince).some((f) => f.finished === 'failure');
  const busy = response.download !== null || response.final !== null;
  let reading = await readFirmwareVersion(ctx, update.version!);
  for (;;) {
    const deadline = refused() || !busy ? started + GRACE_MS : started + waitMs;
    if (ctx.signal.aborted || Date.now() >= deadline || (reading.ok && reading.version !== before.version)) return reading;
    await sleep(SETTLE_POLL_MS, undefined, { signal: ctx.signal }).catch(() => {});
    reading = await readFirmwareVersion(ctx, update.version!);
  }
}
