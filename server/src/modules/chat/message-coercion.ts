import { isRecord } from '../../lib/json.js'
import { assistantContent, textContent, userContent } from './content-parts.js'
import { field, invalid, shown, optionalString, requiredString, type BodyPath } from './invalid.js'

/** A Responses input item (`message`, `function_call`, `function_call_output`). */
export type ResponsesItem = Record<string, unknown>

export interface CoercedMessages {
  /** System and developer texts, in order; the Responses API takes them as `instructions`. */
  instructions: string[]
  input: ResponsesItem[]
}

const ROLES = 'system, developer, user, assistant or tool'

function functionCall(call: unknown, path: BodyPath, callIds: Set<string>): ResponsesItem {
  if (!isRecord(call)) invalid(`${field(path)} must be an object`, path)
  if (call['type'] !== undefined && call['type'] !== 'function') {
    invalid('Only function tool calls are supported', [...path, 'type'])
  }
  const id = requiredString(call['id'], [...path, 'id'])
  const fn = call['function']
  if (!isRecord(fn)) invalid(`${field([...path, 'function'])} is required`, [...path, 'function'])
  const name = requiredString(fn['name'], [...path, 'function', 'name'])
  const args = optionalString(fn['arguments'], [...path, 'function', 'arguments']) ?? ''
  callIds.add(id)
  return { type: 'function_call', call_id: id, name, arguments: args }
}

/** An assistant turn: its text (if any) as a message, then each tool call as a `function_call`. */
function assistantItems(
  message: Record<string, unknown>,
  path: BodyPath,
  callIds: Set<string>,
): ResponsesItem[] {
  if (message['function_call'] !== undefined && message['function_call'] !== null) {
    invalid('The legacy `function_call` is not supported; use `tool_calls`', [
      ...path,
      'function_call',
    ])
  }
  const content = assistantContent(message['content'], [...path, 'content'])
  const refusal = optionalString(message['refusal'], [...path, 'refusal'])
  if (refusal) content.push({ type: 'refusal', refusal })
  const items: ResponsesItem[] = []
  if (content.length > 0) items.push({ type: 'message', role: 'assistant', content })
  const calls = message['tool_calls']
  if (calls === undefined || calls === null) return items
  if (!Array.isArray(calls)) invalid('`tool_calls` must be an array', [...path, 'tool_calls'])
  calls.forEach((call, j) => items.push(functionCall(call, [...path, 'tool_calls', j], callIds)))
  return items
}

/**
 * A tool result answers a call made earlier in the conversation; the upstream would reject an
 * orphan output with a message that names none of the client's fields, so it is caught here.
 */
function toolOutput(
  message: Record<string, unknown>,
  path: BodyPath,
  callIds: Set<string>,
): ResponsesItem {
  const callId = requiredString(message['tool_call_id'], [...path, 'tool_call_id'])
  if (!callIds.has(callId)) {
    invalid(`No earlier assistant message has a tool call with id ${shown(callId)}`, [
      ...path,
      'tool_call_id',
    ])
  }
  const output = textContent(message['content'] ?? '', [...path, 'content']).join('\n')
  return { type: 'function_call_output', call_id: callId, output }
}

function coerceMessage(
  message: unknown,
  path: BodyPath,
  out: CoercedMessages,
  callIds: Set<string>,
): void {
  if (!isRecord(message)) invalid(`${field(path)} must be an object`, path)
  const role = message['role']
  const content = [...path, 'content']
  switch (role) {
    case 'system':
    case 'developer':
      out.instructions.push(textContent(message['content'], content).join('\n'))
      return
    case 'user':
      out.input.push({
        type: 'message',
        role: 'user',
        content: userContent(message['content'], content),
      })
      return
    case 'assistant':
      out.input.push(...assistantItems(message, path, callIds))
      return
    case 'tool':
      out.input.push(toolOutput(message, path, callIds))
      return
    default:
      invalid(`Unsupported role ${shown(role)}; expected ${ROLES}`, [...path, 'role'])
  }
}

/**
 * Chat messages → Responses `instructions` + input items (reference §6.1), shared by
 * `/v1/chat/completions` and `/v1/responses` with `messages`. Assistant tool calls become
 * `function_call` items and tool messages `function_call_output` items, so multi-turn tool use
 * reaches the upstream in its own vocabulary.
 */
export function coerceMessages(messages: unknown, root = 'messages'): CoercedMessages {
  if (!Array.isArray(messages) || messages.length === 0) {
    invalid('`messages` must be a non-empty array', [root])
  }
  const out: CoercedMessages = { instructions: [], input: [] }
  const callIds = new Set<string>()
  messages.forEach((message, i) => coerceMessage(message, [root, i], out, callIds))
  return out
}

/**
 * `/v1/responses` with `messages` instead of `input` (reference §1.3): the body with the messages
 * turned into `input`, and system texts appended to `instructions`. Bodies without `messages` are
 * returned as they are.
 */
export function responsesBodyFromMessages(raw: unknown): unknown {
  if (!isRecord(raw) || raw['messages'] === undefined) return raw
  const input = raw['input']
  if (input !== undefined && !(Array.isArray(input) && input.length === 0)) {
    invalid('Send either `input` or `messages`, not both', ['messages'])
  }
  const prior = optionalString(raw['instructions'], ['instructions'])
  const coerced = coerceMessages(raw['messages'])
  const { messages: _messages, ...rest } = raw
  const instructions = [...(prior ? [prior] : []), ...coerced.instructions]
  return { ...rest, input: coerced.input, instructions: instructions.join('\n') }
}
