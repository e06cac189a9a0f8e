/**
 * PDF documents and audio across the matrix: every client dialect that can send them → every upstream.
 * The upstream encoder decides: it carries the part in its own shape or refuses with a 400 naming the
 * client's own field and the target. Nothing is dropped silently.
 */
import { describe, it, expect } from 'vitest'
import type { DialectName } from '../../../server/gateway/ir'
import { DIALECTS } from '../../../server/gateway/ir'
import { CODECS } from '../../../server/gateway/registry'
import { GatewayError } from '../../../server/gateway/errors'

const PDF = 'JVBERi0xLjQK'
const WAV = 'UklGRiQAAABXQVZF'

/** A user turn "Summarise" + a PDF (named report.pdf), in each client's shape. */
const PDF_BODIES: Record<DialectName, { body: unknown; at: string }> = {
  'openai-chat': {
    body: { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'Summarise' }, { type: 'file', file: { file_data: `data:application/pdf;base64,${PDF}`, filename: 'report.pdf' } }] }] },
    at: 'messages[0].content[1]',
  },
  'openai-responses': {
    body: { model: 'm', input: [{ role: 'user', content: [{ type: 'input_text', text: 'Summarise' }, { type: 'input_file', file_data: `data:application/pdf;base64,${PDF}`, filename: 'report.pdf' }] }] },
    at: 'input[0].content[1]',
  },
  anthropic: {
    body: { model: 'm', max_tokens: 100, messages: [{ role: 'user', content: [{ type: 'text', text: 'Summarise' }, { type: 'document', title: 'report.pdf', source: { type: 'base64', media_type: 'application/pdf', data: PDF } }] }] },
    at: 'messages[0].content[1]',
  },
  gemini: {
    body: { contents: [{ role: 'user', parts: [{ text: 'Summarise' }, { inlineData: { mimeType: 'application/pdf', data: PDF } }] }] },
    at: 'contents[0].parts[1]',
  },
}

/** The dialects whose clients can send audio (Anthropic and Responses have no audio input). */
const AUDIO_BODIES: Partial<Record<DialectName, { body: unknown; at: string }>> = {
  'openai-chat': {
    body: { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'Transcribe' }, { type: 'input_audio', input_audio: { data: WAV, format: 'wav' } }] }] },
    at: 'messages[0].content[1]',
  },
  gemini: { body: { contents: [{ role: 'user', parts: [{ text: 'Transcribe' }, { inlineData: { mimeType: 'audio/wav', data: WAV } }] }] }, at: 'contents[0].parts[1]' },
}

function encode(client: DialectName, upstream: DialectName, body: unknown) {
  const ir = CODECS[client].decodeRequest(structuredClone(body), { model: 'm', stream: false })
  return CODECS[upstream].encodeRequest({ ...ir, extras: undefined })
}

/** The file as the upstream's user turn carries it (the wire shape each vendor documents). */
function carriedPdf(upstream: DialectName, body: any, client: DialectName): unknown {
  switch (upstream) {
    case 'openai-chat':
      return body.messages.at(-1).content[1]
    case 'openai-responses':
      return body.input.at(-1).content[1]
    case 'anthropic':
      return body.messages.at(-1).content[1]
    case 'gemini':
      return body.contents.at(-1).parts[1]
  }
  throw new Error(client)
}

const filename = (client: DialectName) => (client === 'gemini' ? undefined : 'report.pdf')

const PDF_EXPECT: Record<DialectName, (client: DialectName) => unknown> = {
  'openai-chat': (c) => ({ type: 'file', file: { file_data: `data:application/pdf;base64,${PDF}`, filename: filename(c) ?? 'document.pdf' } }),
  'openai-responses': (c) => ({ type: 'input_file', filename: filename(c) ?? 'document.pdf', file_data: `data:application/pdf;base64,${PDF}` }),
  anthropic: (c) => ({ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: PDF }, ...(filename(c) ? { title: 'report.pdf' } : {}) }),
  gemini: () => ({ inlineData: { mimeType: 'application/pdf', data: PDF } }),
}

