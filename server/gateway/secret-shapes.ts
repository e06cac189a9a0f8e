/**
 * Strings shaped like an API key, wherever they turn up (upstream error bodies, logged request
 * bodies): OpenAI / Anthropic / DeepSeek / OpenRouter `sk-…` (incl. `sk-proj-`, `sk-ant-api03-`,
 * `sk-or-v1-`), Google `AIza…`, Groq `gsk_…`, xAI `xai-…`, Hugging Face `hf_…`, Replicate `r8_…`,
 * Perplexity `pplx-…`, Rosetta's own client keys `rk-…` / `rsk-…`, Google OAuth access tokens
 * `ya29.…` (Vertex AI), AWS access key ids `AKIA…` / `ASIA…` (Bedrock), and a PEM private key (a service-account key's `private_key`, with real or
 * JSON-escaped line breaks) from its BEGIN line to its END line. The look-behind keeps words
 * that merely contain a prefix (`task-management-…`) intact. One list, so the upstream-error
 * scrubber and the body log's redaction never disagree on what a key looks like.
 */
export const KEY_SHAPES_SOURCE =
  '(?<![A-Za-z0-9])(?:sk-[A-Za-z0-9_-]{16,}|AIza[0-9A-Za-z_-]{20,}|gsk_[A-Za-z0-9]{20,}|xai-[A-Za-z0-9]{20,}|hf_[A-Za-z0-9]{20,}|r8_[A-Za-z0-9]{20,}|pplx-[A-Za-z0-9]{20,}|rs?k-[A-Za-z0-9_-]{16,}|ya29\\.[A-Za-z0-9_-]{20,}|(?:AKIA|ASIA)[0-9A-Z]{16}|-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\\s\\S]*?-----END (?:RSA |EC )?PRIVATE KEY-----)'
