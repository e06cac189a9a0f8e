import { describe, expect, it } from 'vitest'
import { pathSegment } from '../../../server/gateway/upstream/path-segment'
import { modelNameProblem } from '../../../server/gateway/model-name'
import { doorFor } from '../../../server/gateway/http/doors'
import { CODECS, TRANSPORTS } from '../../../server/gateway/registry'

/** Names an attacker (or an unlucky client) might send; each must stay one segment upstream. */
const HOSTILE = ['gem-flash/../../../v1beta/models/gem-pro', 'gem-flash?x=1', 'gem-flash#frag', 'gem-flash%2Fpro', 'gem flash', '..', '.', 'a:countTokens?', 'ø-模型']

describe('a client value in an upstream path is exactly one segment', () => {
  it.each(HOSTILE)('%j decodes back to itself and holds no separator', (name) => {
    const seg = pathSegment(name)
    expect(seg).not.toMatch(/[/?#\s]/)
    expect(seg).not.toMatch(/^\.{1,2}$/)
    expect(decodeURIComponent(seg)).toBe(name)
  })

  it('double-encodes a percent sign, so %2F arrives as %252F', () => {
    expect(pathSegment('gem%2Fpro')).toBe('gem%252Fpro')
  })

  it.each(HOSTILE)('the Gemini encoder builds models/{one segment} for %j', (name) => {
    const ir = CODECS['openai-chat'].decodeRequest({ model: name, messages: [{ role: 'user', content: 'hi' }] })
    for (const stream of [false, true]) {
      const { path } = CODECS.gemini.encodeRequest({ ...ir, model: name, stream })
      const m = /^models\/([^/?#]+):(generateContent|streamGenerateContent\?alt=sse)$/.exec(path)
      expect(m, path).not.toBeNull()
      expect(decodeURIComponent(m![1]!)).toBe(name.replace(/^models\//, ''))
    }
  })

  it('batchEmbedContents gets the same treatment', () => {
    const path = TRANSPORTS.gemini.path({ dialect: 'gemini', op: 'embeddings', model: 'e/../../x?y#z', stream: false })
    expect(path).toBe('models/e%2F..%2F..%2Fx%3Fy%23z:batchEmbedContents')
  })
})

describe('the model-name rule at every door', () => {
  it.each(HOSTILE)('accepts %j (it reaches the upstream encoded)', (name) => expect(modelNameProblem(name)).toBeUndefined())

  it.each([
    ['empty', ''],
    ['too long', 'm'.repeat(257)],
    ['a newline', 'gem-flash\nx'],
    ['a carriage return', 'gem\r\nHost: evil'],
    ['a tab', 'gem\tflash'],
    ['NUL', 'gem\u0000'],
    ['DEL', 'gem\u007f'],
    ['a C1 control', 'gem\u0085'],
    ['a lone surrogate', 'gem\ud800'],
  ])('refuses %s with a 400 that does not echo the name', (_why, name) => {
    const e = modelNameProblem(name)
    expect(e?.kind).toBe('invalid_request')
    expect(e?.status).toBe(400)
    expect(e?.param).toBe('model')
    if (name) expect(e!.message).not.toContain(name)
  })

  it('allows 256 characters', () => expect(modelNameProblem('m'.repeat(256))).toBeUndefined())
})

describe('Gemini doors decode the name once, after splitting on the literal URL', () => {
  it('an encoded slash, question mark or hash belongs to the name', () => {
    const d = doorFor('/v1beta/models/gem%2F..%2Fpro%3Fa%23b:generateContent?key=k')
    expect(d).toMatchObject({ dialect: 'gemini', query: 'key=k', gemini: { model: 'gem/../pro?a#b', stream: false } })
    expect(d).not.toHaveProperty('refused')
  })

  it('a literal slash is not a model name', () => {
    expect(doorFor('/v1beta/models/gem/../pro:generateContent')).toMatchObject({ refused: 'unknown-method', dialect: 'gemini' })
  })

  it('malformed percent-encoding is refused in the door\'s dialect (a 400), not a crash', () => {
    expect(doorFor('/v1beta/models/gem%zz:countTokens')).toMatchObject({ refused: 'bad-encoding', dialect: 'gemini' })
    expect(doorFor('/v1/%E0%A4%A/chat/completions')).toMatchObject({ refused: 'bad-encoding', dialect: 'openai-chat' })
  })
})
