import type { FunctionTool, ResponseCreateParamsBase, Tool } from 'openai/resources/responses/responses';
import { toolChoiceSpecOf, toolSpecsOf } from '../../context/function-tools';
import type { ContextTools, ToolChoice } from '../../context/tools';

/** The context's tools as Responses tools (pure): function tools in the Responses shape, hosted tools as given. */
export function toResponsesTools(tools: ContextTools): Tool[] {
  return toolSpecsOf(tools).map((spec): Tool => {
    if (spec.type !== 'function') return spec as Tool;
    const tool: FunctionTool = { type: 'function', name: spec.name, parameters: spec.parameters, strict: spec.strict };
    if (spec.description) tool.description = spec.description;
    return tool;
  });
}

/** The tool choice in the Responses shape (pure). */
export function toResponsesToolChoice(choice: ToolChoice): NonNullable<ResponseCreateParamsBase['tool_choice']> {
  return toolChoiceSpecOf(choice);
}
