import OpenAI from 'openai'
import Anthropic from '@anthropic-ai/sdk'
import { GoogleGenAI } from '@google/genai'
import { CLIENT_KEY } from './server'

/**
 * The three official SDKs pointed at a running Rosetta with the test client key (no retries, so a
 * refusal is seen as it is). `url` is read when a client is made: servers start in beforeAll.
 */
export function sdkClients(url: () => string) {
  return {
    openai: () => new OpenAI({ apiKey: CLIENT_KEY, baseURL: `${url()}/v1`, maxRetries: 0 }),
    anthropic: () => new Anthropic({ apiKey: CLIENT_KEY, baseURL: url(), maxRetries: 0 }),
    gemini: () => new GoogleGenAI({ apiKey: CLIENT_KEY, httpOptions: { baseUrl: url() } }),
  }
}
