import { createHash } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns/promises';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { dirname } from 'node:path';
import { z } from 'zod';
import { effectivePolicy } from '../policy/load.js';
import { ScopeGuard } from '../scope/guard.js';
import type { Secret } from '../secrets/secret.js';
import { formatPath, ProfileError, type ProfileProblem } from './errors.js';
import { SourceMap } from './locate.js';
import { resolveSecret, type SecretSources } from './resolve-secrets.js';
import { defaultTransport, ProfileDocument, SECRET_REF_MESSAGE } from './schema.js';
import { didYouMean, suggest } from './suggest.js';
import type { Credential, DeviceProfile, Service } from './types.js';

/** Resolves a host name to all of its addresses. Injectable so that tests need no network. */
export type Lookup = (host: string) => Promise<string[]>;

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

/** Something wrong at a field path, before it is located in the source. */
interface Finding {
  path: readonly PropertyKey[];
  message: string;
  /** Point at the key rather than the value (unknown keys). */
  atKey?: boolean;
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
  const sources = { env: options.env ?? process.env, baseDir: options.baseDir ?? dirname(options.file) };
  const { credentials, secrets } = await resolveCredentials(doc.credentials, sources, findings);
  if (findings.length > 0 || address === undefined) throw new ProfileError(findings.map(locate));

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
    policy: effectivePolicy(doc.policy),
    secrets,
  };
}

/** yaml's messages repeat the position and quote the source on later lines; the position is already given. */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?\s*$/, '').trim();
}

// ---- Semantic checks: run only on a document that passed the schema. ----

/** The address probes will use. Every address a name resolves to must be in scope, not just the first. */
async function resolveTarget(host: string, scope: string[], lookup: Lookup, findings: Finding[]): Promise<string | undefined> {
  const path = ['target', 'host'];
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await lookup(host);
    if (addresses.length === 0) throw Object.assign(new Error('no addresses'), { code: 'ENODATA' });
  } catch (err) {
    findings.push({ path, message: `cannot resolve "${host}" (${(err as NodeJS.ErrnoException).code ?? 'lookup failed'})` });
    return undefined;
  }
  const guard = new ScopeGuard(scope);
  const outside = addresses.filter((a) => !guard.allows(a));
  if (outside.length > 0) {
    const what = isIP(host) ? host : `${host} (${outside.join(', ')})`;
    findings.push({ path, message: `${what} is outside the scope (${scope.join(', ')}); add it to scope or correct the address` });
    return undefined;
  }
  return addresses[0];
}

function checkServices(doc: ProfileDocument, source: SourceMap, findings: Finding[]): Service[] {
  const firstByName = new Map<string, number>();
  const ownerByPort = new Map<string, string>();
  const credentialNames = Object.keys(doc.credentials);

  return doc.services.map((spec, i) => {
    const service: Service = { ...spec, transport: spec.transport ?? defaultTransport(spec.protocol) };

    const first = firstByName.get(spec.name);
    if (first === undefined) firstByName.set(spec.name, i);
    else {
      const line = source.valueAt(['services', first, 'name']).line;
      findings.push({ path: ['services', i, 'name'], message: `duplicate service name "${spec.name}" (first declared on line ${line})` });
    }

    const port = `${spec.port}/${service.transport}`;
    const owner = ownerByPort.get(port);
    if (owner === undefined) ownerByPort.set(port, spec.name);
    else findings.push({ path: ['services', i, 'port'], message: `port ${port} is already declared by service "${owner}"` });

    if (spec.credential !== undefined && !credentialNames.includes(spec.credential)) {
      const hint =
        credentialNames.length === 0
          ? '; the profile declares no credentials'
          : didYouMean(spec.credential, credentialNames) || `; expected one of: ${credentialNames.join(', ')}`;
      findings.push({ path: ['services', i, 'credential'], message: `no credential named "${spec.credential}"${hint}` });
    }
    return service;
  });
}

