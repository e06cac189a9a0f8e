import { warning, type IRWarning } from '../../ir'
import { isRecord, type Json } from './wire'
import { percentDecode } from '../../http/percent-decode'
import { arr } from '../../json'

/**
 * JSON Schema ⇄ Gemini `Schema` (the OpenAPI 3.0 subset used by functionDeclarations.parameters and
 * generationConfig.responseSchema). Accepted keys per the v1beta reference / @google/genai `Schema`:
 * type, format, title, description, nullable, enum, maxItems, minItems, properties, required,
 * minProperties, maxProperties, minLength, maxLength, pattern, example, anyOf, propertyOrdering,
 * default, items, minimum, maximum. Everything else is dropped. We always write UPPERCASE types (the
 * `Type` enum spelling the official SDKs send), and read either case.
 */

const PASSTHROUGH = [
  'title', 'description', 'required', 'minItems', 'maxItems', 'minProperties', 'maxProperties',
  'minLength', 'maxLength', 'pattern', 'example', 'propertyOrdering', 'default', 'minimum', 'maximum',
] as const

/** Formats the API reference lists per type (others are ignored or rejected depending on the model). */
const FORMATS: Record<string, readonly string[]> = {
  STRING: ['enum', 'date-time'],
  INTEGER: ['int32', 'int64'],
  NUMBER: ['float', 'double'],
}

const TYPES = new Set(['STRING', 'NUMBER', 'INTEGER', 'BOOLEAN', 'ARRAY', 'OBJECT', 'NULL'])

/** Recursive `$ref`s are cut at this depth (replaced by a bare OBJECT). */
const MAX_REF_DEPTH = 8

interface Ctx {
  defs: Json
  warnings: IRWarning[]
  refDepth: number
}

function resolveRef(ref: string, ctx: Ctx): unknown {
  const m = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref)
  if (!m) return undefined
  // A client's malformed escape is a reference to nothing, like any other unknown name.
  const name = percentDecode(m[2]!)?.replace(/~1/g, '/').replace(/~0/g, '~')
  return name === undefined ? undefined : ctx.defs[name]
}

function convert(schema: unknown, ctx: Ctx): Json {
  if (!isRecord(schema)) return schema === false ? { type: 'OBJECT' } : {}
  let s: Json = schema
  if (typeof s.$ref === 'string') {
    if (ctx.refDepth >= MAX_REF_DEPTH) {
      ctx.warnings.push(warning('changed', 'schema.$ref', `schema: recursive $ref '${s.$ref}' cut at depth ${MAX_REF_DEPTH}`))
      return { type: 'OBJECT' }
    }
    const target = resolveRef(s.$ref, ctx)
    if (target === undefined) {
      ctx.warnings.push(warning('changed', 'schema.$ref', `schema: unresolvable $ref '${s.$ref}' replaced by an open object`))
      return { type: 'OBJECT' }
    }
    const { $ref: _ref, ...rest } = s
    const inner = convert(target, { ...ctx, refDepth: ctx.refDepth + 1 })
    return { ...inner, ...convert(rest, ctx) }
  }
  if (Array.isArray(s.allOf)) {
    // Gemini has no allOf: merge the members (properties/required united) into the schema.
    const { allOf, ...rest } = s
    let merged: Json = {}
    for (const member of allOf as unknown[]) {
      const m = isRecord(member) && typeof member.$ref === 'string' ? resolveRef(member.$ref, ctx) : member
      if (!isRecord(m)) continue
      merged = {
        ...merged,
        ...m,
        properties: { ...(isRecord(merged.properties) ? merged.properties : {}), ...(isRecord(m.properties) ? m.properties : {}) },
        required: [...arr(merged.required), ...arr(m.required)],
      }
    }
    if (allOf.length > 1) ctx.warnings.push(warning('changed', 'schema.allOf', 'schema: allOf merged into one schema'))
    s = { ...merged, ...rest }
    if (isRecord(s.properties) && Object.keys(s.properties).length === 0) delete s.properties
    if (Array.isArray(s.required) && s.required.length === 0) delete s.required
  }

  const out: Json = {}
  let nullable = s.nullable === true

  // type: string | string[]
  let types: string[] = []
  if (typeof s.type === 'string') types = [s.type.toUpperCase()]
  else if (Array.isArray(s.type)) types = s.type.filter((t): t is string => typeof t === 'string').map((t) => t.toUpperCase())
  if (types.includes('NULL') && types.length > 1) {
    nullable = true
    types = types.filter((t) => t !== 'NULL')
  }
  types = types.filter((t) => TYPES.has(t))

  let enumValues: unknown[] | undefined = Array.isArray(s.enum) ? s.enum : undefined
  if (s.const !== undefined) enumValues = [s.const]
  if (enumValues?.includes(null)) {
    nullable = true
    enumValues = enumValues.filter((v) => v !== null)
  }

  const anyOfIn = Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined
  let anyOf: Json[] | undefined
  if (anyOfIn) {
    const isNull = (x: unknown) => isRecord(x) && (x.type === 'null' || x.type === 'NULL')
    if (anyOfIn.some(isNull)) nullable = true
    const members = anyOfIn.filter((x) => !isNull(x)).map((x) => convert(x, ctx))
    if (members.length === 1 && types.length === 0) Object.assign(out, members[0])
    else if (members.length > 0) anyOf = members
  }

  if (types.length === 1) out.type = types[0]
  else if (types.length > 1) anyOf = types.map((t) => ({ type: t }))
  else if (enumValues && !out.type) out.type = 'STRING'

  for (const k of PASSTHROUGH) if (s[k] !== undefined) out[k] = s[k]
  if (typeof out.title !== 'string') delete out.title
  if (typeof out.description !== 'string') delete out.description

  if (enumValues) {
    out.enum = enumValues.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
    // Gemini enums are strings: a numeric enum becomes a STRING enum.
    if (out.type !== 'STRING') {
      out.type = 'STRING'
      out.format = 'enum'
    }
  }
  if (typeof s.format === 'string' && typeof out.type === 'string' && FORMATS[out.type]?.includes(s.format)) {
    out.format = s.format
  }

  if (isRecord(s.properties)) {
    const props: Json = {}
    for (const [k, v] of Object.entries(s.properties)) props[k] = convert(v, ctx)
    if (Object.keys(props).length > 0) out.properties = props
  }
  if (out.type === 'OBJECT' && !out.properties) delete out.required
  if (Array.isArray(s.items)) {
    if (s.items.length > 0) out.items = convert(s.items[0], ctx)
    ctx.warnings.push(warning('changed', 'schema.items', 'schema: tuple items reduced to the first item schema'))
  } else if (isRecord(s.items)) out.items = convert(s.items, ctx)
  if (anyOf) out.anyOf = anyOf
  if (nullable) out.nullable = true
  return out
}

