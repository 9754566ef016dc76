import { isRecord, nestedDeeperThan } from '../../lib/json.js'
import { field, invalid, shown, optionalBoolean, optionalString, type BodyPath } from './invalid.js'

const SCHEMA_NAME = /^[A-Za-z0-9_-]{1,64}$/
const TOOL_CHOICES = new Set(['none', 'auto', 'required'])
const VERBOSITY = new Set(['low', 'medium', 'high'])
const SUBSCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions'] as const
const SUBSCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const

/** Far beyond any real schema, and shallow enough for recursion and JSON.stringify. */
const MAX_SCHEMA_DEPTH = 100

/**
 * A schema is passed upstream as the client sent it: one nested past what JSON.stringify (and the
 * walk below) can take would otherwise fail as a 500, however it is built.
 */
function checkSchema(schema: unknown, path: BodyPath): void {
  if (nestedDeeperThan(schema, MAX_SCHEMA_DEPTH)) {
    invalid(`${field(path)} nests deeper than ${MAX_SCHEMA_DEPTH} levels`, path)
  }
  checkJsonSchema(schema, path)
}

/**
 * A structural check of a JSON Schema: enough to turn a malformed schema into a 400 that points at
 * the broken node instead of an upstream error that names none of the client's fields.
 */
function checkJsonSchema(schema: unknown, path: BodyPath): void {
  if (typeof schema === 'boolean') return
  if (!isRecord(schema)) invalid(`${field(path)} must be a JSON Schema object`, path)
  const type = schema['type']
  const typeOk =
    type === undefined ||
    typeof type === 'string' ||
    (Array.isArray(type) && type.every((t) => typeof t === 'string'))
  if (!typeOk) invalid('`type` must be a string or an array of strings', [...path, 'type'])
  const required = schema['required']
  if (required !== undefined && !(Array.isArray(required) && required.every(isString))) {
    invalid('`required` must be an array of strings', [...path, 'required'])
  }
  for (const key of SUBSCHEMA_MAPS) {
    const map = schema[key]
    if (map === undefined) continue
    if (!isRecord(map)) invalid(`\`${key}\` must be an object of schemas`, [...path, key])
    for (const [name, sub] of Object.entries(map)) checkJsonSchema(sub, [...path, key, name])
  }
  for (const key of SUBSCHEMA_LISTS) {
    const list = schema[key]
    if (list === undefined) continue
    if (!Array.isArray(list)) invalid(`\`${key}\` must be an array of schemas`, [...path, key])
    list.forEach((sub, i) => checkJsonSchema(sub, [...path, key, i]))
  }
  for (const key of ['items', 'additionalProperties', 'not'] as const) {
    const sub = schema[key]
    // `items` may still be a tuple (an array of schemas) in schemas written for older drafts.
    if (key === 'items' && Array.isArray(sub))
      sub.forEach((s, i) => checkJsonSchema(s, [...path, key, i]))
    else if (sub !== undefined) checkJsonSchema(sub, [...path, key])
  }
}

function isString(v: unknown): v is string {
  return typeof v === 'string'
}

function functionTool(tool: unknown, path: BodyPath): Record<string, unknown> {
  if (!isRecord(tool)) invalid(`${field(path)} must be an object`, path)
  if (tool['type'] !== 'function') {
    invalid(`Tool type ${shown(tool['type'])} is not supported; use function tools`, [
      ...path,
      'type',
    ])
  }
  const fn = tool['function']
  if (!isRecord(fn)) invalid(`${field([...path, 'function'])} is required`, [...path, 'function'])
  const name = optionalString(fn['name'], [...path, 'function', 'name'])
  if (!name) invalid('A function tool needs a `name`', [...path, 'function', 'name'])
  const description = optionalString(fn['description'], [...path, 'function', 'description'])
  const parameters = fn['parameters']
  if (parameters !== undefined && parameters !== null) {
    checkSchema(parameters, [...path, 'function', 'parameters'])
  }
  const strict = optionalBoolean(fn['strict'], [...path, 'function', 'strict'])
  return {
    type: 'function',
    name,
    ...(description !== undefined ? { description } : {}),
    ...(parameters !== undefined && parameters !== null ? { parameters } : {}),
    // Responses function tools are strict unless told otherwise, Chat ones are not: keep Chat's
    // meaning, or a schema without `additionalProperties: false` would be refused upstream.
    strict: strict ?? false,
  }
}

