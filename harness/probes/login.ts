import type { CredentialFamily } from '../credentials/universal-defaults.js';
import type { ClientCertificate, GuardedNetwork } from '../net/network.js';
import type { Service } from '../profile/types.js';
import type { AuthObservation, TrialCredential } from './auth-observation.js';
import { probeFtpLogin } from './ftp/login.js';
import { probeHttpBasic } from './http/basic-auth.js';
import { probeHttpDigest } from './http/digest-auth.js';
import { probeFormLogin } from './http/form-login.js';
import { probeTokenLogin } from './http/token-login.js';
import { probeMqttConnect } from './mqtt/connect-auth.js';
import { probeRtspLogin } from './rtsp/login.js';
import { probeSshPassword } from './ssh/password-auth.js';
import { probeTelnetLogin } from './telnet/login.js';

export interface LoginProbe {
  /** The profile's service it logs in to: hold-offs are tracked per service. */
  service: string;
  family: CredentialFamily;
  mechanism: string;
  attempt(net: GuardedNetwork, host: string, credential: TrialCredential, signal: AbortSignal, timeoutMs: number): Promise<AuthObservation>;
}

type Attempt = LoginProbe['attempt'];

/**
 * The probe that can try a password on this service's login, or why there is none. Behind mutual TLS
 * the probe presents `clientCertificate` (MQTT over TLS).
 */
export function loginProbeFor(service: Service, clientCertificate?: ClientCertificate): LoginProbe | { missing: string } {
  const { protocol, auth, port } = service;
  const tls = protocol.endsWith('s') && protocol !== 'ssh';
  const path = service.paths?.[0] ?? '/';
  const probe = (family: CredentialFamily, mechanism: string, attempt: Attempt): LoginProbe => ({ service: service.name, family, mechanism, attempt });

  if (protocol === 'http' || protocol === 'https') {
    if (auth === 'basic') return probe('http', `HTTP Basic on ${path}`, (net, host, credential, signal, timeoutMs) => probeHttpBasic(net, { host, port, tls, path, credential, signal, timeoutMs }));
    if (auth === 'digest') return probe('http', `HTTP Digest on ${path}`, (net, host, credential, signal, timeoutMs) => probeHttpDigest(net, { host, port, tls, path, credential, signal, timeoutMs }));
    if (auth === 'form' || auth === 'token') {
      const login = service.login;
      if (!login) return { missing: `declare services[].login (path, fields) so that jcstar can use the ${auth} login of ${service.name}` };
      return auth === 'form'
        ? probe('http', `HTML form login at ${login.path}`, (net, host, credential, signal, timeoutMs) => probeFormLogin(net, { host, port, tls, login, credential, signal, timeoutMs }))
        : probe('http', `JSON token login at ${login.path}`, (net, host, credential, signal, timeoutMs) => probeTokenLogin(net, { host, port, tls, login, credential, signal, timeoutMs }));
    }
  }
  if (protocol === 'ssh' && (auth === 'password' || auth === 'keyboard-interactive')) {
    return probe('ssh', 'SSH password / keyboard-interactive', (net, host, credential, signal, timeoutMs) => probeSshPassword(net, { host, port, credential, signal, timeoutMs }));
  }
  if ((protocol === 'mqtt' || protocol === 'mqtts') && auth === 'password') {
    return probe('mqtt', 'MQTT 3.1.1 CONNECT username/password', (net, host, credential, signal, timeoutMs) => probeMqttConnect(net, { host, port, tls, clientCertificate, protocolVersion: 4, credential, signal, timeoutMs }));
  }
  if (protocol === 'telnet' && auth === 'password') {
    return probe('telnet', 'Telnet login prompt', (net, host, credential, signal, timeoutMs) => probeTelnetLogin(net, { host, port, credential, signal, timeoutMs }));
  }
  if (protocol === 'ftp' && auth === 'password') {
    return probe('ftp', 'FTP USER/PASS', (net, host, credential, signal, timeoutMs) => probeFtpLogin(net, { host, port, credential, signal, timeoutMs }));
  }
  if (protocol === 'rtsp' && (auth === 'basic' || auth === 'digest')) {
    return probe('rtsp', `RTSP DESCRIBE ${path}`, (net, host, credential, signal, timeoutMs) => probeRtspLogin(net, { host, port, path, credential, signal, timeoutMs }));
  }
  return { missing: `jcstar has no ${protocol}/${auth} login probe yet; test ${service.name} by hand` };
}

export function isLoginProbe(p: LoginProbe | { missing: string }): p is LoginProbe {
  return 'attempt' in p;
}

/** Authentication mechanisms that involve a password a default could hide in. */
export const PASSWORD_MECHANISMS = new Set(['basic', 'digest', 'form', 'password', 'keyboard-interactive', 'token']);
