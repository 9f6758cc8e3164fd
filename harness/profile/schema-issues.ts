import { z } from 'zod';
import { maskUserinfo } from '../secrets/address-userinfo.js';
import type { Finding } from './finding.js';
import { ProfileDocument, SECRET_REF_MESSAGE } from './schema.js';
import { didYouMean, suggest } from './suggest.js';

/** zod's issues turned into "expected …, found …" findings, with did-you-mean for misspelt keys. */

/** The document a finding is about: its schema, and which of its fields hold secrets (never quoted). */
export interface DocumentKind {
  schema: z.ZodType;
  isSecret(path: readonly PropertyKey[]): boolean;
}

const PROFILE: DocumentKind = { schema: ProfileDocument, isSecret: isSecretPath };

export function describeIssue(issue: z.core.$ZodIssue, data: unknown, kind: DocumentKind = PROFILE): Finding[] {
  const { path } = issue;
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeys(kind, path);
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
    const allowed = allowedKeys(kind, path.slice(0, -1));
    const misspelt = Object.keys(parent).some((k) => !allowed.includes(k) && suggest(k, allowed) === key);
    return misspelt ? [] : [{ path, message: 'required field is missing' }];
  }
  return [{ path, message: mismatch(kind, issue, valueIn(data, path)) }];
}

function mismatch(kind: DocumentKind, issue: z.core.$ZodIssue, value: unknown): string {
  const schema = schemaAt(kind.schema, issue.path);
  // A secret must never reach a message, even when it was written in the wrong place or shape.
  const secret = kind.isSecret(issue.path);
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
  const text = typeof value === 'string' ? maskUserinfo(value) : '';
  const shown = typeof value === 'string' ? JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text) : String(value);
  return kindOf(expected) === type ? shown : `a ${type} (${shown})`;
}

function kindOf(schema: z.ZodType | undefined): string | undefined {
  if (schema instanceof z.ZodString || schema instanceof z.ZodStringFormat || schema instanceof z.ZodEnum) return 'string';
  if (schema instanceof z.ZodNumber) return 'number';
  if (schema instanceof z.ZodBoolean) return 'boolean';
  return undefined;
}

const SECRET_FIELDS = new Set(['password', 'key', 'clientCertificate', 'clientKey']);

function isSecretPath(path: readonly PropertyKey[]): boolean {
  if (path[0] !== 'credentials') return false;
  if (path.length === 4 && path[2] === 'psk') return path[3] === 'key';
  if (path.length === 4 && path[2] === 'snmpv3') return path[3] === 'authPassword' || path[3] === 'privPassword';
  return path.length === 3 && SECRET_FIELDS.has(String(path[2]));
}

function allowedKeys(kind: DocumentKind, path: readonly PropertyKey[]): string[] {
  const schema = schemaAt(kind.schema, path);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

/** The schema that validates the value at `path`, with optional/default wrappers removed. */
function schemaAt(root: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let schema: z.ZodType | undefined = root;
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
