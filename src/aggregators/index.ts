export * from './aggregator-pair';
export * from './user-aggregator';
export * from './assistant-aggregator';
