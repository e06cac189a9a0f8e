import { describe, expect, it } from 'vitest'
import { encodeThinking, encodeToolChoice } from '../../../../server/gateway/dialects/openai-chat/quirks'
import type { IRWarning } from '../../../../server/gateway/ir'

/** The quirk switches one by one, including the "off" side the preset table test does not send. */
const run = (f: (b: Record<string, unknown>, w: IRWarning[]) => void, start: Record<string, unknown> = {}) => {
  const body = { ...start }
  const warnings: IRWarning[] = []
  f(body, warnings)
  return { body, warnings: warnings.map((w) => `${w.code}=${w.field}`) }
}

describe('thinking switch', () => {
  it('switches thinking off in each vendor’s own terms', () => {
    const off = { enabled: false }
    expect(run((b, w) => encodeThinking(b, off, 'enable_thinking', w)).body).toEqual({ enable_thinking: false })
    expect(run((b, w) => encodeThinking(b, off, 'thinking_type', w)).body).toEqual({ thinking: { type: 'disabled' } })
    expect(run((b, w) => encodeThinking(b, off, 'reasoning_object', w)).body).toEqual({ reasoning: { enabled: false } })
    expect(run((b, w) => encodeThinking(b, off, 'reasoning_effort', w)).body).toEqual({})
    expect(run((b, w) => encodeThinking(b, off, 'none', w))).toEqual({ body: {}, warnings: [] })
  })

  it('keeps the client’s own chat_template_kwargs and sets enable_thinking beside them', () => {
    const r = run((b, w) => encodeThinking(b, { enabled: true }, 'chat_template_kwargs', w), { chat_template_kwargs: { add_generation_prompt: true } })
    expect(r.body).toEqual({ chat_template_kwargs: { add_generation_prompt: true, enable_thinking: true } })
  })

  it('an effort goes to OpenRouter as an effort; no budget means no thinking_budget for Qwen', () => {
    expect(run((b, w) => encodeThinking(b, { enabled: true, effort: 'low' }, 'reasoning_object', w)).body).toEqual({ reasoning: { effort: 'low' } })
    expect(run((b, w) => encodeThinking(b, { enabled: true }, 'enable_thinking', w)).body).toEqual({ enable_thinking: true })
  })

  it('says so when a thinking request meets an upstream without a switch', () => {
    expect(run((b, w) => encodeThinking(b, { enabled: true, budgetTokens: 2000 }, 'none', w))).toEqual({ body: {}, warnings: ['dropped=thinking'] })
  })
})

describe('tool_choice support', () => {
  it('full: as asked', () => {
    expect(run((b, w) => encodeToolChoice(b, { type: 'tool', name: 'f' }, 'full', w)).body).toEqual({ tool_choice: { type: 'function', function: { name: 'f' } } })
  })
  it('auto: a forced choice becomes auto with a warning; auto and none pass', () => {
    expect(run((b, w) => encodeToolChoice(b, { type: 'required' }, 'auto', w))).toEqual({ body: { tool_choice: 'auto' }, warnings: ['changed=tool_choice'] })
    expect(run((b, w) => encodeToolChoice(b, { type: 'none' }, 'auto', w))).toEqual({ body: { tool_choice: 'none' }, warnings: [] })
  })
  it('omit: never sent; only a choice other than auto is worth a warning', () => {
    expect(run((b, w) => encodeToolChoice(b, { type: 'auto' }, 'omit', w))).toEqual({ body: {}, warnings: [] })
    expect(run((b, w) => encodeToolChoice(b, { type: 'tool', name: 'f' }, 'omit', w))).toEqual({ body: {}, warnings: ['dropped=tool_choice'] })
  })
})
