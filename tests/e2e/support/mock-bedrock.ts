/**
 * AWS Bedrock Runtime as the mock upstream plays it (`/bedrock/model/{modelId}/converse` and
 * `/converse-stream`). It checks what AWS checks before anything else: a SigV4 `Authorization` header
 * (algorithm, credential scope with the expected region and service `bedrock`, the signed headers)
 * whose signature it recomputes with @smithy/signature-v4 from the secret it knows for the access key
 * id. Answers: Converse JSON, or a ConverseStream in real eventstream framing written with
 * @smithy/eventstream-codec, its frames cut across writes and several in one write.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http'
import { SignatureV4 } from '@smithy/signature-v4'
import { Hash } from '@smithy/hash-node'
import { EventStreamCodec } from '@smithy/eventstream-codec'
import type { IRPart, IRResponse } from '../../../server/gateway/ir'
import { scenarioResponse } from './scenarios'

export interface MockBedrock {
  /** The region every signature's scope must name. */
  region: string
  /** Access key id → its secret (and the session token it must come with). */
  credentials: Map<string, { secret: string; token?: string }>
  /** Requests whose signature verified, and why the others were refused. */
  verified: number
  refused: string[]
}

const utf8 = new TextEncoder()
const codec = new EventStreamCodec((b) => new TextDecoder().decode(b), (s) => utf8.encode(s))

class Sha256 extends Hash {
  constructor(secret?: ConstructorParameters<typeof Hash>[1]) {
    super('sha256', secret)
  }
}

function refuse(b: MockBedrock, res: ServerResponse, status: number, type: string, message: string): void {
  b.refused.push(message)
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` })
  res.end(JSON.stringify({ message }))
}

/** Verifies the request's SigV4 signature; answers the refusal itself and returns false when it fails. */
async function verifySignature(b: MockBedrock, method: string, rawPath: string, headers: IncomingHttpHeaders, body: string, res: ServerResponse): Promise<boolean> {
  const auth = String(headers.authorization ?? '')
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(auth)
  if (!m) {
    refuse(b, res, 403, 'IncompleteSignatureException', 'Authorization header requires AWS4-HMAC-SHA256 Credential, SignedHeaders and Signature.')
    return false
  }
  const [, akid, , region, service, signedHeaders] = m
  const known = b.credentials.get(akid!)
  if (!known) {
    refuse(b, res, 403, 'UnrecognizedClientException', 'The security token included in the request is invalid.')
    return false
  }
  if (region !== b.region || service !== 'bedrock') {
    refuse(b, res, 403, 'InvalidSignatureException', `Credential should be scoped to a valid region and service: ${region}/${service}`)
    return false
  }
  const names = signedHeaders!.split(';')
  const must = ['host', 'x-amz-date', ...(known.token ? ['x-amz-security-token'] : [])]
  if (must.some((h) => !names.includes(h)) || (known.token && headers['x-amz-security-token'] !== known.token)) {
    refuse(b, res, 403, 'InvalidSignatureException', `SignedHeaders must include ${must.join(', ')}`)
    return false
  }
  const amzDate = String(headers['x-amz-date'] ?? '')
  const when = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`)
  const signed: Record<string, string> = {}
  for (const n of names) signed[n] = String(headers[n] ?? '')
  const [hostname, port] = signed.host!.split(':')
  const signer = new SignatureV4({ credentials: { accessKeyId: akid!, secretAccessKey: known.secret, sessionToken: known.token }, region: b.region, service: 'bedrock', sha256: Sha256 })
  const again = await signer.sign({ method, protocol: 'http:', hostname: hostname!, port: port ? Number(port) : undefined, path: rawPath, query: {}, headers: signed, body }, { signingDate: when })
  if (again.headers.authorization !== auth) {
    refuse(b, res, 403, 'InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.')
    return false
  }
  b.verified++
  return true
}

function stopReason(r: IRResponse): string {
  return r.finish.unified === 'tool-calls' ? 'tool_use' : r.finish.unified === 'length' ? 'max_tokens' : 'end_turn'
}

function usageOf(r: IRResponse) {
  return { inputTokens: r.usage.inputTokens, outputTokens: r.usage.outputTokens, totalTokens: r.usage.inputTokens + r.usage.outputTokens }
}

function block(p: IRPart): unknown {
  if (p.type === 'text') return { text: p.text }
  if (p.type === 'tool-call') return { toolUse: { toolUseId: `tooluse_${p.id.replace(/[^A-Za-z0-9]/g, '')}`, name: p.name, input: JSON.parse(p.arguments) as unknown } }
  if (p.type === 'reasoning') return { reasoningContent: { reasoningText: { text: p.text, signature: 'bedrock-sig-0123456789' } } }
  return { text: '' }
}

