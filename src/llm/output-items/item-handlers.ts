import { z } from 'zod/v4';
import { SettingsValidationError } from '../../errors/errors';
import type { ItemAnswerDeps, McpApprovalPolicy, OutputItemHandler } from './answer-items';

const itemType = z.string().regex(/^[a-z][a-z0-9_]*$/);

/** The handlers a service has for output items, by item type, and its MCP approval policy. */
export class ItemHandlers {
  private readonly handlers = new Map<string, OutputItemHandler>();
  /** The approval policy, when the app set one. */
  policy: McpApprovalPolicy | undefined;

  /** Registers (or, with `null`, removes) the handler of an item type; throws a `SettingsValidationError` naming the bad argument. */
  register(type: string, handler: OutputItemHandler | null): void {
    if (!itemType.safeParse(type).success) throw new SettingsValidationError('itemType', "an output item type such as 'shell_call' (lowercase letters, digits and _)", type);
    if (handler === null) {
      this.handlers.delete(type);
      return;
    }
    if (typeof handler !== 'function') throw new SettingsValidationError('handler', 'a function (item) => outputItem, or null to remove one', handler);
    this.handlers.set(type, handler);
  }

  /** Sets (or, with `undefined`, removes) the approval policy. */
  setPolicy(policy: McpApprovalPolicy | undefined): void {
    if (policy !== undefined && typeof policy !== 'function') throw new SettingsValidationError('policy', 'a function (request) => boolean | Promise<boolean>, or undefined', policy);
    this.policy = policy;
  }

  /** The handler of an item type, when registered. */
  handlerFor(type: string): OutputItemHandler | undefined {
    return this.handlers.get(type);
  }

  /** What a turn answers items with: these handlers and policy (read at each use), and the service's events. */
  answerDeps(service: Pick<ItemAnswerDeps, 'approvalRequested' | 'unhandled' | 'redactFrame' | 'redact'>): ItemAnswerDeps {
    return { ...service, handlerFor: (type) => this.handlerFor(type), approvalPolicy: () => this.policy };
  }
}
