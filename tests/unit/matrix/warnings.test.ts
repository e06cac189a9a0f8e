import { describe, it, expect } from 'vitest'
import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import { droppedExtras, warning, warningsHeader, warningsLog, WARNINGS_HEADER } from '../../../server/gateway/ir'
import { setWarnings, warningsOf } from '../../../server/gateway/http/warnings'
import { CODECS } from '../../../server/gateway/registry'

/** Issue 14 item 8: lossy steps as `x-rosetta-warnings` codes and log sentences. */

describe('warningsHeader', () => {
  it('writes code=field pairs in order, each once', () => {
    const ws = [
      warning('dropped', 'top_p', 'top_p dropped'),
      warning('moved', 'messages[3]', 'moved'),
      warning('dropped', 'top_p', 'top_p dropped again, other words'),
      warning('raised', 'max_output_tokens', 'raised'),
    ]
    expect(warningsHeader(ws)).toBe('dropped=top_p; moved=messages[3]; raised=max_output_tokens')
    expect(warningsHeader([])).toBeUndefined()
    expect(warningsHeader(undefined)).toBeUndefined()
  })

  it('never lets a field break the header: no control characters, separators or non-ASCII', () => {
    const h = warningsHeader([warning('changed', 'tool_call.a;b=c\r\nX-Evil: 1.ünï', 'x')])!
    expect(h).toBe('changed=tool_call.a_b_c__X-Evil:_1._n_')
    expect(h).toMatch(/^[\x21-\x7e ]+$/)
  })

  it('stops at about 2000 characters and says there is more', () => {
    const ws = Array.from({ length: 300 }, (_, i) => warning('dropped', `messages[${i}]`, 'x'))
    const h = warningsHeader(ws)!
    expect(h.length).toBeLessThanOrEqual(2010)
    expect(h.endsWith('; more')).toBe(true)
    // the log keeps every one
    expect(warningsLog(ws)!.split('\n')).toHaveLength(300)
  })
})

describe('warningsLog', () => {
  it('one `code=field: sentence` line per warning; null when none', () => {
    expect(warningsLog([warning('dropped', 'seed', 'seed is not supported')])).toBe('dropped=seed: seed is not supported')
    expect(warningsLog([])).toBeNull()
  })
})

describe('droppedExtras: client fields the upstream dialect has no place for', () => {
  it('names each unmodelled top-level field of the client, nothing for the same dialect', () => {
    const ir = CODECS['openai-chat'].decodeRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }], logprobs: true, top_logprobs: 2, store: true })
    expect(droppedExtras(ir, 'openai-chat', 'anthropic').map((w) => `${w.code}=${w.field}`)).toEqual(['dropped=logprobs', 'dropped=top_logprobs', 'dropped=store'])
    expect(droppedExtras(ir, 'openai-chat', 'openai-chat')).toEqual([])
  })

  it('skips what is carried another way: Anthropic metadata.user_id, thinking and effort; Responses store/include; Gemini thinkingConfig', () => {
    const a = CODECS.anthropic.decodeRequest({ model: 'm', max_tokens: 5, metadata: { user_id: 'u' }, messages: [{ role: 'user', content: 'x' }] })
    expect(droppedExtras(a, 'anthropic', 'gemini')).toEqual([])
    const adaptive = CODECS.anthropic.decodeRequest({
      model: 'm',
      max_tokens: 5,
      thinking: { type: 'adaptive' },
      output_config: { effort: 'high' },
      container: 'c1',
      messages: [{ role: 'user', content: 'x' }],
    })
    expect(adaptive.reasoning).toEqual({ enabled: true, effort: 'high' })
    expect(droppedExtras(adaptive, 'anthropic', 'openai-chat').map((w) => w.field)).toEqual(['container'])
    const r = CODECS['openai-responses'].decodeRequest({ model: 'm', input: 'x', store: false, include: ['reasoning.encrypted_content'], prompt_cache_key: 'k' })
    expect(droppedExtras(r, 'openai-responses', 'anthropic').map((w) => w.field)).toEqual(['prompt_cache_key'])
    const g = CODECS.gemini.decodeRequest(
      {
        contents: [{ role: 'user', parts: [{ text: 'x' }] }],
        safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
        generationConfig: { responseModalities: ['TEXT'], thinkingConfig: { includeThoughts: true } },
      },
      { model: 'm' },
    )
    expect(droppedExtras(g, 'gemini', 'openai-chat').map((w) => w.field)).toEqual(['safetySettings', 'generationConfig.responseModalities'])
  })
})

describe('setWarnings: the header of the attempt that answers', () => {
  const response = () => new ServerResponse(new IncomingMessage(new Socket()))

  it('sets the header and keeps the sentences for the log; a later same-dialect attempt clears both', () => {
    const res = response()
    const ws = [warning('dropped', 'top_k', 'top_k is not supported')]
    setWarnings(res, ws)
    expect(res.getHeader(WARNINGS_HEADER)).toBe('dropped=top_k')
    expect(warningsOf(res)).toEqual(ws)
    setWarnings(res, undefined)
    expect(res.getHeader(WARNINGS_HEADER)).toBeUndefined()
    expect(warningsOf(res)).toBeUndefined()
  })

  it('a failover to another converted attempt replaces the first one’s warnings', () => {
    const res = response()
    setWarnings(res, [warning('dropped', 'seed', 'a')])
    setWarnings(res, [warning('moved', 'messages[1]', 'b')])
    expect(res.getHeader(WARNINGS_HEADER)).toBe('moved=messages[1]')
    expect(warningsOf(res)!.map((w) => w.message)).toEqual(['b'])
  })
})
