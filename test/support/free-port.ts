// One implementation, in the global setup (which cannot import its siblings).
export { freePort, onFreePort, PortTakenError } from './global-setup.js';
