/** Realistic upstream error responses (status, body, headers) per dialect, and what each client must see. */
import type { DialectName } from '../../../../server/gateway/ir'
import type { GatewayErrorKind } from '../../../../server/gateway/errors'
import { fixtureText } from '../../../helpers/fixtures'

export type ErrorCase = 'rate-limit-429' | 'bad-request-400' | 'auth-401' | 'server-500' | 'overloaded-529'
export const ERROR_CASES: ErrorCase[] = ['rate-limit-429', 'bad-request-400', 'auth-401', 'server-500', 'overloaded-529']

export interface UpstreamError {
  status: number
  body: string
  headers: Record<string, string>
  message: string
  retryAfter?: number
}

const oa = (status: number, message: string, type: string, code: string | null, param: string | null = null, headers = {}, retryAfter?: number): UpstreamError => ({
  status, body: JSON.stringify({ error: { message, type, param, code } }), headers, message, retryAfter,
})
const an = (status: number, type: string, message: string, headers = {}, retryAfter?: number): UpstreamError => ({
  status, body: JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy' }), headers, message, retryAfter,
})
const gm = (status: number, code: number, rpc: string, message: string, details?: unknown[]): UpstreamError => ({
  status, body: JSON.stringify({ error: { code, message, status: rpc, ...(details ? { details } : {}) } }), headers: {}, message,
})

/** The recorded Gemini 429 (RESOURCE_EXHAUSTED with RetryInfo 34.4s). */
const GEMINI_429 = fixtureText('gemini-chunks/vercel-google-429-retry-info.json')

export function upstreamError(c: ErrorCase, upstream: DialectName): UpstreamError {
  switch (upstream) {
    case 'openai-chat':
      switch (c) {
        case 'rate-limit-429': return oa(429, 'Rate limit reached for gpt-4o on requests per min (RPM): Limit 3.', 'requests', 'rate_limit_exceeded', null, { 'retry-after': '20' }, 20)
        case 'bad-request-400': return oa(400, "Invalid value for 'temperature': expected a number <= 2.", 'invalid_request_error', 'invalid_value', 'temperature')
        case 'auth-401': return oa(401, 'Incorrect API key provided: sk-abc***. You can find your API key at https://platform.openai.com/account/api-keys.', 'invalid_request_error', 'invalid_api_key')
        case 'server-500': return oa(500, 'The server had an error while processing your request. Sorry about that!', 'server_error', null)
        case 'overloaded-529': return oa(503, 'The engine is currently overloaded, please try again later', 'server_error', null)
      }
    // eslint-disable-next-line no-fallthrough
    case 'openai-responses':
      // POST /v1/responses answers HTTP errors with the Chat Completions error body
      switch (c) {
        case 'rate-limit-429': return oa(429, 'Rate limit reached for gpt-5 in organization org-abc on tokens per min (TPM): Limit 30000, Used 29000, Requested 2000.', 'tokens', 'rate_limit_exceeded', null, { 'retry-after': '7' }, 7)
        case 'bad-request-400': return oa(400, "Unsupported parameter: 'temperature' is not supported with this model.", 'invalid_request_error', 'unsupported_parameter', 'temperature')
        case 'auth-401': return oa(401, 'Incorrect API key provided: sk-proj-***. You can find your API key at https://platform.openai.com/account/api-keys.', 'invalid_request_error', 'invalid_api_key')
        case 'server-500': return oa(500, 'An error occurred while processing your request. You can retry your request.', 'server_error', null)
        case 'overloaded-529': return oa(503, 'The engine is currently overloaded, please try again later', 'server_error', null)
      }
    // eslint-disable-next-line no-fallthrough
    case 'anthropic':
      switch (c) {
        case 'rate-limit-429': return an(429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', { 'retry-after': '20' }, 20)
        case 'bad-request-400': return an(400, 'invalid_request_error', 'max_tokens: Field required')
        case 'auth-401': return an(401, 'authentication_error', 'invalid x-api-key')
        case 'server-500': return an(500, 'api_error', 'Internal server error')
        case 'overloaded-529': return an(529, 'overloaded_error', 'Overloaded')
      }
    // eslint-disable-next-line no-fallthrough
    case 'gemini':
      switch (c) {
        case 'rate-limit-429': return { status: 429, body: GEMINI_429, headers: {}, message: 'You exceeded your current quota, please check your plan.', retryAfter: 34.4 }
        case 'bad-request-400': return gm(400, 400, 'INVALID_ARGUMENT', 'Invalid JSON payload received. Unknown name "foo": Cannot find field.')
        // a bad Gemini key is a 400 with reason API_KEY_INVALID
        case 'auth-401': return gm(400, 400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' },
        ])
        case 'server-500': return gm(500, 500, 'INTERNAL', 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting')
        case 'overloaded-529': return gm(503, 503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.')
      }
  }
}

export const EXPECTED_KIND: Record<ErrorCase, GatewayErrorKind> = {
  'rate-limit-429': 'rate_limit',
  'bad-request-400': 'invalid_request',
  'auth-401': 'authentication',
  'server-500': 'upstream_error',
  'overloaded-529': 'overloaded',
}

/** Client-facing HTTP status and error type per dialect (an upstream 500 is a 502 Bad Gateway here). */
export const CLIENT_ERROR: Record<DialectName, Record<ErrorCase, [status: number, type: string]>> = {
  'openai-chat': {
    'rate-limit-429': [429, 'rate_limit_error'],
    'bad-request-400': [400, 'invalid_request_error'],
    'auth-401': [401, 'authentication_error'],
    'server-500': [502, 'server_error'],
    'overloaded-529': [503, 'server_error'],
  },
  'openai-responses': {
    'rate-limit-429': [429, 'rate_limit_error'],
    'bad-request-400': [400, 'invalid_request_error'],
    'auth-401': [401, 'authentication_error'],
    'server-500': [502, 'server_error'],
    'overloaded-529': [503, 'server_error'],
  },
  anthropic: {
    'rate-limit-429': [429, 'rate_limit_error'],
    'bad-request-400': [400, 'invalid_request_error'],
    'auth-401': [401, 'authentication_error'],
    'server-500': [502, 'api_error'],
    'overloaded-529': [529, 'overloaded_error'],
  },
  gemini: {
    'rate-limit-429': [429, 'RESOURCE_EXHAUSTED'],
    'bad-request-400': [400, 'INVALID_ARGUMENT'],
    'auth-401': [401, 'UNAUTHENTICATED'],
    'server-500': [502, 'INTERNAL'],
    'overloaded-529': [503, 'UNAVAILABLE'],
  },
}
