import type { DialectName } from '../ir'
import type { AuthFormat, ModelListFacts, UpstreamCall } from '../transport'
import type { ProviderKey } from '../routing/snapshot'
import type { ProviderOption } from '../../../shared/schemas/config-file'
import type { MaxTokensField } from '../upstream/max-tokens-field'

/**
 * A provider's settings beyond `base_url` and keys that its type reads, named as rosetta.yaml names
 * them (`api_version`, `project`, `location`, `region`); which type needs which is data
 * (`PROVIDER_TYPE_OPTIONS`, shared/schemas/config-file.ts).
 */
export type TransportOptions = Partial<Record<ProviderOption, string>>

/**
 * What a provider `type` is: the wire dialect it speaks plus how that wire is reached. The four
 * vendor types take their dialect's own transport (`from-dialect.ts`); a vendor with its own URLs or
 * credentials (Azure OpenAI, Vertex AI) has a file of its own here. Nothing outside this folder and
 * `dialects/<name>/transport.ts` knows a vendor's URL or auth header.
 */
export interface ProviderTransport {
  /** The dialect it speaks when nothing more is known (the UI, the provider list, health). */
  dialect: DialectName
  /** The dialect a call to `model` for a client of `client` is written in (Vertex: by publisher; Azure: Chat or Responses). */
  dialectFor(model: string, client: DialectName): DialectName
  /** A configured base_url as the type's paths expect it (Azure: the resource origin, without a copied `/openai/v1`). */
  baseUrl?(url: string): string
  /** The base URL when the provider sets none; throws with a sentence when an option it needs is missing. */
  defaultBaseUrl(o: TransportOptions): string
  /** The static auth header, unless the provider sets `auth`; absent when `authorize` makes credentials. */
  auth?: AuthFormat
  /** Credentials made per key (Vertex: an OAuth bearer token exchanged for the service-account key). */
  authorize?(key: ProviderKey, providerId: string): Promise<Record<string, string>>
  /** Headers each call in `dialect` carries unless the provider sets its own. */
  headers?(dialect: DialectName): Record<string, string> | undefined
  /** The path of a call relative to the base URL, query included; undefined: no such endpoint. */
  path(call: UpstreamCall, o: TransportOptions): string | undefined
  /** The body as this vendor wants it (Vertex's Anthropic publisher: no `model`, its `anthropic_version`); undefined: as it is. */
  body?(call: UpstreamCall, body: Record<string, unknown>): Record<string, unknown> | undefined
  /** Chat Completions: the output-token limit's field when the type decides it (else by host, upstream/max-tokens-field.ts). */
  maxTokensField?: MaxTokensField
  /** Whether the client's own vendor headers (`anthropic-version`, `anthropic-beta`) may reach it. */
  forwardsClientHeaders: boolean
  /** Its model list, when it has one a key can read. */
  models?(o: TransportOptions): ModelListFacts | undefined
  /** The active probe when it has no model list to ask (Vertex: the token exchange). */
  probe?: 'authorize'
}
