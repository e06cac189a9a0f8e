import { describe, expect, it } from 'vitest'
import { buildPlaygroundRequest, errorText, SAMPLE_TOOL, toolCallNames, usageOf } from '../../../utils/playground'

const base = { model: 'm1', prompt: 'and now?', system: '', stream: false, key: 'rk-1' }
const history = [
  { role: 'user' as const, content: 'hi' },
  { role: 'assistant' as const, content: 'hello' },
]

describe('playground conversations and switches', () => {
  it('sends earlier turns in each dialect’s own shape', () => {
    expect(buildPlaygroundRequest('openai-chat', { ...base, history }).body.messages).toEqual([...history, { role: 'user', content: 'and now?' }])
    expect(buildPlaygroundRequest('openai-responses', { ...base, history }).body.input).toEqual([...history, { role: 'user', content: 'and now?' }])
    expect(buildPlaygroundRequest('anthropic', { ...base, history }).body.messages).toEqual([...history, { role: 'user', content: 'and now?' }])
    expect(buildPlaygroundRequest('gemini', { ...base, history }).body.contents).toEqual([
      { role: 'user', parts: [{ text: 'hi' }] },
      { role: 'model', parts: [{ text: 'hello' }] },
      { role: 'user', parts: [{ text: 'and now?' }] },
    ])
  })

  it('maps temperature, max tokens, thinking, the sample tool and JSON per dialect', () => {
    const on = { ...base, temperature: 0.2, maxTokens: 300, thinking: true, tools: true, json: true }
    const chat = buildPlaygroundRequest('openai-chat', on).body
    expect(chat).toMatchObject({ temperature: 0.2, max_tokens: 300, reasoning_effort: 'medium', response_format: { type: 'json_object' } })
    expect(chat.tools).toEqual([{ type: 'function', function: SAMPLE_TOOL }])
    const resp = buildPlaygroundRequest('openai-responses', on).body
    expect(resp).toMatchObject({ max_output_tokens: 300, reasoning: { effort: 'medium' }, text: { format: { type: 'json_object' } } })
    const ant = buildPlaygroundRequest('anthropic', on).body
    // max_tokens must exceed the thinking budget, so the answer keeps its own 300.
    expect(ant.max_tokens).toBe(300 + 1024)
    expect(ant.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 })
    expect(ant.system).toContain('JSON')
    expect((ant.tools as any[])[0].input_schema).toEqual(SAMPLE_TOOL.parameters)
    const gem = buildPlaygroundRequest('gemini', on).body
    expect(gem.generationConfig).toEqual({ temperature: 0.2, maxOutputTokens: 300, responseMimeType: 'application/json', thinkingConfig: { includeThoughts: true, thinkingBudget: 1024 } })
    // Switches off send nothing: the model's defaults apply.
    expect(Object.keys(buildPlaygroundRequest('gemini', base).body)).toEqual(['contents'])
  })

  it('finds the error message in every dialect’s error shape', () => {
    expect(errorText({ error: { message: 'key not allowed', type: 'permission_error' } })).toBe('key not allowed')
    expect(errorText({ type: 'error', error: { type: 'overloaded_error', message: 'busy' } })).toBe('busy')
    expect(errorText({ type: 'response.failed', response: { error: { message: 'upstream died' } } })).toBe('upstream died')
    expect(errorText({ error: 'plain' })).toBe('plain')
    expect(errorText({ choices: [] })).toBeNull()
  })

  it('reads usage and tool calls from streams and whole answers', () => {
    expect(usageOf('openai-chat', { usage: { prompt_tokens: 3, completion_tokens: 4 } })).toEqual({ input: 3, output: 4 })
    expect(usageOf('openai-chat', { usage: null })).toEqual({})
    expect(usageOf('anthropic', { type: 'message_start', message: { usage: { input_tokens: 9, output_tokens: 1 } } })).toEqual({ input: 9, output: 1 })
    expect(usageOf('openai-responses', { type: 'response.completed', response: { usage: { input_tokens: 5, output_tokens: 6 } } })).toEqual({ input: 5, output: 6 })
    expect(usageOf('gemini', { usageMetadata: { promptTokenCount: 7, candidatesTokenCount: 8 } })).toEqual({ input: 7, output: 8 })
    expect(toolCallNames('anthropic', { type: 'content_block_start', content_block: { type: 'tool_use', name: 'get_weather' } })).toEqual(['get_weather'])
    expect(toolCallNames('openai-chat', { choices: [{ delta: { tool_calls: [{ function: { name: 'get_weather' } }] } }] })).toEqual(['get_weather'])
    expect(toolCallNames('gemini', { candidates: [{ content: { parts: [{ functionCall: { name: 'get_weather' } }] } }] })).toEqual(['get_weather'])
    expect(toolCallNames('openai-responses', { output: [{ type: 'function_call', name: 'get_weather' }] })).toEqual(['get_weather'])
  })
})
