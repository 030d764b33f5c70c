/**
 * The Responses stream's event vocabulary, in one place: which events announce a response, which end it, and which
 * output items are tools the API runs itself. The mapping, the HTTP chain and the WebSocket transport all read it here.
 */

/** Events that only announce the response; any other event is output (it stops the TTFB clock). */
export const PREAMBLE_EVENTS: ReadonlySet<string> = new Set(['response.created', 'response.in_progress', 'response.queued']);

/** Events that end a response in failure: not output either (a failure before any output can be tried again). */
export const FAILURE_EVENTS: ReadonlySet<string> = new Set(['error', 'response.failed']);

/** Events after which a response is over (and a WebSocket's server starts on the next `response.create`). */
export const TERMINAL_EVENTS: ReadonlySet<string> = new Set(['response.completed', 'response.failed', 'response.incomplete', 'error']);

/** Output items of the tools the API runs itself: they become `HostedToolCallFrame`s. */
export const HOSTED_TOOL_ITEMS: ReadonlySet<string> = new Set([
  'web_search_call',
  'file_search_call',
  'code_interpreter_call',
  'mcp_call',
  'mcp_list_tools',
  'image_generation_call',
  'tool_search_call',
]);

/**
 * Output items of tools the app executes: the app sends back their output. An unknown item type ending in `_call` that
 * is not a hosted tool's is taken as one too, as is an item that says `execution: 'client'` (a client tool search).
 */
export const CLIENT_ITEMS: ReadonlySet<string> = new Set(['computer_call', 'local_shell_call', 'shell_call', 'apply_patch_call']);

/** Output items sent back as they are on the next request: a program whose function calls the app answers. */
export const KEPT_ITEMS: ReadonlySet<string> = new Set(['program']);

/** Output items the mapping reads itself (everything else is an item the app may need to answer). */
const MAPPED_ITEMS: ReadonlySet<string> = new Set(['message', 'reasoning', 'function_call', 'custom_tool_call']);

/** How an output item that is not mapped to text, reasoning or a call is treated (pure). */
export function itemKind(item: { readonly type: string; readonly execution?: unknown }): 'hosted' | 'approval' | 'client' | 'kept' | 'mapped' | 'ignored' {
  const { type } = item;
  if (MAPPED_ITEMS.has(type)) return 'mapped';
  if (type === 'mcp_approval_request') return 'approval';
  if (item.execution === 'client' || CLIENT_ITEMS.has(type)) return 'client';
  if (HOSTED_TOOL_ITEMS.has(type)) return 'hosted';
  if (KEPT_ITEMS.has(type)) return 'kept';
  return type.endsWith('_call') ? 'client' : 'ignored';
}

/** A hosted tool's progress event: `response.<item type>.<status>`, e.g. `response.web_search_call.searching`. */
export const HOSTED_TOOL_PROGRESS = /^response\.([a-z_]+)\.([a-z_]+)$/;

/** Whether an event is the model's output rather than the response's preamble (pure). */
export function isOutputEvent(event: { readonly type: string }): boolean {
  return !PREAMBLE_EVENTS.has(event.type) && !FAILURE_EVENTS.has(event.type);
}

/** Whether an event ends its response. */
export function isTerminalEvent(event: { readonly type: string }): boolean {
  return TERMINAL_EVENTS.has(event.type);
}
