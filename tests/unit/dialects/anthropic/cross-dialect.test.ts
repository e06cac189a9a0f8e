/**
 * Other dialects' recorded streams, decoded by their codecs, encoded by ours and parsed by the
 * official Anthropic SDK: what an Anthropic client sees when the upstream is OpenAI or Gemini.
 */
import { describe, it, expect } from 'vitest'
import type { DialectCodec, SSEMessage } from '../../../../server/gateway/codec'
import type { IRStreamEvent } from '../../../../server/gateway/ir'
import * as openaiChatCodec from '../../../../server/gateway/dialects/openai-chat'
import * as geminiCodec from '../../../../server/gateway/dialects/gemini'
import { fixtureFiles, fixtureText } from '../../../helpers/fixtures'
import { assertLifecycle, encodeAll, expectSdkMessageMatches, parseSSE, sdkFinalMessage } from './helpers'

function decodeWith(codec: DialectCodec, msgs: SSEMessage[]): IRStreamEvent[] {
  const dec = codec.createStreamDecoder()
  const out: IRStreamEvent[] = []
  for (const m of msgs) out.push(...dec.push(m))
  return [...out, ...dec.end()]
}

const lines = (rel: string): SSEMessage[] =>
  fixtureText(rel).split('\n').filter((l) => l.trim() !== '').map((data) => ({ data }))

const CASES: Array<[string, DialectCodec, () => SSEMessage[]]> = [
  ...fixtureFiles('openai-chat-sse', '.sse').map((rel): [string, DialectCodec, () => SSEMessage[]] => [rel, openaiChatCodec, () => parseSSE(fixtureText(rel))]),
  ...fixtureFiles('gemini-chunks', '.chunks.txt').map((rel): [string, DialectCodec, () => SSEMessage[]] => [rel, geminiCodec, () => lines(rel)]),
]

describe('foreign streams through the Anthropic encoder and SDK', () => {
  it('has cases', () => expect(CASES.length).toBeGreaterThan(10))
  for (const [rel, codec, msgs] of CASES) {
    it(rel, async () => {
      const ir = decodeWith(codec, msgs())
      // an in-band upstream error has no finish: it must come out as an Anthropic error event
      if (ir.some((e) => e.type === 'error')) {
        await expect(sdkFinalMessage(encodeAll(ir))).rejects.toBeTruthy()
        return
      }
      assertLifecycle(ir)
      expectSdkMessageMatches(await sdkFinalMessage(encodeAll(ir)), ir)
    })
  }
})
