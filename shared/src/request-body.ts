// Reads a request body, with a size limit, and parses it as JSON when it says it is JSON.
import type { IncomingMessage } from 'node:http';
import { bytesInWords } from './byte-size';
import { AppError, ErrorCode } from './errors';

/** The largest body a client may send: 1 MiB, far above any real query, so a client cannot make a service buffer more. */
export const CLIENT_BODY_BYTES = 1024 * 1024;

/** The whole body as text; a body over `maxBytes` is refused with 413 REQUEST_TOO_LARGE before it is all read. */
export async function readBody(req: IncomingMessage, maxBytes = CLIENT_BODY_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      throw new AppError(ErrorCode.REQUEST_TOO_LARGE, `The request body is larger than ${bytesInWords(maxBytes)}.`, { maxBytes, http: { status: 413 } });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A body as Apollo Server expects it: parsed when the content type says JSON, the raw text otherwise (Apollo Server
 * judges it), undefined when empty. Malformed JSON is refused with 400 BAD_USER_INPUT.
 */
export function parseBody(req: IncomingMessage, raw: string): unknown {
  if (raw === '') return undefined;
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/(graphql-response\+)?json/i.test(type)) return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw new AppError(ErrorCode.BAD_USER_INPUT, 'The request body is not valid JSON.', { http: { status: 400 } });
  }
}
