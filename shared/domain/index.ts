export * from './account.js';
export * from './registration.js';
export * from './message.js';
export * from './address.js';
export * from './presence.js';
export * from './reason.js';
export * from './file-transfer.js';
