/** rx-responses/testing: a fake Responses server and event-sequence builders, for your own pipeline's tests. */
export * from './event-builders';
export * from './fake-server';
export * from './fake-model';
