import { proxyEvent } from '../../utils/proxy-event'

export default defineEventHandler((event) => proxyEvent(event, { dialect: 'anthropic' }))
