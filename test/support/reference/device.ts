import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';
import { schemaPath } from '../../../harness/paths.js';
import type { Daemon } from '../daemons.js';
import { createNetworkNamespace, type NetworkNamespace } from '../netns.js';
import { tempDir } from '../run-profile.js';

/** Every address on a reference device: the loopback of its own network namespace. */
export const DEVICE_HOST = '127.0.0.1';

export interface ReferenceDevice {
  netns: string;
  /** The YAML profile written for it, as a user would write it from the README. */
  profileFile: string;
  /** The environment jcstar runs with: the secrets the profile names as ${env:…}. */
  env: Record<string, string>;
  /** Every secret the profile refers to (env values and the text of ${file:…} keys), for the leak check. */
  secrets: string[];
  stop(): Promise<void>;
}

/**
 * What a device under construction owns: its namespace, its daemons and the folder of its profile. If building
 * fails halfway, `stop` still takes down what was started; the namespace goes last, once its daemons are gone.
 */
export class DeviceBuild {
  readonly netns: NetworkNamespace;
  readonly dir: string;
  private readonly daemons: Daemon[] = [];

  constructor(readonly name: string) {
    this.netns = createNetworkNamespace(name);
    this.dir = tempDir(`jcstar-ref-${name}-`);
  }

  async add<D extends Daemon>(starting: Promise<D>): Promise<D> {
    const daemon = await starting;
    this.daemons.push(daemon);
    return daemon;
  }

  /** A file in the profile's folder (created with its parent), for ${file:…} references relative to the profile. */
  file(path: string, content: string | Buffer, mode = 0o600): string {
    const full = join(this.dir, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, content, { mode });
    return full;
  }

  /** Writes the profile with the schema comment the README recommends, so that editors check it. */
  writeProfile(document: Record<string, unknown>): string {
    const schema = relative(this.dir, schemaPath('profile.schema.json'));
    // No &anchors for values used twice: a user writes them out.
    return this.file('profile.yaml', `# yaml-language-server: $schema=${schema}\n${stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 })}`, 0o644);
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.daemons.splice(0).map((d) => d.stop()));
    this.netns.remove();
  }
}

/** Builds a device, and tears down whatever was started when building fails. */
export async function buildDevice(name: string, build: (device: DeviceBuild) => Promise<Omit<ReferenceDevice, 'netns' | 'stop'>>): Promise<ReferenceDevice> {
  const device = new DeviceBuild(name);
  try {
    const built = await build(device);
    return { ...built, netns: device.netns.name, stop: () => device.stop() };
  } catch (err) {
    await device.stop();
    throw err;
  }
}
