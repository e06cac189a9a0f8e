/** "Copy as curl" for a logged request: the same call again, with the key left as a variable. */

const ENDPOINT: Record<string, (model: string, stream: boolean) => string> = {
  'openai-chat': () => '/v1/chat/completions',
  'openai-responses': () => '/v1/responses',
  anthropic: () => '/v1/messages',
  gemini: (m, s) => `/v1beta/models/${encodeURIComponent(m)}:${s ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
  'openai-embeddings': () => '/v1/embeddings',
}

const AUTH: Record<string, string[]> = {
  anthropic: ['x-api-key: $ROSETTA_KEY', 'anthropic-version: 2023-06-01'],
  gemini: ['x-goog-api-key: $ROSETTA_KEY'],
}

/** Single quotes for the shell: ' becomes '\'' . */
const sq = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`

export function curlFor(origin: string, row: { dialect: string; model: string | null; stream: boolean }, body: unknown): string {
  const path = (ENDPOINT[row.dialect] ?? ENDPOINT['openai-chat']!)(row.model ?? '', row.stream)
  const headers = ['content-type: application/json', ...(AUTH[row.dialect] ?? ['authorization: Bearer $ROSETTA_KEY'])]
  const data = typeof body === 'string' ? body : JSON.stringify(body ?? {})
  // The key header is double-quoted so $ROSETTA_KEY expands; the body is single-quoted so nothing else does.
  return [`curl ${row.stream ? '-N ' : ''}${sq(origin + path)}`, ...headers.map((h) => (h.includes('$') ? `-H "${h}"` : `-H ${sq(h)}`)), `-d ${sq(data)}`].join(' \\\n  ')
}