async function resolveCredentials(specs: ProfileDocument['credentials'], sources: SecretSources, findings: Finding[]) {
  const credentials: Record<string, Credential> = {};
  const secrets: Secret[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    const credential: Credential = { name };
    if (spec.username !== undefined) credential.username = spec.username;
    for (const field of ['password', 'key'] as const) {
      const ref = spec[field];
      if (ref === undefined) continue;
      const path = ['credentials', name, field];
      const result = await resolveSecret(ref, formatPath(path), sources);
      if (result.ok) {
        credential[field] = result.secret;
        secrets.push(result.secret);
      } else findings.push({ path, message: result.message });
    }
    credentials[name] = credential;
  }
  return { credentials, secrets };
}

// ---- Schema issues: zod's issues turned into "expected …, found …" findings. ----

function describeIssue(issue: z.core.$ZodIssue, data: unknown): Finding[] {
  const { path } = issue;
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeys(path);
    return issue.keys.map((key) => ({
      path: [...path, key],
      atKey: true,
      message: `unknown key${didYouMean(key, allowed) || `; expected one of: ${allowed.join(', ')}`}`,
    }));
  }
  const parent = valueIn(data, path.slice(0, -1));
  const key = path.at(-1);
  if (key !== undefined && isMapping(parent) && !(key in parent)) {
    // A misspelt key is reported once, as unknown with its suggestion, rather than also as missing.
    const allowed = allowedKeys(path.slice(0, -1));
    const misspelt = Object.keys(parent).some((k) => !allowed.includes(k) && suggest(k, allowed) === key);
    return misspelt ? [] : [{ path, message: 'required field is missing' }];
  }
  return [{ path, message: mismatch(issue, valueIn(data, path)) }];
}

function mismatch(issue: z.core.$ZodIssue, value: unknown): string {
  const schema = schemaAt(issue.path);
  // A secret must never reach a message, even when it was written in the wrong place or shape.
  const secret = isSecretPath(issue.path);
  const found = describeFound(value, schema, secret);
  switch (issue.code) {
    case 'invalid_type':
      if (secret) return `${SECRET_REF_MESSAGE}, found ${found}`;
      if (issue.path.length === 0) return `expected a mapping at the top level, found ${found}`;
      return `expected ${expectedOf(schema) ?? issue.expected}, found ${found}`;
    case 'invalid_value': {
      const values = issue.values.map(String);
      const hint = typeof value === 'string' ? didYouMean(value, values) : '';
      return `expected one of ${values.join(', ')}, found ${found}${hint}`;
    }
    case 'too_small':
    case 'too_big':
      if (schema instanceof z.ZodNumber) return `expected ${expectedOf(schema)}, found ${found}`;
      return `expected ${sizeRule(issue)}, found ${found}`;
    case 'invalid_format':
      return `${formatRule(issue)}, found ${found}`;
    case 'custom':
      return `${issue.message}, found ${found}`;
    default:
      return issue.message;
  }
}

function expectedOf(schema: z.ZodType | undefined): string | undefined {
  if (schema instanceof z.ZodString || schema instanceof z.ZodStringFormat) return 'a string';
  if (schema instanceof z.ZodNumber) return numberRule(schema);
  if (schema instanceof z.ZodBoolean) return 'true or false';
  if (schema instanceof z.ZodEnum) return `one of ${schema.options.join(', ')}`;
  if (schema instanceof z.ZodArray) return 'a list';
  if (schema instanceof z.ZodObject || schema instanceof z.ZodRecord) return 'a mapping';
  return undefined;
}

