import { describe, it, expect } from 'vitest'
import { fromGeminiSchema, toGeminiSchema } from '../../../../server/gateway/dialects/gemini'
import type { IRWarning } from '../../../../server/gateway/ir'

describe('toGeminiSchema', () => {
  it('inlines $ref from $defs/definitions and drops unsupported keywords', () => {
    const warnings: IRWarning[] = []
    const out = toGeminiSchema(
      {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: 'x',
        $comment: 'c',
        type: 'object',
        additionalProperties: false,
        properties: {
          address: { $ref: '#/$defs/Address', description: 'home' },
          legacy: { $ref: '#/definitions/Legacy' },
          tags: { type: 'array', items: { type: 'string', minLength: 1, examples: ['a'] }, uniqueItems: true, minItems: 1 },
        },
        required: ['address'],
        $defs: { Address: { type: 'object', properties: { street: { type: 'string' } }, required: ['street'] } },
        definitions: { Legacy: { type: 'boolean', default: false } },
      },
      warnings,
    )
    expect(out).toEqual({
      type: 'OBJECT',
      properties: {
        address: { type: 'OBJECT', properties: { street: { type: 'STRING' } }, required: ['street'], description: 'home' },
        legacy: { type: 'BOOLEAN', default: false },
        tags: { type: 'ARRAY', items: { type: 'STRING', minLength: 1 }, minItems: 1 },
      },
      required: ['address'],
    })
    expect(warnings).toEqual([])
  })

  it('nullable, const, enum values, formats and multi-type unions', () => {
    expect(
      toGeminiSchema({
        type: 'object',
        properties: {
          a: { type: ['string', 'null'], format: 'date-time' },
          b: { type: 'string', format: 'email' },
          c: { const: 'fixed' },
          d: { type: 'integer', enum: [1, 2] },
          e: { type: ['string', 'number'] },
          f: { anyOf: [{ type: 'string' }, { type: 'null' }] },
          g: { type: 'number', format: 'double', minimum: 0, maximum: 1 },
          h: { oneOf: [{ type: 'string' }, { type: 'integer', format: 'int64' }] },
        },
      }),
    ).toEqual({
      type: 'OBJECT',
      properties: {
        a: { type: 'STRING', format: 'date-time', nullable: true },
        b: { type: 'STRING' },
        c: { type: 'STRING', enum: ['fixed'] },
        d: { type: 'STRING', format: 'enum', enum: ['1', '2'] },
        e: { anyOf: [{ type: 'STRING' }, { type: 'NUMBER' }] },
        f: { type: 'STRING', nullable: true },
        g: { type: 'NUMBER', format: 'double', minimum: 0, maximum: 1 },
        h: { anyOf: [{ type: 'STRING' }, { type: 'INTEGER', format: 'int64' }] },
      },
    })
  })

  it('cuts recursive refs with a warning, merges allOf, empties become bare OBJECT', () => {
    const warnings: IRWarning[] = []
    const out = toGeminiSchema(
      {
        type: 'object',
        properties: {
          tree: { $ref: '#/$defs/Node' },
          both: { allOf: [{ type: 'object', properties: { x: { type: 'string' } }, required: ['x'] }, { properties: { y: { type: 'integer' } } }] },
          free: { type: 'object', properties: {} },
        },
        $defs: { Node: { type: 'object', properties: { child: { $ref: '#/$defs/Node' } } } },
      },
      warnings,
    )
    let depth = 0
    let node: any = (out.properties as any).tree
    while (node.properties?.child) {
      node = node.properties.child
      depth++
    }
    expect(depth).toBe(8)
    expect(node).toEqual({ type: 'OBJECT' })
    expect(warnings.map((w) => w.message)).toContain("schema: recursive $ref '#/$defs/Node' cut at depth 8")
    expect((out.properties as any).both).toEqual({ type: 'OBJECT', properties: { x: { type: 'STRING' }, y: { type: 'INTEGER' } }, required: ['x'] })
    expect((out.properties as any).free).toEqual({ type: 'OBJECT' })
  })
})

describe('fromGeminiSchema', () => {
  it('lowercases types and turns nullable into a type union', () => {
    expect(
      fromGeminiSchema({ type: 'OBJECT', properties: { a: { type: 'STRING', nullable: true }, b: { type: 'ARRAY', items: { type: 'NUMBER' } } }, required: ['a'] }),
    ).toEqual({ type: 'object', properties: { a: { type: ['string', 'null'] }, b: { type: 'array', items: { type: 'number' } } }, required: ['a'] })
  })
})
