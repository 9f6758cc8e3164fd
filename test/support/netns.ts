import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface NetworkNamespace {
  name: string;
  /** Deletes the namespace; every process still in it loses its network. Safe to call twice. */
  remove(): void;
}

/**
 * A fresh network namespace with only its loopback up (needs root): a device of its own, whose 127.0.0.1
 * nothing else on the machine shares, so a port scan there sees only that device's listeners.
 */
export function createNetworkNamespace(device: string): NetworkNamespace {
  const name = `jcstar-ref-${device}-${randomBytes(3).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', name]);
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    execFileSync('ip', ['netns', 'delete', name]);
  };
  try {
    execFileSync('ip', ['netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up']);
  } catch (err) {
    remove();
    throw err;
  }
  return { name, remove };
}
