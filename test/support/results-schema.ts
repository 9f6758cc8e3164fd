import { readFileSync } from 'node:fs';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { schemaPath } from '../../harness/paths.js';

// ajv and ajv-formats are CommonJS; under NodeNext their classes arrive as the `default` member.
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

/** Validates a results.json document against the published schema, as a consumer would. */
export function validateResultsJson(document: unknown): string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath('results.schema.json'), 'utf8')));
  return validate(document) ? [] : (validate.errors ?? []).map((e: { instancePath: string; message?: string }) => `${e.instancePath} ${e.message}`);
}