/**
 * JSON Schema → Gemini Schema: inlines $ref against $defs/definitions, drops unsupported keywords,
 * turns `type: [t, 'null']` into `nullable`, `const` into a one-value enum, stringifies enum values.
 */
export function toGeminiSchema(jsonSchema: Record<string, unknown>, warnings: IRWarning[] = []): Json {
  const defs: Json = {
    ...(isRecord(jsonSchema.definitions) ? jsonSchema.definitions : {}),
    ...(isRecord(jsonSchema.$defs) ? jsonSchema.$defs : {}),
  }
  return convert(jsonSchema, { defs, warnings, refDepth: 0 })
}

/** True for an object schema with no properties (Gemini rejects OBJECT with empty properties). */
export function isEmptyObjectSchema(s: Json): boolean {
  return s.type === 'OBJECT' && !isRecord(s.properties) && !s.anyOf
}

/** Gemini Schema → JSON Schema for the IR: lowercase types, `nullable` → `type: [t, 'null']`. */
export function fromGeminiSchema(schema: unknown): Json {
  if (!isRecord(schema)) return {}
  const out: Json = {}
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'type' || k === 'nullable') continue
    if (k === 'properties' && isRecord(v)) {
      const props: Json = {}
      for (const [pk, pv] of Object.entries(v)) props[pk] = fromGeminiSchema(pv)
      out.properties = props
    } else if (k === 'items') out.items = fromGeminiSchema(v)
    else if (k === 'anyOf' && Array.isArray(v)) out.anyOf = v.map(fromGeminiSchema)
    else out[k] = v
  }
  const type = typeof schema.type === 'string' ? schema.type.toLowerCase() : undefined
  if (type && type !== 'type_unspecified') out.type = schema.nullable === true ? [type, 'null'] : type
  else if (schema.nullable === true) out.nullable = true
  return out
}

/** Keywords whose value is one subschema, a list of them, or a name → subschema map. */
const ONE_SCHEMA = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'additionalItems', 'unevaluatedItems', 'unevaluatedProperties']
const SCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems']
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']

function lowerType(t: unknown): unknown {
  if (typeof t !== 'string') return t
  const u = t.toUpperCase()
  return TYPES.has(u) ? u.toLowerCase() : t
}

/**
 * A JSON Schema from a Gemini client (`responseJsonSchema`, `parametersJsonSchema`) with Gemini's
 * `Type` enum spelling (`"OBJECT"`, `"STRING"`: Gemini CLI's router sends these) → standard lower-case
 * types, everywhere a subschema can sit. Gemini accepts either case; OpenAI and Anthropic only lower
 * case. `TYPE_UNSPECIFIED` is dropped. Everything else is kept as it was.
 */
export function normalizeJsonSchemaTypes(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(normalizeJsonSchemaTypes)
  if (!isRecord(schema)) return schema
  const out: Json = {}
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'type') {
      if (v === 'TYPE_UNSPECIFIED') continue
      out.type = Array.isArray(v) ? v.map(lowerType) : lowerType(v)
    } else if (ONE_SCHEMA.includes(k) || SCHEMA_LISTS.includes(k)) out[k] = normalizeJsonSchemaTypes(v)
    else if (SCHEMA_MAPS.includes(k) && isRecord(v)) {
      const m: Json = {}
      for (const [name, sub] of Object.entries(v)) m[name] = normalizeJsonSchemaTypes(sub)
      out[k] = m
    } else out[k] = v
  }
  return out
}
