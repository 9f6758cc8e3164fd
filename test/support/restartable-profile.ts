import { DEVICE } from './run-profile.js';
import { controlArgv } from './restartable-device-control.js';
import type { RestartableDevice } from './restartable-device.js';

/** The password the lab provisioned the restartable device with; not a published default, so it is redacted. */
export const LAB_PASSWORD = 'Lab-Provisioned-7qX';
export const LAB_ENV = { ADMIN_PASSWORD: LAB_PASSWORD };

/** A profile for the restartable device: its admin, the S1.1-03 change procedure, the version read and hooks that run its lab controls. */
export function restartableProfile(device: RestartableDevice, hooks: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const command = (name: string, timeoutSeconds = 10) => ({ run: controlArgv(device.controlPort, name), timeoutSeconds });
  return {
    device: DEVICE,
    target: { host: device.host },
    scope: [`${device.host}/32`],
    services: [
      {
        name: 'web',
        protocol: 'http',
        port: device.port,
        auth: 'basic',
        credential: 'admin',
        paths: ['/admin'],
        credentialChange: { http: { method: 'POST', path: '/api/password', body: 'currentPassword={{oldPassword}}&newPassword={{newPassword}}' } },
      },
    ],
    credentials: { admin: { username: 'admin', password: '${env:ADMIN_PASSWORD}' } },
    update: { version: { http: { service: 'web', path: '/api/version', jsonPointer: '/firmware/version' } } },
    hooks: {
      commands: Object.fromEntries(['power-cycle', 'network-down', 'network-up', 'factory-reset', 'dump-user-data', 'hang'].map((c) => [c, command(c)])),
      recoverySeconds: 10,
      ...hooks,
    },
    ...extra,
  };
}
