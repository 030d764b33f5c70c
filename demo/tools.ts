import { z } from 'zod';
import type { FunctionCallHandler, ToolDefinition } from '../src';

/** The demo's quick tools: their definitions for the context, and their handlers below. */
export const demoTools: readonly ToolDefinition[] = [
  { name: 'get_current_time', description: 'The current date and time (ISO 8601, UTC).', parameters: z.object({}) },
  {
    name: 'calculate',
    description: 'Evaluates an arithmetic expression of two numbers and one of + - * /, e.g. "12 * 7".',
    parameters: z.object({ expression: z.string().describe('e.g. "12 * 7"') }),
  },
];

export const getCurrentTime: FunctionCallHandler = () => new Date().toISOString();

/** A deliberately small calculator: two numbers and one operator, no eval. */
export const calculate: FunctionCallHandler = ({ arguments: args }) => {
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*([-+*/])\s*(-?\d+(?:\.\d+)?)\s*$/.exec(String(args.expression));
  if (!match) return { error: 'expected two numbers and one of + - * /' };
  const [left, operator, right] = [Number(match[1]), match[2], Number(match[3])];
  const result = operator === '+' ? left + right : operator === '-' ? left - right : operator === '*' ? left * right : left / right;
  return `${args.expression} = ${result}`;
};

/** The order-status tool's definition: it survives barge-in (see `lookUpOrder`). */
export const orderTool: ToolDefinition = {
  name: 'look_up_order',
  description: 'Looks up the status of a customer order by its number. Slow: takes a few seconds.',
  parameters: z.object({ orderId: z.string().describe('the order number, e.g. "1234"') }),
};

/**
 * A slow back-office lookup, registered with `cancelOnInterruption: false`: interrupt the answer and it keeps running;
 * when it answers, its result lands in the conversation and the assistant speaks again.
 */
export const lookUpOrder: FunctionCallHandler = ({ arguments: args }) =>
  new Promise((resolve) => setTimeout(() => resolve(`order ${String(args.orderId)}: shipped, arriving on Friday`), 2500));
