/**
 * Items that need the app to answer are never silent, over HTTP and WebSocket: an MCP approval request reaches the app
 * and its answer goes out at once; custom tools run through registerFunction with their raw input; a client-executed
 * item runs through the handler of its type, or is reported. The request bodies the fake server received are the evidence.
 */
import {
  FrameValidationError,
  FunctionCallError,
  LLMContext,
  LLMContextFrame,
  McpApprovalResponseFrame,
  SettingsValidationError,
  UnhandledOutputItemError,
  type ErrorFrame,
  type McpApprovalRequestFrame,
} from '../../src';
import { ResponseScript, textResponse } from '../../src/testing';
import { OperatorHarness, useFakeServer } from '../support/harness';

const fake = useFakeServer('sk-output-items-0123456789');
const ask = (context = new LLMContext([{ role: 'user', content: 'Hi' }])) => new LLMContextFrame({ context });
const errorsOf = (harness: OperatorHarness) => harness.output.filter((frame): frame is ErrorFrame => frame.type === 'ErrorFrame');
type Item = Record<string, unknown> & { type?: string };
const inputOf = (index: number) => (fake.server().requests[index]?.body?.input ?? []) as Item[];
const inputTypes = (index: number) => inputOf(index).map((item) => item.type ?? 'message');

const APPROVAL = { type: 'mcp_approval_request', id: 'mcpr_1', server_label: 'deepwiki', name: 'ask_question', arguments: '{"repoName":"openai/codex"}' };
const SHELL = { type: 'shell_call', id: 'sh_1', call_id: 'call_sh_1', status: 'completed', action: { commands: ['ls'] } };