function event(type: string, payload: Record<string, unknown>): Uint8Array {
  return codec.encode({
    headers: { ':event-type': { type: 'string', value: type }, ':content-type': { type: 'string', value: 'application/json' }, ':message-type': { type: 'string', value: 'event' } },
    body: utf8.encode(JSON.stringify({ ...payload, p: 'abcdefghijklmnopqrstuvwxyz' })),
  })
}

/** The ConverseStream events of an answer, as Bedrock orders them. */
function streamFrames(r: IRResponse): Uint8Array[] {
  const out = [event('messageStart', { role: 'assistant' })]
  r.parts.forEach((p, i) => {
    if (p.type === 'text') {
      for (let k = 0; k < p.text.length; k += 5) out.push(event('contentBlockDelta', { contentBlockIndex: i, delta: { text: p.text.slice(k, k + 5) } }))
    } else if (p.type === 'reasoning') {
      out.push(event('contentBlockDelta', { contentBlockIndex: i, delta: { reasoningContent: { text: p.text } } }))
      out.push(event('contentBlockDelta', { contentBlockIndex: i, delta: { reasoningContent: { signature: 'bedrock-sig-0123456789' } } }))
    } else if (p.type === 'tool-call') {
      const b = block(p) as { toolUse: { toolUseId: string; name: string } }
      out.push(event('contentBlockStart', { contentBlockIndex: i, start: { toolUse: { toolUseId: b.toolUse.toolUseId, name: p.name } } }))
      const half = Math.floor(p.arguments.length / 2)
      out.push(event('contentBlockDelta', { contentBlockIndex: i, delta: { toolUse: { input: p.arguments.slice(0, half) } } }))
      out.push(event('contentBlockDelta', { contentBlockIndex: i, delta: { toolUse: { input: p.arguments.slice(half) } } }))
    }
    out.push(event('contentBlockStop', { contentBlockIndex: i }))
  })
  out.push(event('messageStop', { stopReason: stopReason(r) }))
  out.push(event('metadata', { usage: usageOf(r), metrics: { latencyMs: 123 } }))
  return out
}

/**
 * One Bedrock request. The model id is the path segment after `model/` (decoded once); its scenario
 * is the part after the first dash (`br-tools`, `br-tools:0`), `e429` answering a ThrottlingException,
 * `xthrottle` a stream whose first frame is a throttlingException.
 */
export async function bedrockEndpoint(b: MockBedrock, method: string, rawPath: string, headers: IncomingHttpHeaders, body: string, res: ServerResponse): Promise<void> {
  if (!(await verifySignature(b, method, rawPath, headers, body, res))) return
  const m = /\/model\/([^/]+)\/(converse|converse-stream)$/.exec(rawPath)
  if (!m) return refuse(b, res, 404, 'ResourceNotFoundException', `no such operation: ${rawPath}`)
  const model = decodeURIComponent(m[1]!)
  // A version suffix (`br-tools:0`, like Bedrock's own `…-v2:0` ids) is not part of the scenario.
  const scenario = model.slice(model.indexOf('-') + 1).replace(/:\d+$/, '')
  if (scenario === 'e429') {
    res.writeHead(429, { 'content-type': 'application/json', 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/' })
    res.end(JSON.stringify({ message: 'Too many requests, please wait before trying again.' }))
    return
  }
  if (scenario === 'xthrottle' && m[2] === 'converse-stream') {
    // A 200, then a throttlingException frame before any content (Bedrock throttles streams this way too).
    res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' })
    res.end(
      codec.encode({
        headers: { ':exception-type': { type: 'string', value: 'throttlingException' }, ':content-type': { type: 'string', value: 'application/json' }, ':message-type': { type: 'string', value: 'exception' } },
        body: utf8.encode(JSON.stringify({ message: 'Too many tokens, please wait before trying again.' })),
      }),
    )
    return
  }
  const r = scenarioResponse('anthropic', scenario, model)
  if (!r) return refuse(b, res, 400, 'ValidationException', `The provided model identifier is invalid: ${model}`)
  if (m[2] === 'converse') {
    res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'mock-request-id' })
    res.end(JSON.stringify({ output: { message: { role: 'assistant', content: r.parts.map(block) } }, stopReason: stopReason(r), usage: usageOf(r), metrics: { latencyMs: 120 } }))
    return
  }
  res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'mock-request-id' })
  // Frames cut across writes (every 37 bytes) and several in one write, as a network delivers them.
  const all = Buffer.concat(streamFrames(r))
  for (let i = 0; i < all.length; i += 37) res.write(all.subarray(i, i + 37))
  res.end()
}
