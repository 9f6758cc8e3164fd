import { PublicPageAllowList } from '../../probes/public-page/allow-list.js';
import { fetchPublicPage, type PublicPageObservation } from '../../probes/public-page/fetch.js';
import type { PublicPage } from '../../profile/schema.js';
import type { CheckContext } from '../../suite/context.js';
import type { SuiteBuilder } from '../../suite/define.js';
import { fail, inconclusive, pass, type CheckOutcome } from '../../verdicts/outcome.js';
import { loadDeclaredItems } from './items.js';
import { decodePage } from './page-charset.js';
import { isHtml, pageText } from './page-text.js';
import { carriesText, englishDatePatterns, englishDaysPattern, japaneseDatePatterns, japaneseDaysPattern } from './page-spellings.js';

type Purpose = PublicPage['purpose'];

const LABEL: Record<Purpose, string> = {
  'vulnerability-disclosure': 'vulnerability disclosure policy',
  'support-period': 'support period',
  'product-information': 'product information',
};

/** One thing the page must carry, with the spellings that count. */
interface Expected {
  what: string;
  found: (text: string) => boolean;
}

/** Plans one check per allow-listed page of these purposes; without publicPages nothing is planned, so nothing outside the scope is contacted. */
export function planPublicPages(suite: SuiteBuilder, requirement: string, purposes: Purpose[]): void {
  const pages = suite.profile.publicPages.filter((p) => purposes.includes(p.purpose));
  pages.forEach((page, i) => {
    const url = new URL(page.url);
    suite.check(
      {
        id: `${requirement}/public-page/${page.purpose}${pages.length > 1 ? `-${i + 1}` : ''}`,
        title: `The public ${LABEL[page.purpose]} page ${page.url} carries what is declared (fetched outside the device's scope, anonymously)`,
        // Port null: the page is not one of the device's interfaces.
        target: { host: url.host, port: null, protocol: url.protocol.replace(':', '') },
      },
      (ctx) => checkPublicPage(ctx, page),
    );
  });
}

/** What the declarations say the page must carry, or why nothing can be compared. */
function expectations(ctx: CheckContext, purpose: Purpose): Expected[] | string {
  const { declarations } = ctx.profile;
  const english = declarations.pstiCompliance !== undefined;
  const days = (n: number, what: string): Expected => ({
    what: `${what} (${n} days${english ? ', in English for UK PSTI' : ''})`,
    found: (t) => englishDaysPattern(n).test(t) || (!english && japaneseDaysPattern(n).test(t)),
  });
  if (purpose === 'vulnerability-disclosure') {
    const vdp = declarations.vulnerabilityDisclosurePolicy;
    if (!vdp) return 'the profile declares no vulnerabilityDisclosurePolicy to compare the page with';
    return [
      { what: `the contact ${vdp.contact}`, found: (t) => carriesText(t, vdp.contact) },
      days(vdp.acknowledgeWithinDays, 'the acknowledgement time'),
      days(vdp.statusUpdateEveryDays, 'the status-update interval'),
    ];
  }
  if (purpose === 'support-period') {
    const support = declarations.supportPeriod;
    if (!support) return 'the profile declares no supportPeriod to compare the page with';
    const patterns = [...englishDatePatterns(support.endsOn), ...(english ? [] : japaneseDatePatterns(support.endsOn))];
    return [{ what: `the end of the support period ${support.endsOn}${english ? ' (in English for UK PSTI)' : ''}`, found: (t) => patterns.some((p) => p.test(t)) }];
  }
  const product = declarations.productInformation;
  if (!product) return 'the profile declares no productInformation to compare the page with';
  return [{ what: `the model designation "${product.modelDesignation}"`, found: (t) => carriesText(t, product.modelDesignation) }];
}