describe.each(['http', 'websocket'] as const)('over %s', (transport) => {
  const service = () => fake.service({ transport });

  describe('an MCP approval request', () => {
    it('reaches the app as a frame and an event; the turn ends without retrying and sends nothing more', async () => {
      fake.server().enqueue({ kind: 'stream', events: new ResponseScript().item(APPROVAL).completed() });
      const llm = service();
      const events: McpApprovalRequestFrame[] = [];
      llm.on('mcpApprovalRequest', (_service, request) => void events.push(request));
      const harness = new OperatorHarness(llm);
      harness.send(ask());
      await harness.waitForEnds(1);
      const requests = harness.output.filter((frame): frame is McpApprovalRequestFrame => frame.type === 'McpApprovalRequestFrame');
      expect(requests.map(({ approvalRequestId, serverLabel, toolName, arguments: args }) => ({ approvalRequestId, serverLabel, toolName, args }))).toEqual([
        { approvalRequestId: 'mcpr_1', serverLabel: 'deepwiki', toolName: 'ask_question', args: { repoName: 'openai/codex' } },
      ]);
      expect(events.map((event) => event.approvalRequestId)).toEqual(['mcpr_1']);
      expect(errorsOf(harness)).toEqual([]);
      expect(fake.server().requests).toHaveLength(1);
      harness.stop();
    });

    it("the app's answer frame goes out at once as mcp_approval_response, after the request item", async () => {
      fake.server().enqueue({ kind: 'stream', events: new ResponseScript().item(APPROVAL).completed() }, { kind: 'stream', events: textResponse('It uses Rust.') });
      const harness = new OperatorHarness(service());
      harness.send(ask());
      await harness.waitForEnds(1);
      harness.send(new McpApprovalResponseFrame({ approvalRequestId: 'mcpr_1', approve: true, reason: 'trusted server' }));
      await harness.waitForEnds(2);
      expect(harness.text()).toBe('It uses Rust.');
      const input = inputOf(1);
      const request = input.findIndex((item) => item.type === 'mcp_approval_request');
      expect(input[request]).toMatchObject({ id: 'mcpr_1', server_label: 'deepwiki' });
      expect(input[request + 1]).toEqual({ type: 'mcp_approval_response', approval_request_id: 'mcpr_1', approve: true, reason: 'trusted server' });
      harness.stop();
    });

    it('a policy answers at once (a Promise too): approve by server label, deny the rest', async () => {
      fake.server().enqueue(
        { kind: 'stream', events: new ResponseScript().item(APPROVAL).item({ ...APPROVAL, id: 'mcpr_2', server_label: 'unknown' }).completed() },
        { kind: 'stream', events: textResponse('Done.') },
      );
      const llm = service();
      llm.setMcpApproval(async (request) => request.serverLabel === 'deepwiki');
      const harness = new OperatorHarness(llm);
      harness.send(ask());
      await harness.waitForEnds(2);
      expect(harness.text()).toBe('Done.');
      expect(inputOf(1).filter((item) => item.type === 'mcp_approval_response')).toEqual([
        { type: 'mcp_approval_response', approval_request_id: 'mcpr_1', approve: true },
        { type: 'mcp_approval_response', approval_request_id: 'mcpr_2', approve: false },
      ]);
      harness.stop();
    });

    it('an answer to no waiting request is an ErrorFrame naming the field; nothing is sent; the next context works', async () => {
      fake.server().enqueue({ kind: 'stream', events: textResponse('Hello.') });
      const harness = new OperatorHarness(service());
      harness.send(new McpApprovalResponseFrame({ approvalRequestId: 'mcpr_nope', approve: true }));
      harness.send({ type: 'McpApprovalResponseFrame', approvalRequestId: 'mcpr_1', approve: 'yes' } as never);
      expect(errorsOf(harness).map((frame) => (frame.exception as FrameValidationError).field)).toEqual(['McpApprovalResponseFrame.approvalRequestId', 'McpApprovalResponseFrame.approve']);
      expect(fake.server().requests).toHaveLength(0);
      harness.send(ask());
      await harness.waitForEnds(1);
      expect(harness.text()).toBe('Hello.');
      harness.stop();
    });
  });

  describe('a custom tool (free-form input)', () => {
    it('is declared as given, runs through registerFunction with arguments { input }, and its output goes back as custom_tool_call_output', async () => {
      fake.server().enqueue(
        { kind: 'stream', events: new ResponseScript().customToolCall({ name: 'run_sql', input: 'SELECT count(*) FROM users', callId: 'call_sql' }).completed() },
        { kind: 'stream', events: textResponse('There are 42 users.') },
      );
      const llm = service();
      const seen: unknown[] = [];
      llm.registerFunction('run_sql', ({ arguments: args }) => {
        seen.push(args);
        return { rows: 42 };
      });
      const harness = new OperatorHarness(llm);
      const context = new LLMContext([{ role: 'user', content: 'How many users?' }], [{ type: 'custom', name: 'run_sql', description: 'Runs SQL' }]);
      harness.send(ask(context));
      await harness.waitForEnds(2);
      expect(seen).toEqual([{ input: 'SELECT count(*) FROM users' }]);
      expect(fake.server().requests[0]?.body?.tools).toEqual([{ type: 'custom', name: 'run_sql', description: 'Runs SQL' }]);
      expect(inputOf(1).filter((item) => item.type?.startsWith('custom_tool_call'))).toEqual([
        { type: 'custom_tool_call', call_id: 'call_sql', name: 'run_sql', input: 'SELECT count(*) FROM users' },
        { type: 'custom_tool_call_output', call_id: 'call_sql', output: '{"rows":42}' },
      ]);
      expect(harness.text()).toBe('There are 42 users.');
      harness.stop();
    });
  });

  describe('a client-executed item', () => {
    it('with no handler: an ErrorFrame and an event naming the type and the fix; the item leaves the context; the next context works', async () => {
      fake.server().enqueue({ kind: 'stream', events: new ResponseScript().item(SHELL).completed() }, { kind: 'stream', events: textResponse('Hello.') });
      const llm = service();
      const unhandled: string[] = [];
      llm.on('unhandledOutputItem', (_service, itemType) => void unhandled.push(itemType));
      const harness = new OperatorHarness(llm);
      const context = new LLMContext([{ role: 'user', content: 'List files' }]);
      harness.send(ask(context));
      await harness.waitFor(() => errorsOf(harness).length === 1);
      const [error] = errorsOf(harness);
      expect(error!.exception).toBeInstanceOf(UnhandledOutputItemError);
      expect(error!.error).toContain('"shell_call"');
      expect(error!.error).toContain("llm.registerItemHandler('shell_call'");
      expect(unhandled).toEqual(['shell_call']);
      expect(fake.server().requests).toHaveLength(1);
      harness.send(ask(context));
      await harness.waitForEnds(2);
      expect(harness.text()).toBe('Hello.');
      expect(inputTypes(1)).not.toContain('shell_call');
      harness.stop();
    });

    it('with a handler (a kind that does not exist yet too): the item and its output go back, and the model runs again', async () => {
      const hologram = { type: 'hologram_call', id: 'ho_1', call_id: 'call_ho', shape: 'cube' };
      fake.server().enqueue({ kind: 'stream', events: new ResponseScript().item(SHELL).item(hologram).completed() }, { kind: 'stream', events: textResponse('Two files.') });
      const llm = service();
      llm.registerItemHandler('shell_call', (item) => ({ type: 'shell_call_output', call_id: item.call_id, output: [{ stdout: 'a\nb\n' }] }));
      llm.registerItemHandler('hologram_call', async (item) => ({ type: 'hologram_call_output', call_id: item.call_id, seen: true }));
      const harness = new OperatorHarness(llm);
      harness.send(ask());
      await harness.waitForEnds(2);
      expect(errorsOf(harness)).toEqual([]);
      expect(inputOf(1).filter((item) => /^(shell|hologram)_call/.test(item.type ?? ''))).toEqual([
        SHELL,
        hologram,
        { type: 'shell_call_output', call_id: 'call_sh_1', output: [{ stdout: 'a\nb\n' }] },
        { type: 'hologram_call_output', call_id: 'call_ho', seen: true },
      ]);
      expect(harness.text()).toBe('Two files.');
      harness.stop();
    });

    it("a handler's output is cleaned of the service's credentials before it goes to the model", async () => {
      fake.server().enqueue({ kind: 'stream', events: new ResponseScript().item(SHELL).completed() }, { kind: 'stream', events: textResponse('Done.') });
      const llm = service();
      llm.registerItemHandler('shell_call', (item) => ({ type: 'shell_call_output', call_id: item.call_id, output: [{ stdout: 'OPENAI_API_KEY=sk-output-items-0123456789' }] }));
      const harness = new OperatorHarness(llm);
      harness.send(ask());
      await harness.waitForEnds(2);
      expect(JSON.stringify(fake.server().requests[1]?.body)).not.toContain('sk-output-items-0123456789');
      expect(inputOf(1).find((item) => item.type === 'shell_call_output')).toMatchObject({ call_id: 'call_sh_1' });
      harness.stop();
    });

    it('a handler that throws: a FunctionCallError with the cause; the item leaves the context; nothing more is sent', async () => {
      fake.server().enqueue({ kind: 'stream', events: new ResponseScript().item(SHELL).completed() }, { kind: 'stream', events: textResponse('Hello.') });
      const llm = service();
      const boom = new Error('sandbox down');
      llm.registerItemHandler('shell_call', () => {
        throw boom;
      });
      const harness = new OperatorHarness(llm);
      const context = new LLMContext([{ role: 'user', content: 'List files' }]);
      harness.send(ask(context));
      await harness.waitFor(() => errorsOf(harness).length === 1);
      expect(errorsOf(harness)[0]!.exception).toBeInstanceOf(FunctionCallError);
      expect((errorsOf(harness)[0]!.exception as Error).cause).toBe(boom);
      expect(context.messages.some((message) => message.role === 'assistant' && (message.items ?? []).length > 0)).toBe(false);
      expect(fake.server().requests).toHaveLength(1);
      harness.stop();
    });
  });
});

