import type { DialectName, UpstreamDialect } from '../ir'
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

/** One upstream call as it will be sent, for a transport that signs requests. */
export interface SignableCall {
  /** `https://host:port` */
  origin: string
  /** The path with its query, as sent. */
  path: string
  headers: Record<string, string>
  body: string | Buffer
}

/**
 * What a provider `type` is: the wire dialect it speaks plus how that wire is reached. The four
 * vendor types take their dialect's own transport (`from-dialect.ts`); a vendor with its own URLs or
 * credentials (Azure OpenAI, Vertex AI) has a file of its own here. Nothing outside this folder and
 * `dialects/<name>/transport.ts` knows a vendor's URL or auth header.
 */
export interface ProviderTransport {
  /** The dialect it speaks when nothing more is known (the UI, the provider list, health). */
  dialect: UpstreamDialect
  /** The dialect a call to `model` for a client of `client` is written in (Vertex: by publisher; Azure: Chat or Responses). */
  dialectFor(model: string, client: DialectName): UpstreamDialect
  /** A configured base_url as the type's paths expect it (Azure: the resource origin, without a copied `/openai/v1`). */
  baseUrl?(url: string): string
  /** The base URL when the provider sets none; throws with a sentence when an option it needs is missing. */
  defaultBaseUrl(o: TransportOptions): string
  /** The static auth header, unless the provider sets `auth`; absent when `authorize` makes credentials. */
  auth?: AuthFormat
  /** Credentials made per key (Vertex: an OAuth bearer token exchanged for the service-account key). */
  authorize?(key: ProviderKey, providerId: string): Promise<Record<string, string>>
  /**
   * Credentials computed over the whole request (Bedrock's SigV4 signs the host, path, headers and
   * body): the headers to send, the signature included. Used instead of `auth` / `authorize`.
   */
  sign?(call: SignableCall, key: ProviderKey, o: TransportOptions): Promise<Record<string, string>>
  /** The parts of a stored key that are secrets on their own (a Bedrock credential's secret key and session token): scrubbed like whole keys. */
  secrets?(key: string): string[]
  /** Headers each call in `dialect` carries unless the provider sets its own. */
  headers?(dialect: UpstreamDialect): Record<string, string> | undefined
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
