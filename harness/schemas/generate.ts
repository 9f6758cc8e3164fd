import { z } from 'zod';
import { CryptoRules } from '../crypto/schema.js';
import { RunDiff } from '../diff/schema.js';
import { FleetDocument } from '../fleet/schema.js';
import { FleetSummary } from '../fleet/summary.js';
import { ProfileDocument } from '../profile/schema.js';
import { Results } from '../results/schema.js';
import { SchemeView } from '../schemes/view-schema.js';

const BASE = 'urn:jcstar:schemas';

/** JSON Schemas generated from the same zod definitions the loader and the engine use. */
export const SCHEMAS = {
  profile: () => ({
    $id: `${BASE}:profile`,
    title: 'jcstar device profile',
    ...z.toJSONSchema(ProfileDocument, { io: 'input', target: 'draft-2020-12' }),
  }),
  results: () => ({
    $id: `${BASE}:results`,
    title: 'jcstar results.json',
    ...z.toJSONSchema(Results, { io: 'output', target: 'draft-2020-12' }),
  }),
  'crypto-rules': () => ({
    $id: `${BASE}:crypto-rules`,
    title: 'jcstar crypto rule set',
    ...z.toJSONSchema(CryptoRules, { io: 'input', target: 'draft-2020-12' }),
  }),
  diff: () => ({
    $id: `${BASE}:diff`,
    title: 'jcstar diff --json',
    ...z.toJSONSchema(RunDiff, { io: 'output', target: 'draft-2020-12' }),
  }),
  'scheme-view': () => ({
    $id: `${BASE}:scheme-view`,
    title: 'jcstar scheme view (scheme-<id>.json)',
    ...z.toJSONSchema(SchemeView, { io: 'output', target: 'draft-2020-12' }),
  }),
  fleet: () => ({
    $id: `${BASE}:fleet`,
    title: 'jcstar fleet file',
    ...z.toJSONSchema(FleetDocument, { io: 'input', target: 'draft-2020-12' }),
  }),
  'fleet-summary': () => ({
    $id: `${BASE}:fleet-summary`,
    title: 'jcstar fleet-summary.json',
    ...z.toJSONSchema(FleetSummary, { io: 'output', target: 'draft-2020-12' }),
  }),
} as const;

export const SCHEMA_FILES: Record<keyof typeof SCHEMAS, string> = {
  profile: 'profile.schema.json',
  results: 'results.schema.json',
  'crypto-rules': 'crypto-rules.schema.json',
  diff: 'diff.schema.json',
  'scheme-view': 'scheme-view.schema.json',
  fleet: 'fleet.schema.json',
  'fleet-summary': 'fleet-summary.schema.json',
};