describe('bad registrations are typed errors naming the argument', () => {
  it('registerItemHandler and setMcpApproval check what plain JavaScript passes', () => {
    const llm = fake.service();
    expect(() => llm.registerItemHandler('Shell Call', () => ({ type: 'x' }))).toThrow(/itemType/);
    expect(() => llm.registerItemHandler('shell_call', 'run' as never)).toThrow(/handler/);
    expect(() => llm.setMcpApproval(true as never)).toThrow(/policy/);
  });
});

describe('a policy that fails or answers nonsense', () => {
  it.each([
    ['throws', () => { throw new Error('policy store down'); }, FunctionCallError],
    ['returns a string', () => 'yes' as never, SettingsValidationError],
  ])('%s: an ErrorFrame; nothing is sent; the request still waits for the app, whose frame answers it', async (_name, policy, type) => {
    fake.server().enqueue({ kind: 'stream', events: new ResponseScript().item(APPROVAL).completed() }, { kind: 'stream', events: textResponse('Answered.') });
    const llm = fake.service();
    llm.setMcpApproval(policy);
    const harness = new OperatorHarness(llm);
    harness.send(ask());
    await harness.waitFor(() => errorsOf(harness).length === 1);
    expect(errorsOf(harness)[0]!.exception).toBeInstanceOf(type);
    expect(fake.server().requests).toHaveLength(1);
    harness.send(new McpApprovalResponseFrame({ approvalRequestId: 'mcpr_1', approve: false }));
    await harness.waitForEnds(2);
    expect(harness.text()).toBe('Answered.');
    expect(inputOf(1).filter((item) => item.type === 'mcp_approval_response')).toEqual([{ type: 'mcp_approval_response', approval_request_id: 'mcpr_1', approve: false }]);
    harness.stop();
  });
});
