import { createHash } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns/promises';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { formatPath, ProfileError, type ProfileProblem } from './errors.js';
import { SourceMap } from './locate.js';
import type { Finding } from './finding.js';
import { ProfileDocument } from './schema.js';
import { checkPskCredentials } from './key-credentials.js';
import { describeIssue } from './schema-issues.js';
import { resolveTrustAnchors } from './trust-anchors.js';
import { checkStatementOfCompliance } from './statement-of-compliance.js';
import { checkActionReferences, profileHandsOn, resolveUpdate } from './resolve-update.js';
import { checkServices, mergeCrypto, mergePolicy, resolveCredentials, resolveFleet, resolveTarget, type Lookup } from './semantics.js';
import type { DeviceProfile } from './types.js';

export type { Lookup } from './semantics.js';


export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  lookup?: Lookup;
}

export interface ParseOptions extends LoadOptions {
  /** Name used in messages. */
  file: string;
  /** Folder `${file:…}` references are relative to; defaults to the folder of `file`. */
  baseDir?: string;
  /** Recorded as `source.path`; defaults to `file`. */
  path?: string | null;
}


const systemLookup: Lookup = async (host) => (await dnsLookup(host, { all: true })).map((a) => a.address);

const FS_REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
};

/** Reads, validates and resolves a device profile; throws one ProfileError listing every problem. */
export async function loadProfile(file: string, options: LoadOptions = {}): Promise<DeviceProfile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    const message = `cannot read profile: ${FS_REASONS[code] ?? (err as Error).message} (${code})`;
    throw new ProfileError([{ file, line: 1, column: 1, path: '', message }]);
  }
  return parseProfile(text, { ...options, file });
}

/** Like loadProfile, for text already in memory. */
export async function parseProfile(text: string, options: ParseOptions): Promise<DeviceProfile> {
  const source = new SourceMap(text);
  const locate = (f: Finding): ProfileProblem => ({
    file: options.file,
    ...(f.atKey ? source.keyAt(f.path) : source.valueAt(f.path)),
    path: formatPath(f.path),
    message: f.message,
  });

  if (source.doc.errors.length > 0) {
    throw new ProfileError(
      source.doc.errors.map((e) => ({
        file: options.file,
        ...source.position(e.pos[0]),
        path: '',
        message: `YAML syntax error: ${firstLine(e.message)}`,
      })),
    );
  }
  if (source.doc.contents === null) {
    throw new ProfileError([locate({ path: [], message: 'the profile is empty; expected a mapping with device, target and scope' })]);
  }

  const data: unknown = source.doc.toJS();
  const parsed = ProfileDocument.safeParse(data);
  if (!parsed.success) {
    throw new ProfileError(parsed.error.issues.flatMap((issue) => describeIssue(issue, data)).map(locate));
  }

  const doc = parsed.data;
  const findings: Finding[] = [];
  const address = await resolveTarget(doc.target.host, doc.scope, options.lookup ?? systemLookup, findings);
  const services = checkServices(doc, source, findings);
  checkPskCredentials(doc, findings);
  const sources = { env: options.env ?? process.env, baseDir: options.baseDir ?? dirname(options.file) };
  resolveTrustAnchors(services, sources.baseDir, findings);
  checkStatementOfCompliance(doc.declarations, sources.baseDir, findings);
  const { credentials, secrets } = await resolveCredentials(doc.credentials, sources, findings);
  const fleet = await resolveFleet(doc.fleet, sources, findings);
  const update = await resolveUpdate(doc, sources, findings);
  checkActionReferences(doc, findings);
  const policy = mergePolicy(doc.policy, findings);
  const crypto = mergeCrypto(doc.crypto, findings);
  if (findings.length > 0 || address === undefined || policy === undefined || crypto === undefined) throw new ProfileError(findings.map(locate));

  return {
    source: {
      path: options.path === undefined ? options.file : options.path,
      sha256: createHash('sha256').update(text).digest('hex'),
      text,
    },
    device: doc.device,
    target: { host: doc.target.host, address },
    scope: doc.scope,
    services,
    credentials,
    declarations: doc.declarations,
    baseDir: resolve(sources.baseDir),
    publicPages: doc.publicPages ?? [],
    fleet: fleet.fleet,
    policy,
    crypto,
    update: update.update,
    hooks: doc.hooks ?? null,
    handsOn: profileHandsOn(doc),
    secrets: [...secrets, ...fleet.secrets, ...update.secrets],
  };
}

/** yaml's messages repeat the position and quote the source on later lines; the position is already given. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?\s*$/, '').trim();
}