/** Chat `tools` → Responses function tools (`{type, name, description, parameters, strict}`). */
export function translateTools(tools: unknown): Array<Record<string, unknown>> | undefined {
  if (tools === undefined || tools === null) return undefined
  if (!Array.isArray(tools)) invalid('`tools` must be an array', ['tools'])
  return tools.map((tool, i) => functionTool(tool, ['tools', i]))
}

/** `none`/`auto`/`required`, or `{type:"function", function:{name}}` → `{type, name}`. */
export function translateToolChoice(choice: unknown): unknown {
  if (choice === undefined || choice === null) return undefined
  if (typeof choice === 'string' && TOOL_CHOICES.has(choice)) return choice
  if (isRecord(choice) && choice['type'] === 'function' && isRecord(choice['function'])) {
    const name = optionalString(choice['function']['name'], ['tool_choice', 'function', 'name'])
    if (name) return { type: 'function', name }
  }
  return invalid(
    '`tool_choice` must be none, auto, required or {"type":"function","function":{"name":…}}',
    ['tool_choice'],
  )
}

function jsonSchemaFormat(spec: unknown): Record<string, unknown> {
  const path = ['response_format', 'json_schema']
  if (!isRecord(spec)) invalid('`json_schema` is required when type is json_schema', path)
  const name = spec['name']
  if (typeof name !== 'string' || !SCHEMA_NAME.test(name)) {
    invalid('`name` must be 1-64 characters of letters, digits, _ or -', [...path, 'name'])
  }
  // Chat lets the schema be omitted; Responses requires one, and a JSON-schema answer without a
  // schema would be an untyped json_object anyway.
  if (spec['schema'] === undefined || spec['schema'] === null) {
    invalid('`schema` is required', [...path, 'schema'])
  }
  checkSchema(spec['schema'], [...path, 'schema'])
  const strict = optionalBoolean(spec['strict'], [...path, 'strict'])
  const description = optionalString(spec['description'], [...path, 'description'])
  return {
    type: 'json_schema',
    name,
    schema: spec['schema'],
    ...(strict !== undefined ? { strict } : {}),
    ...(description ? { description } : {}),
  }
}

function textFormat(format: unknown): Record<string, unknown> | undefined {
  if (format === undefined || format === null) return undefined
  if (!isRecord(format)) {
    invalid('`response_format` must be an object such as {"type":"json_object"}', [
      'response_format',
    ])
  }
  const type = format['type']
  if (type === 'text' || type === 'json_object') return { type }
  if (type === 'json_schema') return jsonSchemaFormat(format['json_schema'])
  return invalid(
    `Unsupported response_format type ${shown(type)}; expected text, json_object or json_schema`,
    ['response_format', 'type'],
  )
}

/** `response_format` and `verbosity` → the Responses `text` object (`{format, verbosity}`). */
export function translateText(
  format: unknown,
  verbosity: unknown,
): Record<string, unknown> | undefined {
  const formatOut = textFormat(format)
  const level = optionalString(verbosity, ['verbosity'])
  if (level !== undefined && !VERBOSITY.has(level)) {
    invalid('`verbosity` must be low, medium or high', ['verbosity'])
  }
  if (!formatOut && level === undefined) return undefined
  return { ...(formatOut ? { format: formatOut } : {}), ...(level ? { verbosity: level } : {}) }
}
