// The OpenAI-compatible fixture speaks OpenAI Chat on the wire: its decode-messages role is Chat's.
export { decodeMessages } from '../../../../../server/gateway/dialects/openai-chat/decode-messages'
