import { z } from 'zod';

/**
 * The profile's `update` and `hooks` sections: how jcstar reads the running firmware version, how the
 * device gets its updates, how the lab points it at jcstar's update server, and the commands the lab
 * host runs for power, network and reset (S1.1-06/07/08, S1.1-14, S1.1-15).
 */

const nonEmpty = z.string().min(1);
const serviceName = nonEmpty.describe('Name of a declared service; its credential is used');
const httpPath = z.string().startsWith('/');
const jsonPointer = z.string().regex(/^(\/[^/]*)*$/, { message: 'expected a JSON pointer such as /firmware/version' });
const pattern = z.string().refine((p) => {
  try {
    new RegExp(p);
    return true;
  } catch {
    return false;
  }
}, { message: 'expected a valid regular expression' });
const extract = {
  jsonPointer: jsonPointer.optional().describe('Where the version is in a JSON answer'),
  pattern: pattern.optional().describe('Regular expression on the answer; its first group (or the whole match) is the version'),
};

/** How jcstar reads the firmware version the device runs, over one of its declared services. */
export const VersionReadSpec = z.union([
  z.strictObject({ http: z.strictObject({ service: serviceName, path: httpPath, ...extract }) }),
  z.strictObject({ ssh: z.strictObject({ service: serviceName, command: nonEmpty, pattern: extract.pattern }) }),
  z.strictObject({ snmp: z.strictObject({ service: serviceName, oid: z.string().regex(/^\d+(\.\d+)+$/, { message: 'expected a numeric OID such as 1.3.6.1.2.1.1.1.0' }), pattern: extract.pattern }) }),
  z.strictObject({ mqtt: z.strictObject({ service: serviceName, topic: nonEmpty, ...extract }) }),
  z.strictObject({ coap: z.strictObject({ service: serviceName, resource: httpPath, ...extract }) }),
]);

const bodyTemplate = z.string().describe('Request body; {{marker}} is filled in where the action creates user data');
/** Something jcstar makes happen: a request to the device, or a command on the lab host. */
export const DeviceActionSpec = z.union([
  z.strictObject({
    http: z.strictObject({
      service: serviceName,
      method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
      path: httpPath,
      contentType: nonEmpty.optional().describe('Default application/json'),
      body: bodyTemplate.optional(),
    }),
  }),
  z.strictObject({ ssh: z.strictObject({ service: serviceName, command: nonEmpty.describe('{{marker}} is filled in where the action creates user data') }) }),
  z.strictObject({ hook: nonEmpty.describe('Name of an entry in `hooks.commands`, run on the lab host') }),
]);

export const IMAGE_FORMATS = ['swu', 'jcstar-image'] as const;
export const UPDATE_PROTOCOLS = ['hawkbit', 'manifest'] as const;

export const UpdateImageSpec = z.strictObject({
  file: nonEmpty.describe('Image file, relative to the profile'),
  version: nonEmpty.describe('The firmware version the device reports once it runs this image'),
});

