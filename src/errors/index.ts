export * from './errors';
export * from './redact';
