export { LLMService } from './llm-service';
export type { SettingsWarning } from './llm-service';
export { NOT_GIVEN } from './not-given';
export type { NotGiven } from './not-given';
export type { LLMServiceOptions, ServiceLogger } from './service-options';
export type { LLMSettingsValues, SettingsDelta, SettingsInput, ResolvedSettingsOf } from './settings';
export type { ServiceEvent, ServiceEventArgs, ServiceEventHandler, ServiceEventName } from './events';
export type {
  FunctionCallHandler,
  FunctionCallParams,
  FunctionCallResultProperties,
  RegisterFunctionOptions,
} from './function-registry';
export type { ResponseState, StreamedFunctionCall } from './response-state';
export type { SpanAttributeValue, SpanLike, TracerLike } from './tracing';
export { LLMSwitcher } from './switcher';
export { defineTool } from './define-tool';
export type { DefinedTool } from './define-tool';
export type { LLMSwitcherOptions, ServiceSwitched, SwitchableService } from './switcher';
