import { z } from 'zod';
import { SECRET_REF, SECRET_REF_MESSAGE } from '../profile/schema.js';
import { HANDS_ON } from '../profile/types.js';

/**
 * fleet.yaml: which devices `jcstar fleet` runs and how many at a time. Single source of truth for the
 * loader and for schemas/fleet.schema.json. A device is a profile, or units of one model: a base profile
 * plus what differs per unit (address, serial, MAC, the unit's own secret references).
 */

const SecretRef = z.string().regex(SECRET_REF, SECRET_REF_MESSAGE);

export const UnitOverride = z
  .strictObject({
    unit: z.string().min(1).describe('Serial number of this unit (device.unit); also its run folder name'),
    host: z.string().min(1).optional().describe('target.host of this unit'),
    scope: z.array(z.string()).min(1).optional().describe("This unit's scope, when the base profile's does not cover its host"),
    mac: z.string().optional().describe('device.mac of this unit'),
    credentials: z
      .record(z.string(), z.strictObject({ username: z.string().optional(), password: SecretRef.optional() }))
      .optional()
      .describe("This unit's own credentials, by the base profile's credential names (secret references only)"),
  })
  .describe('One unit of the model the base profile describes');

export const FleetDevice = z
  .strictObject({
    profile: z.string().min(1).describe('Device profile, relative to the fleet file'),
    units: z.array(UnitOverride).min(1).optional().describe('Units of this model; absent: the profile is one device as written'),
  })
  .describe('A device profile, or the base profile of several units');

export const FleetDocument = z
  .strictObject({
    concurrency: z.int().min(1).max(64).default(4).describe('How many devices run at once (each keeps its own rate limits)'),
    only: z.array(z.string().regex(/^S\d+\.\d+-\d{2}$/)).min(1).optional().describe('Requirement IDs to run on every device, as --only'),
    handsOn: z.array(z.enum(HANDS_ON)).optional().describe('Hands-on tests to add on every device, as --hands-on'),
    devices: z.array(FleetDevice).min(1),
  })
  .describe('jcstar fleet file');

export type FleetDocument = z.output<typeof FleetDocument>;
export type UnitOverride = z.output<typeof UnitOverride>;
