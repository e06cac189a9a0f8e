import type { IRResponseFormat } from '../../ir'
import { invalidRequest } from '../../errors'
import { isRecord, type Json } from '../../json'

/**
 * OpenAI structured output (Chat `response_format`, Responses `text.format`) → IR. The two share
 * `text` / `json_object` / `json_schema`; only where a schema's fields stand differs, which `jsonSchema`
 * decodes (`at` is the client's field name, for errors).
 */
export function decodeResponseFormat(
  v: unknown,
  at: string,
  jsonSchema: (v: Json) => IRResponseFormat,
): IRResponseFormat | undefined {
  if (v === undefined || v === null) return undefined
  if (!isRecord(v)) throw invalidRequest(`${at}: expected an object`, at)
  switch (v.type) {
    case 'text':
      return { type: 'text' }
    case 'json_object':
      return { type: 'json' }
    case 'json_schema':
      return jsonSchema(v)
    default:
      throw invalidRequest(`${at}.type: unknown type '${String(v.type)}'`, `${at}.type`)
  }
}

/**
 * IR → OpenAI structured output; `jsonSchema` places the schema's fields (Chat nests them under
 * `json_schema`, Responses puts them beside `type`). OpenAI requires a name: 'response' when the
 * client gave none.
 */
export function encodeResponseFormat(f: IRResponseFormat, jsonSchema: (fields: Json) => Json): Json {
  switch (f.type) {
    case 'text':
      return { type: 'text' }
    case 'json':
      return { type: 'json_object' }
    case 'json-schema': {
      const fields: Json = { name: f.name ?? 'response' }
      if (f.description !== undefined) fields.description = f.description
      fields.schema = f.schema
      if (f.strict !== undefined) fields.strict = f.strict
      return jsonSchema(fields)
    }
  }
}
