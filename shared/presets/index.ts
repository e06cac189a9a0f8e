import type { ChatQuirks, Preset } from './types'
import { anthropic, gemini, openai } from './vendors/global'
import { azureOpenai, bedrock, vertex } from './vendors/clouds'
import { deepseek, deepseekAnthropic, doubao, glm, glmAnthropic, kimi, kimiAnthropic, qwen, siliconflow } from './vendors/china'
import { fireworks, groq, mistral, openrouter, together, xai } from './vendors/hosts'
import { lmstudio, ollama, vllm } from './vendors/local'

export * from './types'

/** Every preset, in the order the UI and `rosetta providers presets` list them. */
export const PRESETS: readonly Preset[] = [
  openai,
  anthropic,
  gemini,
  azureOpenai,
  bedrock,
  vertex,
  deepseek,
  deepseekAnthropic,
  qwen,
  glm,
  glmAnthropic,
  kimi,
  kimiAnthropic,
  doubao,
  siliconflow,
  openrouter,
  groq,
  mistral,
  xai,
  together,
  fireworks,
  ollama,
  vllm,
  lmstudio,
]

const BY_ID = new Map(PRESETS.map((p) => [p.id, p]))

export function presetById(id: string): Preset | undefined {
  return BY_ID.get(id)
}

export const PRESET_IDS: readonly string[] = PRESETS.map((p) => p.id)

/**
 * The provider fields a preset supplies, in rosetta.yaml's shape: what `preset: deepseek` stands for.
 * The written entry's own fields are laid over these (an override wins).
 */
export function presetFields(p: Preset): Record<string, unknown> {
  return {
    type: p.type,
    ...(p.baseUrl ? { base_url: p.baseUrl } : {}),
    ...(p.auth ? { auth: { ...p.auth } } : {}),
  }
}

/** The `quirks:` block as rosetta.yaml writes it (snake_case) → the switches' own names; unset ones stay unset. */
export function quirksFromConfig(q: ConfigQuirks | null | undefined): Partial<ChatQuirks> {
  if (!q) return {}
  const out: Partial<ChatQuirks> = {}
  if (q.max_tokens_field !== undefined) out.maxTokensField = q.max_tokens_field
  if (q.thinking !== undefined) out.thinking = q.thinking
  if (q.reasoning_field !== undefined) out.reasoningField = q.reasoning_field
  if (q.stream_usage !== undefined) out.streamUsage = q.stream_usage
  if (q.tool_choice !== undefined) out.toolChoice = q.tool_choice
  return out
}

/** rosetta.yaml's `quirks:` block (validated by quirksSchema in shared/schemas/config-file.ts). */
export interface ConfigQuirks {
  max_tokens_field?: ChatQuirks['maxTokensField']
  thinking?: ChatQuirks['thinking']
  reasoning_field?: ChatQuirks['reasoningField']
  stream_usage?: boolean
  tool_choice?: ChatQuirks['toolChoice']
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * A provider entry as written (`{ id, preset: deepseek, keys }`) → the full entry the schema checks.
 * An unknown preset is left for the schema to name (it lists the known ones).
 */
export function fillFromPreset(raw: unknown): unknown {
  if (!isRecord(raw) || typeof raw.preset !== 'string') return raw
  const preset = presetById(raw.preset)
  return preset ? { ...presetFields(preset), ...raw } : raw
}
