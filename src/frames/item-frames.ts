import { FrameBase } from './frame-base';
import { shareClasses } from '../runtime/shared-classes';

/**
 * A hosted MCP server's tool needs the app's approval before the API calls it (an `mcp_approval_request` item). The
 * app answers with an `McpApprovalResponseFrame` pushed into the LLM stage, or a policy set with `llm.setMcpApproval`.
 */
export class McpApprovalRequestFrame extends FrameBase {
  readonly type = 'McpApprovalRequestFrame' as const;
  /** The request's item id: what the answer names. */
  readonly approvalRequestId: string;
  /** The label of the MCP server in the context's tools. */
  readonly serverLabel: string;
  /** The MCP tool the model wants to call. */
  readonly toolName: string;
  /** The arguments it would call it with (`{}` when the model's JSON could not be read). */
  readonly arguments: Readonly<Record<string, unknown>>;
  constructor(fields: { approvalRequestId: string; serverLabel: string; toolName: string; arguments: Readonly<Record<string, unknown>> }) {
    super();
    this.approvalRequestId = fields.approvalRequestId;
    this.serverLabel = fields.serverLabel;
    this.toolName = fields.toolName;
    this.arguments = fields.arguments;
  }
}

/** The app's answer to an `McpApprovalRequestFrame`: pushed into the LLM stage, it goes out in a new request at once. */
export class McpApprovalResponseFrame extends FrameBase {
  readonly type = 'McpApprovalResponseFrame' as const;
  /** The `approvalRequestId` of the request it answers. */
  readonly approvalRequestId: string;
  /** Whether the call may go ahead. */
  readonly approve: boolean;
  /** Why, for the model (optional). */
  readonly reason: string | undefined;
  constructor(fields: { approvalRequestId: string; approve: boolean; reason?: string | undefined }) {
    super();
    this.approvalRequestId = fields.approvalRequestId;
    this.approve = fields.approve;
    this.reason = fields.reason;
  }
}
shareClasses({ McpApprovalRequestFrame, McpApprovalResponseFrame });
