import type { ResponseCreateParamsBase, ResponseCreateParamsNonStreaming, ResponseCreateParamsStreaming, ResponseInputItem } from 'openai/resources/responses/responses';
import type { LLMContext } from '../../context/llm-context';
import { ContextValidationError } from '../../errors/errors';
import { isGiven } from '../../llm/not-given';
import { toInputItems } from './input-items';
import { defaultReasoningFor, isReasoningModel } from './reasoning';
import type { ResolvedSettings } from './settings';
import { toResponsesToolChoice, toResponsesTools } from './tools';

/** The body of a streaming `POST /responses`: what `openStream` receives. */
export type ResponsesStreamRequest = ResponseCreateParamsStreaming;

/** The service tiers a request may ask for (`service_tier`). */
export type ServiceTier = NonNullable<ResponseCreateParamsBase['service_tier']>;

/** What one request is built from. */
export interface RequestParts {
  /** The conversation. */
  readonly context: LLMContext;
  /** The settings in force when the request starts. */
  readonly settings: ResolvedSettings;
  /** The constructor's `serviceTier`, if any. */
  readonly serviceTier?: ServiceTier | undefined;
  /** Whether OpenAI stores the response (`store`; default false). */
  readonly store?: boolean | undefined;
  /** Who asks (the service and model, see `ReasoningItemData.origin`): only its own encrypted reasoning is sent back. */
  readonly origin?: string | undefined;
}

/**
 * Builds the Responses request body from a context and settings (pure): `NOT_GIVEN` settings are left out,
 * `null` is sent, the page's `frequencyPenalty`/`presencePenalty`/`seed` are never sent (the API has no such fields).
 */
export function buildStreamRequest(parts: RequestParts): ResponsesStreamRequest {
  return { ...withExtra(buildBody(parts), parts.settings), stream: true };
}

/** The same body for a one-shot, non-streaming request. */
export function buildNonStreamRequest(parts: RequestParts): ResponseCreateParamsNonStreaming {
  return { ...withExtra(buildBody(parts), parts.settings), stream: false };
}

function buildBody({ context, settings, serviceTier, store, origin }: RequestParts): ResponseCreateParamsBase {
  const input = toInputItems(context.messages, origin);
  const instruction = isGiven(settings.systemInstruction) ? settings.systemInstruction : null;
  const body: ResponseCreateParamsBase = { model: settings.model, input };
  if (input.length > 0) {
    if (instruction !== null) body.instructions = instruction;
  } else if (instruction) {
    // "Bot speaks first": the API wants at least one input item, so the instruction alone goes as a developer message.
    body.input = [{ type: 'message', role: 'developer', content: instruction }];
  } else {
    throw new ContextValidationError('messages', 'the context has no messages and no systemInstruction is set; add a message before running the LLM');
  }
  const reasoningModel = isReasoningModel(settings.model);
  // Reasoning models reject sampling settings (HTTP 400): they are left out, and the service warns once.
  if (isGiven(settings.temperature) && !reasoningModel) body.temperature = settings.temperature;
  if (isGiven(settings.topP) && !reasoningModel) body.top_p = settings.topP;
  if (isGiven(settings.maxCompletionTokens)) body.max_output_tokens = settings.maxCompletionTokens;
  const reasoning = isGiven(settings.reasoning) ? settings.reasoning : defaultReasoningFor(settings.model);
  if (reasoning !== undefined) body.reasoning = reasoning;
  // With store: false, the encrypted reasoning is what lets later requests keep the model's reasoning.
  const include = [...(isGiven(settings.include) ? settings.include : []), ...(reasoning && reasoningModel ? ['reasoning.encrypted_content'] : [])];
  if (include.length > 0) body.include = [...new Set(include)] as NonNullable<ResponseCreateParamsBase['include']>;
  if (isGiven(settings.parallelToolCalls)) body.parallel_tool_calls = settings.parallelToolCalls;
  if (isGiven(settings.promptCacheKey)) body.prompt_cache_key = settings.promptCacheKey;
  if (isGiven(settings.safetyIdentifier)) body.safety_identifier = settings.safetyIdentifier;
  if (isGiven(settings.textVerbosity)) body.text = { verbosity: settings.textVerbosity };
  if (isGiven(settings.truncation)) body.truncation = settings.truncation;
  if (isGiven(settings.metadata)) body.metadata = { ...settings.metadata };
  // The live API takes max_tool_calls (the recorded responses echo it); this openai package's request type lacks it.
  if (isGiven(settings.maxToolCalls)) (body as ResponseCreateParamsBase & { max_tool_calls?: number }).max_tool_calls = settings.maxToolCalls;
  const tools = context.tools === undefined ? [] : toResponsesTools(context.tools);
  if (tools.length > 0) body.tools = tools;
  if (context.toolChoice !== undefined) body.tool_choice = toResponsesToolChoice(context.toolChoice);
  if (serviceTier !== undefined) body.service_tier = serviceTier;
  body.store = store ?? false;
  return body;
}

/** A request's input as a list of items: what a chain compares and sends again (a plain string is one user message). */
export function inputItemsOf(request: Pick<ResponseCreateParamsBase, 'input'>): ResponseInputItem[] {
  const { input } = request;
  return typeof input === 'string' ? [{ type: 'message', role: 'user', content: input }] : (input ?? []);
}

/** `extra` goes in over the modelled fields (not over `stream`): fields we do not model, so the one unchecked place. */
function withExtra(body: ResponseCreateParamsBase, settings: ResolvedSettings): ResponseCreateParamsBase {
  return isGiven(settings.extra) ? ({ ...body, ...settings.extra } as ResponseCreateParamsBase) : body;
}
