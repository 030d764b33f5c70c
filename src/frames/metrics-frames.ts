import { FrameBase } from './frame-base';
import { shareClasses } from '../runtime/shared-classes';
import type { LLMUsageMetricsData, ProcessingMetricsData, TTFATMetricsData, TTFBMetricsData } from './metrics-data';

export type { LLMTokenUsage } from './metrics-data';

export type MetricsData = TTFBMetricsData | TTFATMetricsData | ProcessingMetricsData | LLMUsageMetricsData;

/** Carries one or more metrics. */
export class MetricsFrame extends FrameBase {
  readonly type = 'MetricsFrame' as const;
  /** The metrics. */
  readonly data: readonly MetricsData[];
  constructor(fields: { data: readonly MetricsData[] }) {
    super();
    this.data = fields.data;
  }
}

// Instances made by another copy of the package (its ES module or CommonJS build) pass `instanceof` too.
shareClasses({ MetricsFrame });
