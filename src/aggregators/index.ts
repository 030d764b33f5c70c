export { LLMContextAggregatorPair } from './aggregator-pair';