function numberRule(schema: z.ZodNumber): string {
  const noun = schema.isInt ? 'an integer' : 'a number';
  const limit = Number.MAX_SAFE_INTEGER;
  // zod reports a bound but not whether it is inclusive; parsing the bound itself tells.
  let low = schema.minValue !== null && schema.minValue > -limit ? { value: schema.minValue, inclusive: schema.safeParse(schema.minValue).success } : undefined;
  let high = schema.maxValue !== null && schema.maxValue < limit ? { value: schema.maxValue, inclusive: schema.safeParse(schema.maxValue).success } : undefined;
  if (schema.isInt && low && !low.inclusive) low = { value: low.value + 1, inclusive: true };
  if (schema.isInt && high && !high.inclusive) high = { value: high.value - 1, inclusive: true };
  if (low?.inclusive && high?.inclusive) return `${noun} from ${low.value} to ${high.value}`;
  if (schema.isInt && !high && low?.value === 1) return 'a positive integer';
  if (schema.isInt && !high && low?.value === 0) return 'a non-negative integer';
  const limits = [
    low && `${low.inclusive ? 'at least' : 'above'} ${low.value}`,
    high && `${high.inclusive ? 'at most' : 'below'} ${high.value}`,
  ].filter(Boolean);
  return limits.length > 0 ? `${noun} ${limits.join(' and ')}` : noun;
}

function sizeRule(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const [noun, unit] = issue.origin === 'string' ? ['string', 'character'] : ['list', 'item'];
  const n = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
  if (issue.code === 'too_small' && n === 1) return `a non-empty ${noun}`;
  return `a ${noun} of ${issue.code === 'too_small' ? 'at least' : 'at most'} ${n} ${unit}${n === 1 ? '' : 's'}`;
}

function formatRule(issue: z.core.$ZodIssueInvalidStringFormat): string {
  switch (issue.format) {
    case 'date':
      return 'expected a date as YYYY-MM-DD';
    case 'url':
      return 'expected a URL such as https://example.com/';
    case 'starts_with':
      return `expected a string starting with "${(issue as z.core.$ZodIssueStringStartsWith).prefix}"`;
    case 'regex':
      // The schema gives its patterns an "expected …" message; zod's default only shows the pattern.
      return issue.message.startsWith('expected') ? issue.message : `expected a string matching ${issue.pattern}`;
    default:
      return `expected a valid ${issue.format}`;
  }
}

function describeFound(value: unknown, expected: z.ZodType | undefined, secret: boolean): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'a mapping';
  const type = typeof value;
  if (secret) return type === 'string' ? 'a literal string' : `a ${type}`;
  const shown = typeof value === 'string' ? JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value) : String(value);
  return kindOf(expected) === type ? shown : `a ${type} (${shown})`;
}

function kindOf(schema: z.ZodType | undefined): string | undefined {
  if (schema instanceof z.ZodString || schema instanceof z.ZodStringFormat || schema instanceof z.ZodEnum) return 'string';
  if (schema instanceof z.ZodNumber) return 'number';
  if (schema instanceof z.ZodBoolean) return 'boolean';
  return undefined;
}

function isSecretPath(path: readonly PropertyKey[]): boolean {
  return path.length === 3 && path[0] === 'credentials' && (path[2] === 'password' || path[2] === 'key');
}

function allowedKeys(path: readonly PropertyKey[]): string[] {
  const schema = schemaAt(path);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/** The schema that validates the value at `path`, with optional/default wrappers removed. */
function schemaAt(path: readonly PropertyKey[]): z.ZodType | undefined {
  let schema: z.ZodType | undefined = ProfileDocument;
  for (const key of path) {
    const outer: z.ZodType = unwrap(schema);
    if (outer instanceof z.ZodObject) schema = (outer.shape as Record<string, z.ZodType>)[String(key)];
    else if (outer instanceof z.ZodArray) schema = outer.element as z.ZodType;
    else if (outer instanceof z.ZodRecord) schema = outer.valueType as z.ZodType;
    else return undefined;
    if (schema === undefined) return undefined;
  }
  return unwrap(schema);
}

function unwrap(schema: z.ZodType): z.ZodType {
  while (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault || schema instanceof z.ZodNullable) {
    schema = schema.unwrap() as z.ZodType;
  }
  return schema;
}

function valueIn(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const key of path) {
    if (!isMapping(value) && !Array.isArray(value)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function isMapping(value: unknown): value is Record<PropertyKey, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
