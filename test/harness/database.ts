// A short-lived connection to PostgreSQL, for tests that look at what no service may show.
import { Client } from 'pg';

/** Connects to `url`, runs `work`, and disconnects whatever happens. */
export async function withConnection<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
