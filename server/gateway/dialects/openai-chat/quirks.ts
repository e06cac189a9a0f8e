import { warning, type IRReasoningConfig, type IRToolChoice, type IRWarning } from '../../ir'
import type { ThinkingSwitch, ToolChoiceSupport } from '../../../../shared/presets/types'
import { isRecord, type Json } from './wire'

/**
 * The request fields OpenAI-compatible vendors disagree on, written the way the upstream's preset
 * says (shared/presets): how thinking is switched, which tool_choice values exist. One function per
 * switch so the table-driven test (tests/unit/presets/preset-requests.test.ts) sees each vendor's shape.
 */

/** Effort as given; else derived from a thinking budget; disabled without an effort → omitted. */
export function reasoningEffort(r: IRReasoningConfig | undefined): string | undefined {
  if (!r) return undefined
  if (r.effort) return r.effort
  if (!r.enabled || r.budgetTokens === undefined) return undefined
  if (r.budgetTokens <= 1024) return 'low'
  if (r.budgetTokens <= 8192) return 'medium'
  return 'high'
}

/** Writes the client's thinking wish into `body` in the upstream's own terms. */
export function encodeThinking(body: Json, r: IRReasoningConfig | undefined, sw: ThinkingSwitch, warnings: IRWarning[]): void {
  if (!r) return
  switch (sw) {
    case 'reasoning_effort': {
      const effort = reasoningEffort(r)
      if (effort !== undefined) body.reasoning_effort = effort
      return
    }
    case 'enable_thinking':
      // Qwen / SiliconFlow: a boolean, and a dedicated ceiling for thinking tokens.
      body.enable_thinking = r.enabled
      if (r.enabled && r.budgetTokens !== undefined) body.thinking_budget = r.budgetTokens
      return
    case 'thinking_type':
      body.thinking = { type: r.enabled ? 'enabled' : 'disabled' }
      return
    case 'chat_template_kwargs': {
      const kw = isRecord(body.chat_template_kwargs) ? body.chat_template_kwargs : {}
      body.chat_template_kwargs = { ...kw, enable_thinking: r.enabled }
      return
    }
    case 'reasoning_object': {
      if (!r.enabled) body.reasoning = { enabled: false }
      else if (r.effort) body.reasoning = { effort: r.effort }
      else if (r.budgetTokens !== undefined) body.reasoning = { max_tokens: r.budgetTokens }
      else body.reasoning = { enabled: true }
      return
    }
    case 'none':
      if (r.enabled) warnings.push(warning('dropped', 'thinking', 'this upstream has no thinking switch (a thinking model is its own model name); the thinking settings were not sent'))
      return
  }
}

function wireToolChoice(c: IRToolChoice): unknown {
  return c.type === 'tool' ? { type: 'function', function: { name: c.name } } : c.type
}

/** `tool_choice` as far as the upstream supports it; a choice it cannot take is said, not hidden. */
export function encodeToolChoice(body: Json, c: IRToolChoice | undefined, support: ToolChoiceSupport, warnings: IRWarning[]): void {
  if (!c) return
  const forced = c.type === 'tool' || c.type === 'required'
  if (support === 'full' || (support === 'auto' && !forced)) {
    body.tool_choice = wireToolChoice(c)
    return
  }
  if (support === 'auto') {
    body.tool_choice = 'auto'
    warnings.push(warning('changed', 'tool_choice', 'this upstream accepts only tool_choice "auto"; a forced tool choice was sent as "auto"'))
    return
  }
  if (c.type !== 'auto') warnings.push(warning('dropped', 'tool_choice', 'this upstream does not accept tool_choice; it was left out (the model chooses)'))
}
