// The OpenAI-compatible fixture speaks OpenAI Chat on the wire: its decode-stream role is Chat's.
export { createStreamDecoder, isTerminalFrame } from '../../../../../server/gateway/dialects/openai-chat/decode-stream'
