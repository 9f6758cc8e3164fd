import { judgeTls } from '../../crypto/judge-tls.js';
import { fetchPublishedUpdate } from '../../probes/update-metadata/fetch.js';
import type { CheckContext } from '../../suite/context.js';
import { verifyImage } from '../../update/verify-image.js';
import { fail, inconclusive, pass, type CheckOutcome } from '../../verdicts/outcome.js';
import { judged } from '../encryption/judged.js';

/**
 * Supporting evidence for S1.1-08 without hands-on: the image the vendor publishes is fetched over its
 * declared channel, the channel graded with the crypto rules, and its signature verified with the
 * declared key. An image that carries no signature at all FAILs; one that does not verify with the
 * declared key is INCONCLUSIVE, since the profile may name the wrong key.
 */
export async function judgePublishedImage(ctx: CheckContext): Promise<CheckOutcome> {
  const update = ctx.profile.update!;
  const url = update.published!.url;
  if (!update.images) return inconclusive(`verifying ${url} needs update.images.format and update.images.signingKey`);
  const fetched = await fetchPublishedUpdate(ctx, url);
  if (fetched.outcome !== 'fetched' || !fetched.body) return inconclusive(`${url} could not be fetched (${fetched.outcome}: ${fetched.reason ?? `status ${fetched.status}`})`);
  const verification = verifyImage(update.images.format, fetched.body, update.images.signingKey);
  ctx.evidence.record({ kind: 'observation', summary: `${url}: ${fetched.size} bytes, sha256 ${fetched.sha256}; signature ${verification.ok ? `verifies (${verification.signer})` : `does not verify: ${verification.reason}`}`, data: { url, sha256: fetched.sha256, size: fetched.size, verification } });
  const channel = fetched.scheme === 'https' && fetched.tls && 'versions' in fetched.tls ? judged(ctx, judgeTls(fetched.tls, ctx.crypto), fetched.evidence[0] ?? 0, 'channel') : null;
  const channelNote = fetched.scheme === 'http' ? ['the image is published over plain HTTP: only its signature protects it'] : channel && channel.verdict !== 'PASS' ? [`the channel does not meet the crypto rules: ${channel.reason}`] : [];
  if (!verification.ok) {
    if (verification.reason.startsWith('unsigned:')) return fail(`the image published at ${url} carries no signature (${verification.reason})`);
    return { ...inconclusive(`the image published at ${url} does not verify with update.images.signingKey (${verification.reason}): check the declared key`), warnings: channelNote };
  }
  return { ...pass(`the image published at ${url} (version ${verification.version}) verifies with the declared signing key`), warnings: channelNote };
}
