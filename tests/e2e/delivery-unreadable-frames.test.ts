import { describe, expect, it } from 'vitest'
import { useDeliveryServer } from './support/delivery'

/** An upstream stream frame that does not parse is skipped, the answer completes, and the log row says so. */
const d = useDeliveryServer()
const { openai, logged, post } = d

describe('an unreadable upstream frame in the middle of a stream (issue 20 item 3)', () => {
  const WARNING = "dropped=stream: 1 upstream stream chunk from 'solo-an' did not parse as JSON and was skipped"

  it('converted (OpenAI client, Anthropic upstream): the answer completes and the log row says a chunk was skipped', async () => {
    d.mock.script('sx-noisy-conv', ['noisy'])
    const { data: stream, response } = await openai()
      .chat.completions.create({ model: 'sx-noisy-conv', messages: [{ role: 'user', content: 'hi' }], stream: true })
      .withResponse()
    let text = ''
    for await (const c of stream) text += c.choices[0]?.delta?.content ?? ''
    expect(text).toBe('Hello from anthropic!')
    const row = await logged(response.headers.get('x-request-id')!)
    expect(row.status).toBe(200)
    expect(row.warnings).toBe(WARNING)
  })

  it('same dialect (passed through byte for byte): the log row still says a chunk was skipped', async () => {
    d.mock.script('sx-noisy-pipe', ['noisy'])
    const r = await post('/v1/messages', { model: 'sx-noisy-pipe', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }], stream: true })
    const body = await r.text()
    expect(r.status).toBe(200)
    expect(body).toContain('data: {"half a frame')
    expect(body).toContain('message_stop')
    const row = await logged(r.headers.get('x-request-id')!)
    expect(row.warnings).toBe(WARNING)
  })
})
