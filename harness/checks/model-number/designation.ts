import type { DeviceStatement } from '../../inventory/types.js';
import type { DeviceProfile } from '../../profile/types.js';

/**
 * The model designation a user should be able to read on the device (S1.1-10), and whether a statement
 * shows it. Matching is tolerant of case, spaces, hyphens and underscores ("SIM-CAM" = "sim cam" =
 * "SIMCAM"), and of the vendor's name before it, but a designation inside a longer one is not it:
 * "SIM-CAM" is not shown by "SIM-CAM-2000" or "SIM-CAM2".
 */

export interface ModelDesignation {
  /** As declared (productInformation.modelDesignation, else device.model). */
  declared: string;
  /** Where the declaration came from, for reasons. */
  from: 'declarations.productInformation.modelDesignation' | 'device.model';
  /** Matches the designation, without the vendor's name it may start with, as a whole word. */
  pattern: RegExp;
}

const ALNUM = '[\\p{L}\\p{N}]';
const SEPARATORS = '[\\s._/-]{0,3}';
/** No letter or digit right before or after, nor one joined by a hyphen or underscore. */
const BEFORE = `(?<!${ALNUM}|${ALNUM}[-_])`;
const AFTER = `(?!${ALNUM}|[-_]${ALNUM})`;

function chunks(name: string): string[] {
  return name.split(/[^\p{L}\p{N}]+/u).filter((c) => c !== '');
}

function loose(name: string): string {
  return chunks(name).map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(SEPARATORS);
}

export function modelDesignationOf(profile: DeviceProfile): ModelDesignation {
  const declaredDesignation = profile.declarations.productInformation?.modelDesignation;
  const declared = declaredDesignation ?? profile.device.model;
  // "ACME SIM-CAM" is also shown by a field that says just "SIM-CAM": the vendor's name is optional.
  const words = chunks(declared);
  const vendorWords = chunks(profile.device.vendor);
  const startsWithVendor = words.length > vendorWords.length && vendorWords.every((w, i) => w.toLowerCase() === words[i]!.toLowerCase());
  const core = loose(startsWithVendor ? words.slice(vendorWords.length).join(' ') : declared);
  return {
    declared,
    from: declaredDesignation ? 'declarations.productInformation.modelDesignation' : 'device.model',
    pattern: new RegExp(`${BEFORE}${core}${AFTER}`, 'iu'),
  };
}

/**
 * Where in the statement the designation shows, or null. A model field may hold more than the designation
 * (an IPP printer's `ty` is "HP LaserJet 400 M401dn" for the M401dn): it shows the model when it holds
 * the designation as a whole word, so that only a field with no trace of it can speak of another model.
 */
export function showsDesignation(statement: DeviceStatement, designation: ModelDesignation): RegExpExecArray | null {
  return statement.field === 'model' || statement.field === 'text' ? designation.pattern.exec(statement.value) : null;
}

/** Whether a firmware statement names the version under test ("V1.0.0 build 7" names "1.0.0"; "1.0.01" does not). */
export function namesFirmware(statement: DeviceStatement, firmware: string): boolean {
  const version = firmware.replace(/^v(?=\d)/i, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{N}.])${version}(?![\\p{N}]|\\.\\p{N})`, 'iu').test(statement.value);
}
