import type { CredentialFamily } from '../credentials/universal-defaults.js';
import type { GuardedNetwork } from '../net/network.js';
import type { Service } from '../profile/types.js';
import type { AuthObservation, TrialCredential } from './auth-observation.js';
import { probeHttpBasic } from './http/basic-auth.js';
import { probeMqttConnect } from './mqtt/connect-auth.js';
import { probeSshPassword } from './ssh/password-auth.js';

export interface LoginProbe {
  family: CredentialFamily;
  mechanism: string;
  attempt(net: GuardedNetwork, host: string, credential: TrialCredential, signal: AbortSignal, timeoutMs: number): Promise<AuthObservation>;
}

/** The probe that can try a password on this service's login, or null where jcstar has none yet. */
export function loginProbeFor(service: Service): LoginProbe | null {
  const { protocol, auth, port } = service;
  if ((protocol === 'http' || protocol === 'https') && auth === 'basic') {
    const path = service.paths?.[0] ?? '/';
    return {
      family: 'http',
      mechanism: `HTTP Basic on ${path}`,
      attempt: (net, host, credential, signal, timeoutMs) => probeHttpBasic(net, { host, port, tls: protocol === 'https', path, credential, signal, timeoutMs }),
    };
  }
  if (protocol === 'ssh' && (auth === 'password' || auth === 'keyboard-interactive')) {
    return {
      family: 'ssh',
      mechanism: 'SSH password / keyboard-interactive',
      attempt: (net, host, credential, signal, timeoutMs) => probeSshPassword(net, { host, port, credential, signal, timeoutMs }),
    };
  }
  if ((protocol === 'mqtt' || protocol === 'mqtts') && auth === 'password') {
    return {
      family: 'mqtt',
      mechanism: 'MQTT 3.1.1 CONNECT username/password',
      attempt: (net, host, credential, signal, timeoutMs) => probeMqttConnect(net, { host, port, tls: protocol === 'mqtts', protocolVersion: 4, credential, signal, timeoutMs }),
    };
  }
  return null;
}

/** Authentication mechanisms that involve a password a default could hide in. */
export const PASSWORD_MECHANISMS = new Set(['basic', 'digest', 'form', 'password', 'keyboard-interactive', 'token']);
