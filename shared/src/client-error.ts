// Answers requests Node's HTTP parser refuses before any handler sees them (oversized headers, malformed HTTP), in JSON.
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { ErrorCode } from './errors';
import { logger } from './logger';

/** Node's own choice of status for each parser error, with a message for the person reading the body. */
function refusalFor(code: string | undefined): [status: number, message: string] {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return [431, `The request headers are larger than ${Math.round(http.maxHeaderSize / 1024)} KiB in all, the most this service reads.`];
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return [413, 'The chunk extensions of the request body are too large.'];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'The request took too long to arrive.'];
    default:
      return [400, 'The request is not valid HTTP.'];
  }
}

/**
 * The server's 'clientError' listener. There is no response object at this point, so the answer is written to the
 * socket as raw HTTP; Node's default would send the same status with an empty body.
 */
export function answerClientError(error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, message] = refusalFor(error.code);
  logger.info({ code: error.code, status }, 'refused a malformed HTTP request');
  const body = JSON.stringify({ errors: [{ message, extensions: { code: ErrorCode.BAD_REQUEST } }] });
  // A HEAD request's answer has headers only (RFC 9110 §9.3.2): a body there would be read as the next response.
  const head = error.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\n` +
      'content-type: application/json; charset=utf-8\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\n` +
      'connection: close\r\n\r\n' +
      (head ? '' : body),
  );
}
