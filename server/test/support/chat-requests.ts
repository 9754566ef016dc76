import fc from 'fast-check'

/**
 * Random valid Chat Completions requests (fast-check), and the Responses body each must become: the
 * model is written from the API documents and reference §6.1, not from the translator.
 */

export type Json = Record<string, unknown>
type Part = string | { type?: 'text'; text: string }

const text = fc.string({ unit: 'binary', maxLength: 16 })
const name = fc.string({ unit: 'binary', minLength: 1, maxLength: 12 })
const textPart: fc.Arbitrary<Part> = fc.oneof(
  text,
  fc.record({ type: fc.constant('text' as const), text }),
  fc.record({ text }),
)
const textContent = fc.oneof(text, fc.array(textPart, { maxLength: 3 }))
const partText = (p: Part) => (typeof p === 'string' ? p : p.text)
const texts = (c: string | Part[]) => (typeof c === 'string' ? [c] : c.map(partText))

// User parts carry a `type` (reference §6.1); only text-only content takes untyped `{text}` parts.
const userPart = fc.oneof(
  text,
  fc.record({ type: fc.constant('text' as const), text }),
  fc.record({
    type: fc.constant('image_url'),
    image_url: fc.oneof(
      fc.webUrl(),
      fc.record(
        { url: fc.webUrl(), detail: fc.constantFrom('auto', 'low', 'high', null) },
        { requiredKeys: ['url'] },
      ),
    ),
  }),
  fc.record({
    type: fc.constant('file'),
    file: fc.record(
      {
        file_data: fc.oneof(
          fc.base64String({ minLength: 4 }),
          fc.constant('data:text/plain;base64,aGk='),
        ),
        filename: name,
      },
      { requiredKeys: ['file_data'] },
    ),
  }),
)

function userPartOut(p: unknown): Json {
  const part = p as Json
  if (typeof p === 'string' || part['type'] === undefined || part['type'] === 'text')
    return { type: 'input_text', text: partText(p as Part) }
  if (part['type'] === 'image_url') {
    const img = part['image_url']
    if (typeof img === 'string') return { type: 'input_image', image_url: img }
    const { url, detail } = img as Json
    return { type: 'input_image', image_url: url, ...(detail ? { detail } : {}) }
  }
  const { file_data: data, filename } = part['file'] as { file_data: string; filename?: string }
  const dataUrl = data.startsWith('data:') ? data : `data:application/octet-stream;base64,${data}`
  return { type: 'input_file', file_data: dataUrl, ...(filename ? { filename } : {}) }
}

const call = fc.record(
  {
    id: name,
    type: fc.constant('function'),
    function: fc.record(
      { name, arguments: fc.oneof(text, fc.json({ maxDepth: 2 })) },
      { requiredKeys: ['name'] },
    ),
  },
  { requiredKeys: ['id', 'function'] },
)
const assistantPart = fc.oneof(textPart, fc.record({ type: fc.constant('refusal'), refusal: text }))
const assistant = fc.record(
  {
    role: fc.constant('assistant'),
    content: fc.oneof(fc.constant(null), text, fc.array(assistantPart, { maxLength: 3 })),
    refusal: text,
    tool_calls: fc.array(call, { maxLength: 3 }),
  },
  { requiredKeys: ['role'] },
)
/** An assistant turn and tool results for some of its calls, in any order. */
const toolTurn = assistant.chain((a) =>
  fc
    .shuffledSubarray(a.tool_calls ?? [])
    .chain((answered) =>
      fc.tuple(
        ...answered.map((c) =>
          fc.record(
            { role: fc.constant('tool'), tool_call_id: fc.constant(c.id), content: textContent },
            { requiredKeys: ['role', 'tool_call_id'] },
          ),
        ),
      ),
    )
    .map((tools) => [a, ...tools] as Json[]),
)
const turn = fc.oneof(
  fc
    .record({ role: fc.constantFrom('system', 'developer'), content: textContent })
    .map((m) => [m as Json]),
  fc
    .record({
      role: fc.constant('user'),
      content: fc.oneof(text, fc.array(userPart, { maxLength: 3 })),
    })
    .map((m) => [m as Json]),
  toolTurn,
)

function assistantOut(m: Json): Json[] {
  const content = m['content']
  const parts: Json[] = []
  for (const p of content === null || content === undefined
    ? []
    : typeof content === 'string'
      ? [content]
      : (content as unknown[])) {
    const part = p as Json
    if (typeof p !== 'string' && part['type'] === 'refusal') {
      if (part['refusal']) parts.push({ type: 'refusal', refusal: part['refusal'] })
    } else if (partText(p as Part)) parts.push({ type: 'output_text', text: partText(p as Part) })
  }
  if (m['refusal']) parts.push({ type: 'refusal', refusal: m['refusal'] })
  const calls = (m['tool_calls'] ?? []) as Array<{
    id: string
    function: { name: string; arguments?: string }
  }>
  return [
    ...(parts.length ? [{ type: 'message', role: 'assistant', content: parts }] : []),
    ...calls.map((c) => ({
      type: 'function_call',
      call_id: c.id,
      name: c.function.name,
      arguments: c.function.arguments ?? '',
    })),
  ]
}

