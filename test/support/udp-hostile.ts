import { randomBytes } from 'node:crypto';
import type { UdpAnswerer } from './udp-fake.js';

/** Devices that answer UDP badly: the scan must call them open and identify nothing, without crashing or growing. */

export const echoResponder: UdpAnswerer = (request) => [request];
export const garbageResponder: UdpAnswerer = () => [randomBytes(97)];
/** The largest UDP payload IPv4 carries. */
export const hugeResponder: UdpAnswerer = () => [Buffer.alloc(65507, 0x41)];
/** A hundred datagrams for every request. */
export const floodResponder: UdpAnswerer = () => Array.from({ length: 100 }, () => randomBytes(64));
export const silentResponder: UdpAnswerer = () => [];
