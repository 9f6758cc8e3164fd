import type { VersionReadSpec } from '../../profile/update-schema.js';
import type { CheckContext } from '../../suite/context.js';
import type { VersionReading } from '../../update/types.js';

/** Reads the firmware version the device runs, as `update.version` declares (harness/probes/firmware-version). */
export type FirmwareVersionReader = (ctx: CheckContext, spec: VersionReadSpec) => Promise<VersionReading>;
