// Queries several tests send as clients would.

/** The overview query: an organization with its members, projects, environments and credits, from all three subgraphs. */
export const OVERVIEW = `
  query Overview($slug: String!, $from: DateTime!, $to: DateTime!) {
    organization(slug: $slug) {
      id slug name viewerRole
      members(first: 100) { totalCount nodes { role user { id email name } } }
      projects(first: 100) {
        totalCount
        nodes { id name environments { id mode } creditUsage(from: $from, to: $to) { total } }
      }
      creditBalance { available }
      creditUsage(from: $from, to: $to) { total byDay { date amount } }
    }
  }`;

/** What OVERVIEW answers; a field the caller may not see is null. */
export interface Overview {
  organization: {
    id: string;
    slug: string;
    name: string;
    viewerRole: string;
    members: { totalCount: number; nodes: { role: string; user: { id: string; email: string; name: string } }[] };
    projects: { totalCount: number; nodes: { id: string; name: string; environments: { id: string; mode: string }[]; creditUsage: { total: number } }[] };
    creditBalance: { available: number };
    creditUsage: { total: number; byDay: { date: string; amount: number }[] };
  };
}
