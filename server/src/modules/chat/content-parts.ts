import { isRecord } from '../../lib/json.js'
import { field, invalid, shown, optionalString, type BodyPath } from './invalid.js'

/** A content part of a Responses input item (`input_text`, `output_text`, `input_image`…). */
export type ResponsesPart = Record<string, unknown>

const IMAGE_DETAILS = new Set(['auto', 'low', 'high'])

function partsOf(content: unknown, path: BodyPath): unknown[] {
  if (!Array.isArray(content)) {
    invalid(`${field(path)} must be a string or an array of content parts`, path)
  }
  return content
}

function textOfPart(part: unknown, path: BodyPath): string {
  // Plain strings and untyped `{text}` parts are accepted too (reference §6.1): some clients send them.
  if (typeof part === 'string') return part
  if (!isRecord(part)) invalid(`${field(path)} must be a text part`, path)
  if (part['type'] !== undefined && part['type'] !== 'text') {
    invalid(`Only text parts are allowed here, got ${shown(part['type'])}`, [...path, 'type'])
  }
  const text = part['text']
  if (typeof text !== 'string')
    invalid(`${field([...path, 'text'])} must be a string`, [...path, 'text'])
  return text
}

/** Text-only content (system, developer and tool messages): a string or text parts, in order. */
export function textContent(content: unknown, path: BodyPath): string[] {
  if (typeof content === 'string') return [content]
  return partsOf(content, path).map((part, i) => textOfPart(part, [...path, i]))
}

function imagePart(part: Record<string, unknown>, path: BodyPath): ResponsesPart {
  const image = part['image_url']
  // The spec says `{url, detail?}`; a bare URL string is common enough in the wild to accept.
  const url = typeof image === 'string' ? image : isRecord(image) ? image['url'] : undefined
  if (typeof url !== 'string' || url === '') {
    invalid(`${field([...path, 'image_url', 'url'])} is required`, [...path, 'image_url', 'url'])
  }
  const detail = isRecord(image) ? image['detail'] : undefined
  if (detail !== undefined && detail !== null && !IMAGE_DETAILS.has(detail as string)) {
    invalid('`detail` must be auto, low or high', [...path, 'image_url', 'detail'])
  }
  return { type: 'input_image', image_url: url, ...(detail ? { detail } : {}) }
}

function filePart(part: Record<string, unknown>, path: BodyPath): ResponsesPart {
  const file = part['file']
  const filePath = [...path, 'file']
  if (!isRecord(file)) invalid(`${field(filePath)} must be an object`, filePath)
  if (typeof file['file_id'] === 'string' && file['file_id'] !== '') {
    // Uploaded files live in the OpenAI platform, which the ChatGPT backend cannot read.
    invalid('file_id is not supported; send the file inline as file_data', [...filePath, 'file_id'])
  }
  const data = optionalString(file['file_data'], [...filePath, 'file_data'])
  if (!data) invalid('`file_data` is required', [...filePath, 'file_data'])
  const filename = optionalString(file['filename'], [...filePath, 'filename'])
  return {
    type: 'input_file',
    // Chat clients send a data URL or, per the older docs, bare base64; Responses wants a data URL.
    file_data: data.startsWith('data:') ? data : `data:application/octet-stream;base64,${data}`,
    ...(filename ? { filename } : {}),
  }
}

function userPart(part: unknown, path: BodyPath): ResponsesPart {
  if (typeof part === 'string') return { type: 'input_text', text: part }
  if (!isRecord(part)) invalid(`${field(path)} must be a content part object`, path)
  switch (part['type']) {
    case 'text':
      return { type: 'input_text', text: textOfPart(part, path) }
    case 'image_url':
      return imagePart(part, path)
    case 'file':
      return filePart(part, path)
    case 'input_audio':
      return invalid('Audio input is not supported', [...path, 'type'])
    default:
      return invalid(
        `Unsupported content part type ${shown(part['type'])}; expected text, image_url or file`,
        [...path, 'type'],
      )
  }
}

/** User content → Responses input parts (`input_text`, `input_image`, `input_file`). */
export function userContent(content: unknown, path: BodyPath): ResponsesPart[] {
  if (typeof content === 'string') return [{ type: 'input_text', text: content }]
  return partsOf(content, path).map((part, i) => userPart(part, [...path, i]))
}

function assistantPart(part: unknown, path: BodyPath): ResponsesPart | undefined {
  if (isRecord(part) && part['type'] === 'refusal') {
    const refusal = optionalString(part['refusal'], [...path, 'refusal']) ?? ''
    return refusal ? { type: 'refusal', refusal } : undefined
  }
  const text = textOfPart(part, path)
  return text ? { type: 'output_text', text } : undefined
}

/**
 * Assistant content → `output_text` / `refusal` parts: the Responses API rejects `input_text` in an
 * assistant message (the original sent that, reference §12 item 3). Empty texts are left out.
 */
export function assistantContent(content: unknown, path: BodyPath): ResponsesPart[] {
  if (content === undefined || content === null) return []
  if (typeof content === 'string') return content ? [{ type: 'output_text', text: content }] : []
  return partsOf(content, path).flatMap<ResponsesPart>(
    (part, i) => assistantPart(part, [...path, i]) ?? [],
  )
}
