import type { Service } from '../../profile/types.js';

/** Logins whose only secret is a key: nothing a person types, so nothing to guess or to ship as a default. */
export const KEY_MECHANISMS = new Set(['publickey', 'certificate', 'psk']);

export function isKeyOnlyLogin(service: Service): boolean {
  return KEY_MECHANISMS.has(service.auth);
}

/** DTLS-PSK on CoAPS: the one key login below CoAP that jcstar completes itself. */
export function isCoapsPsk(service: Service): boolean {
  return service.protocol === 'coaps' && service.auth === 'psk';
}

export function unprobedKeyLogin(service: Service): string {
  return `${service.name} is declared auth: ${service.auth}, a login by key with no password to guess or to ship as a default; jcstar has no ${service.protocol}/${service.auth} probe to confirm it on the device`;
}
