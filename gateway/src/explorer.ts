// The GraphiQL explorer page, self-contained so it works without internet access.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

const OVERVIEW_QUERY = `# Everything about one organization on one screen.
# Sign in to get an access token, then add it under Headers: {"Authorization": "Bearer <token>"}
query Overview($slug: String!, $from: DateTime!, $to: DateTime!) {
  organization(slug: $slug) {
    id
    slug
    name
    viewerRole
    members(first: 100) {
      totalCount
      nodes { role user { id email name } }
    }
    projects(first: 100) {
      totalCount
      nodes {
        id
        name
        environments { id mode }
        creditUsage(from: $from, to: $to) { total }
      }
    }
    creditBalance { available }
    creditUsage(from: $from, to: $to) {
      total
      byDay { date amount }
    }
  }
}
`;

interface RenderedPage {
  html: string;
  gzipped: Buffer;
  etag: string;
}

const gzipAsync = promisify(gzip);
let rendered: Promise<RenderedPage> | undefined;

// The page inlines GraphiQL and its editor workers (about 9 MB), so it is built and compressed once, on first
// use; compressing takes ~200 ms, done off the event loop so other requests are not held up meanwhile.
function page(): Promise<RenderedPage> {
  // A failed render is not cached, so the next request tries again.
  rendered ??= render().catch((error: unknown) => {
    rendered = undefined;
    throw error;
  });
  return rendered;
}

async function render(): Promise<RenderedPage> {
  const now = new Date();
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const variables = JSON.stringify({ slug: 'acme', from: monthStart.toISOString(), to: now.toISOString() }, null, 2);
  const html = renderGraphiQL({
    title: 'Organizations API',
    endpoint: '/graphql',
    defaultTabs: [{ query: OVERVIEW_QUERY, variables }],
    // Yoga's page hands a top-level `variables` to GraphiQL as its initial variables, which would otherwise
    // replace the tab's with an empty editor. (The option is missing from Yoga's type.)
    ...({ variables } as object),
    // The schema is the documentation: ask introspection for its description and deprecated arguments too.
    schemaDescription: true,
    inputValueDeprecation: true,
  });
  return {
    html,
    gzipped: await gzipAsync(html),
    // Weak, because the gzip'd and plain bodies share it.
    etag: `W/"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}"`,
  };
}

function acceptsGzip(req: IncomingMessage): boolean {
  const accept = req.headers['accept-encoding'];
  if (typeof accept !== 'string') return false;
  return accept.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    return (coding === 'gzip' || coding === '*') && !params.some((param) => /^\s*q=0(\.0*)?\s*$/.test(param));
  });
}

/** Serves the explorer page, gzip'd when the browser allows and revalidated by ETag. */
export async function serveExplorer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { html, gzipped, etag } = await page();
  const headers: Record<string, string> = {
    'content-type': 'text/html; charset=utf-8',
    // The page does not change while the process runs, but a new deploy may change it: revalidate each time.
    'cache-control': 'public, max-age=0, must-revalidate',
    etag,
    vary: 'accept-encoding',
  };
  const cached = req.headers['if-none-match']?.split(',').map((tag) => tag.trim());
  if (cached?.includes(etag) || cached?.includes('*')) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const gzip = acceptsGzip(req);
  const body = gzip ? gzipped : html;
  if (gzip) headers['content-encoding'] = 'gzip';
  headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}