export async function checkPublicPage(ctx: CheckContext, page: PublicPage): Promise<CheckOutcome> {
  const expected = expectations(ctx, page.purpose);
  if (typeof expected === 'string') {
    ctx.evidence.record({ kind: 'note', summary: `${expected}; ${page.url} not fetched`, data: { url: page.url, purpose: page.purpose } });
    return inconclusive(`${expected}; ${page.url} was not fetched`);
  }
  const allowList = new PublicPageAllowList(ctx.profile.publicPages.map((p) => p.url));
  const limits = loadDeclaredItems().publicPage;
  const observation = await fetchPublicPage(page.url, allowList, limits, ctx.signal);
  const record = recordObservation(ctx, page, observation);
  const where = `the vendor's public page ${page.url} (observed on the web, not on the device; evidence #${record.seq})`;
  switch (observation.outcome) {
    case 'refused':
    case 'error':
      return inconclusive(`${page.url} could not be read: ${observation.reason}`);
    case 'oversized':
      return inconclusive(`${page.url} is larger than ${limits.maxBytes} bytes; jcstar stopped reading it (evidence #${record.seq}), so it was not judged`);
    case 'fetched':
      break;
  }
  const { status } = observation;
  // Only a page that is gone says users cannot read it; a 401/403 is as often a bot blocker turning jcstar away.
  if (status === 404 || status === 410) {
    return fail(`${where} answered ${status} to an anonymous GET: users cannot read the declared ${LABEL[page.purpose]} there`);
  }
  if (status < 200 || status >= 300) return inconclusive(`${page.url} answered ${status} to jcstar's anonymous GET (evidence #${record.seq}); its content was not judged`);
  const unread = unreadable(observation, limits.readableMediaTypes);
  if (unread) return inconclusive(`${page.url} ${unread} (evidence #${record.seq}); its content was not judged`);
  const html = isHtml(observation.body, mediaTypeOf(observation.contentType));
  const decoded = decodePage(observation.body, observation.contentType, html);
  const readAs = decoded.unknownCharset === null ? '' : ` (its charset "${decoded.unknownCharset}" is unknown to jcstar; read as UTF-8)`;
  if (decoded.undecodable) {
    return inconclusive(`${page.url} does not decode as ${decoded.encoding}${readAs}: its text holds replacement characters (evidence #${record.seq}); its content was not judged`);
  }
  const text = pageText(decoded.text, html);
  const absent = expected.filter((e) => !e.found(text));
  if (absent.length > 0) return fail(`${where} does not carry ${absent.map((e) => e.what).join(', ')}${readAs}`);
  return pass(`${where} carries ${expected.map((e) => e.what).join(', ')}${readAs}`);
}

/** The media type alone, lower-case ("text/html; charset=…" → "text/html"); null without a Content-Type. */
function mediaTypeOf(contentType: string | null): string | null {
  return contentType === null ? null : contentType.split(';')[0]!.trim().toLowerCase();
}

/** A header value as a reason shows it: the server chose it, so its length is bounded here. */
const shortened = (value: string) => (value.length > 60 ? `${value.slice(0, 57)}...` : value);

/** Why jcstar cannot read the body as text a person reads, or null when it can. */
function unreadable(o: Extract<PublicPageObservation, { outcome: 'fetched' }>, readable: readonly string[]): string | null {
  const encoding = o.contentEncoding?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') return `came ${shortened(encoding)}-encoded although jcstar asked for identity, and jcstar does not decompress it`;
  const mediaType = mediaTypeOf(o.contentType);
  if (mediaType !== null && !readable.includes(mediaType)) return `is ${shortened(mediaType)}, not a page jcstar reads as text (${readable.join(', ')})`;
  return null;
}

function recordObservation(ctx: CheckContext, page: PublicPage, o: PublicPageObservation) {
  const fetched = o.outcome === 'fetched';
  return ctx.evidence.record({
    kind: 'exchange',
    summary: `public ${LABEL[page.purpose]} page ${page.url}: ${fetched ? `${o.status}, ${o.body.length} bytes` : o.outcome}`,
    sent: o.requested.map((u) => `GET ${u}`).join('\n') || null,
    received: fetched ? `${o.status} ${o.contentType ?? '(no content type)'}${o.contentEncoding ? `, ${o.contentEncoding}-encoded` : ''}` : o.outcome === 'oversized' ? `${o.status}, over ${o.bytesRead} bytes` : null,
    artifacts: fetched ? [{ name: `public-page-${page.purpose}.${/html/i.test(o.contentType ?? '') ? 'html' : 'txt'}`, bytes: o.body, mediaType: o.contentType ?? 'application/octet-stream' }] : [],
    data: {
      url: page.url,
      purpose: page.purpose,
      requested: o.requested,
      outcome: o.outcome,
      durationMs: o.durationMs,
      ...(fetched ? { status: o.status, contentType: o.contentType, contentEncoding: o.contentEncoding, bytes: o.body.length } : {}),
      ...(o.outcome === 'oversized' ? { status: o.status, bytesRead: o.bytesRead } : {}),
      ...(o.outcome === 'refused' || o.outcome === 'error' ? { reason: o.reason } : {}),
    },
  });
}