describe.each(DIALECTS)('PDF from a %s client', (client) => {
  it.each(DIALECTS)('reaches a %s upstream as its own document part', (upstream) => {
    const enc = encode(client, upstream, PDF_BODIES[client].body)
    expect(carriedPdf(upstream, enc.body, client)).toEqual(PDF_EXPECT[upstream](client))
  })
})

describe.each(Object.keys(AUDIO_BODIES) as DialectName[])('audio from a %s client', (client) => {
  const { body, at } = AUDIO_BODIES[client]!
  it('reaches an openai-chat upstream as input_audio', () => {
    const enc = encode(client, 'openai-chat', body) as { body: any }
    expect(enc.body.messages.at(-1).content[1]).toEqual({ type: 'input_audio', input_audio: { data: WAV, format: 'wav' } })
  })
  it('reaches a gemini upstream as inlineData', () => {
    const enc = encode(client, 'gemini', body) as { body: any }
    expect(enc.body.contents.at(-1).parts[1]).toEqual({ inlineData: { mimeType: 'audio/wav', data: WAV } })
  })
  it.each(['anthropic', 'openai-responses'] as const)('is refused by a %s upstream with a 400 naming the part and the target', (upstream) => {
    let err: unknown
    try {
      encode(client, upstream, body)
    } catch (e) {
      err = e
    }
    expect(GatewayError.is(err)).toBe(true)
    const ge = err as GatewayError
    expect([ge.kind, ge.status, ge.param]).toEqual(['unsupported', 400, at])
    expect(ge.message).toBe(`${at}: audio input cannot be sent to ${upstream}`)
    // ...and the client sees it in its own dialect
    const wire = CODECS[client].encodeError(ge)
    expect(wire.status).toBe(400)
    expect(JSON.stringify(wire.body)).toContain(`audio input cannot be sent to ${upstream}`)
  })
})

describe('file parts the target cannot take', () => {
  it('a PDF by URL cannot go to OpenAI Chat (file_data only) but can go to Anthropic and Gemini', () => {
    const body = { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'url', url: 'https://x.test/a.pdf' } }] }] }
    expect(() => encode('anthropic', 'openai-chat', body)).toThrow('messages[0].content[0]: PDF document cannot be sent to openai-chat (files must be inline base64, not a URL)')
    expect((encode('anthropic', 'gemini', body).body as any).contents[0].parts[0]).toEqual({ fileData: { mimeType: 'application/pdf', fileUri: 'https://x.test/a.pdf' } })
    expect((encode('anthropic', 'openai-responses', body).body as any).input[0].content[0]).toEqual({ type: 'input_file', file_url: 'https://x.test/a.pdf' })
  })
  it('a video from Gemini is refused by Anthropic and OpenAI Chat', () => {
    const body = { contents: [{ role: 'user', parts: [{ fileData: { mimeType: 'video/mp4', fileUri: 'https://x.test/v.mp4' } }] }] }
    expect(() => encode('gemini', 'anthropic', body)).toThrow('contents[0].parts[0]: video input cannot be sent to anthropic')
    expect(() => encode('gemini', 'openai-chat', body)).toThrow('contents[0].parts[0]: video input cannot be sent to openai-chat (only PDF files)')
  })
  it('a plain-text Anthropic document becomes a Gemini text/plain part and comes back to Anthropic as text', () => {
    const body = { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'héllo' } }] }] }
    const g = encode('anthropic', 'gemini', body).body as any
    expect(g.contents[0].parts[0]).toEqual({ inlineData: { mimeType: 'text/plain', data: Buffer.from('héllo').toString('base64') } })
    const back = encode('gemini', 'anthropic', { contents: g.contents }).body as any
    expect(back.messages[0].content[0]).toEqual({ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'héllo' } })
  })
})
