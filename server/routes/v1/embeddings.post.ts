import { proxyEvent } from '../../utils/proxy-event'

/** The door is read from the URL (see server/gateway/http/doors.ts). */
export default defineEventHandler((event) => proxyEvent(event))
