import { describe, expect, it } from 'vitest'
import { responseToEvents } from '../../../server/gateway/ir'
import { assembleResponse } from '../../../server/services/log/assemble-response'
import { responseText } from '../../../server/services/log/body-record'
import { GatewayError } from '../../../server/gateway/errors'
import { irAnswer } from '../../helpers/ir-blocks'

const res = irAnswer(
  [
    { type: 'reasoning', text: 'thinking it over' },
    { type: 'text', text: 'Hello there, friend' },
    { type: 'tool-call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
  ],
  { unified: 'tool-calls' },
  { inputTokens: 12, outputTokens: 7 },
)

describe('stream reassembly for the body log', () => {
  it('folds chunked events back into the response they add up to', () => {
    const { response, error } = assembleResponse(responseToEvents(res, 3))
    expect(error).toBeUndefined()
    expect(response).toEqual(res)
  })

  it('encodes the reassembled stream in the client dialect, with an in-band error beside it', () => {
    const evs = responseToEvents(res, 4).slice(0, 9) // start, reasoning (4 deltas, end), text-start, 'Hell'
    evs.push({ type: 'error', error: new GatewayError('connection', 'upstream broke off') })
    const body = JSON.parse(responseText({ kind: 'events', events: evs, dialect: 'anthropic', model: 'claude-x' }))
    expect(body.type).toBe('message')
    expect(body.model).toBe('claude-x')
    expect(body.content[0]).toMatchObject({ type: 'thinking', thinking: 'thinking it over' })
    expect(body.content[1]).toMatchObject({ type: 'text', text: 'Hell' })
    expect(body.stream_error).toMatchObject({ type: 'error', error: { message: 'upstream broke off' } })
    const chat = JSON.parse(responseText({ kind: 'events', events: responseToEvents(res, 2), dialect: 'openai-chat', model: 'gpt-x' }))
    expect(chat.choices[0].message).toMatchObject({ content: 'Hello there, friend', tool_calls: [{ function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] })
    expect(chat.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 7 })
  })
})
