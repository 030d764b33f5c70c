import type { LLMContext } from '../../context/llm-context';
import type { ResponseItemData } from '../../context/messages';
import { FrameValidationError } from '../../errors/errors';
import { ErrorFrame, type McpApprovalResponseFrame } from '../../frames';

/** The `mcp_approval_response` item of an app's answer (pure). */
export function approvalResponseItem(frame: McpApprovalResponseFrame): ResponseItemData {
  return { type: 'mcp_approval_response', approval_request_id: frame.approvalRequestId, approve: frame.approve, ...(frame.reason ? { reason: frame.reason } : {}) };
}

/**
 * Why an app's answer cannot go out, as an ErrorFrame: no request of that id waits in the context (the API would refuse
 * the request), or it was answered already. Undefined when it can.
 */
export function approvalProblem(context: LLMContext, frame: McpApprovalResponseFrame): ErrorFrame | undefined {
  let asked = false;
  let answered = false;
  for (const message of context.messages) {
    if (message.role === 'assistant') asked ||= (message.items ?? []).some((item) => item.type === 'mcp_approval_request' && item.id === frame.approvalRequestId);
    else if (message.role === 'item') answered ||= message.item.type === 'mcp_approval_response' && message.item.approval_request_id === frame.approvalRequestId;
  }
  if (asked && !answered) return undefined;
  const error = new FrameValidationError(
    'McpApprovalResponseFrame.approvalRequestId',
    asked ? 'a request not answered yet' : "the approvalRequestId of an McpApprovalRequestFrame in the stage's context",
    frame.approvalRequestId,
  );
  return new ErrorFrame({ error: error.message, exception: error });
}
