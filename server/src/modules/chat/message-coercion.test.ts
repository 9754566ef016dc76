import { describe, expect, it } from 'vitest'
import { AppError } from '../../errors/index.js'
import { coerceMessages, responsesBodyFromMessages } from './message-coercion.js'

function paramOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (err) {
    if (err instanceof AppError && err.status === 400) return err.param
    throw err
  }
  throw new Error('expected a 400')
}

const call = (id: string, name = 'lookup', args = '{"q":1}') => ({
  id,
  type: 'function',
  function: { name, arguments: args },
})

describe('coerceMessages', () => {
  it.each([
    [
      'system and developer texts become instructions, in order',
      [
        { role: 'system', content: 'be brief' },
        { role: 'developer', content: [{ type: 'text', text: 'a' }, 'b'] },
        { role: 'user', content: 'hi' },
      ],
      {
        instructions: ['be brief', 'a\nb'],
        input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }],
      },
    ],
    [
      'user parts: text, image_url (object or string, detail kept) and inline files',
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'look' },
            { type: 'image_url', image_url: { url: 'https://x/a.png', detail: 'low' } },
            { type: 'image_url', image_url: 'data:image/png;base64,AA' },
            { type: 'file', file: { file_data: 'data:application/pdf;base64,QQ', filename: 'a' } },
            { type: 'file', file: { file_data: 'QQ' } },
          ],
        },
      ],
      {
        instructions: [],
        input: [
          {
            type: 'message',
            role: 'user',
            content: [
              { type: 'input_text', text: 'look' },
              { type: 'input_image', image_url: 'https://x/a.png', detail: 'low' },
              { type: 'input_image', image_url: 'data:image/png;base64,AA' },
              { type: 'input_file', file_data: 'data:application/pdf;base64,QQ', filename: 'a' },
              { type: 'input_file', file_data: 'data:application/octet-stream;base64,QQ' },
            ],
          },
        ],
      },
    ],
    [
      'assistant text as output_text; tool calls and results as function_call(_output) items',
      [
        { role: 'user', content: 'weather?' },
        {
          role: 'assistant',
          content: 'checking',
          tool_calls: [call('call_a'), call('call_b', 'other', '{}')],
        },
        { role: 'tool', tool_call_id: 'call_b', content: 'sunny' },
        { role: 'tool', tool_call_id: 'call_a', content: [{ type: 'text', text: '12' }] },
        { role: 'assistant', content: null, refusal: 'no' },
      ],
      {
        instructions: [],
        input: [
          { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'weather?' }] },
          {
            type: 'message',
            role: 'assistant',
            content: [{ type: 'output_text', text: 'checking' }],
          },
          { type: 'function_call', call_id: 'call_a', name: 'lookup', arguments: '{"q":1}' },
          { type: 'function_call', call_id: 'call_b', name: 'other', arguments: '{}' },
          { type: 'function_call_output', call_id: 'call_b', output: 'sunny' },
          { type: 'function_call_output', call_id: 'call_a', output: '12' },
          { type: 'message', role: 'assistant', content: [{ type: 'refusal', refusal: 'no' }] },
        ],
      },
    ],
    [
      'an assistant turn with only tool calls and empty text has no message item',
      [{ role: 'assistant', content: '', tool_calls: [call('c1')] }],
      {
        instructions: [],
        input: [{ type: 'function_call', call_id: 'c1', name: 'lookup', arguments: '{"q":1}' }],
      },
    ],
  ])('%s', (_name, messages, expected) => {
    expect(coerceMessages(messages)).toEqual(expected)
  })

  it.each([
    ['not an array', 'nope', 'messages'],
    ['empty', [], 'messages'],
    ['a message that is not an object', ['hi'], 'messages[0]'],
    ['an unknown role', [{ role: 'bot', content: 'x' }], 'messages[0].role'],
    ['the legacy function role', [{ role: 'function', content: 'x' }], 'messages[0].role'],
    ['user content of the wrong type', [{ role: 'user', content: 5 }], 'messages[0].content'],
    [
      'an unknown part type',
      [{ role: 'user', content: [{ type: 'video' }] }],
      'messages[0].content[0].type',
    ],
    [
      'audio input',
      [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }],
      'messages[0].content[0].type',
    ],
    [
      'a text part without text',
      [{ role: 'user', content: [{ type: 'text' }] }],
      'messages[0].content[0].text',
    ],
    [
      'an image without url',
      [{ role: 'user', content: [{ type: 'image_url', image_url: {} }] }],
      'messages[0].content[0].image_url.url',
    ],
    [
      'a file_id',
      [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-1' } }] }],
      'messages[0].content[0].file.file_id',
    ],
    [
      'an image part in a system message',
      [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'x' } }] }],
      'messages[0].content[0].type',
    ],
    [
      'a tool message without a matching earlier call',
      [
        { role: 'assistant', tool_calls: [call('c1')] },
        { role: 'tool', tool_call_id: 'c2', content: 'x' },
      ],
      'messages[1].tool_call_id',
    ],
    [
      'a tool result before its call',
      [
        { role: 'tool', tool_call_id: 'c1', content: 'x' },
        { role: 'assistant', tool_calls: [call('c1')] },
      ],
      'messages[0].tool_call_id',
    ],
    ['a tool message without id', [{ role: 'tool', content: 'x' }], 'messages[0].tool_call_id'],
    [
      'a tool call without a name',
      [{ role: 'assistant', tool_calls: [{ id: 'c', function: { arguments: '{}' } }] }],
      'messages[0].tool_calls[0].function.name',
    ],
    [
      'tool call arguments that are not a string',
      [{ role: 'assistant', tool_calls: [{ id: 'c', function: { name: 'f', arguments: {} } }] }],
      'messages[0].tool_calls[0].function.arguments',
    ],
    [
      'a legacy function_call',
      [{ role: 'assistant', function_call: { name: 'f', arguments: '{}' } }],
      'messages[0].function_call',
    ],
  ])('rejects %s with a 400 naming %s', (_name, messages, param) => {
    expect(paramOf(() => coerceMessages(messages))).toBe(param)
  })
})

describe('responsesBodyFromMessages (/v1/responses with messages)', () => {
  it('turns messages into input and appends system texts to instructions', () => {
    const body = responsesBodyFromMessages({
      model: 'gpt-5.5',
      instructions: 'first',
      messages: [
        { role: 'system', content: 'second' },
        { role: 'user', content: 'hi' },
      ],
      input: [],
    })
    expect(body).toEqual({
      model: 'gpt-5.5',
      instructions: 'first\nsecond',
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }],
    })
  })

  it('leaves bodies without messages alone', () => {
    const raw = { model: 'm', input: 'x' }
    expect(responsesBodyFromMessages(raw)).toBe(raw)
  })

  it.each([
    [{ model: 'm', input: 'x', messages: [{ role: 'user', content: 'y' }] }, 'messages'],
    [{ model: 'm', messages: [{ role: 'x', content: 'y' }] }, 'messages[0].role'],
    [{ model: 'm', instructions: 3, messages: [{ role: 'user', content: 'y' }] }, 'instructions'],
  ])('rejects %j with param %s', (raw, param) => {
    expect(paramOf(() => responsesBodyFromMessages(raw))).toBe(param)
  })
})