export const UpdateSpec = z.strictObject({
  handsOn: z.boolean().optional().describe('Run the hands-on update attacks (S1.1-08); they can change the device. Same as --hands-on update'),
  version: VersionReadSpec.optional().describe('How to read the running firmware version'),
  mechanism: z
    .union([
      z.strictObject({
        pull: z.strictObject({
          protocol: z.enum(UPDATE_PROTOCOLS).describe('hawkbit: the hawkBit DDI API (SWUpdate suricatta, RAUC hawkBit client); manifest: the device GETs manifestPath, a JSON {version, url, sha256, size}'),
          tenant: nonEmpty.optional().describe('hawkBit tenant (default DEFAULT)'),
          controllerId: nonEmpty.optional().describe('hawkBit controller ID of the device'),
          manifestPath: httpPath.optional().describe('manifest: the path the device asks for (default /manifest.json)'),
        }),
      }),
      z.strictObject({
        upload: z.strictObject({
          service: serviceName,
          method: z.enum(['POST', 'PUT']),
          path: httpPath,
          field: nonEmpty.optional().describe('multipart/form-data field of the image; absent: the image is the raw body'),
        }),
      }),
    ])
    .optional()
    .describe('How the device gets an update: it pulls from a server, or the user uploads an image'),
  server: z
    .strictObject({
      address: nonEmpty.describe("One of the lab host's own addresses; jcstar's update server listens only there"),
      port: z.number().int().min(1).max(65535),
      tls: z.boolean().default(true).describe('Serve HTTPS (default) as the genuine server does'),
      certificate: nonEmpty.optional().describe('PEM certificate chain the genuine server presents (relative to the profile), when the device pins or trusts it'),
      key: z.string().regex(/^\$\{(env|file):([^}]+)\}$/, { message: 'expected a reference ${env:NAME} or ${file:PATH}, so that the secret stays out of the YAML' }).optional(),
      plainPort: z.number().int().min(1).max(65535).optional().describe('A second port for the plain-HTTP downgrade test'),
      redirect: z.enum(['dns', 'device-setting', 'proxy']).describe('How the lab points the device at jcstar'),
    })
    .optional()
    .describe("jcstar's update server, which the lab makes the device use"),
  trigger: DeviceActionSpec.optional().describe('How to make the device check for an update now, when it does not poll often'),
  waitSeconds: z.number().int().positive().max(3600).default(120).describe('How long to wait for the device to fetch and apply each image'),
  settleSeconds: z.number().int().nonnegative().max(600).default(3).describe('How long the version is still watched after the device refused an image: clients report a refusal and install anyway'),
  images: z
    .strictObject({
      format: z.enum(IMAGE_FORMATS).describe('swu: SWUpdate CPIO with a CMS-signed sw-description; jcstar-image: see docs/update-images.md'),
      genuine: UpdateImageSpec.describe('A genuine, signed image of a version other than the one the device runs: the control'),
      older: UpdateImageSpec.optional().describe('An older, genuinely signed image, for the rollback test'),
      signingKey: nonEmpty.describe('The vendor public key (PEM) images are signed with; for swu, the CA certificate SWUpdate verifies with'),
    })
    .optional(),
  published: z
    .strictObject({
      url: z.url().describe('Where the device or vendor publishes the current image; its host must be in scope'),
    })
    .optional()
    .describe('Update metadata jcstar fetches without hands-on, to verify its channel and signature'),
});

export const HookCommandSpec = z.strictObject({
  run: z.array(nonEmpty).min(1).describe('argv of a command on the lab host (no shell), e.g. [ip, link, set, eth1, down]'),
  timeoutSeconds: z.number().int().positive().max(3600).default(60),
});

export const HooksSpec = z.strictObject({
  handsOn: z.boolean().optional().describe('Run the resilience and reset tests; they power-cycle or reset the device. Same as --hands-on resilience,reset'),
  commands: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/), HookCommandSpec).default({}).describe('Named lab-host commands'),
  powerCycle: DeviceActionSpec.optional().describe('Cuts the device\'s power and restores it (S1.1-14)'),
  networkOutage: z
    .strictObject({ down: DeviceActionSpec, up: DeviceActionSpec, seconds: z.number().int().positive().max(3600).default(30) })
    .optional()
    .describe('Takes the device\'s network away and back (S1.1-14)'),
  recoverySeconds: z.number().int().positive().max(3600).default(180).describe('How long the device may take to come back after power or network returns'),
  factoryReset: DeviceActionSpec.optional().describe('The declared reset that deletes user data (S1.1-15)'),
  userData: z
    .strictObject({
      create: DeviceActionSpec.describe('Creates user data holding {{marker}}'),
      read: DeviceActionSpec.describe('Reads user data; the marker is present in its answer until deleted'),
    })
    .optional(),
});

export type UpdateSpec = z.infer<typeof UpdateSpec>;
export type HooksSpec = z.infer<typeof HooksSpec>;
export type VersionReadSpec = z.infer<typeof VersionReadSpec>;
export type DeviceActionSpec = z.infer<typeof DeviceActionSpec>;
export type HookCommandSpec = z.infer<typeof HookCommandSpec>;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];