/** A small JSON Schema: the translator passes it on untouched. */
const schema = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.boolean(),
    fc.record({ type: fc.constantFrom('string', 'number', 'boolean', 'null') }),
    fc.record(
      {
        type: fc.constant('object'),
        properties: fc.dictionary(name, tie('node'), { maxKeys: 3 }),
        required: fc.array(name, { maxLength: 2 }),
        additionalProperties: fc.boolean(),
      },
      { requiredKeys: ['type'] },
    ),
    fc.record({ type: fc.constant('array'), items: tie('node') }),
    fc.record({ anyOf: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
  ),
})).node
const tool = fc.record({
  type: fc.constant('function'),
  function: fc.record(
    { name, description: text, parameters: schema, strict: fc.boolean() },
    { requiredKeys: ['name'] },
  ),
})
const toolChoice = fc.oneof(
  fc.constantFrom('none', 'auto', 'required'),
  name.map((n) => ({ type: 'function', function: { name: n } })),
)
const responseFormat = fc.oneof(
  fc.constantFrom({ type: 'text' }, { type: 'json_object' }),
  fc.record({
    type: fc.constant('json_schema'),
    json_schema: fc.record(
      {
        name: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
        schema,
        strict: fc.boolean(),
        description: text,
      },
      { requiredKeys: ['name', 'schema'] },
    ),
  }),
)

export const chatRequest = fc.record(
  {
    model: name,
    messages: fc.array(turn, { minLength: 1, maxLength: 5 }).map((turns) => turns.flat()),
    tools: fc.array(tool, { maxLength: 3 }),
    tool_choice: toolChoice,
    parallel_tool_calls: fc.boolean(),
    response_format: responseFormat,
    verbosity: fc.constantFrom('low', 'medium', 'high'),
    reasoning_effort: text,
    prompt_cache_key: text,
    service_tier: text,
    stream: fc.boolean(),
    stream_options: fc.record({ include_usage: fc.boolean() }, { requiredKeys: [] }),
    // Accepted and dropped (sampling hints and bookkeeping), or neutral values of refused options.
    temperature: fc.double({ min: 0, max: 2, noNaN: true }),
    max_tokens: fc.nat(),
    user: text,
    n: fc.constant(1),
    logprobs: fc.constant(false),
    store: fc.constant(false),
    stop: fc.constant([]),
  },
  { requiredKeys: ['model', 'messages'] },
)

export function expectedResponses(req: Json): Json {
  const instructions: string[] = []
  const input: Json[] = []
  for (const m of req['messages'] as Json[]) {
    const role = m['role']
    if (role === 'system' || role === 'developer')
      instructions.push(texts(m['content'] as Part[]).join('\n'))
    if (role === 'user')
      input.push({
        type: 'message',
        role: 'user',
        content: (typeof m['content'] === 'string'
          ? [m['content']]
          : (m['content'] as unknown[])
        ).map(userPartOut),
      })
    if (role === 'assistant') input.push(...assistantOut(m))
    if (role === 'tool')
      input.push({
        type: 'function_call_output',
        call_id: m['tool_call_id'],
        output: texts((m['content'] ?? '') as Part[]).join('\n'),
      })
  }
  const tools = (req['tools'] as Array<{ function: Json }> | undefined)?.map(({ function: f }) => ({
    type: 'function',
    name: f['name'],
    ...(f['description'] !== undefined ? { description: f['description'] } : {}),
    ...(f['parameters'] !== undefined ? { parameters: f['parameters'] } : {}),
    strict: f['strict'] ?? false,
  }))
  const choice = req['tool_choice'] as string | { function: { name: string } } | undefined
  const format = req['response_format'] as Json | undefined
  const spec = format?.['json_schema'] as Json | undefined
  const formatOut = spec
    ? {
        type: 'json_schema',
        name: spec['name'],
        schema: spec['schema'],
        ...(spec['strict'] !== undefined ? { strict: spec['strict'] } : {}),
        ...(spec['description'] ? { description: spec['description'] } : {}),
      }
    : format
  const verbosity = req['verbosity']
  return {
    model: req['model'],
    instructions: instructions.join('\n'),
    input,
    ...(tools ? { tools } : {}),
    ...(choice === undefined
      ? {}
      : {
          tool_choice:
            typeof choice === 'string' ? choice : { type: 'function', name: choice.function.name },
        }),
    ...(req['parallel_tool_calls'] !== undefined
      ? { parallel_tool_calls: req['parallel_tool_calls'] }
      : {}),
    ...(formatOut || verbosity
      ? {
          text: {
            ...(formatOut ? { format: formatOut } : {}),
            ...(verbosity ? { verbosity } : {}),
          },
        }
      : {}),
    ...(req['reasoning_effort'] ? { reasoning: { effort: req['reasoning_effort'] } } : {}),
    ...(req['prompt_cache_key'] ? { prompt_cache_key: req['prompt_cache_key'] } : {}),
    ...(req['service_tier'] ? { service_tier: req['service_tier'] } : {}),
  }
}
