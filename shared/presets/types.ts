/**
 * A provider preset: what Rosetta knows about one vendor's API, as data (issue 18 item 5). The
 * admin UI, the CLI and `rosetta.yaml` (`preset: deepseek`) fill a provider from it; its quirk
 * switches drive the request conversion for OpenAI-compatible upstreams
 * (server/gateway/dialects/openai-chat/encode-request.ts); its model prices seed the price table.
 */

/** How thinking is switched on and off in a Chat Completions request. */
export const THINKING_SWITCHES = [
  /** `reasoning_effort: low|medium|high` (OpenAI, xAI, Groq); no way to say "off" but leaving it out. */
  'reasoning_effort',
  /** `enable_thinking: true|false`, plus `thinking_budget` from a budget (Qwen / Model Studio, SiliconFlow). */
  'enable_thinking',
  /** `thinking: { type: "enabled" | "disabled" }` (DeepSeek, Zhipu GLM, Volcengine Ark). */
  'thinking_type',
  /** `chat_template_kwargs: { enable_thinking }` (vLLM serving hybrid-thinking models such as Qwen3). */
  'chat_template_kwargs',
  /** `reasoning: { effort } | { max_tokens } | { enabled: false }` (OpenRouter). */
  'reasoning_object',
  /** The model decides (a thinking model is a separate model name); nothing is sent. */
  'none',
] as const
export type ThinkingSwitch = (typeof THINKING_SWITCHES)[number]

/** Which field carries earlier reasoning back in assistant history (answers are read from either). */
export const REASONING_FIELDS = ['reasoning_content', 'reasoning', 'omit'] as const
export type ReasoningField = (typeof REASONING_FIELDS)[number]

/** Which `tool_choice` values the upstream accepts. */
export const TOOL_CHOICE_SUPPORT = [
  /** `none`, `auto`, `required` and a named function. */
  'full',
  /** Only `auto` (and `none`): a forced choice is sent as `auto`, with a warning. */
  'auto',
  /** None at all: `tool_choice` is left out (the upstream's default is auto), with a warning when forced. */
  'omit',
] as const
export type ToolChoiceSupport = (typeof TOOL_CHOICE_SUPPORT)[number]

export const MAX_TOKENS_FIELDS = ['max_tokens', 'max_completion_tokens'] as const
export type MaxTokensFieldName = (typeof MAX_TOKENS_FIELDS)[number]

/** The quirk switches of an OpenAI-compatible (Chat Completions) upstream. */
export interface ChatQuirks {
  /** Where the output-token limit goes. */
  maxTokensField: MaxTokensFieldName
  thinking: ThinkingSwitch
  /** Where reasoning arrives (`reasoning_content` or `reasoning`) is also where it is sent back; `omit` for strict servers. */
  reasoningField: ReasoningField
  /** Whether `stream_options.include_usage` is accepted (Mistral refuses the field with a 422). */
  streamUsage: boolean
  toolChoice: ToolChoiceSupport
}

/**
 * What a provider without a preset (or a preset without quirks) gets: Rosetta's behaviour before
 * presets existed, so adding the concept changes nothing for existing configurations. The
 * output-limit field then still follows the host (server/gateway/upstream/max-tokens-field.ts).
 */
export const DEFAULT_CHAT_QUIRKS: ChatQuirks = {
  maxTokensField: 'max_tokens',
  thinking: 'reasoning_effort',
  reasoningField: 'reasoning_content',
  streamUsage: true,
  toolChoice: 'full',
}

export type PresetCapability = 'tools' | 'images' | 'thinking' | 'json'

/** Published list price in USD per million tokens (the source and date are in a comment by the entry). */
export interface PresetPrice {
  input: number
  output: number
  cacheRead?: number
  cacheWrite?: number
}

export interface PresetModel {
  id: string
  /** Context window in tokens. */
  context: number
  capabilities: PresetCapability[]
  /** Omitted when no vendor-published price could be sourced. */
  price?: PresetPrice
}

/** A setting the provider type reads besides base_url and keys (Azure, Bedrock, Vertex). */
export type PresetSetting = 'api_version' | 'region' | 'project' | 'location'

export interface Preset {
  /** The name used in `preset:`, `--preset` and the UI. */
  id: string
  /** Shown in the UI and `rosetta providers presets`. */
  label: string
  /** The provider type it fills (`openai` = OpenAI-compatible Chat Completions). */
  type: string
  /** Base URL as the provider's `base_url` takes it (international site). Absent when it is built from settings. */
  baseUrl?: string
  /** The mainland China site, where it differs. */
  baseUrlChina?: string
  /** How the URL is built when it depends on settings (`https://{resource}.openai.azure.com`). */
  baseUrlTemplate?: string
  /** Settings the type needs (filled by the operator). */
  settings?: PresetSetting[]
  /** Auth header when it differs from the type's default (`authorization: Bearer {key}` for openai). */
  auth?: { header: string; template: string }
  /** Chat Completions upstreams only; unset fields keep DEFAULT_CHAT_QUIRKS. */
  quirks?: Partial<ChatQuirks>
  models: PresetModel[]
  /** Where the facts come from. */
  docs: string
  /** A local server (no key needed; keys may stay empty). */
  local?: boolean
}
